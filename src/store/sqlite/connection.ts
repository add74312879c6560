import Database from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../limits.ts';
import { registerFunctions } from './functions.ts';

export type Db = Database.Database;

/**
 * Opens one connection to a tenant database: WAL (readers never block the writer), synchronous=NORMAL
 * (durable at checkpoints, never corrupt), a busy timeout for the write lock, and the custom SQL functions
 * compiled queries call.
 */
export function openConnection(file: string, opts: { readOnly?: boolean } = {}): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    if (opts.readOnly) db.pragma('query_only = ON');
    registerFunctions(db);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
