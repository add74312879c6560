import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { writeResultFile, writeSegmentedFiles } from '../../src/export/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'openaqua-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const options = { timeZone: 'UTC', dateTimeUtc: false };

function* generated(n: number): Generator<unknown[]> {
  for (let i = 0; i < n; i++)
    yield [`id${i}`, `name, "${i}"\nline two`, i / 100, Date.UTC(2024, 0, 1) + i * 1000];
}
const header = ['Invoice.Id', 'Invoice.Name', 'Invoice.Amount', 'Invoice.CreatedDate'];
const types = ['ID', 'string', 'decimal', 'dateTime'] as const;

describe('result files', () => {
  it('csv parses back rectangular with the same values', async () => {
    const path = join(dir, 'a.csv');
    const r = await writeResultFile({
      rows: generated(5000),
      header,
      types,
      options,
      format: 'csv',
      entryName: 'a',
      path,
    });
    assert.equal(r.rows, 5000);
    const bytes = readFileSync(path);
    assert.equal(r.bytes, bytes.length);
    assert.notEqual(bytes[0], 0xef, 'no BOM');
    const records: string[][] = parse(bytes);
    assert.equal(records.length, 5001);
    assert.deepEqual(records[0], header);
    for (const rec of records) assert.equal(rec.length, header.length);
    assert.deepEqual(records[4001], ['id4000', 'name, "4000"\nline two', '40', '2024-01-01T01:06:40+00:00']);
  });

  it('gzip passes gzip -t and holds the csv bytes', async () => {
    const csv = join(dir, 'b.csv');
    const gz = join(dir, 'b.csv.gz');
    await writeResultFile({
      rows: generated(20000),
      header,
      types,
      options,
      format: 'csv',
      entryName: 'b',
      path: csv,
    });
    await writeResultFile({
      rows: generated(20000),
      header,
      types,
      options,
      format: 'gzip',
      entryName: 'b',
      path: gz,
    });
    execFileSync('gzip', ['-t', gz]);
    assert.deepEqual(gunzipSync(readFileSync(gz)), readFileSync(csv));
  });

  it('zip passes unzip -t and holds exactly one <name>.csv with the csv bytes', async () => {
    const csv = join(dir, 'c.csv');
    const zip = join(dir, 'c.zip');
    await writeResultFile({
      rows: generated(20000),
      header,
      types,
      options,
      format: 'csv',
      entryName: 'c',
      path: csv,
    });
    await writeResultFile({
      rows: generated(20000),
      header,
      types,
      options,
      format: 'zip',
      entryName: 'Invoices',
      path: zip,
    });
    execFileSync('unzip', ['-t', zip]);
    const listing = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
    assert.deepEqual(listing, ['Invoices.csv']);
    assert.deepEqual(
      execFileSync('unzip', ['-p', zip, 'Invoices.csv'], { maxBuffer: 1 << 28 }),
      readFileSync(csv),
    );
  });

  it('segments hold at most maxRows rows each, every one starting with the header', async () => {
    const { files } = await writeSegmentedFiles({
      rows: generated(25),
      header,
      types,
      options,
      format: 'csv',
      entryName: 's',
      maxRows: 10,
      pathFor: (i) => join(dir, `seg${i}.csv`),
    });
    assert.deepEqual(
      files.map((f) => f.rows),
      [10, 10, 5],
    );
    const all: string[][] = [];
    for (const f of files) {
      const recs: string[][] = parse(readFileSync(f.path));
      assert.deepEqual(recs[0], header);
      all.push(...recs.slice(1));
    }
    assert.deepEqual(
      all.map((r) => r[0]),
      Array.from({ length: 25 }, (_, i) => `id${i}`),
    );
  });

  it('an empty result is a header-only file', async () => {
    const path = join(dir, 'empty.csv');
    const r = await writeResultFile({
      rows: [],
      header,
      types,
      options,
      format: 'csv',
      entryName: 'e',
      path,
    });
    assert.equal(r.rows, 0);
    assert.equal(readFileSync(path, 'utf8'), `${header.join(',')}\n`);
  });

  it('an abort stops the export and removes the partial file', async () => {
    const path = join(dir, 'aborted.csv');
    const ctl = new AbortController();
    function* rows() {
      for (let i = 0; ; i++) {
        if (i === 50_000) ctl.abort();
        yield [`id${i}`, 'x', 1, 0];
      }
    }
    await assert.rejects(
      writeResultFile({
        rows: rows(),
        header,
        types,
        options,
        format: 'gzip',
        entryName: 'x',
        path,
        signal: ctl.signal,
      }),
      { name: 'AbortError' },
    );
    assert.equal(existsSync(path), false);
  });

  it('a failing row source removes the partial file', async () => {
    const path = join(dir, 'failed.csv');
    function* rows() {
      for (let i = 0; i < 100_000; i++) yield [`id${i}`, 'x', 1, 0];
      throw new Error('disk on fire');
    }
    await assert.rejects(
      writeResultFile({ rows: rows(), header, types, options, format: 'csv', entryName: 'x', path }),
      /disk on fire/,
    );
    assert.equal(existsSync(path), false);
  });

  it('text cells round-trip through a standard CSV parser and match csv-stringify byte for byte', async () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'Z', ',', '"', '\r', '\n', ' ', 'é', '中', '🙂', ';', "'"),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell), { maxLength: 20 }), async (rows) => {
        const path = join(dir, `p${n++}.csv`);
        await writeResultFile({
          rows,
          header: ['A', 'B', 'C'],
          types: ['string', 'string', 'string'],
          options,
          format: 'csv',
          entryName: 'p',
          path,
        });
        const text = readFileSync(path, 'utf8');
        // Empty strings are nulls' twin in CSV: compare as the parser gives them back.
        const parsed: string[][] = parse(text, { relax_column_count: false });
        assert.deepEqual(parsed, [['A', 'B', 'C'], ...rows]);
        assert.equal(text, stringify([['A', 'B', 'C'], ...rows], { quoted_match: /\r/ }));
        rmSync(path);
      }),
      { numRuns: 150 },
    );
  });
});
