import type { FieldType, ObjectDef } from '../../schema/index.ts';
import { objects } from '../../schema/index.ts';

/**
 * Columns every data table carries besides the object's fields (change tracking):
 * - `_seq`: change sequence number of the record's last change (insert, update or delete)
 * - `_created_seq`: change sequence number of its insert
 * - `_changed_at`: wall-clock time (epoch ms) of its last change
 * - `_deleted_at`: time of its soft delete; NULL while the record is live
 */
export const TRACKING_COLUMNS = ['_seq', '_created_seq', '_changed_at', '_deleted_at'] as const;

const SQL_TYPES: Record<FieldType, string> = {
  ID: 'TEXT',
  string: 'TEXT',
  picklist: 'TEXT',
  date: 'TEXT',
  decimal: 'REAL',
  integer: 'INTEGER',
  boolean: 'INTEGER',
  dateTime: 'INTEGER',
};

/** Quotes an identifier taken from the schema (never from query text). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The SQL type of a field in the embedded store. */
export function sqlType(type: FieldType): string {
  return SQL_TYPES[type];
}

/** CREATE TABLE and index statements for one object. */
export function tableDdl(object: ObjectDef): string[] {
  const t = quoteIdent(object.name);
  const cols = object.fields.map((f) =>
    f.name === 'Id' ? `${quoteIdent(f.name)} TEXT PRIMARY KEY` : `${quoteIdent(f.name)} ${SQL_TYPES[f.type]}`,
  );
  cols.push(
    '"_seq" INTEGER NOT NULL',
    '"_created_seq" INTEGER NOT NULL',
    '"_changed_at" INTEGER NOT NULL',
    '"_deleted_at" INTEGER',
  );
  const stmts = [`CREATE TABLE IF NOT EXISTS ${t} (${cols.join(', ')}) STRICT`];
  stmts.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${object.name}_seq`)} ON ${t} ("_seq")`);
  stmts.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${object.name}_updated`)} ON ${t} ("UpdatedDate")`);
  stmts.push(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${object.name}_deleted`)} ON ${t} ("_deleted_at")`);
  return stmts;
}

/**
 * Every statement that creates a tenant's data tables and its change counter.
 * The counter row is updated inside each writing transaction, so sequence order is commit order.
 */
export function tenantDdl(): string[] {
  const stmts = [
    'CREATE TABLE IF NOT EXISTS "_change_counter" ("id" INTEGER PRIMARY KEY CHECK ("id" = 1), "seq" INTEGER NOT NULL) STRICT',
    'INSERT OR IGNORE INTO "_change_counter" ("id", "seq") VALUES (1, 0)',
  ];
  for (const o of objects) stmts.push(...tableDdl(o));
  return stmts;
}
