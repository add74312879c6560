/**
 * Result file storage: the FileStore port, its local-directory and S3 adapters, and the factory that
 * picks one from the `--files` setting.
 *
 * @example
 * import { openFileStore } from './files/index.ts';
 * const files = openFileStore(opts.files, join(dataDir, 'files')); // a directory or s3://bucket/prefix
 * const stream = await files.open(tenantId, fileId); // undefined when unknown or purged
 */

import { LocalFileStore } from './local.ts';
import { S3FileStore } from './s3.ts';
import type { FileStore } from './types.ts';

export { LocalFileStore } from './local.ts';
export { S3FileStore, type S3FileStoreOptions, s3ClientConfig } from './s3.ts';
export type { FileStore, StoredEntry } from './types.ts';

/** S3's rules for a bucket name (3-63 lowercase letters, digits, dots and hyphens, not an IP address). */
const BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Prefix segments: S3's safe key characters, no '.' or '..' segments. */
const PREFIX_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9!_.*'()-]+$/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The bucket and prefix of an `s3://bucket[/prefix]` spec, or undefined when it is not one. */
export function parseS3Spec(spec: string): { bucket: string; prefix: string } | undefined {
  if (!spec.startsWith('s3://')) return undefined;
  const rest = spec.slice('s3://'.length).replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const bucket = slash < 0 ? rest : rest.slice(0, slash);
  const prefix = slash < 0 ? '' : rest.slice(slash + 1);
  if (!BUCKET.test(bucket)) return undefined;
  if (prefix !== '' && !prefix.split('/').every((s) => PREFIX_SEGMENT.test(s))) return undefined;
  return { bucket, prefix };
}

/**
 * The file store `spec` names: undefined or '' → a LocalFileStore on `localDir`; a path → a
 * LocalFileStore there; `s3://bucket[/prefix]` → an S3FileStore whose temporary files are written under
 * `localDir` (endpoint, region and credentials from the AWS environment variables). Throws on anything else.
 * @example
 * openFileStore(undefined, '/data/files')         // LocalFileStore('/data/files')
 * openFileStore('/mnt/results', '/data/files')    // LocalFileStore('/mnt/results')
 * openFileStore('s3://exports/aqua', '/data/files') // S3FileStore, keys aqua/<tenant>/<fileId>
 */
export function openFileStore(spec: string | undefined, localDir: string): FileStore {
  if (spec === undefined || spec === '') return new LocalFileStore(localDir);
  const s3 = parseS3Spec(spec);
  if (s3) return new S3FileStore({ ...s3, localTempDir: localDir });
  if (URL_SCHEME.test(spec) || spec.trim() === '' || spec.includes('\0')) {
    throw new Error(`--files must be a directory or s3://bucket[/prefix], not '${spec}'`);
  }
  return new LocalFileStore(spec);
}
