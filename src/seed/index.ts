/**
 * Deterministic demo data: the same seed gives the same rows, Ids included.
 * @example
 * const store = openTenantStore('/tmp/demo.db');
 * const counts = seedTenant(store, { accounts: 100, seed: 42 });
 */
export type { SeedInvoiceItemsOptions } from './invoice-items.ts';
export { seedInvoiceItems } from './invoice-items.ts';
export type { SeedTenantOptions } from './tenant.ts';
export { generateTenant, seedTenant } from './tenant.ts';
export type { BulkWriter, Table } from './world.ts';
