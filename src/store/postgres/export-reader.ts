import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import type { CsvLines } from '../../export/result-file.ts';
import { PG_FETCH_ROWS } from '../../limits.ts';
import { offsetMinutes } from '../../time/zone.ts';
import type { CsvFormat, ExportReader, ExportSnapshot } from '../export-reader.ts';
import { tenantSchema } from '../location.ts';
import { CURRENT_SEQ } from '../tenant/sql.ts';
import type { CompiledQuery } from '../types.ts';
import { copyCsvSql, inlineParams, ZONE_OFFSETS_SQL, ZONE_PROBES } from './copy-sql.ts';
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
  ): Promise<CsvLines | undefined> {
    this.check();
    const conn = this.conn;
    const inner = inlineParams(query.sql, query.params);
    const described = await conn.client.query({
      text: `SELECT * FROM (${inner}) AS "q" LIMIT 0`,
      rowMode: 'array',
    });
    const plan = copyCsvSql(
      inner,
      described.fields.map((f) => f.dataTypeID),
      format.types,
      format.options,
    );
    if ('unsupported' in plan) return undefined;
    if (plan.timeZone !== undefined) {
      if (!(await this.reader.knowsZone(conn.client, plan.timeZone))) return undefined;
      await conn.client.query("SELECT set_config('TimeZone', $1, true)", [plan.timeZone]);
    }
    let count: number | undefined;
    const sql = plan.sql;
    // The COPY starts when the lines are first read, so a writer that fails before leaves nothing running.
    async function* lines(): AsyncGenerator<Buffer> {
      const stream = copyStreams.to(sql) as copyStreams.CopyToStreamQuery & { handleReadyForQuery(): void };
      // The row count arrives with the command tag, after the last byte: wait for the end of the command.
      const ended = new Promise<void>((resolve) => {
        const base = stream.handleReadyForQuery.bind(stream);
        stream.handleReadyForQuery = () => {
          base();
          resolve();
        };
      });
      conn.client.query(stream);
      const stop = whileRunning(signal, () => kill(conn));
      let done = false;
      try {
        for await (const chunk of stream) yield chunk as Buffer;
        await ended;
        count = stream.rowCount;
        done = true;
      } finally {
        stop();
        if (!done) kill(conn);
      }
    }
    return {
      lines: lines(),
      count: () => {
        if (count === undefined) throw new Error('the COPY has not ended');
        return count;
      },
    };
  }
}

/**
 * Export reads of one tenant's PostgreSQL schema over the asynchronous `pg` driver, for job worker
 * threads. A snapshot is a REPEATABLE READ READ ONLY transaction on one connection; its first read is
 * the change counter, so `seq` and every row agree (as in the tenant store's own snapshots).
 */
export class PgExportReader implements ExportReader {
  readonly dialect = 'postgres' as const;
  private readonly schema: string;
  private readonly idle: Conn[] = [];
  private readonly zones = new Map<string, boolean>();
  private closed = false;

  constructor(
    private readonly url: string,
    tenantId: string,
  ) {
    this.schema = tenantSchema(tenantId);
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
export function openPgExportReader(url: string, tenantId: string): PgExportReader {
  return new PgExportReader(url, tenantId);
}
