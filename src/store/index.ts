/**
 * The store layer: ports (store/types.ts) and the embedded SQLite adapter.
 *
 * @example
 * import { openTenantStore } from './store/index.ts';
 * const store = openTenantStore('/data/acme.db', { timeZone: 'America/Los_Angeles' });
 * const id = store.create('Account', { Name: 'Acme', Status: 'Active' });
 * const n = store.snapshot((snap) => [...snap.rows({ sql: 'SELECT count(*) FROM "Account"', params: [] })]);
 * store.close();
 */

export type { EncodedRecord } from './sqlite/encode.ts';
export { encodeRecord, encodeValue } from './sqlite/encode.ts';
export { formatDateTime, parseDateTime } from './sqlite/encode-time.ts';
export type { TenantStoreOptions } from './sqlite/tenant-store.ts';
export { openTenantStore, SqliteTenantStore } from './sqlite/tenant-store.ts';
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
