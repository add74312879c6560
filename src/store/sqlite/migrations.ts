import type { Db } from './connection.ts';
import { tenantDdl } from './ddl.ts';

interface Migration {
  readonly version: number;
  readonly statements: () => readonly string[];
}

/** Every schema version of a tenant database, in order. Never edit a released one: add the next. */
const MIGRATIONS: readonly Migration[] = [{ version: 1, statements: tenantDdl }];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings a tenant database to the newest schema version, each step in its own transaction.
 * Taking the write lock first makes two processes opening a new file at once apply each step once.
 */
export function migrate(db: Db, now: number): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS "_migrations" ("version" INTEGER PRIMARY KEY, "applied_at" INTEGER NOT NULL) STRICT',
  );
  const current = db.prepare('SELECT coalesce(max("version"), 0) FROM "_migrations"').pluck();
  const record = db.prepare('INSERT INTO "_migrations" ("version", "applied_at") VALUES (?, ?)');
  let applied = 0;
  for (const m of MIGRATIONS) {
    db.transaction(() => {
      if ((current.get() as number) >= m.version) return;
      for (const sql of m.statements()) db.exec(sql);
      record.run(m.version, now);
      applied++;
    }).immediate();
  }
  return applied;
}
