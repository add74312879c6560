import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { S3_PART_SIZE, S3FileStore, type S3FileStoreOptions, s3ClientConfig } from '../../src/files/s3.ts';
import { newId } from '../../src/ids.ts';
import { fileStoreBehaviour, listAll, writeBytes } from './file-store-behaviour.ts';
import { type S3Request, startS3, type TestS3 } from './s3-server.ts';

let s3: TestS3;
before(async () => {
  s3 = await startS3();
});
after(() => s3.close());

/** Stores made by `store`, closed and their temp directories removed by `closeStores`. */
const made: { store: S3FileStore; dir: string }[] = [];
function store(over: Partial<S3FileStoreOptions> = {}): S3FileStore {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-s3-temp-'));
  const files = new S3FileStore({
    bucket: s3.bucket,
    prefix: `p-${newId()}`,
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    localTempDir: join(dir, 'files'),
    ...over,
  });
  made.push({ store: files, dir });
  return files;
}
function closeStores(): void {
  for (const { store, dir } of made.splice(0)) {
    store.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

fileStoreBehaviour('S3FileStore', async () => {
  const files = store();
  return { files, tempRoot: files.localTempDir, cleanup: closeStores };
});

/** The requests made for the object `key` of the test bucket (in path style: the bucket in the path). */
function requestsFor(key: string): S3Request[] {
  return s3.requests.filter((r) => r.path === `/${s3.bucket}/${key}`);
}

/** The S3 operation of an object request, with the part number of an UploadPart. */
function operation(r: S3Request): string {
  if (r.method === 'POST')
    return r.query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  if (r.method === 'PUT')
    return r.query.has('partNumber') ? `UploadPart ${r.query.get('partNumber')}` : 'PutObject';
  if (r.method === 'DELETE') return r.query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  return r.method === 'HEAD' ? 'HeadObject' : 'GetObject';
}

describe('S3FileStore: objects, multipart uploads, failures, prefixes', () => {
  const tenant = newId();
  const job = newId();
  beforeEach(() => {
    s3.refuse = () => false;
  });
  afterEach(closeStores);

  it('stores a file as <prefix>/<tenant>/<fileId>, uploading a large one in parts', async () => {
    const files = store({ prefix: `/nested/p-${newId()}/` });
    assert.match(files.prefix, /^nested\/p-[0-9a-f]{32}$/);
    const path = files.tempPath(tenant, job, 1);
    assert.equal(path, join(files.localTempDir, tenant, path.slice(path.lastIndexOf('/') + 1)));
    await writeBytes(path, 2 * S3_PART_SIZE + 1000);
    const id = newId();
    await files.publish(tenant, path, id);
    // The bucket is in the path: an endpoint implies path-style addressing.
    assert.deepEqual(
      requestsFor(`${files.prefix}/${tenant}/${id}`).map(operation).sort(),
      [
        'CreateMultipartUpload',
        'UploadPart 1',
        'UploadPart 2',
        'UploadPart 3',
        'CompleteMultipartUpload',
      ].sort(),
      'a multipart upload of three parts',
    );

    const small = files.tempPath(tenant, job, 1);
    writeFileSync(small, 'a,b\n');
    const smallId = newId();
    await files.publish(tenant, small, smallId);
    assert.deepEqual(requestsFor(`${files.prefix}/${tenant}/${smallId}`).map(operation), ['PutObject']);
  });

  it('a publish whose upload fails throws, leaves no object and keeps the temporary file', async () => {
    const prefix = `p-${newId()}`;
    const files = store({ bucket: 'no-such-bucket', prefix });
    const path = files.tempPath(tenant, job, 1);
    writeFileSync(path, 'x');
    const id = newId();
    await assert.rejects(files.publish(tenant, path, id), /bucket does not exist/);
    assert.equal(existsSync(path), true);
    await assert.rejects(
      files.open(tenant, id),
      /bucket does not exist/,
      'a missing bucket is no missing file',
    );

    const same = store({ prefix, localTempDir: files.localTempDir });
    assert.equal(await same.open(tenant, id), undefined);
    assert.deepEqual(await listAll(same), [{ kind: 'temp', tenantId: tenant, jobId: job, attempt: 1, path }]);
  });

  it('a multipart upload that fails part-way is aborted: no object, and publishing again works', async () => {
    const files = store();
    const path = files.tempPath(tenant, job, 2);
    const sha = await writeBytes(path, 2 * S3_PART_SIZE + 1);
    const id = newId();
    const key = `${files.prefix}/${tenant}/${id}`;
    s3.refuse = (r) => r.path === `/${s3.bucket}/${key}` && r.query.get('partNumber') === '2';
    await assert.rejects(files.publish(tenant, path, id), /Access Denied/);
    assert.ok(requestsFor(key).map(operation).includes('AbortMultipartUpload'), 'the upload was aborted');
    assert.equal(existsSync(path), true);
    assert.equal(await files.open(tenant, id), undefined);
    assert.deepEqual(await listAll(files), [
      { kind: 'temp', tenantId: tenant, jobId: job, attempt: 2, path },
    ]);

    s3.refuse = () => false;
    await files.publish(tenant, path, id);
    assert.equal(existsSync(path), false);
    const back = await files.open(tenant, id);
    assert.ok(back);
    const hash = createHash('sha256');
    for await (const chunk of back) hash.update(chunk as Buffer);
    assert.equal(hash.digest('hex'), sha);
  });

  it('stores with different prefixes in one bucket do not see each other', async () => {
    const base = `p-${newId()}`;
    const stores = [
      store({ prefix: base }),
      store({ prefix: `${base}/inner` }),
      store({ prefix: `${base}x` }),
    ];
    const ids = [];
    for (const files of stores) {
      const path = files.tempPath(tenant, job, 1);
      writeFileSync(path, files.prefix);
      const id = newId();
      await files.publish(tenant, path, id);
      ids.push(id);
    }
    for (const [i, files] of stores.entries()) {
      assert.deepEqual(await listAll(files), [{ kind: 'file', tenantId: tenant, fileId: ids[i]! }]);
      for (const [j, id] of ids.entries()) {
        const stream = await files.open(tenant, id);
        if (i === j) {
          assert.ok(stream);
          assert.equal(await text(stream), files.prefix);
        } else {
          assert.equal(stream, undefined);
          assert.equal(await files.delete(tenant, id), false);
        }
      }
    }
  });

  it('lists past one page of keys', async () => {
    const files = store({ listPageSize: 2 });
    const expected = [];
    for (let i = 0; i < 5; i++) {
      const path = files.tempPath(tenant, job, 1);
      writeFileSync(path, String(i));
      const id = newId();
      await files.publish(tenant, path, id);
      expected.push({ kind: 'file', tenantId: tenant, fileId: id });
    }
    expected.sort((a, b) => a.fileId.localeCompare(b.fileId));
    assert.deepEqual(await listAll(files), expected);
    const pages = s3.requests.filter(
      (r) => r.query.get('list-type') === '2' && r.query.get('max-keys') === '2',
    );
    assert.equal(pages.length, 3);
  });
});

describe('S3FileStore: configuration', () => {
  afterEach(closeStores);

  it('takes endpoint, region and credentials from the AWS environment variables', async () => {
    const names = [
      'AWS_ENDPOINT_URL_S3',
      'AWS_ENDPOINT_URL',
      'AWS_REGION',
      'AWS_DEFAULT_REGION',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_PROFILE',
    ];
    const saved = Object.fromEntries(names.map((n) => [n, process.env[n]]));
    try {
      for (const n of names) delete process.env[n];
      process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
      process.env.AWS_DEFAULT_REGION = 'eu-west-1';
      process.env.AWS_ACCESS_KEY_ID = s3.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = s3.secretAccessKey;
      const dir = mkdtempSync(join(tmpdir(), 'openaqua-s3-temp-'));
      const files = new S3FileStore({ bucket: s3.bucket, prefix: `p-${newId()}`, localTempDir: dir });
      made.push({ store: files, dir });
      const tenant = newId();
      const path = files.tempPath(tenant, newId(), 1);
      writeFileSync(path, 'from env');
      const id = newId();
      await files.publish(tenant, path, id);
      const stream = await files.open(tenant, id);
      assert.ok(stream);
      assert.equal(await text(stream), 'from env');
    } finally {
      for (const n of names) {
        if (saved[n] === undefined) delete process.env[n];
        else process.env[n] = saved[n];
      }
    }
  });

  it('an endpoint implies path-style addressing unless told otherwise', () => {
    const base = { bucket: 'b', prefix: '', localTempDir: '/tmp/x' };
    assert.equal(s3ClientConfig({ ...base, endpoint: 'http://127.0.0.1:9000' }, {}).forcePathStyle, true);
    assert.equal(s3ClientConfig(base, { AWS_ENDPOINT_URL: 'http://minio:9000' }).forcePathStyle, true);
    assert.equal(s3ClientConfig(base, {}).forcePathStyle, false);
    assert.equal(
      s3ClientConfig({ ...base, endpoint: 'http://s3.local', forcePathStyle: false }, {}).forcePathStyle,
      false,
    );
    const fromEnv = s3ClientConfig(base, {
      AWS_ENDPOINT_URL: 'http://a:1',
      AWS_ENDPOINT_URL_S3: 'http://b:2',
      AWS_DEFAULT_REGION: 'eu-west-1',
    });
    assert.equal(fromEnv.endpoint, 'http://b:2');
    assert.equal(fromEnv.region, 'eu-west-1');
    assert.equal(
      s3ClientConfig(base, { AWS_REGION: 'ap-south-1', AWS_DEFAULT_REGION: 'x' }).region,
      'ap-south-1',
    );
    assert.equal(s3ClientConfig({ ...base, region: 'us-west-2' }, { AWS_REGION: 'x' }).region, 'us-west-2');
    assert.equal(s3ClientConfig({ ...base, endpoint: 'http://s3.local' }, {}).region, 'us-east-1');
    assert.throws(
      () => s3ClientConfig({ ...base, accessKeyId: 'k' }, {}),
      /both an access key id and a secret/,
    );
  });
});
