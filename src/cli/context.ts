import { resolveSetting } from '../config.ts';
import type { TenantDataStore } from '../store/index.ts';
import { type StoreLocation, storeLocation } from '../store/location.ts';
import { openTenantRegistry, type Tenant, TenantError, type TenantRegistry } from '../tenants/index.ts';

/** Where a command's data lives: `--data`, and `--database-url` when given (flags, then environment). */
export function locationOf(flags: Record<string, unknown>): StoreLocation {
  return storeLocation(resolveSetting('dataDir', flags), resolveSetting('databaseUrl', flags));
}

/**
 * Runs `fn` with the tenant registry of the command's store, closing it afterwards.
 * @example await withRegistry(flags, (r) => r.listTenants());
 */
export async function withRegistry<T>(
  flags: Record<string, unknown>,
  fn: (registry: TenantRegistry) => T | Promise<T>,
): Promise<T> {
  const registry = openTenantRegistry({ location: locationOf(flags) });
  try {
    return await fn(registry);
  } finally {
    registry.close();
  }
}

/**
 * Runs `fn` with a tenant (by name) and its data store.
 * @example await withTenant(flags, 'demo', (tenant, store) => store.get('Account', id));
 */
export function withTenant<T>(
  flags: Record<string, unknown>,
  name: string,
  fn: (tenant: Tenant, store: TenantDataStore) => T | Promise<T>,
): Promise<T> {
  return withRegistry(flags, (registry) => {
    const tenant = tenantNamed(registry, name);
    return fn(tenant, registry.store(tenant.id));
  });
}

/**
 * The tenant of that name, or an error saying how to create it.
 * @example const tenant = tenantNamed(registry, 'demo');
 */
export function tenantNamed(registry: TenantRegistry, name: string): Tenant {
  const tenant = registry.findTenant(name);
  if (!tenant)
    throw new TenantError(`no tenant named '${name}' (create it with: openaqua tenant create ${name})`);
  return tenant;
}
