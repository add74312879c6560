/**
 * Result file storage: the FileStore port and its local-directory adapter.
 *
 * @example
 * import { LocalFileStore } from './files/index.ts';
 * const files = new LocalFileStore(join(dataDir, 'files'));
 * const stream = await files.open(tenantId, fileId); // undefined when unknown or purged
 */
export { LocalFileStore } from './local.ts';
export type { FileStore, StoredEntry } from './types.ts';
