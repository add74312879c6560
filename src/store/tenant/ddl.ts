import type { ObjectDef } from '../../schema/index.ts';
import { objects } from '../../schema/index.ts';
import type { TenantDialect } from './dialect.ts';

/**
 * Columns every data table carries besides the object's fields (change tracking):
 * - `_seq`: change sequence number of the record's last change (insert, update or delete)
 * - `_created_seq`: change sequence number of its insert
 * - `_changed_at`: wall-clock time (epoch ms) of its last change
 * - `_deleted_at`: time of its soft delete; NULL while the record is live
 */
export const TRACKING_COLUMNS = ['_seq', '_created_seq', '_changed_at', '_deleted_at'] as const;

/** Quotes an identifier taken from the schema (never from query text). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** CREATE TABLE and index statements for one object. */
export function tableDdl(object: ObjectDef, dialect: TenantDialect): string[] {
  const t = quoteIdent(object.name);
  const int = dialect.integerType;
  const cols = object.fields.map(
    (f) => `${quoteIdent(f.name)} ${dialect.columnType(f.type)}${f.name === 'Id' ? ' PRIMARY KEY' : ''}`,
  );
  cols.push(
    `"_seq" ${int} NOT NULL`,
    `"_created_seq" ${int} NOT NULL`,
    `"_changed_at" ${int} NOT NULL`,
    `"_deleted_at" ${int}`,
  );
  const stmts = [`CREATE TABLE IF NOT EXISTS ${t} (${cols.join(', ')})${dialect.tableOptions}`];
  stmts.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${object.name}_seq`)} ON ${t} ("_seq")`);
  stmts.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${object.name}_updated`)} ON ${t} ("UpdatedDate")`);
  stmts.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${object.name}_deleted`)} ON ${t} ("_deleted_at")`);
  return stmts;
}

/**
 * Every statement that creates a tenant's data tables, its change counter and (where the database
 * keeps them) the functions compiled queries call. The counter row is updated inside each writing
 * transaction, so sequence order is commit order.
 */
export function tenantDdl(dialect: TenantDialect): string[] {
  const stmts = [
    `CREATE TABLE IF NOT EXISTS "_change_counter" ("id" INTEGER PRIMARY KEY CHECK ("id" = 1), "seq" ${dialect.integerType} NOT NULL)${dialect.tableOptions}`,
    'INSERT INTO "_change_counter" ("id", "seq") VALUES (1, 0) ON CONFLICT DO NOTHING',
  ];
  for (const o of objects) stmts.push(...tableDdl(o, dialect));
  stmts.push(...dialect.functionDdl());
  return stmts;
}
