import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeSegmentedFiles } from '../../src/export/index.ts';
import { header, headerLine, invoiceLine, invoices, tempDir, types, utc } from './fixtures.ts';

const dir = tempDir();
const common = { header, types, options: utc, entryName: 's' };

describe('segmented result files', () => {
  it('hold at most maxRows rows each, every one starting with the header, in order', async () => {
    const { files } = await writeSegmentedFiles({
      ...common,
      rows: invoices(25),
      format: 'csv',
      maxRows: 10,
      pathFor: (i) => join(dir, `a${i}.csv`),
    });
    assert.deepEqual(
      files.map((f) => [f.path, f.rows, f.bytes]),
      [0, 1, 2].map((i) => [join(dir, `a${i}.csv`), i < 2 ? 10 : 5, statSync(join(dir, `a${i}.csv`)).size]),
    );
    const lines = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => invoiceLine(from + i));
    assert.equal(readFileSync(files[0]!.path, 'utf8'), headerLine + lines(0, 10).join(''));
    assert.equal(readFileSync(files[1]!.path, 'utf8'), headerLine + lines(10, 20).join(''));
    assert.equal(readFileSync(files[2]!.path, 'utf8'), headerLine + lines(20, 25).join(''));
  });

  it('leave no empty last file when the rows fill the segments exactly', async () => {
    const { files } = await writeSegmentedFiles({
      ...common,
      rows: invoices(20),
      format: 'csv',
      maxRows: 10,
      pathFor: (i) => join(dir, `b${i}.csv`),
    });
    assert.deepEqual(
      files.map((f) => f.rows),
      [10, 10],
    );
    assert.equal(existsSync(join(dir, 'b2.csv')), false);
  });

  it('give one header-only file for an empty result', async () => {
    const { files } = await writeSegmentedFiles({
      ...common,
      rows: [],
      format: 'csv',
      maxRows: 10,
      pathFor: (i) => join(dir, `c${i}.csv`),
    });
    assert.deepEqual(
      files.map((f) => f.rows),
      [0],
    );
    assert.equal(readFileSync(files[0]!.path, 'utf8'), headerLine);
  });

  it('compress every segment on its own', async () => {
    const { files } = await writeSegmentedFiles({
      ...common,
      rows: invoices(30_000),
      format: 'gzip',
      maxRows: 12_000,
      pathFor: (i) => join(dir, `d${i}.csv.gz`),
    });
    assert.deepEqual(
      files.map((f) => f.rows),
      [12_000, 12_000, 6_000],
    );
    for (const f of files) {
      execFileSync('gzip', ['-t', f.path]);
      const text = execFileSync('gzip', ['-dc', f.path], { encoding: 'utf8', maxBuffer: 1 << 26 });
      assert.ok(text.startsWith(headerLine));
    }
    const last = execFileSync('gzip', ['-dc', files[2]!.path], { encoding: 'utf8', maxBuffer: 1 << 26 });
    assert.ok(last.startsWith(headerLine + invoiceLine(24_000)));
    assert.ok(last.endsWith(invoiceLine(29_999)));
  });

  it('remove every segment when the rows fail part way', async () => {
    function* failing() {
      yield* invoices(25);
      throw new Error('cursor lost');
    }
    await assert.rejects(
      writeSegmentedFiles({
        ...common,
        rows: failing(),
        format: 'csv',
        maxRows: 10,
        pathFor: (i) => join(dir, `e${i}.csv`),
      }),
      /cursor lost/,
    );
    for (const i of [0, 1, 2]) assert.equal(existsSync(join(dir, `e${i}.csv`)), false);
  });

  it('refuse a maxRows that is not a positive whole number', async () => {
    for (const maxRows of [0, -1, 1.5]) {
      await assert.rejects(
        writeSegmentedFiles({
          ...common,
          rows: [],
          format: 'csv',
          maxRows,
          pathFor: (i) => join(dir, `f${i}`),
        }),
        RangeError,
      );
    }
  });
});
