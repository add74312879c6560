import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openMeta, openMetaTenants } from '../../src/store/meta/open.ts';
import type { MetaTenants } from '../../src/store/meta/tenants.ts';
import { TEST_STORE, testLocation } from '../support/location.ts';
import { T0 } from './meta-fixture.ts';

const TENANT = { id: 't1', name: 'one', timeZone: 'UTC', segments: false, createdAt: T0 };
const hashOf = (n: number) => Buffer.alloc(32, n);

/** Waits for `ok` (a notification travels between connections); gives up after 10 s. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !ok(); waited += 10) {
    if (waited > 10_000) assert.fail(`still not so after 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe(`token and tenant lookups on ${TEST_STORE}: what one process changes, every process sees`, () => {
  let dir: string;
  let drop: () => void;
  let location: ReturnType<typeof testLocation>['location'];
  let opened: MetaTenants[];
  const open = (): MetaTenants => {
    const m = openMetaTenants(location);
    opened.push(m);
    return m;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-auth-cache-'));
    ({ location, drop } = testLocation(dir));
    opened = [];
  });
  afterEach(() => {
    for (const m of opened) m.close();
    drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a revoked token, a new time zone and a new PGP key take effect at once on the process that made them', async () => {
    const a = open();
    a.insertTenant(TENANT, []);
    a.insertToken(hashOf(1), 't1', 'jti-1', T0 + 60_000);
    a.insertToken(hashOf(2), 't1', 'jti-2', T0 + 60_000);
    assert.deepEqual(a.token(hashOf(1)), { tenantId: 't1', expiresAt: T0 + 60_000 });
    // On PostgreSQL the first token lookup starts listening; from then on lookups come from memory.
    if (TEST_STORE === 'postgres') await until(() => a.caching, 'listening for tenant changes');
    else assert.equal(a.caching, false, 'SQLite reads every time');
    assert.deepEqual(a.token(hashOf(2)), { tenantId: 't1', expiresAt: T0 + 60_000 });
    assert.equal(a.tenantById('t1')?.timeZone, 'UTC');

    assert.equal(a.revokeToken(hashOf(2)), true);
    assert.equal(a.token(hashOf(2)), undefined, 'revoked: refused at once');
    assert.equal(a.revokeToken(hashOf(2)), false);
    a.updateTenant('t1', 'Europe/Paris', true);
    assert.deepEqual(a.tenantById('t1'), { ...TENANT, timeZone: 'Europe/Paris', segments: true });
    a.savePgpKey({ tenantId: 't1', fingerprint: 'F1', armored: 'key', createdAt: T0 });
    assert.equal(a.tenantById('t1')?.pgpFingerprint, 'F1');
    assert.equal(a.deletePgpKey('t1'), true);
    assert.equal(a.tenantById('t1')?.pgpFingerprint, undefined);
    assert.equal(a.purgeTokens(T0 + 60_000), 1);
    assert.equal(a.token(hashOf(1)), undefined, 'purged when expired');
  });

  it('another process: a token it issues works at once; its revocations and tenant changes reach this one', async () => {
    const a = open();
    const b = open();
    a.insertTenant(TENANT, []);
    assert.equal(a.token(hashOf(1)), undefined);
    b.insertToken(hashOf(1), 't1', 'jti-1', T0 + 60_000);
    b.insertToken(hashOf(2), 't1', 'jti-2', T0 + 60_000);
    assert.equal(a.token(hashOf(1))?.tenantId, 't1', 'an unknown token is never remembered as unknown');
    if (TEST_STORE === 'postgres') await until(() => a.caching, 'listening for tenant changes');
    assert.equal(a.token(hashOf(2))?.tenantId, 't1');
    assert.equal(a.tenantById('t1')?.timeZone, 'UTC');

    b.revokeToken(hashOf(2));
    b.updateTenant('t1', 'Asia/Tokyo', false);
    await until(() => a.token(hashOf(2)) === undefined, 'the revoked token is refused');
    assert.equal(a.tenantById('t1')?.timeZone, 'Asia/Tokyo');
    assert.equal(a.token(hashOf(1))?.tenantId, 't1', 'other tokens still work');
  });

  it('on PostgreSQL lookups are answered from memory while listening, and read again once it stops', async (t) => {
    if (TEST_STORE !== 'postgres') {
      t.skip('SQLite keeps no cache');
      return;
    }
    const a = open();
    a.insertTenant(TENANT, []);
    a.insertToken(hashOf(1), 't1', 'jti-1', T0 + 60_000);
    a.token(hashOf(1));
    await until(() => a.caching, 'listening for tenant changes');
    assert.equal(a.token(hashOf(1))?.tenantId, 't1');
    // A change no openaqua process announces (plain SQL) is not seen while the cache holds the row...
    const other = openMeta(location);
    try {
      other.jobs.prepare('DELETE FROM oauth_tokens').run();
    } finally {
      other.close();
    }
    assert.equal(a.token(hashOf(1))?.tenantId, 't1');
    // ...and is once the cache is dropped, as when the listening connection ends.
    a.close();
    opened.pop();
    const reopened = open();
    assert.equal(reopened.token(hashOf(1)), undefined);
  });
});
