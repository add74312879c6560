import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '../clock.ts';
import { newId } from '../ids.ts';
import { DEFAULT_TIME_ZONE, TOKEN_TTL_SECONDS } from '../limits.ts';
import { type StoreLocation, sqliteTenantPath } from '../store/location.ts';
import { openMetaTenants } from '../store/meta/open.ts';
import type { MetaTenants, NewCredential, TenantRow } from '../store/meta/tenants.ts';
import { openTenantStoreAt } from '../store/tenant/open.ts';
import type { TenantDataStore } from '../store/tenant/store.ts';
import { isValidZone } from '../time/zone.ts';
import { type PgpPublicKey, readPgpPublicKey } from './pgp-key.ts';
import { decoyHash, hashSecret, randomSecret, tokenHash, verifySecret } from './secrets.ts';
import { type IssuedToken, type Tenant, type TenantCredentials, TenantError } from './types.ts';
import { VerifiedSecrets } from './verified-secrets.ts';

const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const USERNAME = /^[^\s:]{1,128}$/;

/** What `createTenant` accepts: everything but the name has a default. */
export interface NewTenant {
  name: string;
  timeZone?: string;
  segments?: boolean;
  /** Defaults to the tenant name. */
  username?: string;
  /** Defaults to a random secret. */
  password?: string;
}

/**
 * Where the registry keeps its data: a data directory (`meta.sqlite` and `tenants/<id>.sqlite` under
 * it), or a store location (the meta tables on SQLite or PostgreSQL; tenant data under its dataDir).
 */
export type TenantRegistryOptions = (
  | { dataDir: string; location?: undefined }
  | { location: StoreLocation; dataDir?: undefined }
) & { clock?: Clock };

function toTenant(r: TenantRow): Tenant {
  return {
    id: r.id,
    name: r.name,
    timeZone: r.timeZone,
    segments: r.segments,
    ...(r.pgpFingerprint !== undefined ? { pgpFingerprint: r.pgpFingerprint } : {}),
  };
}

function checkZone(zone: string): void {
  if (!isValidZone(zone)) throw new TenantError(`unknown time zone '${zone}'`);
}

/**
 * Tenants, their credentials and access tokens, and each tenant's data store.
 * @example
 * const tenants = openTenantRegistry({ dataDir: './openaqua-data' });
 * const { tenant, credentials } = await tenants.createTenant({ name: 'acme' });
 * (await tenants.authenticatePassword(credentials.username, credentials.password))?.id === tenant.id
 */
export class TenantRegistry {
  readonly dataDir: string;
  /** Where tenants and their data live. */
  readonly location: StoreLocation;
  private readonly meta: MetaTenants;
  private readonly clock: Clock;
  private readonly stores = new Map<string, TenantDataStore>();
  private readonly verified = new VerifiedSecrets();

  constructor(opts: TenantRegistryOptions) {
    const location: StoreLocation = opts.location ?? { kind: 'sqlite', dataDir: opts.dataDir };
    this.location = location;
    this.dataDir = location.dataDir;
    this.clock = opts.clock ?? systemClock;
    mkdirSync(join(this.dataDir, 'tenants'), { recursive: true });
    this.meta = openMetaTenants(location);
  }

  /** Creates a tenant with a user name/password and an OAuth client; returns the secrets in clear, once. */
  async createTenant(input: NewTenant): Promise<{ tenant: Tenant; credentials: TenantCredentials }> {
    if (!TENANT_NAME.test(input.name)) {
      throw new TenantError(
        `tenant name '${input.name}' must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit`,
      );
    }
    const timeZone = input.timeZone ?? DEFAULT_TIME_ZONE;
    checkZone(timeZone);
    if (this.meta.tenantByName(input.name)) throw new TenantError(`tenant '${input.name}' already exists`);
    const username = input.username ?? input.name;
    if (!USERNAME.test(username)) throw new TenantError(`user name '${username}' must have no spaces or ':'`);
    if (this.meta.credential('password', username)) throw new TenantError(`user name '${username}' is taken`);
    if (input.password !== undefined && input.password.length === 0)
      throw new TenantError('password is empty');
    const credentials: TenantCredentials = {
      username,
      password: input.password ?? randomSecret(18),
      clientId: newId(),
      clientSecret: randomSecret(30),
    };
    const row: TenantRow = {
      id: newId(),
      name: input.name,
      timeZone,
      segments: input.segments ?? false,
      createdAt: this.clock.now(),
    };
    this.meta.insertTenant(row, await this.hashCredentials(credentials));
    return { tenant: toTenant(row), credentials };
  }

  private async hashCredentials(c: TenantCredentials): Promise<NewCredential[]> {
    const [password, client] = await Promise.all([hashSecret(c.password), hashSecret(c.clientSecret)]);
    return [
      { kind: 'password', identifier: c.username, ...password },
      { kind: 'client', identifier: c.clientId, ...client },
    ];
  }

  /** Changes a tenant's time zone and/or segments setting. */
  updateTenant(name: string, changes: { timeZone?: string; segments?: boolean }): Tenant {
    const tenant = this.requireByName(name);
    if (changes.timeZone !== undefined) checkZone(changes.timeZone);
    const next = {
      ...tenant,
      timeZone: changes.timeZone ?? tenant.timeZone,
      segments: changes.segments ?? tenant.segments,
    };
    this.meta.updateTenant(tenant.id, next.timeZone, next.segments);
    return next;
  }

  /**
   * Registers the OpenPGP public key (ASCII-armored) that result files of `encrypted: "pgp"` jobs are
   * encrypted to, replacing any earlier one. Throws TenantError when the key cannot encrypt.
   */
  async setPgpKey(name: string, armored: string): Promise<{ tenant: Tenant; key: PgpPublicKey }> {
    const tenant = this.requireByName(name);
    const key = await readPgpPublicKey(armored);
    this.meta.savePgpKey({
      tenantId: tenant.id,
      fingerprint: key.fingerprint,
      armored: key.armored,
      createdAt: this.clock.now(),
    });
    return { tenant: { ...tenant, pgpFingerprint: key.fingerprint }, key };
  }

  /** Drops a tenant's public key; false when none was registered. */
  removePgpKey(name: string): boolean {
    return this.meta.deletePgpKey(this.requireByName(name).id);
  }

  /** A tenant's registered public key, ASCII-armored. */
  pgpKey(tenantId: string): string | undefined {
    return this.meta.pgpKey(tenantId)?.armored;
  }

  private requireByName(name: string): Tenant {
    const tenant = this.findTenant(name);
    if (!tenant) throw new TenantError(`no tenant named '${name}'`);
    return tenant;
  }

  /** A tenant by name. */
  findTenant(name: string): Tenant | undefined {
    const r = this.meta.tenantByName(name);
    return r && toTenant(r);
  }

  /** A tenant by id. */
  getTenant(id: string): Tenant | undefined {
    const r = this.meta.tenantById(id);
    return r && toTenant(r);
  }

  /** Every tenant, by name. */
  listTenants(): Tenant[] {
    return this.meta.listTenants().map(toTenant);
  }

  /** Whether no tenant exists yet (a fresh data directory). */
  isEmpty(): boolean {
    return this.meta.countTenants() === 0;
  }

  /** The tenant of a user name and password (Basic auth, `apiAccessKeyId` headers). */
  authenticatePassword(username: string, password: string): Promise<Tenant | undefined> {
    return this.check('password', username, password);
  }

  /** The tenant of an OAuth client id and secret. */
  authenticateClient(clientId: string, clientSecret: string): Promise<Tenant | undefined> {
    return this.check('client', clientId, clientSecret);
  }

  private async check(kind: 'password' | 'client', id: string, secret: string): Promise<Tenant | undefined> {
    const cred = this.meta.credential(kind, id);
    const key = `${kind}\0${id}`;
    const now = this.clock.now();
    if (cred && this.verified.has(key, cred, secret, now)) return this.getTenant(cred.tenantId);
    const ok = await verifySecret(secret, cred ?? (await decoyHash()));
    if (!ok || !cred) return undefined;
    this.verified.remember(key, cred, secret, now);
    return this.getTenant(cred.tenantId);
  }

  /** Issues an access token to a tenant; it expires after TOKEN_TTL_SECONDS. */
  issueToken(tenant: Tenant): IssuedToken {
    const now = this.clock.now();
    this.meta.purgeTokens(now);
    const accessToken = randomSecret(32);
    const jti = newId();
    this.meta.insertToken(tokenHash(accessToken), tenant.id, jti, now + TOKEN_TTL_SECONDS * 1000);
    return { accessToken, jti, expiresIn: TOKEN_TTL_SECONDS, scope: `tenant.${tenant.id}` };
  }

  /** The tenant of a live access token. */
  authenticateToken(accessToken: string): Tenant | undefined {
    const t = this.meta.token(tokenHash(accessToken));
    if (!t || t.expiresAt <= this.clock.now()) return undefined;
    return this.getTenant(t.tenantId);
  }

  /** Where a tenant's data lives on the embedded store: `<data>/tenants/<id>.sqlite`. */
  dataPath(tenantId: string): string {
    return sqliteTenantPath(this.dataDir, tenantId);
  }

  /** The tenant's data store, opened once and kept. */
  store(tenantId: string): TenantDataStore {
    let store = this.stores.get(tenantId);
    if (!store) {
      const tenant = this.getTenant(tenantId);
      if (!tenant) throw new TenantError(`no tenant with id '${tenantId}'`);
      store = openTenantStoreAt(this.location, tenantId, { clock: this.clock, timeZone: tenant.timeZone });
      this.stores.set(tenantId, store);
    }
    return store;
  }

  /** Closes every open store and the meta database. */
  close(): void {
    for (const s of this.stores.values()) s.close();
    this.stores.clear();
    this.meta.close();
  }
}

/**
 * Opens the tenant registry of a data directory, creating it when needed.
 * @example const tenants = openTenantRegistry({ dataDir: process.env.OPENAQUA_DATA ?? './openaqua-data' });
 */
export function openTenantRegistry(opts: TenantRegistryOptions): TenantRegistry {
  return new TenantRegistry(opts);
}
