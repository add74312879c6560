import type { Dialect } from '../db.ts';
import type { MetaDb } from './jobs.ts';
import { columnTypes } from './sql.ts';

/** A tenant's registered OpenPGP public key, as stored. */
export interface PgpKeyRow {
  tenantId: string;
  /** Hex fingerprint of the primary key, upper case. */
  fingerprint: string;
  /** The public key, ASCII-armored. */
  armored: string;
  createdAt: number;
}

/**
 * The PGP key table: at most one public key per tenant. `IF NOT EXISTS` makes opening a meta.sqlite
 * written before the table existed add it, with nothing else to migrate.
 */
export function pgpKeysDdl(d: Dialect): string {
  const t = columnTypes(d);
  return `CREATE TABLE IF NOT EXISTS tenant_pgp_keys (
  tenant_id TEXT PRIMARY KEY REFERENCES tenants (id) ON DELETE CASCADE,
  fingerprint TEXT NOT NULL,
  armored TEXT NOT NULL,
  created_at ${t.big} NOT NULL
)${t.options}`;
}

interface RawKey {
  tenant_id: string;
  fingerprint: string;
  armored: string;
  created_at: number;
}

function toRow(r: RawKey): PgpKeyRow {
  return { tenantId: r.tenant_id, fingerprint: r.fingerprint, armored: r.armored, createdAt: r.created_at };
}

/**
 * Registers (or replaces) a tenant's public key.
 * @example savePgpKey(db, { tenantId, fingerprint: 'A1B2...', armored, createdAt: Date.now() });
 */
export function savePgpKey(db: MetaDb, key: PgpKeyRow): void {
  db.prepare(
    `INSERT INTO tenant_pgp_keys (tenant_id, fingerprint, armored, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (tenant_id) DO UPDATE SET fingerprint = excluded.fingerprint, armored = excluded.armored,
       created_at = excluded.created_at`,
  ).run(key.tenantId, key.fingerprint, key.armored, key.createdAt);
}

/**
 * Drops a tenant's public key. Returns whether there was one.
 * @example deletePgpKey(db, tenantId) === true
 */
export function deletePgpKey(db: MetaDb, tenantId: string): boolean {
  return db.prepare('DELETE FROM tenant_pgp_keys WHERE tenant_id = ?').run(tenantId).changes > 0;
}

/**
 * A tenant's public key, or undefined when none is registered. Works on any connection to the meta
 * tables (the job tables' one included).
 * @example pgpKeyOf(jobsDb, tenantId)?.armored.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----')
 */
export function pgpKeyOf(db: MetaDb, tenantId: string): PgpKeyRow | undefined {
  const r = db.prepare<RawKey>('SELECT * FROM tenant_pgp_keys WHERE tenant_id = ?').get(tenantId);
  return r && toRow(r);
}
