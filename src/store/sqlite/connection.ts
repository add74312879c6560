import { openSqliteDb, type SqliteDb } from './db.ts';
import { registerFunctions } from './functions.ts';

/**
 * Opens one connection to a tenant database file (WAL, busy timeout: see openSqliteDb) with the
 * custom SQL functions compiled queries call.
 */
export function openConnection(file: string, opts: { readOnly?: boolean } = {}): SqliteDb {
  const db = openSqliteDb(file, opts);
  try {
    registerFunctions(db.native);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
