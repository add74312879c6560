import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createJobService, type JobService } from '../../src/jobs/index.ts';
import type { StoreLocation } from '../../src/store/location.ts';
import { openTenantRegistry, type Tenant, type TenantRegistry } from '../../src/tenants/index.ts';
import { testLocation } from '../support/location.ts';
import { type GnupgHome, gnupgHome, makeKeyPair, openpgpDecrypt, type TestKeyPair } from './keys.ts';

// biome-ignore lint/suspicious/noExplicitAny: job JSON is read field by field and asserted on
type Json = any;

describe('encrypted:"pgp" through the job service: segments, a removed key, a replaced key', () => {
  let dir: string;
  let tenants: TenantRegistry;
  let jobs: JobService;
  let location: StoreLocation;
  let drop: () => void;
  let keys: TestKeyPair;
  let gpg: GnupgHome;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-pgp-'));
    ({ location, drop } = testLocation(dir));
    tenants = openTenantRegistry({ location });
    await tenants.createTenant({ name: 'acme', segments: true });
    tenants.store(tenants.findTenant('acme')!.id).bulkInsert(
      'Account',
      ['Name'],
      ['a', 'b', 'c', 'd', 'e'].map((n) => [n]),
    );
    jobs = createJobService({ location, workers: 0, segmentRows: 2 });
    keys = await makeKeyPair();
    gpg = gnupgHome(keys.privateKey);
  });
  afterEach(async () => {
    gpg.close();
    await jobs.stop();
    tenants.close();
    drop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The tenant as a request carries it (re-read, so that a registered key shows). */
  const acme = (): Tenant => tenants.findTenant('acme')!;

  async function run(body: Json): Promise<Json> {
    const { id } = jobs.submit(acme(), body);
    assert.equal(await jobs.runOnce(), true);
    return jobs.get(acme(), id as string);
  }

  async function fileBytes(fileId: string): Promise<{ bytes: Buffer; contentType: string }> {
    const file = await jobs.openFile(acme(), fileId);
    assert.ok(file);
    return { bytes: await buffer(file.stream), contentType: file.contentType };
  }

  const session = {
    version: '1.1',
    partner: 'p',
    project: 'x',
    useQueryLabels: true,
    queries: [{ name: 'names', query: 'select Name from Account order by Name' }],
  };

  it('encrypts every segment of a stateful full load; each decrypts alone to its part', async () => {
    await tenants.setPgpKey('acme', keys.publicKey);
    assert.match(acme().pgpFingerprint ?? '', /^[0-9A-F]{40}$/);
    for (const format of ['csv', 'gzip'] as const) {
      const job = await run({ ...session, project: format, format, encrypted: 'pgp' });
      assert.equal(job.status, 'completed');
      assert.equal(job.encrypted, 'pgp');
      const segments = job.batches[0].segments as string[];
      assert.equal(segments.length, 3);
      const parts: string[] = [];
      for (const id of segments) {
        const { bytes, contentType } = await fileBytes(id);
        assert.equal(contentType, 'application/pgp-encrypted');
        const clear = await gpg.decrypt(bytes);
        assert.deepEqual(await openpgpDecrypt(bytes, keys.privateKey), clear);
        parts.push((format === 'gzip' ? gunzipSync(clear) : clear).toString('utf8'));
      }
      assert.deepEqual(parts, ['Account.Name\na\nb\n', 'Account.Name\nc\nd\n', 'Account.Name\ne\n']);
    }
  });

  it('a key removed after submit aborts the batch with the reason; the job writes no file', async () => {
    await tenants.setPgpKey('acme', keys.publicKey);
    const { id } = jobs.submit(acme(), { ...session, encrypted: 'pgp' });
    assert.equal(tenants.removePgpKey('acme'), true);
    assert.equal(tenants.removePgpKey('acme'), false);
    assert.equal(acme().pgpFingerprint, undefined);
    await jobs.runOnce();
    const job = jobs.get(acme(), id as string) as Json;
    assert.equal(job.status, 'aborted');
    assert.equal(job.batches[0].status, 'aborted');
    assert.equal(
      job.batches[0].message,
      "the tenant's PGP key was removed after the job was submitted; register one with: openaqua tenant pgp-key",
    );
    assert.equal(job.batches[0].fileId, undefined);
    assert.equal(job.batches[0].segments, undefined);
  });

  it('a key replaced after submit: the files are encrypted to the key registered when the job runs', async () => {
    await tenants.setPgpKey('acme', keys.publicKey);
    const { id } = jobs.submit(acme(), {
      queries: [{ name: 'n', query: 'select Name from Account order by Name' }],
      encrypted: 'pgp',
    });
    const next = await makeKeyPair('Rotated');
    const { key } = await tenants.setPgpKey('acme', next.publicKey);
    assert.equal(acme().pgpFingerprint, key.fingerprint);
    await jobs.runOnce();
    const job = jobs.get(acme(), id as string) as Json;
    const { bytes } = await fileBytes(job.batches[0].fileId);
    assert.equal(
      (await openpgpDecrypt(bytes, next.privateKey)).toString('utf8'),
      'Account: Name\na\nb\nc\nd\ne\n',
    );
    await assert.rejects(openpgpDecrypt(bytes, keys.privateKey), /Session key decryption failed|decrypt/i);
  });
});
