import Database from 'better-sqlite3';
import { SQLITE_BUSY_TIMEOUT_MS } from '../../limits.ts';
import { deletePgpKey, PGP_KEYS_DDL, type PgpKeyRow, pgpKeyOf, savePgpKey } from './meta-tenants-pgp.ts';

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

const DDL = [
  `CREATE TABLE IF NOT EXISTS tenants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    time_zone TEXT NOT NULL,
    segments INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE TABLE IF NOT EXISTS credentials (
    kind TEXT NOT NULL CHECK (kind IN ('password', 'client')),
    identifier TEXT NOT NULL,
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (kind, identifier)
  ) STRICT`,
  'CREATE INDEX IF NOT EXISTS credentials_tenant ON credentials (tenant_id)',
  `CREATE TABLE IF NOT EXISTS oauth_tokens (
    token_hash BLOB PRIMARY KEY,
    tenant_id TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    jti TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT`,
  'CREATE INDEX IF NOT EXISTS oauth_tokens_expiry ON oauth_tokens (expires_at)',
  PGP_KEYS_DDL,
];

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
 * The tenants, credentials and OAuth tokens tables of `<data>/meta.sqlite`. Other tables of the
 * same file belong to other parts of the store, which open their own connection.
 * @example
 * const meta = openMetaTenants('/var/lib/openaqua/meta.sqlite');
 * meta.listTenants();
 */
export class MetaTenants {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    this.db.pragma('foreign_keys = ON');
    for (const sql of DDL) this.db.exec(sql);
    const db = this.db;
    this.stmts = {
      insertTenant: db.prepare(
        'INSERT INTO tenants (id, name, time_zone, segments, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      updateTenant: db.prepare('UPDATE tenants SET time_zone = ?, segments = ? WHERE id = ?'),
      tenantById: db.prepare<[string], RawTenant>(`${TENANT_SELECT} WHERE t.id = ?`),
      tenantByName: db.prepare<[string], RawTenant>(`${TENANT_SELECT} WHERE t.name = ?`),
      allTenants: db.prepare<[], RawTenant>(`${TENANT_SELECT} ORDER BY t.name`),
      countTenants: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tenants'),
      insertCredential: db.prepare(
        'INSERT INTO credentials (kind, identifier, tenant_id, salt, hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      credential: db.prepare<[string, string], { tenant_id: string; salt: Buffer; hash: Buffer }>(
        'SELECT tenant_id, salt, hash FROM credentials WHERE kind = ? AND identifier = ?',
      ),
      insertToken: db.prepare(
        'INSERT INTO oauth_tokens (token_hash, tenant_id, jti, expires_at) VALUES (?, ?, ?, ?)',
      ),
      token: db.prepare<[Buffer], { tenant_id: string; expires_at: number }>(
        'SELECT tenant_id, expires_at FROM oauth_tokens WHERE token_hash = ?',
      ),
      purgeTokens: db.prepare('DELETE FROM oauth_tokens WHERE expires_at <= ?'),
    };
  }

  /** Inserts a tenant and its credentials in one transaction. */
  insertTenant(tenant: TenantRow, credentials: readonly NewCredential[]): void {
    this.db.transaction(() => {
      this.stmts.insertTenant.run(
        tenant.id,
        tenant.name,
        tenant.timeZone,
        tenant.segments ? 1 : 0,
        tenant.createdAt,
      );
      for (const c of credentials) this.insertCredential(tenant.id, c, tenant.createdAt);
    })();
  }

  private insertCredential(tenantId: string, c: NewCredential, now: number): void {
    this.stmts.insertCredential.run(c.kind, c.identifier, tenantId, c.salt, c.hash, now);
  }

  /** Changes a tenant's settings. */
  updateTenant(id: string, timeZone: string, segments: boolean): void {
    this.stmts.updateTenant.run(timeZone, segments ? 1 : 0, id);
  }

  tenantById(id: string): TenantRow | undefined {
    const r = this.stmts.tenantById.get(id);
    return r && toTenant(r);
  }

  tenantByName(name: string): TenantRow | undefined {
    const r = this.stmts.tenantByName.get(name);
    return r && toTenant(r);
  }

  /** Every tenant, by name. */
  listTenants(): TenantRow[] {
    return this.stmts.allTenants.all().map(toTenant);
  }

  countTenants(): number {
    return this.stmts.countTenants.get()?.n ?? 0;
  }

  credential(kind: CredentialKind, identifier: string): CredentialRow | undefined {
    const r = this.stmts.credential.get(kind, identifier);
    return r && { tenantId: r.tenant_id, salt: r.salt, hash: r.hash };
  }

  /** Records an issued access token by its hash. */
  insertToken(tokenHash: Buffer, tenantId: string, jti: string, expiresAt: number): void {
    this.stmts.insertToken.run(tokenHash, tenantId, jti, expiresAt);
  }

  /** The tenant and expiry of an access token, by its hash. */
  token(tokenHash: Buffer): { tenantId: string; expiresAt: number } | undefined {
    const r = this.stmts.token.get(tokenHash);
    return r && { tenantId: r.tenant_id, expiresAt: r.expires_at };
  }

  /** Drops tokens expired at `now`. Returns how many. */
  purgeTokens(now: number): number {
    return this.stmts.purgeTokens.run(now).changes;
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

/**
 * Opens (creating when needed) the tenant tables of a meta database file.
 * @example const meta = openMetaTenants(join(dataDir, 'meta.sqlite'));
 */
export function openMetaTenants(file: string): MetaTenants {
  return new MetaTenants(file);
}
