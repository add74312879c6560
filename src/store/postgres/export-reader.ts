import type { Readable } from 'node:stream';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { interleaveLines } from '../../export/interleave-lines.ts';
import type { CsvLines } from '../../export/result-file.ts';
import { PG_COPY_SPLIT_MIN_BLOCKS, PG_COPY_SPLIT_MIN_ROWS, PG_FETCH_ROWS } from '../../limits.ts';
import { offsetMinutes } from '../../time/zone.ts';
import type { CsvFormat, ExportReader, ExportSnapshot } from '../export-reader.ts';
import { tenantSchema } from '../location.ts';
import { CURRENT_SEQ } from '../tenant/sql.ts';
import type { CompiledQuery } from '../types.ts';
import { CopyOut } from './copy-out.ts';
import { splittableQuery, withBlockRange } from './copy-split.ts';
import {
  type CopyPlan,
  copyCsvSql,
  inlineParams,
  sqlLiteral,
  ZONE_OFFSETS_SQL,
  ZONE_PROBES,
} from './copy-sql.ts';
import { rewritePlaceholders } from './placeholders.ts';

/** How export connections show in pg_stat_activity. */
const APPLICATION = 'openaqua export';

/** Idle connections a reader keeps for its next snapshots. */
const IDLE_CLIENTS = 1;

// The values the libpq adapter (postgres/db.ts) gives: integers and floats as numbers, bool as 0/1,
// everything else (numeric included) as the text PostgreSQL sends. Set per client, never globally.
const NUMBER_OIDS = [20, 21, 23, 26, 700, 701];
const BOOL_OID = 16;
const asText = (t: string): string => t;
const parsers = new Map<number, (t: string) => unknown>([
  ...NUMBER_OIDS.map((oid): [number, (t: string) => unknown] => [oid, Number]),
  [BOOL_OID, (t: string) => (t === 't' ? 1 : 0)],
]);
const TYPES = {
  getTypeParser: (oid: number) => parsers.get(oid) ?? asText,
} as unknown as pg.CustomTypesConfig;

/**
 * Session settings of every connection: the same text forms as the libpq adapter, floats in their
 * shortest round-trip form (COPY renders decimals from it), plain string literals, no JIT.
 */
function sessionSql(schema: string): string {
  return [
    `SET search_path TO "${schema}"`,
    "SET client_encoding = 'UTF8'",
    "SET datestyle = 'ISO'",
    "SET intervalstyle = 'iso_8601'",
    'SET extra_float_digits = 1',
    'SET standard_conforming_strings = on',
    "SET client_min_messages = 'warning'",
    // The rendering SQL looks costly to the planner, and compiling it takes longer than running it.
    'SET jit = off',
  ].join('; ');
}

/** A connection with what its snapshot left it in. */
interface Conn {
  readonly client: pg.Client;
  /** Dead, or in the middle of a read nobody will finish: it is closed, never reused. */
  broken: boolean;
}

/** A connection reading one part of a split export (PgExportReader.openPart). */
export type PartConn = Conn;

function kill(conn: Conn): void {
  conn.broken = true;
  conn.client.connection.stream.destroy();
}

/** Calls `onAbort` when `signal` aborts while `fn` runs. */
function whileRunning(signal: AbortSignal | undefined, onAbort: () => void): () => void {
  if (!signal) return () => undefined;
  if (signal.aborted) {
    onAbort();
    return () => undefined;
  }
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function toParam(v: unknown): unknown {
  return typeof v === 'bigint' ? v.toString() : v;
}

/**
 * Starts a `COPY ... TO STDOUT` on the connection: its bytes, and its row count, which arrives with the
 * command tag after the last byte (settled only once the stream has ended without error).
 */
function copyOut(conn: Conn, sql: string): { stream: Readable; rows: Promise<number> } {
  const stream = new CopyOut(sql);
  conn.client.query(stream);
  return { stream, rows: stream.rows };
}

/** CSV lines that also say in how many parts PostgreSQL wrote them. */
export interface PgCsvLines extends CsvLines {
  /**
   * 1, or 2 for a split export; a split export falls back to 1 when its second connection cannot be
   * opened, which is known once the lines are being read.
   */
  readonly parts: number;
}

class PgExportSnapshot implements ExportSnapshot {
  active = true;

  constructor(
    private readonly conn: Conn,
    private readonly reader: PgExportReader,
    readonly seq: number,
    readonly time: number,
  ) {}

  private check(): void {
    if (!this.active) throw new Error('the snapshot has ended');
    if (this.conn.broken) throw new Error('the snapshot lost its connection');
  }

  /** Row batches through a portal, the next batch asked for while the current one is written. */
  rows(query: CompiledQuery, signal?: AbortSignal): AsyncIterable<unknown[][]> {
    this.check();
    const conn = this.conn;
    const text = rewritePlaceholders(query.sql).text;
    const params = query.params.map(toParam);
    return {
      async *[Symbol.asyncIterator]() {
        const cursor = conn.client.query(new Cursor(text, params, { rowMode: 'array', types: TYPES }));
        const stop = whileRunning(signal, () => kill(conn));
        let done = false;
        try {
          let next = cursor.read(PG_FETCH_ROWS);
          for (;;) {
            const rows = await next;
            if (rows.length < PG_FETCH_ROWS) {
              done = true;
              if (rows.length > 0) yield rows;
              return;
            }
            next = cursor.read(PG_FETCH_ROWS);
            // A read left behind when the consumer stops fails with the connection; nobody waits for it.
            next.catch(() => undefined);
            yield rows;
          }
        } finally {
          stop();
          if (!done) kill(conn);
        }
      },
    };
  }

  async copyCsv(
    query: CompiledQuery,
    format: CsvFormat,
    signal?: AbortSignal,
  ): Promise<PgCsvLines | undefined> {
    this.check();
    const conn = this.conn;
    const inner = inlineParams(query.sql, query.params);
    const described = await conn.client.query({
      text: `SELECT * FROM (${inner}) AS "q" LIMIT 0`,
      rowMode: 'array',
    });
    const oids = described.fields.map((f) => f.dataTypeID);
    const plan = copyCsvSql(inner, oids, format.types, format.options);
    if ('unsupported' in plan) return undefined;
    if (plan.timeZone !== undefined) {
      if (!(await this.reader.knowsZone(conn.client, plan.timeZone))) return undefined;
      await conn.client.query("SELECT set_config('TimeZone', $1, true)", [plan.timeZone]);
    }
    const at = await this.reader.splitBlock(conn.client, inner);
    if (at === undefined) return this.whole(plan.sql, signal);
    const part = (from: number | undefined, below: number | undefined) =>
      copyCsvSql(withBlockRange(inner, from, below), oids, format.types, format.options) as CopyPlan;
    return this.split(plan.sql, part(undefined, at).sql, part(at, undefined).sql, plan.timeZone, signal);
  }

  /** The lines of one COPY on the snapshot's connection. */
  private whole(sql: string, signal: AbortSignal | undefined): PgCsvLines {
    let count: number | undefined;
    // The COPY starts when the lines are first read, so a writer that fails before leaves nothing running.
    const lines = copyLines(this.conn, sql, signal, (n) => {
      count = n;
    });
    return { lines, count: () => ended(count), parts: 1 };
  }

  /**
   * The lines of two COPYs of disjoint parts of the rows, run at once: the first on the snapshot's
   * connection, the second on another connection that imports the snapshot (`pg_export_snapshot`),
   * so it sees the same data. Their lines are interleaved as they arrive (interleaveLines), as the
   * workers of a parallel plan would give them. A failure of either part stops the other.
   */
  private split(
    whole: string,
    first: string,
    second: string,
    timeZone: string | undefined,
    signal: AbortSignal | undefined,
  ): PgCsvLines {
    const conn = this.conn;
    const reader = this.reader;
    let count: number | undefined;
    let parts = 2;
    async function* lines(): AsyncGenerator<Buffer> {
      const exported = await conn.client.query({ text: 'SELECT pg_export_snapshot()', rowMode: 'array' });
      let partConn: PartConn | undefined;
      try {
        partConn = await reader.openPart(String(exported.rows[0]?.[0]), timeZone);
      } catch {
        // No second connection (the server's connection limit, say): the export is read whole.
      }
      if (!partConn || signal?.aborted) {
        if (partConn) await reader.dropPart(partConn);
        parts = 1;
        yield* copyLines(conn, whole, signal, (n) => {
          count = n;
        });
        return;
      }
      const other = partConn;
      const stop = whileRunning(signal, () => {
        kill(conn);
        kill(other);
      });
      let finished = false;
      try {
        const a = copyOut(conn, first);
        const b = copyOut(other, second);
        yield* interleaveLines([a.stream, b.stream]);
        const [rowsA, rowsB] = await Promise.all([a.rows, b.rows]);
        await other.client.query('COMMIT');
        count = rowsA + rowsB;
        finished = true;
      } finally {
        stop();
        if (!finished) {
          kill(conn);
          kill(other);
        }
        await reader.dropPart(other, finished);
      }
    }
    return {
      lines: lines(),
      count: () => ended(count),
      get parts() {
        return parts;
      },
    };
  }
}

/**
 * The bytes of one COPY on the connection, then `done` with its row count. Ends the connection when
 * `signal` aborts, or when the lines stop before the COPY has ended.
 */
async function* copyLines(
  conn: Conn,
  sql: string,
  signal: AbortSignal | undefined,
  done: (rows: number) => void,
): AsyncGenerator<Buffer> {
  const { stream, rows } = copyOut(conn, sql);
  const stop = whileRunning(signal, () => kill(conn));
  let ended = false;
  try {
    for await (const chunk of stream) yield chunk as Buffer;
    done(await rows);
    ended = true;
  } finally {
    stop();
    if (!ended) kill(conn);
  }
}

/** Whether an EXPLAIN (FORMAT JSON) plan reads the base table "t0" with a TID range scan. */
function rangeScanned(plan: unknown): boolean {
  const nodes: unknown[] = [typeof plan === 'string' ? JSON.parse(plan) : plan];
  while (nodes.length > 0) {
    const n = nodes.pop();
    if (Array.isArray(n)) nodes.push(...n);
    else if (n !== null && typeof n === 'object') {
      const node = n as Record<string, unknown>;
      if (node['Node Type'] === 'Tid Range Scan' && node.Alias === 't0') return true;
      nodes.push(...Object.values(node));
    }
  }
  return false;
}

function ended(count: number | undefined): number {
  if (count === undefined) throw new Error('the COPY has not ended');
  return count;
}

/** When an export's COPY is split in two parts: thresholds on its base table. */
export interface PgExportReaderOptions {
  /** Split when the base table holds at least this many rows (pg_class.reltuples)... */
  readonly splitMinRows?: number;
  /** ...or blocks. */
  readonly splitMinBlocks?: number;
}

/**
 * Export reads of one tenant's PostgreSQL schema over the asynchronous `pg` driver, for job worker
 * threads. A snapshot is a REPEATABLE READ READ ONLY transaction on one connection; its first read is
 * the change counter, so `seq` and every row agree (as in the tenant store's own snapshots). A large
 * export whose CSV COPY writes is read in two halves of its base table at once, the second on a
 * connection of its own that imports the snapshot (PostgreSQL runs each statement on one core).
 */
export class PgExportReader implements ExportReader {
  readonly dialect = 'postgres' as const;
  private readonly schema: string;
  private readonly idle: Conn[] = [];
  private readonly zones = new Map<string, boolean>();
  private closed = false;
  private readonly splitMinRows: number;
  private readonly splitMinBlocks: number;

  constructor(
    private readonly url: string,
    tenantId: string,
    options: PgExportReaderOptions = {},
  ) {
    this.schema = tenantSchema(tenantId);
    this.splitMinRows = options.splitMinRows ?? PG_COPY_SPLIT_MIN_ROWS;
    this.splitMinBlocks = options.splitMinBlocks ?? PG_COPY_SPLIT_MIN_BLOCKS;
  }

  private async connect(): Promise<Conn> {
    const client = new pg.Client({ connectionString: this.url, types: TYPES, application_name: APPLICATION });
    const conn: Conn = { client, broken: false };
    // A connection that fails while idle or mid-read is retired; the read in flight reports the error.
    const retire = () => {
      conn.broken = true;
    };
    client.on('error', retire);
    client.on('end', retire);
    await client.connect();
    try {
      await client.query(sessionSql(this.schema));
    } catch (e) {
      await client.end().catch(() => undefined);
      throw e;
    }
    return conn;
  }

  private async acquire(): Promise<Conn> {
    if (this.closed) throw new Error('the export reader is closed');
    for (let c = this.idle.pop(); c; c = this.idle.pop()) if (!c.broken) return c;
    return this.connect();
  }

  private async release(conn: Conn): Promise<void> {
    if (conn.broken || this.closed || this.idle.length >= IDLE_CLIENTS) {
      if (conn.broken) conn.client.connection.stream.destroy();
      else await conn.client.end().catch(() => undefined);
      return;
    }
    this.idle.push(conn);
  }

  /**
   * Whether PostgreSQL writes datetimes in `zone` as the formatter does: the name is in its time zone
   * database (not read as a POSIX rule), and its offsets agree with this runtime's (whose time zone
   * data may be of another release) at weekly instants from 1973 to 2040.
   */
  async knowsZone(client: pg.Client, zone: string): Promise<boolean> {
    let known = this.zones.get(zone);
    if (known === undefined) {
      const named = await client.query({
        text: 'SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1)',
        values: [zone],
        rowMode: 'array',
      });
      known = named.rows[0]?.[0] === 1 && (await this.offsetsAgree(client, zone));
      this.zones.set(zone, known);
    }
    return known;
  }

  private async offsetsAgree(client: pg.Client, zone: string): Promise<boolean> {
    const r = await client.query({ text: ZONE_OFFSETS_SQL, values: [zone], rowMode: 'array' });
    const theirs = String(r.rows[0]?.[0] ?? '{}')
      .slice(1, -1)
      .split(',')
      .map(Number);
    const { from, to, step } = ZONE_PROBES;
    let i = 0;
    for (let s = from; s <= to; s += step, i++)
      if (theirs[i] !== offsetMinutes(s * 1000, zone) * 60) return false;
    return i === theirs.length;
  }

  /**
   * The block where the second part of an export of `sql` starts, when it is worth splitting in two:
   * its rows come one per row of a base table (splittableQuery) of at least `splitMinRows` rows or
   * `splitMinBlocks` blocks, and PostgreSQL plans to read a part as a range of blocks (a TID range
   * scan, from version 14 on). A query it reads through an index instead (a narrow where clause)
   * stays whole: each part would walk the whole index.
   */
  async splitBlock(client: pg.Client, sql: string): Promise<number | undefined> {
    const q = splittableQuery(sql);
    if (!q) return undefined;
    const r = await client.query({
      text: `SELECT c.reltuples, pg_relation_size(c.oid) / current_setting('block_size')::int,
        current_setting('server_version_num')::int FROM pg_class AS c WHERE c.oid = to_regclass($1) AND c.relkind = 'r'`,
      values: [q.table],
      rowMode: 'array',
    });
    const row = r.rows[0];
    if (!row) return undefined;
    const [tuples, blocks, version] = row.map(Number) as [number, number, number];
    if (version < 140_000 || blocks < 2) return undefined;
    if (tuples < this.splitMinRows && blocks < this.splitMinBlocks) return undefined;
    const at = Math.ceil(blocks / 2);
    const plan = await client.query({
      text: `EXPLAIN (FORMAT JSON) ${withBlockRange(sql, undefined, at)}`,
      rowMode: 'array',
    });
    return rangeScanned(plan.rows[0]?.[0]) ? at : undefined;
  }

  /**
   * A connection of its own in a transaction that imports the snapshot `snapshotId` (whose transaction
   * must stay open meanwhile), its session in `timeZone`, for one part of an export; end it with
   * `dropPart`.
   */
  async openPart(snapshotId: string, timeZone: string | undefined): Promise<PartConn> {
    const conn = await this.acquire();
    try {
      await conn.client.query(
        `BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT ${sqlLiteral(snapshotId)}`,
      );
      if (timeZone !== undefined)
        await conn.client.query("SELECT set_config('TimeZone', $1, true)", [timeZone]);
      return conn;
    } catch (e) {
      conn.broken = true;
      await this.release(conn);
      throw e;
    }
  }

  /**
   * Gives back a part's connection: kept for reuse when its transaction ended (`reusable`), closed
   * otherwise.
   */
  async dropPart(conn: PartConn, reusable = false): Promise<void> {
    conn.broken ||= !reusable;
    await this.release(conn);
  }

  /** Starts the snapshot's transaction and reads its seq; a failing idle connection is replaced once. */
  private async begin(): Promise<{ conn: Conn; seq: number }> {
    for (let tries = 0; ; tries++) {
      const reused = this.idle.length > 0;
      const conn = await this.acquire();
      try {
        await conn.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const r = await conn.client.query({ text: CURRENT_SEQ, rowMode: 'array' });
        return { conn, seq: Number(r.rows[0]?.[0] ?? 0) };
      } catch (e) {
        // A connection kept idle may have been ended by the server meanwhile: try once on a new one.
        conn.broken ||= reused;
        await this.end(conn, undefined, 'ROLLBACK');
        if (!reused || tries > 0) throw e;
      }
    }
  }

  async snapshot<T>(fn: (snap: ExportSnapshot) => Promise<T>): Promise<T> {
    const { conn, seq } = await this.begin();
    let snap: PgExportSnapshot | undefined;
    let result: T;
    try {
      snap = new PgExportSnapshot(conn, this, seq, Date.now());
      result = await fn(snap);
    } catch (e) {
      await this.end(conn, snap, 'ROLLBACK');
      throw e;
    }
    await this.end(conn, snap, 'COMMIT');
    return result;
  }

  /** Ends the snapshot's transaction; a connection that cannot is closed instead. */
  private async end(
    conn: Conn,
    snap: PgExportSnapshot | undefined,
    how: 'COMMIT' | 'ROLLBACK',
  ): Promise<void> {
    if (snap) snap.active = false;
    if (!conn.broken) {
      try {
        await conn.client.query(how);
      } catch {
        conn.broken = true;
      }
    }
    await this.release(conn);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((c) => c.client.end().catch(() => undefined)));
  }
}

/**
 * The export reader of a tenant's schema in the PostgreSQL database at `url`. Connects on first use.
 * @example const reader = openPgExportReader('postgres://u:p@db:5432/aqua', tenantId);
 */
export function openPgExportReader(
  url: string,
  tenantId: string,
  options?: PgExportReaderOptions,
): PgExportReader {
  return new PgExportReader(url, tenantId, options);
}
