import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type ExportOptions, makeRowFormatter, writeCsvStream } from '../../src/export/index.ts';
import type { FieldType } from '../../src/schema/index.ts';

const types: FieldType[] = ['ID', 'decimal', 'dateTime', 'boolean', 'integer', 'string'];
const options: ExportOptions = { timeZone: 'America/Los_Angeles', dateTimeUtc: true, nullReplacement: 'N/A' };

/** Values drawn from small pools, so that consecutive rows often repeat a column's value or its null. */
const cell = [
  fc.constantFrom('a', 'b,c', '', 1, '1.0', null),
  fc.constantFrom(0, -0, 77.86, 1e21, '0.10', 12n, Number.NaN, null, undefined),
  fc.constantFrom(0, Date.UTC(2024, 2, 10, 10), Date.UTC(2024, 2, 10, 10) + 1, 'x', null),
  fc.constantFrom(1, 0, true, '1', null),
  fc.constantFrom(42, 42n, '42', null),
  fc.constantFrom('José', 'Acme "Inc"', 'line\nbreak', null),
];
const rowsArb = fc.array(fc.tuple(...cell), { maxLength: 30 });

async function streamed(rows: Iterable<readonly unknown[]>, header: string[], fieldTypes: FieldType[]) {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const r = await writeCsvStream({ rows, header, types: fieldTypes, options, out });
  return { ...r, text: Buffer.concat(chunks).toString('utf8') };
}

describe('rows with repeated values and long fields', () => {
  it('format each row as a formatter that saw no earlier row would', () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const shared = makeRowFormatter(types, options);
        for (const row of rows) assert.equal(shared(row), makeRowFormatter(types, options)(row));
      }),
      { numRuns: 300 },
    );
  });

  it('write the deleted flag column and the same value in two columns independently', () => {
    const row = makeRowFormatter(['decimal', 'string'], { ...options, deleted: { format: 'Boolean' } });
    assert.equal(row([1, 1, '1']), 'true,1,1\n');
    assert.equal(row([0, 1, null]), 'false,1,N/A\n');
    assert.equal(row([0, null, null]), 'false,N/A,N/A\n');
    assert.equal(row([1, 2.5, '1']), 'true,2.5,1\n');
  });

  it('write fields far longer than a write chunk, in any script, whole and in order', async () => {
    const long = ['x'.repeat(200_000), 'é'.repeat(70_000), '中🙂'.repeat(40_000), 'a,"b"'.repeat(30_000)];
    const rows = long.map((text, i) => [`id${i}`, text]);
    const r = await streamed(rows, ['Id', 'Text'], ['ID', 'string']);
    const quoted = (t: string) => (/[",\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t);
    const expected = `Id,Text\n${long.map((t, i) => `id${i},${quoted(t)}\n`).join('')}`;
    assert.equal(r.text, expected);
    assert.equal(r.rows, long.length);
    assert.equal(r.bytes, Buffer.byteLength(expected));
  });

  it('write many short rows of mixed scripts byte for byte', async () => {
    const words = ['plain', 'José', '中文', '🙂 ok', 'x'.repeat(5000)];
    const rows = Array.from({ length: 20_000 }, (_, i) => [`id${i}`, words[i % words.length]!]);
    const r = await streamed(rows, ['Id', 'Text'], ['ID', 'string']);
    const expected = `Id,Text\n${rows.map(([id, w]) => `${id},${w}\n`).join('')}`;
    assert.equal(r.text, expected);
    assert.equal(r.bytes, Buffer.byteLength(expected));
  });
});
