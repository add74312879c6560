import { quoteIdent } from './ddl.ts';
import type { TenantDialect } from './dialect.ts';

/** SQL text of the tenant store's own operations. Identifiers come from the schema, values are parameters. */

const TRACKING_INSERT = ['"_seq"', '"_created_seq"', '"_changed_at"'];

function placeholders(n: number): string {
  return `(${Array.from({ length: n }, () => '?').join(', ')})`;
}

/** Takes the next change sequence number; run inside the writing transaction so order is commit order. */
export const NEXT_SEQ = 'UPDATE "_change_counter" SET "seq" = "seq" + 1 WHERE "id" = 1 RETURNING "seq"';

/** The last change sequence number committed (as seen by the current transaction). */
export const CURRENT_SEQ = 'SELECT "seq" FROM "_change_counter" WHERE "id" = 1';

/** Whether a record exists: no row, or one row holding its `_deleted_at` (NULL while live) and `_created_seq`. */
export function lookupSql(table: string): string {
  return `SELECT "_deleted_at", "_created_seq" FROM ${quoteIdent(table)} WHERE "Id" = ?`;
}

/** Which of `n` Ids exist: rows of Id, `_deleted_at`, `_created_seq`. */
export function lookupManySql(table: string, n: number): string {
  const ids = Array.from({ length: n }, () => '?').join(', ');
  return `SELECT "Id", "_deleted_at", "_created_seq" FROM ${quoteIdent(table)} WHERE "Id" IN (${ids})`;
}

/**
 * Inserts `rows` records at once; parameters per record: the columns, then `_seq`, `_created_seq`,
 * `_changed_at`.
 */
export function insertSql(table: string, columns: readonly string[], rows = 1): string {
  const cols = [...columns.map(quoteIdent), ...TRACKING_INSERT];
  const values = Array.from({ length: rows }, () => placeholders(cols.length)).join(', ');
  return `INSERT INTO ${quoteIdent(table)} (${cols.join(', ')}) VALUES ${values}`;
}

/** Updates a live record; parameters: the columns, `_seq`, `_changed_at`, Id. */
export function updateSql(table: string, columns: readonly string[]): string {
  const sets = [...columns, '_seq', '_changed_at'].map((c) => `${quoteIdent(c)} = ?`);
  return `UPDATE ${quoteIdent(table)} SET ${sets.join(', ')} WHERE "Id" = ? AND "_deleted_at" IS NULL`;
}

/** Soft-deletes a live record; parameters: `_deleted_at`, `_seq`, `_changed_at`, UpdatedDate, Id. */
export function softDeleteSql(table: string): string {
  return `UPDATE ${quoteIdent(table)} SET "_deleted_at" = ?, "_seq" = ?, "_changed_at" = ?, "UpdatedDate" = ? WHERE "Id" = ? AND "_deleted_at" IS NULL`;
}

/** Removes a record outright (a soft-deleted one about to be created again under its Id). */
export function hardDeleteSql(table: string): string {
  return `DELETE FROM ${quoteIdent(table)} WHERE "Id" = ?`;
}

/** Removes records soft-deleted before a time; parameter: the time. */
export function purgeSql(table: string): string {
  return `DELETE FROM ${quoteIdent(table)} WHERE "_deleted_at" IS NOT NULL AND "_deleted_at" < ?`;
}

/** A live record's fields by Id. */
export function selectLiveSql(table: string, columns: readonly string[]): string {
  return `SELECT ${columns.map(quoteIdent).join(', ')} FROM ${quoteIdent(table)} WHERE "Id" = ? AND "_deleted_at" IS NULL`;
}

/** Staged records (`k`: column set, `v`: JSON values) inserted `rows` at a time. */
export function stageInsertSql(dialect: TenantDialect, name: string, rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?)').join(', ');
  return `INSERT INTO ${dialect.stageTable(name)} ("k", "v") VALUES ${values}`;
}

/** Staged records after a position, in order; parameters: the last position read, the batch size. */
export function stageReadSql(dialect: TenantDialect, name: string): string {
  const o = dialect.stageOrder;
  return `SELECT ${o}, "k", "v" FROM ${dialect.stageTable(name)} WHERE ${o} > ? ORDER BY ${o} LIMIT ?`;
}

export function stageDropSql(dialect: TenantDialect, name: string): string {
  return `DROP TABLE IF EXISTS ${dialect.stageTable(name)}`;
}
