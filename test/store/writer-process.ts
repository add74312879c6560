/**
 * A separate process writing to a tenant: opens its store (running migrations if it comes first) and
 * creates `count` Accounts, each in its own transaction.
 * Usage: node --import tsx writer-process.ts '<location JSON>' <tenantId> <count>
 */
import { openTenantStore } from '../../src/store/index.ts';
import type { StoreLocation } from '../../src/store/location.ts';

const [locationJson, tenantId, count] = process.argv.slice(2);
const store = openTenantStore(JSON.parse(locationJson!) as StoreLocation, tenantId!);
try {
  for (let i = 0; i < Number(count); i++) store.create('Account', { Name: `${process.pid}-${i}` });
} finally {
  store.close();
}
