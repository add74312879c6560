import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { buffer, text } from 'node:stream/consumers';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { FileStore, StoredEntry } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';

/** A fresh, empty store for one test. */
export interface FileStoreFixture {
  readonly files: FileStore;
  /** The directory temporary files are written under (`<tempRoot>/<tenant>/…`); need not exist yet. */
  readonly tempRoot: string;
  cleanup(): Promise<void> | void;
}

/** `entries` in one order (kind, tenant, file id or path), for comparing listings. */
export function sortEntries(entries: StoredEntry[]): StoredEntry[] {
  const key = (e: StoredEntry): string => `${e.kind}/${e.tenantId}/${e.kind === 'file' ? e.fileId : e.path}`;
  return entries.sort((a, b) => key(a).localeCompare(key(b)));
}

/** Everything `files.list()` yields, sorted. */
export async function listAll(files: FileStore): Promise<StoredEntry[]> {
  const entries: StoredEntry[] = [];
  for await (const e of files.list()) entries.push(e);
  return sortEntries(entries);
}

/** Writes `size` bytes of varied content to `path` and returns their sha256. */
export async function writeBytes(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const out = createWriteStream(path);
  const block = Buffer.alloc(64 * 1024);
  for (let written = 0, n = 0; written < size; n++) {
    for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((n * 2654435761 + i) >>> 0, i);
    const chunk = block.subarray(0, Math.min(block.length, size - written));
    hash.update(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
    written += chunk.length;
  }
  out.end();
  await finished(out);
  return hash.digest('hex');
}

/**
 * What every FileStore adapter does, run against the adapter `open` makes: temporary files invisible
 * until published, tenant scoping, delete/discard, listing for the sweeper.
 */
export function fileStoreBehaviour(name: string, open: () => Promise<FileStoreFixture>): void {
  describe(`${name}: temporary name, publish, streaming read, delete, list`, () => {
    let fx: FileStoreFixture;
    let files: FileStore;
    const tenant = newId();
    const job = newId();
    beforeEach(async () => {
      fx = await open();
      files = fx.files;
    });
    afterEach(() => fx.cleanup());

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

    it('publishes a file of several parts and an empty file byte for byte', async () => {
      const big = files.tempPath(tenant, job, 1);
      const size = 17 * 1024 * 1024 + 12_345;
      const sha = await writeBytes(big, size);
      const bigId = newId();
      await files.publish(tenant, big, bigId);
      assert.equal(existsSync(big), false);
      const stream = await files.open(tenant, bigId);
      assert.ok(stream);
      const back = await buffer(stream);
      assert.equal(back.length, size);
      assert.equal(createHash('sha256').update(back).digest('hex'), sha);

      const empty = files.tempPath(tenant, job, 1);
      writeFileSync(empty, '');
      const emptyId = newId();
      await files.publish(tenant, empty, emptyId);
      const none = await files.open(tenant, emptyId);
      assert.ok(none);
      assert.equal((await buffer(none)).length, 0);
    });

    it('a file is scoped to its tenant', async () => {
      const path = files.tempPath(tenant, job, 1);
      writeFileSync(path, 'x');
      const id = newId();
      await files.publish(tenant, path, id);
      const other = newId();
      assert.equal(await files.open(other, id), undefined);
      assert.equal(await files.delete(other, id), false);
      const stream = await files.open(tenant, id);
      assert.ok(stream);
      assert.equal(await text(stream), 'x');
    });

    it('delete removes a file once; discard removes a temporary file', async () => {
      const path = files.tempPath(tenant, job, 1);
      writeFileSync(path, 'x');
      const id = newId();
      await files.publish(tenant, path, id);
      assert.equal(await files.delete(tenant, id), true);
      assert.equal(await files.delete(tenant, id), false);
      assert.equal(await files.open(tenant, id), undefined);
      assert.equal(await files.delete(tenant, newId()), false);
      const other = files.tempPath(tenant, job, 2);
      writeFileSync(other, 'y');
      await files.discard(other);
      await files.discard(other);
      assert.deepEqual(readdirSync(`${fx.tempRoot}/${tenant}`), []);
      assert.deepEqual(await listAll(files), []);
    });

    it('refuses ids that are not 32 hex characters and paths outside the tenant', async () => {
      assert.equal(await files.open(tenant, '../../etc/passwd'), undefined);
      assert.equal(await files.open('../x', newId()), undefined);
      assert.equal(await files.delete(tenant, '../../etc/passwd'), false);
      const path = files.tempPath(tenant, job, 1);
      writeFileSync(path, 'x');
      await assert.rejects(files.publish(tenant, path, 'nope'), /not a file id: 'nope'/);
      await assert.rejects(files.publish(newId(), path, newId()), /not a temporary file of tenant/);
      await assert.rejects(files.discard(`${fx.tempRoot}/${tenant}/notes.txt`), /not a temporary file/);
      assert.throws(() => files.tempPath('a/b', job, 1), /not a tenant id: 'a\/b'/);
      assert.throws(() => files.tempPath(tenant, 'nope', 1), /not a job id: 'nope'/);
      assert.equal(existsSync(path), true);
    });

    it('lists files and temporary files with the tenant, job and attempt that wrote them', async () => {
      const path = files.tempPath(tenant, job, 3);
      writeFileSync(path, 'x');
      const published = files.tempPath(tenant, job, 3);
      writeFileSync(published, 'y');
      const id = newId();
      await files.publish(tenant, published, id);
      const other = newId();
      const otherJob = newId();
      const otherPath = files.tempPath(other, otherJob, 1);
      writeFileSync(otherPath, 'z');
      const otherId = newId();
      await files.publish(other, otherPath, otherId);
      writeFileSync(`${fx.tempRoot}/${tenant}/unrelated.txt`, 'z');
      assert.deepEqual(
        await listAll(files),
        sortEntries([
          { kind: 'file', tenantId: tenant, fileId: id },
          { kind: 'file', tenantId: other, fileId: otherId },
          { kind: 'temp', tenantId: tenant, jobId: job, attempt: 3, path },
        ]),
      );
    });

    it('a fresh store lists nothing', async () => {
      assert.deepEqual(await listAll(files), []);
    });
  });
}
