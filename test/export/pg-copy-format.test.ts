import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { ExportOptions } from '../../src/export/index.ts';
import type { FieldType } from '../../src/schema/index.ts';
import { openPgExportReader, type PgExportReader } from '../../src/store/postgres/export-reader.ts';
import { testServerUrl } from '../support/postgres.ts';
import { bothPaths, type RawTenant, rawTenant } from './pg-fixtures.ts';

const pg = await testServerUrl();

/**
 * Columns of every field type, each stored as the PostgreSQL tenant store keeps it or selected as the
 * compiler selects it, plus the other PostgreSQL types a query may give a column of that field type.
 */
const COLUMNS: readonly { name: string; ddl: string; select: string; type: FieldType }[] = [
  { name: 'id', ddl: 'TEXT COLLATE "C"', select: '"id"', type: 'ID' },
  { name: 's', ddl: 'TEXT COLLATE "C"', select: '"s"', type: 'string' },
  { name: 'p', ddl: 'TEXT COLLATE "C"', select: '"p"', type: 'picklist' },
  { name: 'd', ddl: 'TEXT COLLATE "C"', select: '"d"', type: 'date' },
  { name: 'dec', ddl: 'NUMERIC', select: 'CAST("dec" AS DOUBLE PRECISION)', type: 'decimal' },
  { name: 'num', ddl: 'NUMERIC', select: '"num"', type: 'decimal' },
  { name: 'dtxt', ddl: 'TEXT', select: '"dtxt"', type: 'decimal' },
  { name: 'flt', ddl: 'DOUBLE PRECISION', select: '"flt"', type: 'decimal' },
  { name: 'i', ddl: 'BIGINT', select: '"i"', type: 'integer' },
  { name: 'b', ddl: 'SMALLINT', select: '"b"', type: 'boolean' },
  { name: 'bo', ddl: 'BOOLEAN', select: '"bo"', type: 'boolean' },
  { name: 'dt', ddl: 'BIGINT', select: '"dt"', type: 'dateTime' },
];
const DDL = `CREATE TABLE "t" ("k" INTEGER PRIMARY KEY, "del" INTEGER, ${COLUMNS.map((c) => `"${c.name}" ${c.ddl}`).join(', ')})`;
const TYPES = COLUMNS.map((c) => c.type);

function query(deleted: boolean, columns = COLUMNS) {
  const select = [...(deleted ? ['"del"'] : []), ...columns.map((c) => c.select)];
  return { sql: `SELECT ${select.join(', ')} FROM "t" WHERE "k" >= ? ORDER BY "k"`, params: [0] };
}

const ZONES = [
  'America/Los_Angeles',
  'Asia/Kolkata',
  'UTC',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Africa/Monrovia',
  'Europe/Dublin',
];

const awkward = fc.constantFrom(
  '',
  ',',
  '"',
  '""',
  '\r',
  '\n',
  '\r\n',
  '\\.',
  '\\',
  ' ',
  "'",
  'NULL',
  '\\N',
  'a,b',
  'say "hi"',
  'Zoë Müller',
  '日本語',
  '😀',
);
const text = fc
  .array(fc.oneof(awkward, fc.string({ unit: 'grapheme', maxLength: 3 })), { maxLength: 4 })
  .map((parts) => parts.join('').replaceAll('\0', ''));

/** Decimal text with at most 15 significant digits, as the store keeps decimals. */
const storedDecimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 12 }))
  .map(([digits, scale]) => decimalString(digits, scale));
/** Any exact decimal, trailing zeros and all. */
const exactDecimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: 0, max: 30 }))
  .map(([digits, scale]) => decimalString(digits, scale));

function decimalString(digits: bigint, scale: number): string {
  const neg = digits < 0n;
  const abs = (neg ? -digits : digits).toString().padStart(scale + 1, '0');
  const int = abs.slice(0, abs.length - scale);
  return `${neg ? '-' : ''}${int}${scale > 0 ? `.${abs.slice(abs.length - scale)}` : ''}`;
}

/** Text an exact aggregate might hold, and text that is no number at all. */
const decimalText = fc.oneof(
  exactDecimal,
  fc
    .tuple(
      fc.constantFrom('', '+', '-'),
      fc.stringMatching(/^[0-9]{0,6}$/),
      fc.constantFrom('', '.'),
      fc.stringMatching(/^[0-9]{0,6}$/),
      fc.constantFrom('', 'e5', 'E-3', 'e+12', 'e0', 'e-40'),
    )
    .map((p) => p.join('')),
  fc
    .tuple(fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\ufeff', '\n'), exactDecimal)
    .map(([space, d]) => `${space}${d}${space}`),
  fc.constantFrom('NaN', 'Infinity', 'abc', '.', '-', '1e', '1.2.3', '٣', ''),
);

const DAY = 86_400_000;
/** Instants where clocks change or zones changed their rules, each give or take a few hours. */
const TRANSITIONS = [
  Date.UTC(2024, 2, 10, 10),
  Date.UTC(2024, 10, 3, 9),
  Date.UTC(2024, 3, 6, 15),
  Date.UTC(2024, 9, 5, 15, 30),
  Date.UTC(1973, 0, 1),
  Date.UTC(1883, 10, 18, 20),
  Date.UTC(1986, 0, 1),
  Date.UTC(2037, 10, 1, 9),
  Date.UTC(2100, 2, 14, 10),
  // Changes off the whole minute: Monrovia left -0:44:30, Dublin left and came back to Dublin Mean Time.
  Date.UTC(1972, 0, 7, 0, 44, 30),
  Date.UTC(1916, 4, 21, 2, 25, 21),
  Date.UTC(1916, 9, 1, 2, 25, 21),
];
/** Epoch ms of a UTC time in any year (Date.UTC reads the years 0-99 as 1900-1999). */
function utc(y: number, mo: number, d: number): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return t.getTime();
}
/** -0001-01-01 (2 BC), year 0 (1 BC), and the years 1-99 that `Date.UTC` cannot name. */
const EARLIEST = utc(-1, 1, 1);
const YEAR_100 = utc(100, 1, 1);
/** Instants in the years 0-99, where `Date.UTC` would read the year as 1900-1999. */
const EARLY_YEARS = [
  utc(1, 1, 2) + 16 * 3_600_000,
  utc(0, 3, 1),
  utc(12, 6, 30),
  utc(99, 12, 31) + DAY - 1000,
];
const instant = fc.oneof(
  fc.integer({ min: EARLIEST, max: 253_402_300_799_999 }),
  fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2100, 0, 1) }),
  fc
    .tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }))
    .map(([t, d]) => t + d),
  fc.tuple(fc.constantFrom(...TRANSITIONS), fc.integer({ min: -90_000, max: 90_000 })).map(([t, d]) => t + d),
  fc.integer({ min: EARLIEST, max: YEAR_100 + 2 * DAY }),
);

function nullable<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> {
  return fc.option(arb, { nil: null, freq: 5 });
}

const row = fc.tuple(
  fc.integer({ min: 0, max: 1 }),
  nullable(text),
  nullable(text),
  nullable(text),
  nullable(
    fc.oneof(
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      text,
    ),
  ),
  nullable(storedDecimal),
  nullable(exactDecimal),
  nullable(decimalText),
  nullable(fc.double()),
  nullable(fc.maxSafeInteger()),
  nullable(fc.constantFrom(0, 1, 1, 2, -1)),
  nullable(fc.boolean()),
  nullable(instant),
);

const options: fc.Arbitrary<ExportOptions> = fc.record(
  {
    timeZone: fc.constantFrom(...ZONES),
    dateTimeUtc: fc.boolean(),
    nullReplacement: fc.constantFrom('null', '', 'N/A', 'a,"b"', '\\.', ' ', '\n'),
    deleted: fc.constantFrom({ format: 'Numeric' as const }, { format: 'Boolean' as const }),
  },
  { requiredKeys: ['timeZone', 'dateTimeUtc'] },
);

function param(v: unknown): unknown {
  if (typeof v === 'number' && Object.is(v, -0)) return '-0';
  if (typeof v === 'number') return String(v);
  return v;
}

describe('COPY renders CSV byte for byte as the row formatter', {
  skip: 'skip' in pg ? pg.skip : false,
}, () => {
  let tenant: RawTenant;
  let reader: PgExportReader;
  before(async () => {
    tenant = await rawTenant((pg as { url: string }).url, 'CopyFormat1', DDL);
    reader = openPgExportReader(tenant.url, tenant.tenantId);
  });
  after(async () => {
    await reader?.close();
    await tenant?.drop();
  });

  async function load(rows: readonly (readonly unknown[])[]): Promise<void> {
    await tenant.client.query('TRUNCATE "t"');
    if (rows.length === 0) return;
    const width = rows[0]!.length + 1;
    const values = rows.map(
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
    );
    await tenant.client.query(
      `INSERT INTO "t" VALUES ${values.join(', ')}`,
      rows.flatMap((row, k) => [k, ...row.map(param)]),
    );
  }

  it('for random rows of every field type, zones, dateTimeUtc forms, null replacements and deleted flags', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 25 }), options, async (rows, opts) => {
        await load(rows);
        const out = await bothPaths(reader, query(opts.deleted !== undefined), TYPES, opts);
        assert.notEqual(out.copy, undefined, 'COPY declined');
        assert.equal(out.copy, out.js);
        assert.equal(out.rows, rows.length);
      }),
      { numRuns: 150 },
    );
  });

  it('for datetimes around clock changes and in the years 0 to 99 in every zone, in both dateTimeUtc forms', async () => {
    const rows = [...TRANSITIONS, ...EARLY_YEARS]
      .flatMap((t) => [-3_600_001, -1000, -1, 0, 1, 999, 1000, 1_799_999, 3_600_000].map((d) => t + d))
      .map((ms) => [0, null, null, null, null, null, null, null, null, null, null, null, ms]);
    await load(rows);
    const dt = COLUMNS.filter((c) => c.name === 'dt' || c.name === 'id');
    for (const timeZone of ZONES)
      for (const dateTimeUtc of [false, true]) {
        const opts = { timeZone, dateTimeUtc };
        const out = await bothPaths(reader, query(false, dt), ['ID', 'dateTime'], opts);
        assert.equal(out.copy, out.js, `${timeZone} ${dateTimeUtc}`);
      }
  });

  it('is declined for one column of free text, where COPY would quote a lone \\.', async () => {
    await load([[0, '\\.', null, null, null, '1.5', null, null, null, null, null, null, null]]);
    const id = COLUMNS.filter((c) => c.name === 'id');
    const one = await bothPaths(reader, query(false, id), ['ID'], { timeZone: 'UTC', dateTimeUtc: false });
    assert.equal(one.copy, undefined);
    assert.equal(one.js, '\\.\n');
    const dec = COLUMNS.filter((c) => c.name === 'dec');
    const two = await bothPaths(reader, query(false, dec), ['decimal'], {
      timeZone: 'UTC',
      dateTimeUtc: false,
      nullReplacement: 'x',
    });
    assert.equal(two.copy, '1.5\n');
    assert.equal(two.js, '1.5\n');
  });
});
