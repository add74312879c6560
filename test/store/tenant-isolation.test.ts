import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openTenantStore } from '../../src/store/index.ts';
import { newTenantId, tempStore } from './temp-store.ts';

describe('tenant isolation', () => {
  it('keeps each tenant in its own file or schema with its own change sequence', () => {
    const t = tempStore();
    const acmeId = newTenantId();
    const acme = openTenantStore(t.location, acmeId);
    const beta = openTenantStore(t.location, newTenantId(), { tenant: 'Beta Corp' });
    try {
      assert.equal(acme.tenant, acmeId);
      assert.equal(beta.tenant, 'Beta Corp');
      const id = acme.create('Account', { Name: 'Acme only' });
      acme.create('Account', { Name: 'Acme too' });
      assert.equal(beta.get('Account', id), undefined);
      assert.throws(() => beta.update('Account', id, { Name: 'x' }), { code: 'INVALID_ID' });
      beta.create('Account', { Id: id, Name: 'Same Id, other tenant' });
      assert.equal(acme.get('Account', id)?.Name, 'Acme only');
      assert.equal(beta.get('Account', id)?.Name, 'Same Id, other tenant');
      assert.deepEqual([acme.snapshot((s) => s.seq), beta.snapshot((s) => s.seq)], [2, 1]);
    } finally {
      acme.close();
      beta.close();
      t.done();
    }
  });

  it('names a store opened by file after the file', () => {
    const t = tempStore();
    try {
      if (t.location.kind !== 'sqlite') return;
      const s = openTenantStore(`${t.location.dataDir}/acme.db`);
      assert.equal(s.tenant, 'acme');
      s.close();
    } finally {
      t.done();
    }
  });
});
