import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { batchesOf, type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('zip and gzip result files pass unzip -t and gzip -t', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture();
    fx.store.create('Account', { Name: 'Acme' });
  });
  afterEach(() => fx.close());

  async function fileOf(format: string): Promise<{ bytes: Buffer; contentType: string; path: string }> {
    const { id } = fx.jobs.submit(fx.tenant, {
      format,
      queries: [{ name: 'Accounts', query: 'select Name from Account' }],
    });
    await fx.jobs.runOnce();
    const fileId = batchesOf(fx.jobs.get(fx.tenant, id as string))[0]!.fileId as string;
    const file = (await fx.jobs.openFile(fx.tenant, fileId))!;
    const bytes = await buffer(file.stream);
    const path = join(fx.dir, `check.${format}`);
    writeFileSync(path, bytes);
    return { bytes, contentType: file.contentType, path };
  }

  it('gzip: the gzipped CSV', async () => {
    const f = await fileOf('gzip');
    assert.equal(f.contentType, 'application/x-gzip;charset=UTF-8');
    execFileSync('gzip', ['-t', f.path]);
    assert.equal(gunzipSync(f.bytes).toString('utf8'), 'Account: Name\nAcme\n');
  });

  it('zip: one archive holding <query name>.csv', async () => {
    const f = await fileOf('ZIP');
    assert.equal(f.contentType, 'application/zip;charset=UTF-8');
    execFileSync('unzip', ['-t', f.path]);
    assert.match(execFileSync('unzip', ['-l', f.path]).toString(), /\sAccounts\.csv\n/);
    assert.equal(execFileSync('unzip', ['-p', f.path, 'Accounts.csv']).toString(), 'Account: Name\nAcme\n');
  });
});
