import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LocalFileStore, type StoredEntry } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';
import { tempDir } from '../jobs/helpers.ts';

describe('LocalFileStore: temporary name, atomic publish, streaming read, delete', () => {
  let tmp: ReturnType<typeof tempDir>;
  let files: LocalFileStore;
  const tenant = newId();
  const job = newId();
  beforeEach(() => {
    tmp = tempDir();
    files = new LocalFileStore(tmp.dir);
  });
  afterEach(() => tmp.cleanup());

  it('a written temporary file is invisible until published under its id', async () => {
    const path = files.tempPath(tenant, job, 1);
    writeFileSync(path, 'a,b\n1,2\n');
    const id = newId();
    assert.equal(await files.open(tenant, id), undefined);
    await files.publish(tenant, path, id);
    assert.equal(existsSync(path), false);
    const stream = await files.open(tenant, id);
    assert.ok(stream);
    assert.equal(await text(stream), 'a,b\n1,2\n');
  });

  it('a file is scoped to its tenant', async () => {
    const path = files.tempPath(tenant, job, 1);
    writeFileSync(path, 'x');
    const id = newId();
    await files.publish(tenant, path, id);
    assert.equal(await files.open(newId(), id), undefined);
  });

  it('delete removes a file once; discard removes a temporary file', async () => {
    const path = files.tempPath(tenant, job, 1);
    writeFileSync(path, 'x');
    const id = newId();
    await files.publish(tenant, path, id);
    assert.equal(await files.delete(tenant, id), true);
    assert.equal(await files.delete(tenant, id), false);
    assert.equal(await files.open(tenant, id), undefined);
    const other = files.tempPath(tenant, job, 2);
    writeFileSync(other, 'y');
    await files.discard(other);
    assert.deepEqual(readdirSync(`${tmp.dir}/${tenant}`), []);
  });

  it('refuses ids that are not 32 hex characters and paths outside the tenant', async () => {
    assert.equal(await files.open(tenant, '../../etc/passwd'), undefined);
    assert.equal(await files.open('../x', newId()), undefined);
    const path = files.tempPath(tenant, job, 1);
    writeFileSync(path, 'x');
    await assert.rejects(files.publish(tenant, path, 'nope'), /not a file id: 'nope'/);
    await assert.rejects(files.publish(newId(), path, newId()), /not a temporary file of tenant/);
    assert.throws(() => files.tempPath('a/b', job, 1), /not a tenant id: 'a\/b'/);
  });

  it('lists files and temporary files with the job and attempt that wrote them', async () => {
    const path = files.tempPath(tenant, job, 3);
    writeFileSync(path, 'x');
    const published = files.tempPath(tenant, job, 3);
    writeFileSync(published, 'y');
    const id = newId();
    await files.publish(tenant, published, id);
    writeFileSync(`${tmp.dir}/${tenant}/unrelated.txt`, 'z');
    const entries: StoredEntry[] = [];
    for await (const e of files.list()) entries.push(e);
    entries.sort((a, b) => a.kind.localeCompare(b.kind));
    assert.deepEqual(entries, [
      { kind: 'file', tenantId: tenant, fileId: id },
      { kind: 'temp', tenantId: tenant, jobId: job, attempt: 3, path },
    ]);
  });

  it('lists nothing when the root does not exist yet', async () => {
    const entries: StoredEntry[] = [];
    for await (const e of new LocalFileStore(`${tmp.dir}/missing`).list()) entries.push(e);
    assert.deepEqual(entries, []);
  });
});
