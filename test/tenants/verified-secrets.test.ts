import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { VERIFIED_SECRET_TTL_SECONDS } from '../../src/limits.ts';
import { openTenantRegistry } from '../../src/tenants/index.ts';
import { VerifiedSecrets } from '../../src/tenants/verified-secrets.ts';

describe('verified secrets', () => {
  it('accept the verified secret again, and nothing else', () => {
    const cache = new VerifiedSecrets();
    const stored = { salt: Buffer.from('salt'), hash: Buffer.from('hash-1') };
    assert.equal(cache.has('password\0u', stored, 'pw', 0), false);
    cache.remember('password\0u', stored, 'pw', 0);
    assert.equal(cache.has('password\0u', stored, 'pw', 1000), true);
    assert.equal(cache.has('password\0u', stored, 'pw2', 1000), false);
    assert.equal(cache.has('client\0u', stored, 'pw', 1000), false);
  });

  it('forget a secret once the stored credential changes or the time is up', () => {
    const cache = new VerifiedSecrets();
    const stored = { salt: Buffer.from('salt'), hash: Buffer.from('hash-1') };
    cache.remember('k', stored, 'pw', 0);
    assert.equal(cache.has('k', { ...stored, hash: Buffer.from('hash-2') }, 'pw', 1), false);
    assert.equal(cache.has('k', stored, 'pw', 1), false, 'the changed credential removed the entry');
    cache.remember('k', stored, 'pw', 0);
    assert.equal(cache.has('k', stored, 'pw', VERIFIED_SECRET_TTL_SECONDS * 1000 - 1), true);
    assert.equal(cache.has('k', stored, 'pw', VERIFIED_SECRET_TTL_SECONDS * 1000), false);
  });

  it('let the registry answer repeated Basic credentials without weakening wrong ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openaqua-verified-'));
    const clock = new FixedClock(Date.UTC(2024, 0, 1));
    const registry = openTenantRegistry({ dataDir: dir, clock });
    try {
      const { tenant, credentials } = await registry.createTenant({ name: 'acme', password: 'right-one' });
      assert.equal((await registry.authenticatePassword(credentials.username, 'right-one'))?.id, tenant.id);
      assert.equal((await registry.authenticatePassword(credentials.username, 'right-one'))?.id, tenant.id);
      assert.equal(await registry.authenticatePassword(credentials.username, 'wrong-one'), undefined);
      assert.equal(await registry.authenticatePassword('nobody', 'right-one'), undefined);
      clock.advance(VERIFIED_SECRET_TTL_SECONDS * 1000);
      assert.equal((await registry.authenticatePassword(credentials.username, 'right-one'))?.id, tenant.id);
    } finally {
      registry.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
