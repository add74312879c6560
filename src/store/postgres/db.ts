import { PG_FETCH_ROWS } from '../../limits.ts';
import {
  type BindArgs,
  type BindValue,
  type Row,
  type RunResult,
  type Statement,
  type SyncDb,
  type TransactionMode,
  UniqueViolation,
} from '../db.ts';
import { finishPQ, newPQ, type PQ } from './libpq.ts';
import { type Rewritten, rewritePlaceholders } from './placeholders.ts';

type Mode = 'rows' | 'pluck' | 'raw';

/** A failed PostgreSQL command, with its SQLSTATE. */
export class PgError extends Error {
  override readonly name = 'PgError';
  constructor(
    message: string,
    readonly sqlState: string | undefined,
  ) {
    super(message);
  }
}

// Type OIDs whose text form becomes a JS number; numeric stays text (exact), bool becomes 0/1 as in SQLite.
const NUMERIC_OIDS = new Set([20, 21, 23, 26, 700, 701]);
const BOOL_OID = 16;

type Convert = (text: string) => unknown;
const asNumber: Convert = (t) => Number(t);
const asBool: Convert = (t) => (t === 't' ? 1 : 0);
const asText: Convert = (t) => t;

function converterOf(oid: number): Convert {
  if (NUMERIC_OIDS.has(oid)) return asNumber;
  if (oid === BOOL_OID) return asBool;
  return asText;
}

function toParam(v: BindValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') return String(v);
  // libpq passes C strings: a NUL would silently cut the value short.
  if (v.includes('\0')) throw new Error('a value bound to PostgreSQL may not contain the NUL character');
  return v;
}

class PgStatement<R> implements Statement<R> {
  constructor(
    private readonly db: PgDb,
    private readonly sql: string,
    private readonly plan: Rewritten,
    private readonly mode: Mode,
  ) {}

  private params(args: BindArgs): (string | null)[] {
    if (this.plan.names.length > 0) {
      const named = (args[0] ?? {}) as Readonly<Record<string, BindValue>>;
      return this.plan.names.map((n) => {
        if (!(n in named)) throw new Error(`missing value for @${n}`);
        return toParam(named[n]);
      });
    }
    if (args.length !== this.plan.count)
      throw new Error(`SQL needs ${this.plan.count} values, got ${args.length}: ${this.sql}`);
    return (args as readonly BindValue[]).map(toParam);
  }

  run(...args: BindArgs): RunResult {
    this.db.execute(this.sql, this.plan.text, this.params(args));
    const n = this.db.pq.cmdTuples();
    return { changes: n === '' ? 0 : Number(n) };
  }

  get(...args: BindArgs): R | undefined {
    this.db.execute(this.sql, this.plan.text, this.params(args));
    return this.db.readRows<R>(this.mode, 1)[0];
  }

  all(...args: BindArgs): R[] {
    this.db.execute(this.sql, this.plan.text, this.params(args));
    return this.db.readRows<R>(this.mode, Number.POSITIVE_INFINITY);
  }

  iterate(...args: BindArgs): IterableIterator<R> {
    const params = this.params(args);
    if (!this.db.inTransaction) return this.all(...args)[Symbol.iterator]();
    return this.db.cursor<R>(this.plan.text, params, this.mode);
  }

  pluck<T = unknown>(): Statement<T> {
    return new PgStatement<T>(this.db, this.sql, this.plan, 'pluck');
  }

  raw(): Statement<unknown[]> {
    return new PgStatement<unknown[]>(this.db, this.sql, this.plan, 'raw');
  }
}

/**
 * A PostgreSQL connection behind the SyncDb interface, over libpq's synchronous calls. Each SQL text is
 * prepared once per connection. `schema` (when given) is created if needed and set as the search path, so
 * unqualified table names mean that schema's tables.
 * @example const db = openPgDb('postgres://u:p@127.0.0.1:5432/aqua', { schema: 'openaqua' });
 */
export class PgDb implements SyncDb {
  readonly dialect = 'postgres' as const;
  readonly pq: PQ;
  private readonly prepared = new Map<string, string>();
  private readonly plans = new Map<string, Rewritten>();
  private depth = 0;
  private cursors = 0;
  private closed = false;

  constructor(readonly url: string) {
    this.pq = newPQ();
    this.pq.connectSync(url);
    try {
      this.exec(
        "SET client_encoding = 'UTF8'; SET datestyle = 'ISO'; SET intervalstyle = 'iso_8601'; SET client_min_messages = 'warning'",
      );
    } catch (e) {
      this.close();
      throw e;
    }
  }

  prepare<R = Row>(sql: string): Statement<R> {
    let plan = this.plans.get(sql);
    if (!plan) {
      plan = rewritePlaceholders(sql);
      this.plans.set(sql, plan);
    }
    return new PgStatement<R>(this, sql, plan, 'rows');
  }

  /** Runs one prepared command; its result stays on the connection for readRows. */
  execute(sql: string, text: string, params: (string | null)[]): void {
    let name = this.prepared.get(sql);
    if (name === undefined) {
      name = `s${this.prepared.size + 1}`;
      this.pq.prepare(name, text, params.length);
      this.check(text);
      this.prepared.set(sql, name);
    }
    this.pq.execPrepared(name, params);
    this.check(text);
  }

  /** Rows of the current result, at most `limit`. */
  readRows<R>(mode: Mode, limit: number): R[] {
    const pq = this.pq;
    const n = Math.min(pq.ntuples(), limit);
    const width = pq.nfields();
    const convert: Convert[] = [];
    for (let c = 0; c < width; c++) convert.push(converterOf(pq.ftype(c)));
    const out: R[] = [];
    if (mode === 'pluck') {
      const f = convert[0] ?? asText;
      for (let r = 0; r < n; r++) out.push((pq.getisnull(r, 0) ? null : f(pq.getvalue(r, 0))) as R);
    } else if (mode === 'raw') {
      for (let r = 0; r < n; r++) {
        const row = new Array<unknown>(width);
        for (let c = 0; c < width; c++) row[c] = pq.getisnull(r, c) ? null : convert[c]!(pq.getvalue(r, c));
        out.push(row as R);
      }
    } else {
      const names: string[] = [];
      for (let c = 0; c < width; c++) names.push(pq.fname(c));
      for (let r = 0; r < n; r++) {
        const row: Row = {};
        for (let c = 0; c < width; c++)
          row[names[c]!] = pq.getisnull(r, c) ? null : convert[c]!(pq.getvalue(r, c));
        out.push(row as R);
      }
    }
    pq.clear();
    return out;
  }

  /** Streams a query's rows through a server-side cursor, PG_FETCH_ROWS at a time. */
  *cursor<R>(text: string, params: (string | null)[], mode: Mode): IterableIterator<R> {
    const name = `c${++this.cursors}`;
    this.pq.execParams(`DECLARE ${name} NO SCROLL CURSOR FOR ${text}`, params);
    this.check(text);
    let open = true;
    try {
      for (;;) {
        this.pq.exec(`FETCH ${PG_FETCH_ROWS} FROM ${name}`);
        this.check(`FETCH FROM ${name}`);
        const rows = this.readRows<R>(mode, Number.POSITIVE_INFINITY);
        if (rows.length === 0) break;
        yield* rows;
      }
    } finally {
      // A cursor abandoned mid-way is closed, unless its transaction already ended.
      if (open && this.inTransaction && !this.closed) {
        open = false;
        this.pq.exec(`CLOSE ${name}`);
        this.pq.clear();
      }
    }
  }

  exec(sql: string): void {
    this.pq.exec(sql);
    this.check(sql);
    this.pq.clear();
  }

  transaction<T>(fn: () => T, mode: TransactionMode = 'deferred'): T {
    const outer = this.depth === 0;
    const savepoint = `sp${this.depth}`;
    this.exec(
      outer
        ? mode === 'snapshot'
          ? 'BEGIN ISOLATION LEVEL REPEATABLE READ'
          : 'BEGIN'
        : `SAVEPOINT ${savepoint}`,
    );
    this.depth++;
    let result: T;
    try {
      result = fn();
      if (result && typeof (result as { then?: unknown }).then === 'function')
        throw new Error('a transaction body must be synchronous');
    } catch (e) {
      this.depth--;
      if (!this.closed) this.exec(outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
      throw e;
    }
    this.depth--;
    this.exec(outer ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
    return result;
  }

  get inTransaction(): boolean {
    // 2 = in a transaction, 3 = in a failed one (libpq's PQtransactionStatus).
    const s = this.pq.transactionStatus();
    return s === 2 || s === 3;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    finishPQ(this.pq);
  }

  private check(sql: string): void {
    const status = this.pq.resultStatus();
    if (
      status === 'PGRES_FATAL_ERROR' ||
      status === 'PGRES_BAD_RESPONSE' ||
      status === 'PGRES_NONFATAL_ERROR'
    ) {
      const sqlState = this.pq.resultErrorFields()?.sqlState;
      const message = this.pq.resultErrorMessage().trim() || this.pq.errorMessage().trim();
      this.pq.clear();
      if (sqlState === '23505') throw new UniqueViolation(message);
      throw new PgError(`${message} (in: ${sql.slice(0, 200)})`, sqlState);
    }
  }
}

/**
 * Connects to PostgreSQL. With `schema`, the schema is created when missing and becomes the search path.
 * @example const meta = openPgDb(url, { schema: 'openaqua' });
 */
export function openPgDb(url: string, opts: { schema?: string } = {}): PgDb {
  const db = new PgDb(url);
  try {
    if (opts.schema !== undefined) {
      const s = db.pq.escapeIdentifier(opts.schema);
      try {
        db.exec(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      } catch (e) {
        // Two processes creating the schema at once: the loser sees a unique violation; the schema exists.
        if (!(e instanceof UniqueViolation)) throw e;
      }
      db.exec(`SET search_path TO ${s}`);
    }
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
