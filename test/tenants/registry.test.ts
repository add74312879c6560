import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { FixedClock } from '../../src/clock.ts';
import { TOKEN_TTL_SECONDS } from '../../src/limits.ts';
import { openTenantRegistry, TenantError, type TenantRegistry } from '../../src/tenants/index.ts';

describe('tenant registry', () => {
  let dir: string;
  let registry: TenantRegistry;
  const clock = new FixedClock(Date.UTC(2024, 0, 1));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-tenants-'));
    registry = openTenantRegistry({ dataDir: dir, clock });
  });
  after(() => {
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates a tenant with defaults and finds it by name and id', async () => {
    assert.equal(registry.isEmpty(), true);
    const { tenant, credentials } = await registry.createTenant({ name: 'acme' });
    assert.match(tenant.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(tenant, {
      id: tenant.id,
      name: 'acme',
      timeZone: 'America/Los_Angeles',
      segments: false,
    });
    assert.equal(credentials.username, 'acme');
    assert.match(credentials.clientId, /^[0-9a-f]{32}$/);
    assert.ok(credentials.password.length >= 20);
    assert.ok(credentials.clientSecret.length >= 40);
    assert.deepEqual(registry.findTenant('acme'), tenant);
    assert.deepEqual(registry.getTenant(tenant.id), tenant);
    assert.equal(registry.isEmpty(), false);
  });

  it('authenticates user/password and client id/secret, refusing wrong ones', async () => {
    const { tenant, credentials: c } = await registry.createTenant({
      name: 'globex',
      username: 'ops@globex',
      password: 'pa:ss word',
    });
    assert.equal((await registry.authenticatePassword('ops@globex', 'pa:ss word'))?.id, tenant.id);
    assert.equal(await registry.authenticatePassword('ops@globex', 'pa:ss wore'), undefined);
    assert.equal(await registry.authenticatePassword('nobody', 'pa:ss word'), undefined);
    assert.equal((await registry.authenticateClient(c.clientId, c.clientSecret))?.id, tenant.id);
    assert.equal(await registry.authenticateClient(c.clientId, c.password), undefined);
    // A password is not a client secret, nor the reverse.
    assert.equal(await registry.authenticatePassword(c.clientId, c.clientSecret), undefined);
  });

  it('stores secrets only as salted hashes', async () => {
    const { credentials: c } = await registry.createTenant({ name: 'hashed', password: 'visible-if-stored' });
    const db = new Database(join(dir, 'meta.sqlite'), { readonly: true });
    const dump = JSON.stringify(db.prepare('SELECT * FROM credentials').all());
    const rows = db
      .prepare("SELECT salt, hash FROM credentials WHERE identifier IN ('hashed', ?)")
      .all(c.clientId);
    db.close();
    assert.ok(!dump.includes('visible-if-stored'));
    assert.ok(!dump.includes(c.clientSecret));
    assert.equal(rows.length, 2);
    for (const r of rows as { salt: Buffer; hash: Buffer }[]) {
      assert.equal(r.salt.length, 16);
      assert.equal(r.hash.length, 32);
    }
  });

  it('issues tokens that expire after TOKEN_TTL_SECONDS', async () => {
    const { tenant } = await registry.createTenant({ name: 'tokens' });
    const token = registry.issueToken(tenant);
    assert.equal(token.expiresIn, TOKEN_TTL_SECONDS);
    assert.match(token.jti, /^[0-9a-f]{32}$/);
    assert.equal(registry.authenticateToken(token.accessToken)?.id, tenant.id);
    assert.equal(registry.authenticateToken(`${token.accessToken}x`), undefined);
    clock.advance(TOKEN_TTL_SECONDS * 1000 - 1);
    assert.equal(registry.authenticateToken(token.accessToken)?.id, tenant.id);
    clock.advance(1);
    assert.equal(registry.authenticateToken(token.accessToken), undefined);
  });

  it('refuses duplicate names, taken user names, bad names and unknown zones', async () => {
    await assert.rejects(
      registry.createTenant({ name: 'acme' }),
      new TenantError("tenant 'acme' already exists"),
    );
    await assert.rejects(
      registry.createTenant({ name: 'other', username: 'ops@globex' }),
      new TenantError("user name 'ops@globex' is taken"),
    );
    await assert.rejects(registry.createTenant({ name: 'has space' }), TenantError);
    await assert.rejects(
      registry.createTenant({ name: 'zoned', timeZone: 'Mars/Olympus' }),
      new TenantError("unknown time zone 'Mars/Olympus'"),
    );
    assert.equal(registry.findTenant('zoned'), undefined);
  });

  it('changes segments and time zone', () => {
    const t = registry.updateTenant('acme', { segments: true, timeZone: 'Europe/Paris' });
    assert.equal(t.segments, true);
    assert.equal(t.timeZone, 'Europe/Paris');
    assert.deepEqual(registry.findTenant('acme'), t);
    assert.equal(registry.updateTenant('acme', { segments: false }).timeZone, 'Europe/Paris');
    assert.throws(
      () => registry.updateTenant('nope', { segments: true }),
      new TenantError("no tenant named 'nope'"),
    );
  });

  it('lists tenants by name and keeps data under the data directory', () => {
    assert.deepEqual(
      registry.listTenants().map((t) => t.name),
      ['acme', 'globex', 'hashed', 'tokens'],
    );
    const id = registry.findTenant('acme')!.id;
    assert.equal(registry.dataPath(id), join(dir, 'tenants', `${id}.sqlite`));
    const store = registry.store(id);
    assert.equal(registry.store(id), store);
    const accountId = store.create('Account', {
      Name: 'A',
      Status: 'Active',
      Currency: 'USD',
      BillCycleDay: 1,
      PaymentTerm: 'Net 30',
    });
    assert.equal(store.get('Account', accountId)?.Name, 'A');
  });

  it('reopens the same data directory with everything kept', async () => {
    const again = openTenantRegistry({ dataDir: dir, clock });
    try {
      assert.equal(again.listTenants().length, 4);
      assert.equal((await again.authenticatePassword('ops@globex', 'pa:ss word'))?.name, 'globex');
    } finally {
      again.close();
    }
  });
});
