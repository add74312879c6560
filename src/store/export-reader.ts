import type { CsvLines, RowSource } from '../export/result-file.ts';
import type { ExportOptions } from '../export/row-formatter.ts';
import type { FieldType } from '../schema/index.ts';
import type { Dialect } from './db.ts';
import { openTenantStore } from './index.ts';
import { type StoreLocation, sqliteTenantPath } from './location.ts';
import { openPgExportReader } from './postgres/export-reader.ts';
import type { CompiledQuery, TenantStore } from './types.ts';

export type { CsvLines, RowSource } from '../export/result-file.ts';

/**
 * What an export reads a tenant's data through, on a job worker thread: one consistent moment of the
 * data for all of a job's batches, each batch's rows streamed out of it. Asynchronous, so the PostgreSQL
 * side can use a non-blocking driver (the synchronous libpq adapter belongs to the main thread).
 *
 * @example
 * const reader = openExportReader(location, tenant.id, tenant.timeZone);
 * await reader.snapshot(async (snap) => {
 *   const csv = await snap.copyCsv?.(compiled, { types, options });
 *   await writeResultFile({ rows: csv ?? snap.rows(compiled), header, types, options, format: 'csv', entryName, path });
 * });
 * await reader.close();
 */
export interface ExportReader {
  /** The SQL dialect queries must be compiled to. */
  readonly dialect: Dialect;
  /** Runs `fn` inside one read snapshot, which ends when the promise settles. */
  snapshot<T>(fn: (snap: ExportSnapshot) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How a batch's CSV lines must look: the types of its columns and the rendering options. */
export interface CsvFormat {
  readonly types: readonly FieldType[];
  readonly options: ExportOptions;
}

/** One consistent moment of a tenant's data. */
export interface ExportSnapshot {
  /** The last change sequence number visible in this snapshot. */
  readonly seq: number;
  /** Wall-clock time (epoch ms) at which the snapshot was taken. */
  readonly time: number;
  /**
   * The rows of a compiled query as the store encodes them (see store/types.ts), one element per
   * selected column. Aborting `signal` stops a read waiting on the database.
   */
  rows(query: CompiledQuery, signal?: AbortSignal): RowSource;
  /**
   * The same rows rendered as CSV lines by the database (what `makeRowFormatter` would write for
   * them), or undefined when some column or option cannot be rendered exactly there. Only stores
   * that can have it.
   */
  copyCsv?(query: CompiledQuery, format: CsvFormat, signal?: AbortSignal): Promise<CsvLines | undefined>;
  /**
   * The lowest and highest row numbers of an object's table in this snapshot, whose ranges split an
   * export across threads (CompileOptions `rowRange`); only stores with row numbers have it.
   */
  rowIdRange?(object: string): { readonly min: number; readonly max: number } | undefined;
}

/** The embedded store's reader: the tenant store's own snapshots, rows pulled one at a time. */
class SqliteExportReader implements ExportReader {
  readonly dialect = 'sqlite' as const;

  constructor(private readonly store: TenantStore) {}

  snapshot<T>(fn: (snap: ExportSnapshot) => Promise<T>): Promise<T> {
    return this.store.snapshot((snap) =>
      fn({
        seq: snap.seq,
        time: snap.time,
        rows: (q) => snap.rows(q),
        rowIdRange: (o) => snap.rowIdRange(o),
      }),
    );
  }

  async close(): Promise<void> {
    this.store.close();
  }
}

/**
 * The export reader of the SQLite tenant file at `file`.
 * @example const reader = openSqliteExportReader('/data/tenants/abc.sqlite', 'UTC');
 */
export function openSqliteExportReader(file: string, timeZone: string): ExportReader {
  return new SqliteExportReader(openTenantStore(file, { timeZone }));
}

/**
 * The export reader of a tenant's data where the location keeps it. On PostgreSQL it connects on
 * first use.
 * @example const reader = openExportReader(storeLocation(dataDir, databaseUrl), tenantId, 'America/Los_Angeles');
 */
export function openExportReader(location: StoreLocation, tenantId: string, timeZone: string): ExportReader {
  if (location.kind === 'postgres') return openPgExportReader(location.url, tenantId);
  return openSqliteExportReader(sqliteTenantPath(location.dataDir, tenantId), timeZone);
}
