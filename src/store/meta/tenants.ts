import type { Dialect } from '../db.ts';
import type { MetaDb } from './jobs.ts';
import { blob, byteOrder, bytesOf, columnTypes } from './sql.ts';
import { deletePgpKey, type PgpKeyRow, pgpKeyOf, pgpKeysDdl, savePgpKey } from './tenants-pgp.ts';

/** A tenant row as stored. */
export interface TenantRow {
  id: string;
  name: string;
  timeZone: string;
  segments: boolean;
  createdAt: number;
  /** Fingerprint of the registered OpenPGP public key, when there is one. */
  pgpFingerprint?: string;
}

/** What a credential check needs: the tenant it belongs to and the secret's scrypt hash. */
export interface CredentialRow {
  tenantId: string;
  salt: Buffer;
  hash: Buffer;
}

/** The two kinds of long-lived credential a tenant holds. */
export type CredentialKind = 'password' | 'client';

/** A credential to record: `identifier` is the user name or the OAuth client id. */
export interface NewCredential {
  kind: CredentialKind;
  identifier: string;
  salt: Buffer;
  hash: Buffer;
}

/** The tenants, credentials and OAuth tokens tables (and the PGP keys table, which refers to tenants). */
export function metaTenantsDdl(d: Dialect): readonly string[] {
  const t = columnTypes(d);
  return [
    `CREATE TABLE IF NOT EXISTS tenants (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      time_zone TEXT NOT NULL,
      segments INTEGER NOT NULL DEFAULT 0,
      created_at ${t.big} NOT NULL
    )${t.options}`,
    `CREATE TABLE IF NOT EXISTS credentials (
      kind TEXT NOT NULL CHECK (kind IN ('password', 'client')),
      identifier TEXT NOT NULL,
      tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      salt ${t.blob} NOT NULL,
      hash ${t.blob} NOT NULL,
      created_at ${t.big} NOT NULL,
      PRIMARY KEY (kind, identifier)
    )${t.options}`,
    'CREATE INDEX IF NOT EXISTS credentials_tenant ON credentials (tenant_id)',
    `CREATE TABLE IF NOT EXISTS oauth_tokens (
      token_hash ${t.blob} PRIMARY KEY,
      tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
      jti TEXT NOT NULL,
      expires_at ${t.big} NOT NULL
    )${t.options}`,
    'CREATE INDEX IF NOT EXISTS oauth_tokens_expiry ON oauth_tokens (expires_at)',
    pgpKeysDdl(d),
  ];
}

/** Tenant columns with the fingerprint of the tenant's PGP key (null without one). */
const TENANT_SELECT = `SELECT t.*, k.fingerprint AS pgp_fingerprint
  FROM tenants t LEFT JOIN tenant_pgp_keys k ON k.tenant_id = t.id`;

interface RawTenant {
  id: string;
  name: string;
  time_zone: string;
  segments: number;
  created_at: number;
  pgp_fingerprint: string | null;
}

function toTenant(r: RawTenant): TenantRow {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.time_zone,
    segments: r.segments === 1,
    createdAt: r.created_at,
    ...(r.pgp_fingerprint !== null ? { pgpFingerprint: r.pgp_fingerprint } : {}),
  };
}

/**
 * The tenants, credentials, OAuth tokens and PGP keys tables, over one connection of their own (opened
 * and migrated by openMetaTenants or openMeta). Other tables of the meta store belong to the job service.
 * @example
 * const meta = openMetaTenants({ kind: 'sqlite', dataDir: '/var/lib/openaqua' });
 * meta.listTenants();
 */
export class MetaTenants {
  constructor(private readonly db: MetaDb) {}

  /** Inserts a tenant and its credentials in one transaction. */
  insertTenant(tenant: TenantRow, credentials: readonly NewCredential[]): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO tenants (id, name, time_zone, segments, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(tenant.id, tenant.name, tenant.timeZone, tenant.segments ? 1 : 0, tenant.createdAt);
      for (const c of credentials) this.insertCredential(tenant.id, c, tenant.createdAt);
    });
  }

  private insertCredential(tenantId: string, c: NewCredential, now: number): void {
    const db = this.db;
    db.prepare(
      'INSERT INTO credentials (kind, identifier, tenant_id, salt, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(c.kind, c.identifier, tenantId, blob(db, c.salt), blob(db, c.hash), now);
  }

  /** Changes a tenant's settings. */
  updateTenant(id: string, timeZone: string, segments: boolean): void {
    this.db
      .prepare('UPDATE tenants SET time_zone = ?, segments = ? WHERE id = ?')
      .run(timeZone, segments ? 1 : 0, id);
  }

  tenantById(id: string): TenantRow | undefined {
    const r = this.db.prepare<RawTenant>(`${TENANT_SELECT} WHERE t.id = ?`).get(id);
    return r && toTenant(r);
  }

  tenantByName(name: string): TenantRow | undefined {
    const r = this.db.prepare<RawTenant>(`${TENANT_SELECT} WHERE t.name = ?`).get(name);
    return r && toTenant(r);
  }

  /** Every tenant, by name. */
  listTenants(): TenantRow[] {
    return this.db
      .prepare<RawTenant>(`${TENANT_SELECT} ORDER BY t.name${byteOrder(this.db)}`)
      .all()
      .map(toTenant);
  }

  countTenants(): number {
    return (this.db.prepare('SELECT count(*) FROM tenants').pluck().get() as number | undefined) ?? 0;
  }

  credential(kind: CredentialKind, identifier: string): CredentialRow | undefined {
    const r = this.db
      .prepare<{ tenant_id: string; salt: unknown; hash: unknown }>(
        'SELECT tenant_id, salt, hash FROM credentials WHERE kind = ? AND identifier = ?',
      )
      .get(kind, identifier);
    return r && { tenantId: r.tenant_id, salt: bytesOf(r.salt), hash: bytesOf(r.hash) };
  }

  /** Records an issued access token by its hash. */
  insertToken(tokenHash: Buffer, tenantId: string, jti: string, expiresAt: number): void {
    this.db
      .prepare('INSERT INTO oauth_tokens (token_hash, tenant_id, jti, expires_at) VALUES (?, ?, ?, ?)')
      .run(blob(this.db, tokenHash), tenantId, jti, expiresAt);
  }

  /** The tenant and expiry of an access token, by its hash. */
  token(tokenHash: Buffer): { tenantId: string; expiresAt: number } | undefined {
    const r = this.db
      .prepare<{ tenant_id: string; expires_at: number }>(
        'SELECT tenant_id, expires_at FROM oauth_tokens WHERE token_hash = ?',
      )
      .get(blob(this.db, tokenHash));
    return r && { tenantId: r.tenant_id, expiresAt: r.expires_at };
  }

  /** Drops tokens expired at `now`. Returns how many. */
  purgeTokens(now: number): number {
    return this.db.prepare('DELETE FROM oauth_tokens WHERE expires_at <= ?').run(now).changes;
  }

  /** Registers (or replaces) a tenant's OpenPGP public key. */
  savePgpKey(key: PgpKeyRow): void {
    savePgpKey(this.db, key);
  }

  /** Drops a tenant's public key; false when it had none. */
  deletePgpKey(tenantId: string): boolean {
    return deletePgpKey(this.db, tenantId);
  }

  /** A tenant's public key. */
  pgpKey(tenantId: string): PgpKeyRow | undefined {
    return pgpKeyOf(this.db, tenantId);
  }

  close(): void {
    this.db.close();
  }
}
