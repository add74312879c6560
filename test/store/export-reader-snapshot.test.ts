import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CsvLines } from '../../src/export/result-file.ts';
import type { ExportSnapshot } from '../../src/store/export-reader.ts';
import { openPgExportReader, type PgExportReader } from '../../src/store/postgres/export-reader.ts';
import { allRows, type RawTenant, rawTenant } from '../export/pg-fixtures.ts';
import { testServerUrl } from '../support/postgres.ts';

const pg = await testServerUrl();

const DDL = `CREATE TABLE "Account" ("Id" TEXT PRIMARY KEY, "Name" TEXT, "_seq" BIGINT NOT NULL)`;
const ALL = { sql: 'SELECT "Id", "Name", "_seq" FROM "Account" WHERE "_seq" > ? ORDER BY "Id"', params: [0] };
const OPTIONS = { timeZone: 'UTC', dateTimeUtc: false };

async function text(lines: CsvLines): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of lines.lines) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

describe('an export snapshot on PostgreSQL', { skip: 'skip' in pg ? pg.skip : false }, () => {
  let tenant: RawTenant;
  let reader: PgExportReader;
  let next = 0;
  before(async () => {
    tenant = await rawTenant((pg as { url: string }).url, 'SnapshotTest1', DDL);
    reader = openPgExportReader(tenant.url, tenant.tenantId);
  });
  after(async () => {
    await reader?.close();
    await tenant?.drop();
  });

  /** Commits `n` new accounts in one transaction stamped with the next change sequence number, as the store writes. */
  async function write(n: number): Promise<number> {
    const c = tenant.client;
    await c.query('BEGIN');
    const seq = Number(
      (await c.query('UPDATE "_change_counter" SET "seq" = "seq" + 1 WHERE "id" = 1 RETURNING "seq"')).rows[0]
        .seq,
    );
    await c.query(
      `INSERT INTO "Account" SELECT 'A' || lpad((g)::text, 8, '0'), 'name ' || g, $1 FROM generate_series($2::int, $3::int) AS g`,
      [seq, next, next + n - 1],
    );
    next += n;
    await c.query('COMMIT');
    return seq;
  }

  async function seen(snap: ExportSnapshot): Promise<{ ids: number; maxSeq: number }> {
    const rows = await allRows(snap.rows(ALL));
    return { ids: rows.length, maxSeq: Math.max(0, ...rows.map((r) => r[2] as number)) };
  }

  it('sees one moment in every batch while another connection writes, and its seq is that moment', async () => {
    await write(12_000);
    const seqBefore = await write(3);
    const count = next;
    await reader.snapshot(async (snap) => {
      assert.equal(snap.seq, seqBefore);
      // Writes committed after the snapshot began, between its batches and in the middle of one.
      await write(5);
      assert.deepEqual(await seen(snap), { ids: count, maxSeq: seqBefore });
      let batches = 0;
      for await (const batch of snap.rows(ALL) as AsyncIterable<unknown[][]>) {
        if (batches++ === 0) await write(7);
        for (const row of batch) assert.ok((row[2] as number) <= seqBefore);
      }
      assert.ok(batches > 1, 'the rows came in several batches');
      const copied = await snap.copyCsv!(ALL, { types: ['ID', 'string', 'integer'], options: OPTIONS });
      assert.ok(copied);
      const csv = await text(copied);
      await write(1);
      assert.equal(copied.count(), count);
      assert.equal(csv.split('\n').length - 1, count);
      assert.deepEqual(await seen(snap), { ids: count, maxSeq: seqBefore });
    });
    await reader.snapshot(async (snap) => {
      assert.equal(snap.seq, seqBefore + 3);
      assert.deepEqual(await seen(snap), { ids: next, maxSeq: seqBefore + 3 });
    });
  });

  it('does not see a write that was under way when it began and committed during it', async () => {
    const seqBefore = await write(1);
    const other = tenant.client;
    await other.query('BEGIN');
    await other.query('UPDATE "_change_counter" SET "seq" = "seq" + 1 WHERE "id" = 1');
    await other.query(`INSERT INTO "Account" VALUES ('Z-late', 'late', $1)`, [seqBefore + 1]);
    await reader.snapshot(async (snap) => {
      assert.equal(snap.seq, seqBefore);
      await other.query('COMMIT');
      const rows = await allRows(snap.rows(ALL));
      assert.equal(
        rows.some((r) => r[0] === 'Z-late'),
        false,
      );
    });
    await reader.snapshot(async (snap) => {
      assert.equal(snap.seq, seqBefore + 1);
      assert.equal((await allRows(snap.rows(ALL))).at(-1)?.[0], 'Z-late');
    });
  });

  it('reads values as the libpq adapter does: integers and floats as numbers, numeric as text, bool as 0/1', async () => {
    await reader.snapshot(async (snap) => {
      const rows = await allRows(
        snap.rows({
          sql: "SELECT CAST(? AS BIGINT), CAST(1.5 AS DOUBLE PRECISION), CAST('12.50' AS NUMERIC), true, false, CAST(2 AS SMALLINT), 'x', CAST(NULL AS TEXT), DATE '2024-02-29'",
          params: [9_007_199_254_740_991],
        }),
      );
      assert.deepEqual(rows, [[9_007_199_254_740_991, 1.5, '12.50', 1, 0, 2, 'x', null, '2024-02-29']]);
    });
  });

  it('ends cleanly when a read fails, and the next snapshot works', async () => {
    await assert.rejects(
      reader.snapshot(async (snap) => allRows(snap.rows({ sql: 'SELECT 1 / (? - 1)', params: [1] }))),
      /division by zero/,
    );
    await reader.snapshot(async (snap) => {
      assert.equal((await allRows(snap.rows({ sql: 'SELECT ?', params: ['ok'] })))[0]?.[0], 'ok');
    });
  });

  it('replaces an idle connection the server ended', async () => {
    await reader.snapshot(async () => undefined);
    const ended = await tenant.client.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'openaqua export' AND datname = current_database()",
    );
    assert.ok(ended.rowCount! > 0);
    await reader.snapshot(async (snap) => {
      assert.equal((await allRows(snap.rows({ sql: 'SELECT ?', params: ['ok'] })))[0]?.[0], 'ok');
    });
  });

  it('stops a read waiting on the database when aborted, and the next snapshot works', {
    timeout: 60_000,
  }, async () => {
    const ctl = new AbortController();
    const slow = reader.snapshot(async (snap) =>
      allRows(snap.rows({ sql: 'SELECT pg_sleep(?)', params: [3600] }, ctl.signal)),
    );
    setTimeout(() => ctl.abort(), 100);
    await assert.rejects(slow);
    await reader.snapshot(async (snap) => {
      assert.equal((await allRows(snap.rows({ sql: 'SELECT ?', params: ['ok'] })))[0]?.[0], 'ok');
    });
  });
});
