import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type StoreLocation, sqliteTenantPath, tenantSchema } from '../location.ts';
import { openPostgresTenantStore } from '../postgres/tenant-store.ts';
import { openSqliteTenantStore } from '../sqlite/tenant-store.ts';
import type { TenantDataStore, TenantStoreOptions } from './store.ts';

/**
 * Opens a tenant's data where the location keeps it: its SQLite file under the data directory, or its
 * schema in the PostgreSQL database. Either is created with its tables on first open.
 * @example
 * const store = openTenantStoreAt(storeLocation('./data'), tenant.id, { timeZone: tenant.timeZone });
 */
export function openTenantStoreAt(
  location: StoreLocation,
  tenantId: string,
  opts: TenantStoreOptions = {},
): TenantDataStore {
  const named = { tenant: tenantId, ...opts };
  if (location.kind === 'postgres')
    return openPostgresTenantStore(location.url, tenantSchema(tenantId), tenantId, named);
  const file = sqliteTenantPath(location.dataDir, tenantId);
  mkdirSync(dirname(file), { recursive: true });
  return openSqliteTenantStore(file, named);
}
