import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { writeSegmentedFiles } from '../../src/export/index.ts';
import type { CsvLines } from '../../src/export/result-file.ts';
import { seedTenant } from '../../src/seed/index.ts';
import { compileQuery, openTenantStore, postgresDialect } from '../../src/store/index.ts';
import { storeLocation, tenantSchema } from '../../src/store/location.ts';
import {
  openPgExportReader,
  type PgCsvLines,
  type PgExportReader,
} from '../../src/store/postgres/export-reader.ts';
import type { CompiledQuery } from '../../src/store/types.ts';
import { analyze } from '../../src/zoql/index.ts';
import { createTestDatabase, type TestDatabase, testServerUrl } from '../support/postgres.ts';
import { type RawTenant, rawTenant } from './pg-fixtures.ts';

const pg0 = await testServerUrl();
const skip = 'skip' in pg0 ? pg0.skip : false;
const TENANT = 'CopySplit1';
const ZONE = 'America/Los_Angeles';
const NOW = Date.UTC(2025, 0, 15, 12);
/** Thresholds low enough that the seeded tables (a few hundred blocks at most) are split. */
const SPLIT_ALWAYS = { splitMinRows: 1, splitMinBlocks: 2 };
const ITEMS =
  'select Id, ChargeAmount, ChargeDate, ServiceStartDate, Quantity, UnitPrice, Invoice.InvoiceNumber, Invoice.InvoiceDate, ' +
  'Account.AccountNumber, Account.Name, BillToContact.FirstName, BillToContact.Country from InvoiceItem';

async function text(lines: CsvLines): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of lines.lines) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

/** CSV text cut into its lines (a line ends at a line feed outside quotes), sorted. */
function sortedLines(csv: string): string[] {
  const out: string[] = [];
  let quoted = false;
  let from = 0;
  for (let i = 0; i < csv.length; i++) {
    if (csv[i] === '"') quoted = !quoted;
    else if (csv[i] === '\n' && !quoted) {
      out.push(csv.slice(from, i + 1));
      from = i + 1;
    }
  }
  assert.equal(from, csv.length, 'the CSV ends inside a line');
  return out.sort();
}

/** Waits until no export connection runs a statement any more (a killed COPY ends when the server notices). */
async function noExportRunning(client: pg.Client): Promise<void> {
  for (let i = 0; ; i++) {
    const r = await client.query(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'openaqua export' AND state = 'active'",
    );
    if (r.rows[0].n === 0) return;
    if (i === 200) assert.fail(`${r.rows[0].n} export statements still running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a PostgreSQL COPY export split in two parts', { skip }, () => {
  let db: TestDatabase;
  let dir: string;
  let admin: pg.Client;
  let split: PgExportReader;
  let whole: PgExportReader;
  before(async () => {
    db = createTestDatabase((pg0 as { url: string }).url);
    dir = mkdtempSync(join(tmpdir(), 'openaqua-copy-split-'));
    const store = openTenantStore(storeLocation(dir, db.url), TENANT, { timeZone: ZONE });
    try {
      seedTenant(store, { accounts: 60, seed: 3 });
    } finally {
      store.close();
    }
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`SET search_path TO "${tenantSchema(TENANT)}"`);
    // With statistics the planner reads the invoice items by blocks, not through the index on
    // "_deleted_at" (an export is split only then).
    await admin.query('ANALYZE');
    split = openPgExportReader(db.url, TENANT, SPLIT_ALWAYS);
    whole = openPgExportReader(db.url, TENANT);
  });
  after(async () => {
    await split?.close();
    await whole?.close();
    await admin?.end();
    db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function compile(
    zoql: string,
    deleted = false,
  ): { compiled: CompiledQuery; types: ReturnType<typeof typesOf> } {
    const q = analyze(zoql, 'zoqlexport');
    const opts = deleted
      ? { now: NOW, timeZone: ZONE, deleted, includeDeleted: 'all' as const }
      : { now: NOW, timeZone: ZONE };
    return { compiled: compileQuery(q, opts, postgresDialect), types: typesOf(q) };
  }
  function typesOf(q: ReturnType<typeof analyze>) {
    return q.columns.map((c) => c.type);
  }

  /** The export's CSV and how it was read, by `reader` in a snapshot of its own. */
  async function exportOf(
    reader: PgExportReader,
    zoql: string,
    deleted = false,
  ): Promise<{ csv: string; rows: number; parts: number }> {
    const { compiled, types } = compile(zoql, deleted);
    const options = deleted
      ? { timeZone: ZONE, dateTimeUtc: false, deleted: { format: 'Numeric' as const } }
      : { timeZone: ZONE, dateTimeUtc: false };
    return reader.snapshot(async (snap) => {
      const lines = (await snap.copyCsv!(compiled, { types, options })) as PgCsvLines | undefined;
      assert.ok(lines, `COPY declined: ${zoql}`);
      const csv = await text(lines);
      return { csv, rows: lines.count(), parts: lines.parts };
    });
  }

  it('holds exactly the rows of the unsplit export: joins, a where clause, deleted rows', async () => {
    const blocks = await admin.query(`SELECT pg_relation_size('"InvoiceItem"') / 8192 AS n`);
    assert.ok(Number(blocks.rows[0].n) >= 4, 'the invoice item table is too small to split');
    const cases: [string, boolean][] = [
      [ITEMS, false],
      [ITEMS, true],
      ['select Id, ChargeAmount from InvoiceItem where ChargeAmount > 10 or Quantity = 1', false],
    ];
    for (const [zoql, deleted] of cases) {
      const a = await exportOf(split, zoql, deleted);
      const b = await exportOf(whole, zoql, deleted);
      assert.equal(a.parts, 2, zoql);
      assert.equal(b.parts, 1, zoql);
      assert.ok(b.rows > 0, zoql);
      assert.equal(a.rows, b.rows, zoql);
      assert.deepEqual(sortedLines(a.csv), sortedLines(b.csv), zoql);
    }
  });

  it('gives whole lines of either part as they come, never a line cut in two', async () => {
    const { compiled, types } = compile(ITEMS);
    const options = { timeZone: ZONE, dateTimeUtc: false };
    const { pieces, parts } = await split.snapshot(async (snap) => {
      const lines = (await snap.copyCsv!(compiled, { types, options })) as PgCsvLines;
      const pieces: string[] = [];
      for await (const chunk of lines.lines) pieces.push(chunk.toString('utf8'));
      return { pieces, parts: lines.parts };
    });
    assert.equal(parts, 2);
    assert.ok(pieces.length > 2, `${pieces.length} pieces`);
    // sortedLines fails on a piece that ends inside a line.
    const all = pieces.flatMap((p) => sortedLines(p)).sort();
    assert.deepEqual(all, sortedLines((await exportOf(whole, ITEMS)).csv));
  });

  it('is not split when rows are ordered, limited or grouped, read through an index, or the table is small', async () => {
    for (const zoql of [
      "select Id, ChargeAmount from InvoiceItem where Id = 'none'",
      'select Id, Name from Account order by Name',
      'select Id, Name from Account limit 7',
      'select Account.Name, count(Id) from InvoiceItem group by Account.Name',
      'select count(Id), sum(ChargeAmount) from InvoiceItem',
    ]) {
      const a = await exportOf(split, zoql);
      const b = await exportOf(whole, zoql);
      assert.equal(a.parts, 1, zoql);
      assert.equal(a.csv, b.csv, zoql);
    }
    // The seeded tables are far below the default thresholds.
    assert.equal((await exportOf(whole, ITEMS)).parts, 1);
  });

  it('cuts segments at line ends across the two parts', async () => {
    const { compiled, types } = compile(ITEMS);
    const options = { timeZone: ZONE, dateTimeUtc: false };
    const write = (reader: PgExportReader, name: string) =>
      reader.snapshot(async (snap) => {
        const lines = await snap.copyCsv!(compiled, { types, options });
        assert.ok(lines);
        return writeSegmentedFiles({
          rows: lines,
          header: types.map((_, i) => `c${i}`),
          types,
          options,
          format: 'csv',
          entryName: 'x',
          maxRows: 333,
          pathFor: (i) => join(dir, `${name}-${i}.csv`),
        });
      });
    const a = await write(split, 'split');
    const b = await write(whole, 'whole');
    const body = (files: { path: string }[]) =>
      files.flatMap((f) => sortedLines(readFileSync(f.path, 'utf8')).filter((l) => !l.startsWith('c0,')));
    assert.deepEqual(
      a.files.map((f) => f.rows),
      b.files.map((f) => f.rows),
    );
    assert.deepEqual(body(a.files).sort(), body(b.files).sort());
  });

  it('sees in both parts the snapshot of the job, not a write committed after it began', async () => {
    const before = await exportOf(whole, ITEMS);
    const { compiled, types } = compile(ITEMS);
    const options = { timeZone: ZONE, dateTimeUtc: false };
    const last = `(SELECT "Id" FROM "InvoiceItem" WHERE "_deleted_at" IS NULL ORDER BY ctid DESC LIMIT 1)`;
    const first = `(SELECT "Id" FROM "InvoiceItem" WHERE "_deleted_at" IS NULL ORDER BY ctid LIMIT 1)`;
    const during = await split.snapshot(async (snap) => {
      const lines = (await snap.copyCsv!(compiled, { types, options })) as PgCsvLines;
      assert.equal(lines.parts, 2);
      // Committed after the job's snapshot began and before the second part's transaction starts.
      await admin.query('BEGIN');
      await admin.query(`UPDATE "InvoiceItem" SET "ChargeAmount" = 4242.5 WHERE "Id" = ${last}`);
      await admin.query(`UPDATE "InvoiceItem" SET "_deleted_at" = 1 WHERE "Id" = ${first}`);
      await admin.query(
        `INSERT INTO "InvoiceItem" SELECT * FROM jsonb_populate_record(NULL::"InvoiceItem",
           (SELECT to_jsonb(i) || '{"Id": "new-item-1"}' FROM "InvoiceItem" AS i WHERE "Id" = ${last}))`,
      );
      await admin.query(`UPDATE "InvoiceItem" SET "Quantity" = 77 WHERE "_deleted_at" IS NULL`);
      await admin.query('COMMIT');
      return { csv: await text(lines), rows: lines.count() };
    });
    assert.equal(during.rows, before.rows);
    assert.deepEqual(sortedLines(during.csv), sortedLines(before.csv));
    const now = await exportOf(split, ITEMS);
    assert.notDeepEqual(sortedLines(now.csv), sortedLines(before.csv), 'the write changed nothing visible');
    assert.equal(now.rows, before.rows);
    assert.ok(now.csv.includes('new-item-1,'));
  });
});

/** A table of `n` rows with padding, so that it spans many blocks, and one row that COPY cannot render. */
// Blocks keep room, so that a row updated stays in its block.
const DDL = `CREATE TABLE "Item" ("k" INTEGER, "At" BIGINT, "Pad" TEXT) WITH (fillfactor = 70)`;
const ROWS = 3000;
const QUERY: CompiledQuery = {
  sql: 'SELECT "t0"."k", "t0"."At", "t0"."Pad" FROM "Item" AS "t0" WHERE "t0"."k" >= ?',
  params: [0],
};
const TYPES = ['integer', 'dateTime', 'string'] as const;
const OPTIONS = { timeZone: 'UTC', dateTimeUtc: false };
/** An instant too far out for PostgreSQL's timestamps: rendering it fails. */
const UNRENDERABLE = 9_000_000_000_000_000_000n;

describe('a split COPY export that fails or is abandoned', { skip }, () => {
  let tenant: RawTenant;
  let reader: PgExportReader;
  before(async () => {
    tenant = await rawTenant((pg0 as { url: string }).url, 'CopySplitFail1', DDL);
    await tenant.client.query(
      `INSERT INTO "Item" SELECT k, 1700000000000 + k, repeat('x', 200) FROM generate_series(1, $1::int) AS k`,
      [ROWS],
    );
    reader = openPgExportReader(tenant.url, tenant.tenantId, SPLIT_ALWAYS);
  });
  after(async () => {
    await reader?.close();
    await tenant?.drop();
  });

  /** Makes row `k` unrenderable for the duration of `fn` (the new row version stays in the block). */
  async function poisoned(k: number, fn: () => Promise<void>): Promise<void> {
    await tenant.client.query('UPDATE "Item" SET "At" = $1 WHERE "k" = $2', [String(UNRENDERABLE), k]);
    try {
      await fn();
    } finally {
      await tenant.client.query('UPDATE "Item" SET "At" = 1700000000000 + "k" WHERE "k" = $1', [k]);
    }
  }

  async function read(signal?: AbortSignal): Promise<{ parts: number; error?: Error; rows?: number }> {
    return reader.snapshot(async (snap) => {
      const lines = (await snap.copyCsv!(
        QUERY,
        { types: [...TYPES], options: OPTIONS },
        signal,
      )) as PgCsvLines;
      try {
        await text(lines);
        return { parts: lines.parts, rows: lines.count() };
      } catch (e) {
        return { parts: lines.parts, error: e as Error };
      }
    });
  }

  it('reads every row when nothing fails', async () => {
    const r = await read();
    assert.deepEqual(r, { parts: 2, rows: ROWS });
  });

  for (const [k, part] of [
    [ROWS, 'second'],
    [1, 'first'],
  ] as const) {
    it(`fails with the ${part} part's error and leaves no COPY running`, async () => {
      await poisoned(k, async () => {
        const where = await tenant.client.query(
          `SELECT (ctid::text::point)[0] AS block, pg_relation_size('"Item"') / 8192 AS blocks FROM "Item" WHERE "k" = $1`,
          [k],
        );
        const half = Math.ceil(Number(where.rows[0].blocks) / 2);
        assert.equal(
          Number(where.rows[0].block) >= half ? 'second' : 'first',
          part,
          'the row is not in that part',
        );
        const r = await read();
        assert.equal(r.parts, 2);
        assert.match(String(r.error?.message), /out of range/);
      });
      await noExportRunning(tenant.client);
      assert.deepEqual(await read(), { parts: 2, rows: ROWS });
    });
  }

  it('reads the export whole when no second connection can be opened', async () => {
    const role = `oa_split_${randomBytes(6).toString('hex')}`;
    const schema = tenantSchema(tenant.tenantId);
    await tenant.client.query(`CREATE ROLE "${role}" LOGIN PASSWORD 'split' CONNECTION LIMIT 1`);
    try {
      await tenant.client.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
      await tenant.client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA "${schema}" TO "${role}"`);
      const url = new URL(tenant.url);
      url.username = role;
      url.password = 'split';
      const limited = openPgExportReader(url.toString(), tenant.tenantId, SPLIT_ALWAYS);
      try {
        const r = await limited.snapshot(async (snap) => {
          const lines = (await snap.copyCsv!(QUERY, { types: [...TYPES], options: OPTIONS })) as PgCsvLines;
          const csv = await text(lines);
          return { parts: lines.parts, rows: lines.count(), lines: sortedLines(csv).length };
        });
        assert.deepEqual(r, { parts: 1, rows: ROWS, lines: ROWS });
      } finally {
        await limited.close();
      }
    } finally {
      await tenant.client.query(`DROP OWNED BY "${role}"`);
      await tenant.client.query(`DROP ROLE "${role}"`);
    }
  });

  it('stops both parts when aborted or left after the first bytes', async () => {
    for (const how of ['abort', 'leave'] as const) {
      const ac = new AbortController();
      await reader.snapshot(async (snap) => {
        const lines = (await snap.copyCsv!(
          QUERY,
          { types: [...TYPES], options: OPTIONS },
          ac.signal,
        )) as PgCsvLines;
        assert.equal(lines.parts, 2);
        const it = lines.lines[Symbol.asyncIterator]();
        assert.equal((await it.next()).done, false);
        if (how === 'abort') {
          ac.abort();
          await assert.rejects(async () => {
            for (let r = await it.next(); !r.done; r = await it.next());
          });
        } else await it.return?.();
      });
      await noExportRunning(tenant.client);
    }
    assert.deepEqual(await read(), { parts: 2, rows: ROWS });
  });
});
