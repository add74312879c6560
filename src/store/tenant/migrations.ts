import type { SyncDb } from '../db.ts';
import { tenantDdl } from './ddl.ts';
import type { TenantDialect } from './dialect.ts';

interface Migration {
  readonly version: number;
  readonly statements: (dialect: TenantDialect) => readonly string[];
}

/** Every schema version of a tenant's data, in order. Never edit a released one: add the next. */
const MIGRATIONS: readonly Migration[] = [{ version: 1, statements: tenantDdl }];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings a tenant's tables to the newest schema version, each step in its own transaction. Two
 * processes opening a new tenant at once apply each step once: on SQLite the step's transaction takes
 * the write lock first; on PostgreSQL `lock` (a transaction-scoped advisory lock) serialises them,
 * and the version table is created under it too.
 */
export function migrate(db: SyncDb, dialect: TenantDialect, now: number, lock?: () => void): number {
  const create = `CREATE TABLE IF NOT EXISTS "_migrations" ("version" INTEGER PRIMARY KEY, "applied_at" ${dialect.integerType} NOT NULL)${dialect.tableOptions}`;
  const current = (): number =>
    db.prepare('SELECT coalesce(max("version"), 0) FROM "_migrations"').pluck().get() as number;
  let applied = 0;
  for (const m of MIGRATIONS) {
    db.transaction(() => {
      lock?.();
      db.exec(create);
      if (current() >= m.version) return;
      // One round trip for the whole step.
      db.exec(m.statements(dialect).join(';\n'));
      db.prepare('INSERT INTO "_migrations" ("version", "applied_at") VALUES (?, ?)').run(m.version, now);
      applied++;
    }, 'immediate');
  }
  return applied;
}
