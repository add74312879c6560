import { quoteIdent } from './ddl.ts';

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

/** A staging table for a load fed in batches (temp: visible to this connection only, no main write lock). */
export function stageTableSql(name: string): string[] {
  return [`CREATE TEMP TABLE ${quoteIdent(name)} ("k" INTEGER NOT NULL, "v" TEXT NOT NULL)`];
}

export function stageInsertSql(name: string): string {
  return `INSERT INTO temp.${quoteIdent(name)} ("k", "v") VALUES (?, ?)`;
}

/** Staged rows after a rowid, in order; parameters: the last rowid read, the batch size. */
export function stageReadSql(name: string): string {
  return `SELECT rowid, "k", "v" FROM temp.${quoteIdent(name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`;
}

export function stageDropSql(name: string): string {
  return `DROP TABLE IF EXISTS temp.${quoteIdent(name)}`;
}
