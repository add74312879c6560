import { join } from 'node:path';

/**
 * Where a server's data lives: the embedded store (SQLite files under the data directory) or a
 * PostgreSQL database. Either way the data directory holds local files (result files unless an S3
 * bucket is configured, and temporary files of running jobs). Plain data, so it can be handed to a
 * worker thread.
 *
 * - SQLite: `<dataDir>/meta.sqlite` (tenants, credentials, jobs, sessions) and one file per tenant,
 *   `<dataDir>/tenants/<tenantId>.sqlite`.
 * - PostgreSQL: the `openaqua` schema (the same tables as meta.sqlite) and one schema per tenant,
 *   `tenant_<tenantId>`.
 * @example const loc = storeLocation('./openaqua-data', process.env.OPENAQUA_DATABASE_URL);
 */
export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly dataDir: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly dataDir: string };

/** The PostgreSQL schema of the tables every tenant shares (tenants, jobs, sessions...). */
export const META_SCHEMA = 'openaqua';

const URL_SCHEMES = ['postgres:', 'postgresql:'];

/** The location for a data directory and, when given, a PostgreSQL URL (which must be postgres://...). */
export function storeLocation(dataDir: string, databaseUrl?: string): StoreLocation {
  if (databaseUrl === undefined || databaseUrl === '') return { kind: 'sqlite', dataDir };
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error(
      `the database URL must look like postgres://user:password@host:5432/database, not '${databaseUrl}'`,
    );
  }
  if (!URL_SCHEMES.includes(url.protocol))
    throw new Error(`the database URL must start with postgres:// or postgresql://, not '${url.protocol}//'`);
  return { kind: 'postgres', url: databaseUrl, dataDir };
}

/** The SQLite file of a tenant's data in the embedded store. */
export function sqliteTenantPath(dataDir: string, tenantId: string): string {
  return join(dataDir, 'tenants', `${tenantId}.sqlite`);
}

/** The PostgreSQL schema of a tenant's data. Tenant ids are generated (letters and digits only). */
export function tenantSchema(tenantId: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(tenantId)) throw new Error(`not a tenant id: '${tenantId}'`);
  return `tenant_${tenantId.toLowerCase()}`;
}

/** The location for logs and messages, without a password. */
export function describeLocation(loc: StoreLocation): string {
  if (loc.kind === 'sqlite') return `data in ${loc.dataDir}`;
  const u = new URL(loc.url);
  return `PostgreSQL ${u.hostname}:${u.port || '5432'}${u.pathname}, files in ${loc.dataDir}`;
}
