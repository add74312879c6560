/**
 * The store's ports. The tenant store is written once (store/tenant/) over SQLite (store/sqlite/) or
 * PostgreSQL (store/postgres/).
 *
 * Encoding of values (what `rows()` yields per column of a compiled query, on either store):
 * - ID, string, picklist: string
 * - decimal: number (at most MAX_DECIMAL_DIGITS significant digits, so every stored value
 *   round-trips exactly; SQLite stores REAL, PostgreSQL NUMERIC, which raw SQL reads as exact text);
 *   exact aggregates (sum, avg) yield a decimal string
 * - integer: number; boolean: 0 | 1
 * - date: 'YYYY-MM-DD' string; dateTime: epoch milliseconds (number)
 * - null: null
 */

export type SqlValue = string | number | bigint | null;

/** A query ready for the database: SQL text plus bound parameters, never interpolated values. */
export interface CompiledQuery {
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

/** A record as JSON/CSV gives it: field name (any case) to value. */
export type RecordInput = Readonly<Record<string, unknown>>;

/** A record as the CRUD API returns it: canonical field names, JSON values. */
export type RecordOutput = Record<string, string | number | boolean | null>;

/** A consistent view of one tenant's data at one point of the change sequence. */
export interface Snapshot {
  /** The last change sequence number visible in this snapshot. */
  readonly seq: number;
  /** Wall-clock time (epoch ms) at which the snapshot was taken. */
  readonly time: number;
  /** Streams the rows of a compiled query as arrays, one element per selected column. */
  rows(query: CompiledQuery): IterableIterator<unknown[]>;
  /**
   * The lowest and highest physical row numbers of an object's table in this snapshot (deleted rows
   * included), whose ranges split an export into parts (CompileOptions `rowRange`); undefined when the
   * table is empty or the store has no row numbers.
   */
  rowIdRange(object: string): { readonly min: number; readonly max: number } | undefined;
}

export interface LoadResult {
  inserted: number;
  updated: number;
}

/**
 * A load fed one record at a time and applied at once, for input read as a stream (a CSV file):
 * every record is validated as it is added, nothing is visible until `commit`, and `commit` applies
 * all of it in one transaction with one change sequence number.
 */
export interface LoadSession {
  /** Validates one record and sets it aside. Throws RecordError for a bad value or field. */
  add(record: RecordInput): void;
  /** Upserts every added record by Id (missing Id: create) in one transaction. */
  commit(): LoadResult;
  /** Drops every added record; nothing is written. */
  abort(): void;
}

/** One tenant's billing data, with change tracking. */
export interface TenantStore {
  readonly tenant: string;
  /** Creates a record; returns its Id (generated unless given). Stamps CreatedDate/UpdatedDate. */
  create(object: string, values: RecordInput): string;
  /** Changes fields of a live record. Throws RecordError('INVALID_ID') when there is none. */
  update(object: string, id: string, values: RecordInput): void;
  /** Soft-deletes a live record. Throws RecordError('INVALID_ID') when there is none. */
  delete(object: string, id: string): void;
  /** A live record by Id, or undefined. */
  get(object: string, id: string): RecordOutput | undefined;
  /** Upserts many records by Id in one transaction (missing Id: create). */
  load(object: string, records: Iterable<RecordInput>): LoadResult;
  /** Starts a load fed record by record (see LoadSession). Other writes may proceed until `commit`. */
  beginLoad(object: string): LoadSession;
  /** Runs `fn` inside one read snapshot. */
  snapshot<T>(fn: (snap: Snapshot) => T): T;
  /** Removes soft-deleted records deleted before `beforeMs`. Returns how many. */
  purgeDeleted(beforeMs: number): number;
  close(): void;
}
