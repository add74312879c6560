export type { PgpPublicKey } from './pgp-key.ts';
export { readPgpPublicKey } from './pgp-key.ts';
export type { NewTenant, TenantRegistryOptions } from './registry.ts';
export { openTenantRegistry, TenantRegistry } from './registry.ts';
export type { IssuedToken, Tenant, TenantCredentials } from './types.ts';
export { TenantError } from './types.ts';
