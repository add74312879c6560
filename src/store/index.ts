/**
 * The store layer: ports (store/types.ts) and the tenant store, on SQLite or PostgreSQL.
 *
 * @example
 * import { openTenantStore } from './store/index.ts';
 * const store = openTenantStore(storeLocation('/data'), tenant.id, { timeZone: 'America/Los_Angeles' });
 * const id = store.create('Account', { Name: 'Acme', Status: 'Active' });
 * const n = store.snapshot((snap) => [...snap.rows({ sql: 'SELECT count(*) FROM "Account"', params: [] })]);
 * store.close();
 */

import type { StoreLocation } from './location.ts';
import { openSqliteTenantStore } from './sqlite/tenant-store.ts';
import { openTenantStoreAt } from './tenant/open.ts';
import type { TenantDataStore, TenantStoreOptions } from './tenant/store.ts';

export { postgresDialect } from './postgres/dialect.ts';
export { openPostgresTenantStore } from './postgres/tenant-store.ts';
export { sqliteDialect } from './sqlite/dialect.ts';
export { openSqliteTenantStore } from './sqlite/tenant-store.ts';
export { type CompileOptions, compileQuery } from './tenant/compile.ts';
export type { TenantDialect } from './tenant/dialect.ts';
export type { EncodedRecord } from './tenant/encode.ts';
export { encodeRecord, encodeValue } from './tenant/encode.ts';
export { formatDateTime, parseDateTime } from './tenant/encode-time.ts';
export { openTenantStoreAt } from './tenant/open.ts';
export type { TenantBackend, TenantStoreOptions } from './tenant/store.ts';
export { TenantDataStore } from './tenant/store.ts';
export type {
  CompiledQuery,
  LoadResult,
  LoadSession,
  RecordInput,
  RecordOutput,
  Snapshot,
  SqlValue,
  TenantStore,
} from './types.ts';

/** The tenant store class under its former name (it now runs on SQLite or PostgreSQL). */
export type SqliteTenantStore = TenantDataStore;

/**
 * Opens a tenant's data: at a store location (SQLite file or PostgreSQL schema, see openTenantStoreAt),
 * or, in the older form, the SQLite file at `file` (see openSqliteTenantStore).
 * @example const store = openTenantStore(location, tenant.id, { timeZone: tenant.timeZone });
 */
export function openTenantStore(
  location: StoreLocation,
  tenantId: string,
  opts?: TenantStoreOptions,
): TenantDataStore;
export function openTenantStore(file: string, opts?: TenantStoreOptions): TenantDataStore;
export function openTenantStore(
  where: StoreLocation | string,
  idOrOpts?: string | TenantStoreOptions,
  opts?: TenantStoreOptions,
): TenantDataStore {
  if (typeof where === 'string')
    return openSqliteTenantStore(where, idOrOpts as TenantStoreOptions | undefined);
  if (typeof idOrOpts !== 'string')
    throw new TypeError('openTenantStore(location, tenantId): the tenant id is missing');
  return openTenantStoreAt(where, idOrOpts, opts);
}
