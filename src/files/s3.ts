import { open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { LocalFileStore } from './local.ts';
import { FILE_ID, type FileStore, type StoredEntry, TEMP, TENANT_ID } from './types.ts';

/** Bytes per part of a multipart upload (S3's minimum is 5 MiB). */
export const S3_PART_SIZE = 8 * 1024 * 1024;
/** Parts uploaded at once; an upload buffers at most this many parts in memory. */
export const S3_UPLOAD_QUEUE = 4;

export interface S3FileStoreOptions {
  readonly bucket: string;
  /** Key prefix of the store, without leading or trailing '/'; '' for the bucket's root. */
  readonly prefix: string;
  /** An S3-compatible endpoint (e.g. http://127.0.0.1:9000); default AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS. */
  readonly endpoint?: string;
  /** Default AWS_REGION, AWS_DEFAULT_REGION, else us-east-1 when an endpoint is set. */
  readonly region?: string;
  /** Both or neither; default the SDK's credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, profiles, roles). */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  /** Default true when an endpoint is set (S3-compatible servers rarely serve bucket subdomains), else false. */
  readonly forcePathStyle?: boolean;
  /** Where temporary files are written before they are uploaded: `<localTempDir>/<tenant>/.tmp-…`. */
  readonly localTempDir: string;
  /** Keys per ListObjectsV2 page (at most 1000, the default). */
  readonly listPageSize?: number;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** The S3 client configuration for `opts`, with the AWS environment variables of `env` as defaults. */
export function s3ClientConfig(
  opts: S3FileStoreOptions,
  env: NodeJS.ProcessEnv = process.env,
): S3ClientConfig {
  const endpoint =
    nonEmpty(opts.endpoint) ?? nonEmpty(env.AWS_ENDPOINT_URL_S3) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const region =
    nonEmpty(opts.region) ??
    nonEmpty(env.AWS_REGION) ??
    nonEmpty(env.AWS_DEFAULT_REGION) ??
    (endpoint ? 'us-east-1' : undefined);
  if ((opts.accessKeyId === undefined) !== (opts.secretAccessKey === undefined)) {
    throw new Error('S3 credentials need both an access key id and a secret access key');
  }
  return {
    ...(endpoint !== undefined && { endpoint }),
    ...(region !== undefined && { region }),
    forcePathStyle: opts.forcePathStyle ?? endpoint !== undefined,
    ...(opts.accessKeyId !== undefined &&
      opts.secretAccessKey !== undefined && {
        credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      }),
    // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's default
    // trailing-checksum (aws-chunked) uploads.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** The AWS SDK, loaded on first use so that processes without an S3 store never load it. */
type Sdk = typeof import('@aws-sdk/client-s3') & { Upload: typeof import('@aws-sdk/lib-storage').Upload };
let sdk: Promise<Sdk> | undefined;
function loadSdk(): Promise<Sdk> {
  sdk ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')]).then(
    ([client, storage]) => ({ ...client, Upload: storage.Upload }),
  );
  return sdk;
}

/** No such object (GetObject's NoSuchKey, HeadObject's bare 404); a missing bucket is an error instead. */
function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound';
}

/**
 * A file store on an S3 bucket: published files are objects `<prefix>/<tenant>/<fileId>`; temporary
 * files stay on the local disk under `<localTempDir>/<tenant>/.tmp-<jobId>-<attempt>-<random>`, named as
 * in the local store. Publishing uploads the temporary file (a multipart upload past one part) and then
 * removes it; S3 makes an object visible only once its upload completed, so a file is never seen half
 * written, and a failed upload is aborted and leaves no object.
 * @example
 * const files = new S3FileStore({ bucket: 'exports', prefix: 'aqua', localTempDir: '/var/tmp/openaqua' });
 * const tmp = files.tempPath(tenantId, jobId, 1);
 * // ... write tmp ...
 * await files.publish(tenantId, tmp, newId());
 */
export class S3FileStore implements FileStore {
  readonly bucket: string;
  readonly prefix: string;
  readonly localTempDir: string;
  /** Where running jobs write: temporary files only, on local disk. */
  private readonly temps: LocalFileStore;
  private readonly config: S3ClientConfig;
  private readonly listPageSize: number;
  private client: S3Client | undefined;
  private connecting: Promise<{ sdk: Sdk; client: S3Client }> | undefined;

  constructor(opts: S3FileStoreOptions) {
    const prefix = opts.prefix.replace(/^\/+|\/+$/g, '');
    if (!opts.bucket) throw new Error('an S3 file store needs a bucket');
    this.bucket = opts.bucket;
    this.prefix = prefix;
    this.localTempDir = opts.localTempDir;
    this.temps = new LocalFileStore(opts.localTempDir);
    this.listPageSize = opts.listPageSize ?? 1000;
    this.config = s3ClientConfig(opts);
  }

  private connect(): Promise<{ sdk: Sdk; client: S3Client }> {
    this.connecting ??= loadSdk().then((sdk) => {
      this.client = new sdk.S3Client(this.config);
      return { sdk, client: this.client };
    });
    return this.connecting;
  }

  private tempDir(tenantId: string): string {
    if (!TENANT_ID.test(tenantId)) throw new Error(`not a tenant id: '${tenantId}'`);
    return join(this.localTempDir, tenantId);
  }

  /** The key prefix every object of the store starts with: '' or `<prefix>/`. */
  private get keyPrefix(): string {
    return this.prefix === '' ? '' : `${this.prefix}/`;
  }

  private key(tenantId: string, fileId: string): string {
    return `${this.keyPrefix}${tenantId}/${fileId}`;
  }

  tempPath(tenantId: string, jobId: string, attempt: number): string {
    return this.temps.tempPath(tenantId, jobId, attempt);
  }

  async publish(tenantId: string, tempPath: string, fileId: string): Promise<void> {
    const dir = this.tempDir(tenantId);
    if (!FILE_ID.test(fileId)) throw new Error(`not a file id: '${fileId}'`);
    if (dirname(tempPath) !== dir || !TEMP.test(basename(tempPath))) {
      throw new Error(`not a temporary file of tenant ${tenantId}: '${tempPath}'`);
    }
    const { sdk, client } = await this.connect();
    const Bucket = this.bucket;
    const Key = this.key(tenantId, fileId);
    const handle = await open(tempPath, 'r');
    const body = handle.createReadStream({ autoClose: false });
    try {
      const { size } = await handle.stat();
      const upload = new sdk.Upload({
        client,
        params: { Bucket, Key, Body: body, ContentLength: size },
        partSize: S3_PART_SIZE,
        queueSize: S3_UPLOAD_QUEUE,
        // Aborted below, so the upload's own error is the one thrown even if the abort fails too.
        leavePartsOnError: true,
      });
      try {
        await upload.done();
      } catch (e) {
        // An aborted multipart upload frees its parts; it never becomes an object.
        if (upload.uploadId !== undefined) {
          await client
            .send(new sdk.AbortMultipartUploadCommand({ Bucket, Key, UploadId: upload.uploadId }))
            .catch(() => {
              // Left for the bucket's lifecycle rule for incomplete multipart uploads.
            });
        }
        throw e;
      }
    } finally {
      body.destroy();
      await handle.close();
    }
    // The sweeper may have removed the file meanwhile (a lost lease); the object is what counts.
    await rm(tempPath, { force: true });
  }

  async open(tenantId: string, fileId: string): Promise<Readable | undefined> {
    if (!FILE_ID.test(fileId) || !TENANT_ID.test(tenantId)) return undefined;
    const { sdk, client } = await this.connect();
    try {
      const out = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.bucket, Key: this.key(tenantId, fileId) }),
      );
      if (!(out.Body instanceof Readable)) throw new Error('S3 GetObject returned no stream body');
      return out.Body;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async delete(tenantId: string, fileId: string): Promise<boolean> {
    if (!FILE_ID.test(fileId) || !TENANT_ID.test(tenantId)) return false;
    const { sdk, client } = await this.connect();
    const target = { Bucket: this.bucket, Key: this.key(tenantId, fileId) };
    try {
      await client.send(new sdk.HeadObjectCommand(target));
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
    await client.send(new sdk.DeleteObjectCommand(target));
    return true;
  }

  discard(tempPath: string): Promise<void> {
    return this.temps.discard(tempPath);
  }

  async *list(): AsyncIterable<StoredEntry> {
    const { sdk, client } = await this.connect();
    const prefix = this.keyPrefix;
    let token: string | undefined;
    do {
      const page = await client.send(
        new sdk.ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          MaxKeys: this.listPageSize,
          ContinuationToken: token,
        }),
      );
      for (const object of page.Contents ?? []) {
        const parts = (object.Key ?? '').slice(prefix.length).split('/');
        if (parts.length !== 2) continue;
        const [tenantId, fileId] = parts as [string, string];
        if (TENANT_ID.test(tenantId) && FILE_ID.test(fileId)) yield { kind: 'file', tenantId, fileId };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    yield* this.listTemp();
  }

  /** Temporary files lie on local disk in the local store's layout: its listing has only those. */
  private async *listTemp(): AsyncIterable<StoredEntry> {
    for await (const entry of this.temps.list()) if (entry.kind === 'temp') yield entry;
  }

  /** Closes the client's connections (a later call opens new ones). */
  destroy(): void {
    this.client?.destroy();
    this.client = undefined;
    this.connecting = undefined;
  }
}
