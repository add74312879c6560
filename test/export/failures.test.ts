import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { type FileFormat, writeResultFile } from '../../src/export/index.ts';
import { header, invoices, tempDir, types, utc } from './fixtures.ts';

const dir = tempDir();

describe('a failing export', () => {
  for (const format of ['csv', 'gzip', 'zip'] as FileFormat[]) {
    it(`removes the partial ${format} file when the rows fail`, async () => {
      const path = join(dir, `failed.${format}`);
      function* rows() {
        yield* invoices(30_000);
        throw new Error('database gone');
      }
      await assert.rejects(
        writeResultFile({ rows: rows(), header, types, options: utc, format, entryName: 'x', path }),
        /database gone/,
      );
      assert.equal(existsSync(path), false);
    });
  }

  for (const format of ['csv', 'gzip', 'zip'] as FileFormat[]) {
    it(`rejects when the ${format} file cannot be written`, async () => {
      const path = join(dir, 'missing-directory', `x.${format}`);
      await assert.rejects(
        writeResultFile({
          rows: invoices(30_000),
          header,
          types,
          options: utc,
          format,
          entryName: 'x',
          path,
        }),
        { code: 'ENOENT' },
      );
    });
  }

  it('refuses a header that is not as wide as the rows', async () => {
    const path = join(dir, 'narrow.csv');
    await assert.rejects(
      writeResultFile({ rows: [], header: ['A'], types, options: utc, format: 'csv', entryName: 'x', path }),
      { name: 'RangeError', message: 'header has 1 fields but rows have 4 columns' },
    );
    await assert.rejects(
      writeResultFile({
        rows: [],
        header,
        types,
        options: { ...utc, deleted: { format: 'Numeric' } },
        format: 'csv',
        entryName: 'x',
        path,
      }),
      { name: 'RangeError', message: 'header has 4 fields but rows have 5 columns' },
    );
    assert.equal(existsSync(path), false);
  });
});
