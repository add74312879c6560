import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { LocalFileStore } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';
import { fileStoreBehaviour } from './file-store-behaviour.ts';

function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-files-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

fileStoreBehaviour('LocalFileStore', async () => {
  const tmp = tempDir();
  const root = `${tmp.dir}/files`;
  return { files: new LocalFileStore(root), tempRoot: root, cleanup: tmp.cleanup };
});

describe('LocalFileStore: on disk', () => {
  it('keeps files as <root>/<tenant>/<fileId> and temporary files beside them', async () => {
    const tmp = tempDir();
    try {
      const files = new LocalFileStore(tmp.dir);
      const tenant = newId();
      const path = files.tempPath(tenant, newId(), 1);
      assert.match(path, new RegExp(`^${tmp.dir}/${tenant}/\\.tmp-[0-9a-f]{32}-1-[0-9a-f]{16}$`));
      writeFileSync(path, 'x');
      const id = newId();
      await files.publish(tenant, path, id);
      assert.equal(readFileSync(`${tmp.dir}/${tenant}/${id}`, 'utf8'), 'x');
      const stream = await files.open(tenant, id);
      assert.ok(stream);
      assert.equal(await text(stream), 'x');
      assert.equal(files.root, tmp.dir);
    } finally {
      tmp.cleanup();
    }
  });
});
