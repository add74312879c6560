import { type BindValue, type SyncDb, UniqueViolation } from '../../src/store/db.ts';
import { openPgDb, type PgDb } from '../../src/store/postgres/db.ts';
import { postgresDialect } from '../../src/store/postgres/dialect.ts';
import { openConnection } from '../../src/store/sqlite/connection.ts';
import { sqliteDialect } from '../../src/store/sqlite/dialect.ts';
import { type CompileOptions, compileQuery } from '../../src/store/tenant/compile.ts';
import { quoteIdent, tenantDdl } from '../../src/store/tenant/ddl.ts';
import type { SqlValue } from '../../src/store/types.ts';
import { analyze, type QueryLanguage } from '../../src/zoql/index.ts';
import { sharedPostgres } from '../store/temp-store.ts';
import { TEST_STORE } from '../support/location.ts';

/** A fixed clock for tests: 2024-03-15T12:00:00Z. */
export const NOW = Date.UTC(2024, 2, 15, 12, 0, 0);
export const ZONE = 'America/Los_Angeles';

export interface Tracking {
  seq?: number;
  createdSeq?: number;
  changedAt?: number;
  deletedAt?: number | null;
}

/** A tenant database for one test: every data table and the query functions; `close` discards it. */
export interface QueryDb {
  readonly dialect: SyncDb['dialect'];
  prepare: SyncDb['prepare'];
  close(): void;
}

/** PostgreSQL schemas set up once and reused: `close` empties the tables a test wrote to. */
const idle: PgDb[] = [];
let schemas = 0;

function postgresDb(): QueryDb {
  let db = idle.pop();
  if (!db) {
    const schema = `zoql_${process.pid}_${++schemas}`;
    db = openPgDb(sharedPostgres().url, { schema });
    db.exec(tenantDdl(postgresDialect).join(';\n'));
  }
  const pg = db;
  const touched = new Set<string>();
  return {
    dialect: 'postgres',
    prepare: (sql) => {
      const m = /^INSERT INTO ("[^"]+")/.exec(sql);
      if (m) touched.add(m[1]!);
      return pg.prepare(sql);
    },
    close: () => {
      for (const t of touched) pg.exec(`DELETE FROM ${t}`);
      idle.push(pg);
    },
  };
}

/** A tenant database on the test store: in memory on SQLite, a reused schema on PostgreSQL. */
export function memoryDb(): QueryDb {
  if (TEST_STORE === 'postgres') return postgresDb();
  const db = openConnection(':memory:');
  db.exec(tenantDdl(sqliteDialect).join(';\n'));
  return db;
}

/** Inserts one row with plain SQL, tracking columns defaulting to a live row at seq 1. */
export function insert(db: QueryDb, object: string, row: Record<string, SqlValue>, t: Tracking = {}): void {
  const names = Object.keys(row);
  const cols = [...names.map(quoteIdent), '"_seq"', '"_created_seq"', '"_changed_at"', '"_deleted_at"'];
  const values: BindValue[] = [
    ...names.map((n) => row[n] ?? null),
    t.seq ?? 1,
    t.createdSeq ?? t.seq ?? 1,
    t.changedAt ?? NOW,
    t.deletedAt ?? null,
  ];
  try {
    db.prepare(
      `INSERT INTO ${quoteIdent(object)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    ).run(...values);
  } catch (e) {
    if (e instanceof UniqueViolation) throw new Error(`${object} ${String(row.Id)} inserted twice`);
    throw e;
  }
}

/** Analyzes, compiles (for the test store) and runs a query; rows as arrays. */
export function run(
  db: QueryDb,
  text: string,
  opts: Partial<CompileOptions> = {},
  language: QueryLanguage = 'zoqlexport',
): unknown[][] {
  const dialect = db.dialect === 'postgres' ? postgresDialect : sqliteDialect;
  const q = compileQuery(analyze(text, language), { now: NOW, timeZone: ZONE, ...opts }, dialect);
  return db
    .prepare(q.sql)
    .raw()
    .all(...q.params);
}

/** The first column of every row. */
export function firstColumn(rows: unknown[][]): unknown[] {
  return rows.map((r) => r[0]);
}
