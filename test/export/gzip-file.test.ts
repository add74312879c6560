import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeResultFile } from '../../src/export/index.ts';
import { header, headerLine, invoiceLine, invoices, tempDir, types, utc } from './fixtures.ts';

const dir = tempDir();

describe('gzip result files', () => {
  it('pass gzip -t and decompress to exactly the csv file', async () => {
    const csv = join(dir, 'b.csv');
    const gz = join(dir, 'b.csv.gz');
    const common = { header, types, options: utc, entryName: 'b' };
    const plain = await writeResultFile({ ...common, rows: invoices(20_000), format: 'csv', path: csv });
    const zipped = await writeResultFile({ ...common, rows: invoices(20_000), format: 'gzip', path: gz });
    assert.deepEqual(plain.rows, 20_000);
    assert.deepEqual(zipped.rows, 20_000);
    assert.equal(zipped.bytes, statSync(gz).size);
    assert.ok(zipped.bytes < plain.bytes / 3, `${zipped.bytes} compressed bytes of ${plain.bytes}`);
    execFileSync('gzip', ['-t', gz]);
    const unzipped = execFileSync('gzip', ['-dc', gz], { maxBuffer: 1 << 28 });
    assert.deepEqual(unzipped, readFileSync(csv));
    const text = unzipped.toString('utf8');
    assert.ok(text.startsWith(headerLine + invoiceLine(0) + invoiceLine(1)));
    assert.ok(text.endsWith(invoiceLine(19_999)));
  });

  it('of an empty result hold the header only', async () => {
    const gz = join(dir, 'empty.csv.gz');
    const r = await writeResultFile({
      rows: [],
      header,
      types,
      options: utc,
      format: 'gzip',
      entryName: 'e',
      path: gz,
    });
    assert.equal(r.rows, 0);
    execFileSync('gzip', ['-t', gz]);
    assert.equal(execFileSync('gzip', ['-dc', gz], { encoding: 'utf8' }), headerLine);
  });
});
