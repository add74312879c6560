import Database from 'better-sqlite3';
import { type CompileOptions, compileSqlite } from '../../src/store/sqlite/compile.ts';
import { quoteIdent, tenantDdl } from '../../src/store/sqlite/ddl.ts';
import { registerFunctions } from '../../src/store/sqlite/functions.ts';
import type { SqlValue } from '../../src/store/types.ts';
import { analyze, type QueryLanguage } from '../../src/zoql/index.ts';

/** A fixed clock for tests: 2024-03-15T12:00:00Z. */
export const NOW = Date.UTC(2024, 2, 15, 12, 0, 0);
export const ZONE = 'America/Los_Angeles';

export interface Tracking {
  seq?: number;
  createdSeq?: number;
  changedAt?: number;
  deletedAt?: number | null;
}

/** An in-memory tenant database with every data table and the query functions. */
export function memoryDb(): Database.Database {
  const db = new Database(':memory:');
  for (const stmt of tenantDdl()) db.exec(stmt);
  registerFunctions(db);
  return db;
}

/** Inserts one row with plain SQL, tracking columns defaulting to a live row at seq 1. */
export function insert(
  db: Database.Database,
  object: string,
  row: Record<string, SqlValue>,
  t: Tracking = {},
): void {
  const names = Object.keys(row);
  const cols = [...names.map(quoteIdent), '"_seq"', '"_created_seq"', '"_changed_at"', '"_deleted_at"'];
  const values = [
    ...names.map((n) => row[n] ?? null),
    t.seq ?? 1,
    t.createdSeq ?? t.seq ?? 1,
    t.changedAt ?? NOW,
    t.deletedAt ?? null,
  ];
  db.prepare(
    `INSERT INTO ${quoteIdent(object)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
  ).run(...values);
}

/** Analyzes, compiles and runs a query; rows as arrays. */
export function run(
  db: Database.Database,
  text: string,
  opts: Partial<CompileOptions> = {},
  language: QueryLanguage = 'zoqlexport',
): unknown[][] {
  const q = compileSqlite(analyze(text, language), { now: NOW, timeZone: ZONE, ...opts });
  return db
    .prepare(q.sql)
    .raw()
    .all(...q.params) as unknown[][];
}

/** The first column of every row. */
export function firstColumn(rows: unknown[][]): unknown[] {
  return rows.map((r) => r[0]);
}
