import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { DOWNLOAD_CHUNK_BYTES } from '../limits.ts';
import { FILE_ID, type FileStore, type StoredEntry, TEMP, TENANT_ID } from './types.ts';

function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * A file store on a local directory: `<root>/<tenant>/<fileId>`, temporary files beside them as
 * `.tmp-<jobId>-<attempt>-<random>` so that publishing is a rename within one directory (atomic).
 * @example
 * const files = new LocalFileStore('/var/lib/openaqua/files');
 * const tmp = files.tempPath(tenantId, jobId, 1);
 * // ... write tmp ...
 * await files.publish(tenantId, tmp, newId());
 */
export class LocalFileStore implements FileStore {
  constructor(readonly root: string) {}

  private dir(tenantId: string): string {
    if (!TENANT_ID.test(tenantId)) throw new Error(`not a tenant id: '${tenantId}'`);
    return join(this.root, tenantId);
  }

  tempPath(tenantId: string, jobId: string, attempt: number): string {
    if (!FILE_ID.test(jobId)) throw new Error(`not a job id: '${jobId}'`);
    const dir = this.dir(tenantId);
    mkdirSync(dir, { recursive: true });
    return join(dir, `.tmp-${jobId}-${attempt}-${randomBytes(8).toString('hex')}`);
  }

  async publish(tenantId: string, tempPath: string, fileId: string): Promise<void> {
    const dir = this.dir(tenantId);
    if (!FILE_ID.test(fileId)) throw new Error(`not a file id: '${fileId}'`);
    if (dirname(tempPath) !== dir || !TEMP.test(basename(tempPath))) {
      throw new Error(`not a temporary file of tenant ${tenantId}: '${tempPath}'`);
    }
    await rename(tempPath, join(dir, fileId));
  }

  async open(tenantId: string, fileId: string): Promise<Readable | undefined> {
    if (!FILE_ID.test(fileId) || !TENANT_ID.test(tenantId)) return undefined;
    try {
      // Opening first keeps the stream readable even if the sweeper unlinks the file meanwhile.
      const handle = await open(join(this.dir(tenantId), fileId), 'r');
      return handle.createReadStream({ highWaterMark: DOWNLOAD_CHUNK_BYTES });
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async delete(tenantId: string, fileId: string): Promise<boolean> {
    if (!FILE_ID.test(fileId)) return false;
    try {
      await rm(join(this.dir(tenantId), fileId));
      return true;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
  }

  async discard(tempPath: string): Promise<void> {
    if (!TEMP.test(basename(tempPath))) throw new Error(`not a temporary file: '${tempPath}'`);
    await rm(tempPath, { force: true });
  }

  async *list(): AsyncIterable<StoredEntry> {
    let tenants: string[];
    try {
      tenants = await readdir(this.root);
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    for (const tenantId of tenants) {
      if (!TENANT_ID.test(tenantId)) continue;
      let names: string[];
      try {
        names = await readdir(join(this.root, tenantId));
      } catch (e) {
        if (isMissing(e) || (e as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
        throw e;
      }
      for (const name of names) {
        if (FILE_ID.test(name)) {
          yield { kind: 'file', tenantId, fileId: name };
          continue;
        }
        const m = TEMP.exec(name);
        if (m) {
          const path = join(this.root, tenantId, name);
          yield { kind: 'temp', tenantId, jobId: m[1]!, attempt: Number(m[2]), path };
        }
      }
    }
  }
}
