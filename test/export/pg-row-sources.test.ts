import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { makeRowFormatter, writeResultFile, writeSegmentedFiles } from '../../src/export/index.ts';
import type { CsvLines, RowSource } from '../../src/export/result-file.ts';
import { header, headerLine, invoices, tempDir, types, utc } from './fixtures.ts';

/**
 * The two shapes rows arrive in from PostgreSQL: batches of rows read through a cursor, and CSV lines
 * COPY rendered. Both must give the files the embedded store's one-row-at-a-time source gives.
 */
const dir = tempDir();
const common = { header, types, options: utc, entryName: 's' };
let n = 0;
const path = (tag: string) => join(dir, `${tag}-${n++}`);

async function* batches(rows: unknown[][], size: number): AsyncGenerator<unknown[][]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** The rows' CSV lines as bytes cut at the given offsets (anywhere: inside a line, a quote, a character). */
function lines(rows: unknown[][], cuts: readonly number[], count = rows.length): CsvLines {
  const format = makeRowFormatter(types, utc);
  const bytes = Buffer.from(rows.map(format).join(''), 'utf8');
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  async function* chunks(): AsyncGenerator<Buffer> {
    let from = 0;
    for (const to of [...at, bytes.length]) {
      if (to > from) yield bytes.subarray(from, to);
      from = to;
    }
  }
  return { lines: chunks(), count: () => count };
}

async function segments(
  rows: RowSource | CsvLines,
  maxRows: number,
): Promise<{ rows: number; text: string }[]> {
  const { files } = await writeSegmentedFiles({
    ...common,
    rows,
    format: 'csv',
    maxRows,
    pathFor: () => path('seg'),
  });
  return files.map((f) => ({ rows: f.rows, text: readFileSync(f.path, 'utf8') }));
}

describe('rows read from PostgreSQL', () => {
  it('in batches give the file and segments rows one at a time give', async () => {
    const rows = [...invoices(103)];
    for (const size of [1, 7, 50, 200]) {
      const one = await writeResultFile({ ...common, rows, format: 'csv', path: path('one') });
      const p = path('batched');
      const batched = await writeResultFile({ ...common, rows: batches(rows, size), format: 'csv', path: p });
      assert.deepEqual(batched, one);
      assert.equal(readFileSync(p, 'utf8').length > headerLine.length, true);
      assert.deepEqual(await segments(batches(rows, size), 10), await segments(rows, 10));
    }
  });

  it('as CSV lines cut anywhere give the same file and the same segments, cut at line ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        async (count, cuts, maxRows) => {
          // Every invoice row holds quotes, a comma and a line break inside one field.
          const rows = [...invoices(count)];
          assert.deepEqual(await segments(lines(rows, cuts), maxRows), await segments(rows, maxRows));
          const p = path('lines');
          const written = await writeResultFile({
            ...common,
            rows: lines(rows, cuts),
            format: 'csv',
            path: p,
          });
          const q = path('rows');
          await writeResultFile({ ...common, rows, format: 'csv', path: q });
          assert.equal(written.rows, count);
          assert.equal(readFileSync(p, 'utf8'), readFileSync(q, 'utf8'));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('as CSV lines whose count disagrees with the lines found fail and leave no file', async () => {
    const before = readdirSync(dir).length;
    const rows = [...invoices(25)];
    await assert.rejects(segments(lines(rows, [100, 333], 24), 10), /held 25 rows where 24 were rendered/);
    assert.equal(readdirSync(dir).length, before);
  });

  it('as CSV lines stop at an abort and leave no file', async () => {
    const ctl = new AbortController();
    async function* endless(): AsyncGenerator<Buffer> {
      for (let i = 0; ; i++) {
        if (i === 100) ctl.abort();
        yield Buffer.from('a,b,1,2024-01-01T00:00:00+00:00\n');
      }
    }
    const p = path('aborted');
    await assert.rejects(
      writeResultFile({
        ...common,
        rows: { lines: endless(), count: () => 0 },
        format: 'gzip',
        path: p,
        signal: ctl.signal,
      }),
      { name: 'AbortError' },
    );
    assert.equal(existsSync(p), false);
  });
});
