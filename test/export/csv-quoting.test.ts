import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { csvField, csvLine, writeResultFile } from '../../src/export/index.ts';
import { tempDir, utc } from './fixtures.ts';

const dir = tempDir();
const awkward = fc.constantFrom(
  ',',
  '"',
  '""',
  '\r',
  '\n',
  '\r\n',
  ' ',
  '\t',
  'a',
  'Z',
  '0',
  'é',
  '中',
  '🙂',
  '👩‍👩‍👧',
  ';',
);
const text = fc
  .string({
    unit: fc.oneof(awkward, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
    maxLength: 12,
  })
  .map((s) => s.replaceAll('\0', ''));
const columns = ['A', 'B', 'C', 'D'];
const rowsArb = fc.array(fc.array(fc.option(text, { nil: null }), { minLength: 4, maxLength: 4 }), {
  maxLength: 25,
});

async function written(rows: (string | null)[][], name: string): Promise<string> {
  const path = join(dir, name);
  await writeResultFile({
    rows,
    header: columns,
    types: ['string', 'string', 'string', 'string'],
    options: utc,
    format: 'csv',
    entryName: name,
    path,
  });
  const out = readFileSync(path, 'utf8');
  rmSync(path);
  return out;
}

describe('CSV quoting', () => {
  it('quotes fields with a comma, a quote, CR or LF and doubles inner quotes', () => {
    assert.equal(csvField('plain text'), 'plain text');
    assert.equal(csvField('say "hi", then go'), '"say ""hi"", then go"');
    assert.equal(csvField('a\rb'), '"a\rb"');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField('"'), '""""');
    assert.equal(csvField(''), '');
    assert.equal(csvLine(['a', 'b,c', '']), 'a,"b,c",\n');
  });

  it('gives back every value and a full row through a standard parser', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const out = await written(rows, `r${n++}.csv`);
        const records: string[][] = parse(out, { relax_column_count: true });
        assert.deepEqual(records, [columns, ...rows.map((r) => r.map((v) => v ?? ''))]);
        for (const rec of records) assert.equal(rec.length, columns.length);
        assert.ok(out.endsWith('\n'));
      }),
      { numRuns: 200 },
    );
  });

  it('is byte-identical to csv-stringify for text cells', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(rowsArb, async (rows) => {
        const out = await written(rows, `s${n++}.csv`);
        // csv-stringify leaves a lone CR unquoted by default; RFC 4180 quotes it.
        const oracle = stringify([columns, ...rows.map((r) => r.map((v) => v ?? ''))], {
          quoted_match: /\r/,
        });
        assert.equal(out, oracle);
      }),
      { numRuns: 200 },
    );
  });

  it('writes UTF-8 without a byte order mark', async () => {
    const path = join(dir, 'bom.csv');
    await writeResultFile({
      rows: [['é🙂']],
      header: ['Name'],
      types: ['string'],
      options: utc,
      format: 'csv',
      entryName: 'bom',
      path,
    });
    assert.deepEqual([...readFileSync(path)], [...Buffer.from('Name\né🙂\n', 'utf8')]);
  });
});
