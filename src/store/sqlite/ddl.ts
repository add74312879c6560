import type { ObjectDef } from '../../schema/index.ts';
import { tableDdl as anyTableDdl, tenantDdl as anyTenantDdl } from '../tenant/ddl.ts';
import { sqliteDialect } from './dialect.ts';

export { quoteIdent } from '../tenant/ddl.ts';

/** CREATE TABLE and index statements for one object in the embedded store. */
export function tableDdl(object: ObjectDef): string[] {
  return anyTableDdl(object, sqliteDialect);
}

/** Every statement that creates a tenant's tables in the embedded store. */
export function tenantDdl(): string[] {
  return anyTenantDdl(sqliteDialect);
}
