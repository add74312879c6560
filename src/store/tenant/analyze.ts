import { ANALYZE_AFTER_BULK_ROWS } from '../../limits.ts';
import type { SyncDb } from '../db.ts';
import { quoteIdent } from './ddl.ts';
import type { TenantDialect } from './dialect.ts';

/**
 * After a committed bulk write of `rows` rows into `table`: on PostgreSQL, a large one analyses the
 * table at once. PostgreSQL plans from statistics that its background analyser gathers only a while
 * later; until then a freshly filled table looks empty, and a join over it can take minutes instead of
 * seconds. SQLite plans such joins well without statistics.
 * @example analyzeAfterBulk(db, dialect, 'InvoiceItem', 120_000); // ANALYZE "InvoiceItem" on PostgreSQL
 */
export function analyzeAfterBulk(db: SyncDb, dialect: TenantDialect, table: string, rows: number): void {
  if (dialect.name === 'postgres' && rows >= ANALYZE_AFTER_BULK_ROWS) db.exec(`ANALYZE ${quoteIdent(table)}`);
}
