import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';

/** The part of the `libpq` addon's connection object the PostgreSQL adapter uses. */
export interface PQ {
  connectSync(conninfo: string): void;
  finish(): void;
  errorMessage(): string;
  exec(sql: string): void;
  execParams(sql: string, params: (string | null)[]): void;
  prepare(name: string, sql: string, nParams: number): void;
  execPrepared(name: string, params: (string | null)[]): void;
  resultStatus(): string;
  resultErrorMessage(): string;
  resultErrorFields(): { sqlState?: string } | undefined;
  ntuples(): number;
  nfields(): number;
  fname(col: number): string;
  ftype(col: number): number;
  getvalue(row: number, col: number): string;
  getisnull(row: number, col: number): boolean;
  cmdTuples(): string;
  clear(): void;
  transactionStatus(): number;
  putCopyData(chunk: Buffer): number;
  putCopyEnd(errorMessage?: string): number;
  getCopyData(async?: boolean): Buffer | number;
  getResult(): boolean;
  escapeIdentifier(name: string): string;
  escapeLiteral(value: string): string;
}

let ctor: (new () => PQ) | undefined;

/**
 * A new, unconnected libpq connection. libpq is an optional dependency (a native addon built against
 * the machine's PostgreSQL headers); without it the PostgreSQL store cannot be used, and this says how
 * to get it.
 */
export function newPQ(): PQ {
  // The addon registers each connection's socket with the main thread's event loop, which is not safe
  // from another thread: worker threads reach PostgreSQL through the asynchronous driver instead.
  if (!isMainThread) throw new Error('libpq connections are opened on the main thread only');
  if (!ctor) {
    try {
      ctor = createRequire(import.meta.url)('libpq') as new () => PQ;
    } catch (e) {
      throw new Error(
        'the PostgreSQL store needs the libpq addon, which is not installed: install the PostgreSQL client ' +
          "headers (Debian: apt-get install libpq-dev) and run 'npm rebuild libpq' (or 'npm ci' again)",
        { cause: e },
      );
    }
  }
  return new ctor();
}

const closing = new Set<PQ>();

/**
 * Closes a connection. The addon frees the socket's event-loop handle asynchronously, in the loop's next
 * close phase; until then the connection object must not be garbage-collected (its memory holds the
 * handle), so it is kept referenced for a moment.
 */
export function finishPQ(pq: PQ): void {
  pq.finish();
  closing.add(pq);
  setTimeout(() => closing.delete(pq), 1000).unref();
}
