import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openTenantStore } from '../../src/store/index.ts';
import { tempDir } from './temp-store.ts';

describe('tenant isolation', () => {
  it('keeps each tenant in its own file with its own change sequence', () => {
    const { dir, cleanup } = tempDir();
    const acme = openTenantStore(path.join(dir, 'acme.db'));
    const beta = openTenantStore(path.join(dir, 'beta.db'), { tenant: 'Beta Corp' });
    try {
      assert.equal(acme.tenant, 'acme');
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
      cleanup();
    }
  });
});
