import { AUTH_CACHE_ENTRIES } from '../../limits.ts';
import type { Dialect } from '../db.ts';
import type { MetaDb } from './jobs.ts';
import { announceTenantChange, blob, byteOrder, bytesOf, columnTypes } from './sql.ts';
import { deletePgpKey, type PgpKeyRow, pgpKeyOf, pgpKeysDdl, savePgpKey } from './tenants-pgp.ts';
import type { ChannelHandlers } from './wake.ts';

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

/** An access token's row: whose it is and until when. Never changed once written (only deleted). */
interface TokenRow {
  tenantId: string;
  expiresAt: number;
}

/**
 * Subscribes to the announcements of tenant changes made by any connection (`announceTenantChange`);
 * returns a function that unsubscribes. See `listenOn`.
 */
export type TenantChangeFeed = (handlers: ChannelHandlers) => () => void;

/**
 * Tokens and tenants already read, kept while (and only while) a change feed tells of every change:
 * the cache starts empty each time listening starts, is emptied by each announcement, and is not used
 * while not listening. Changes made through this process's own MetaTenants empty it at once; one made by
 * another process is seen once its announcement arrives (PostgreSQL delivers it at that commit; until
 * the listening connection reads it, this process may answer from what it read before). Only found rows
 * are kept: a token issued by another process works here at once.
 */
class TenantCache {
  private readonly tokens = new Map<string, TokenRow>();
  private readonly tenants = new Map<string, TenantRow>();
  private live = false;
  private stop: (() => void) | undefined;

  constructor(private readonly feed: TenantChangeFeed) {}

  /** Whether answers may come from the cache; `start` begins listening (once) when it has not. */
  usable(start: boolean): boolean {
    if (start && !this.stop) {
      this.stop = this.feed({
        onNotify: () => this.clear(),
        onListening: () => {
          this.clear();
          this.live = true;
        },
        onLost: () => {
          this.live = false;
          this.clear();
        },
      });
    }
    return this.live;
  }

  token(key: string): TokenRow | undefined {
    return this.tokens.get(key);
  }

  tenant(id: string): TenantRow | undefined {
    return this.tenants.get(id);
  }

  keepToken(key: string, row: TokenRow): void {
    keep(this.tokens, key, row);
  }

  keepTenant(row: TenantRow): void {
    keep(this.tenants, row.id, row);
  }

  /** Forgets tokens expired at `now`. */
  dropExpired(now: number): void {
    for (const [key, row] of this.tokens) if (row.expiresAt <= now) this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
    this.tenants.clear();
  }

  close(): void {
    this.stop?.();
    this.live = false;
    this.clear();
  }
}

/** Adds to a bounded map, dropping its oldest entry when full. */
function keep<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= AUTH_CACHE_ENTRIES && !map.has(key)) {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }
  map.set(key, value);
}

/**
 * The tenants, credentials, OAuth tokens and PGP keys tables, over one connection of their own (opened
 * and migrated by openMetaTenants or openMeta). Other tables of the meta store belong to the job service.
 * With a change feed (PostgreSQL), token and tenant lookups are answered from memory while the feed
 * listens (see TenantCache): a status poll then costs no round trip for its credential. Without one
 * (SQLite, where a lookup is a local read) every lookup reads the tables.
 * @example
 * const meta = openMetaTenants({ kind: 'sqlite', dataDir: '/var/lib/openaqua' });
 * meta.listTenants();
 */
export class MetaTenants {
  private readonly cache: TenantCache | undefined;

  constructor(
    private readonly db: MetaDb,
    opts: { changes?: TenantChangeFeed } = {},
  ) {
    this.cache = opts.changes && new TenantCache(opts.changes);
  }

  /** Whether token and tenant lookups are answered from memory now (PostgreSQL, while listening). */
  get caching(): boolean {
    return this.cache?.usable(false) ?? false;
  }

  /** Runs a change of tenant data: forgets what this process kept, and tells other processes on commit. */
  private change<T>(fn: () => T): T {
    this.cache?.clear();
    return this.db.transaction(() => {
      const out = fn();
      announceTenantChange(this.db);
      return out;
    });
  }

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
    this.change(() =>
      this.db
        .prepare('UPDATE tenants SET time_zone = ?, segments = ? WHERE id = ?')
        .run(timeZone, segments ? 1 : 0, id),
    );
  }

  tenantById(id: string): TenantRow | undefined {
    const cached = this.cache?.usable(false) ? this.cache.tenant(id) : undefined;
    if (cached) return { ...cached };
    const r = this.db.prepare<RawTenant>(`${TENANT_SELECT} WHERE t.id = ?`).get(id);
    const row = r && toTenant(r);
    if (row && this.cache?.usable(false)) this.cache.keepTenant({ ...row });
    return row;
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

  /**
   * The tenant and expiry of an access token, by its hash (the caller compares the expiry with its
   * clock, so a cached token stops working at its expiry like a read one).
   */
  token(tokenHash: Buffer): { tenantId: string; expiresAt: number } | undefined {
    const key = tokenHash.toString('hex');
    const cached = this.cache?.usable(true) ? this.cache.token(key) : undefined;
    if (cached) return { ...cached };
    const r = this.db
      .prepare<{ tenant_id: string; expires_at: number }>(
        'SELECT tenant_id, expires_at FROM oauth_tokens WHERE token_hash = ?',
      )
      .get(blob(this.db, tokenHash));
    const row = r && { tenantId: r.tenant_id, expiresAt: Number(r.expires_at) };
    if (row && this.cache?.usable(false)) this.cache.keepToken(key, { ...row });
    return row;
  }

  /** Revokes an access token before its expiry: it stops working at once. Returns whether it existed. */
  revokeToken(tokenHash: Buffer): boolean {
    return this.change(
      () =>
        this.db.prepare('DELETE FROM oauth_tokens WHERE token_hash = ?').run(blob(this.db, tokenHash))
          .changes > 0,
    );
  }

  /** Drops tokens expired at `now`. Returns how many. */
  purgeTokens(now: number): number {
    // Expired tokens are refused wherever they are still known: nothing to announce.
    this.cache?.dropExpired(now);
    return this.db.prepare('DELETE FROM oauth_tokens WHERE expires_at <= ?').run(now).changes;
  }

  /** Registers (or replaces) a tenant's OpenPGP public key. */
  savePgpKey(key: PgpKeyRow): void {
    this.change(() => savePgpKey(this.db, key));
  }

  /** Drops a tenant's public key; false when it had none. */
  deletePgpKey(tenantId: string): boolean {
    return this.change(() => deletePgpKey(this.db, tenantId));
  }

  /** A tenant's public key. */
  pgpKey(tenantId: string): PgpKeyRow | undefined {
    return pgpKeyOf(this.db, tenantId);
  }

  close(): void {
    this.cache?.close();
    this.db.close();
  }
}
