import type { Readable } from 'node:stream';

/** A result file's id (also a job's). */
export const FILE_ID = /^[0-9a-f]{32}$/;
/** A tenant id as file stores accept it in a path. */
export const TENANT_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** A temporary file's name: `.tmp-<jobId>-<attempt>-<random hex>`. */
export const TEMP = /^\.tmp-([0-9a-f]{32})-(\d+)-[0-9a-f]+$/;

/** What lies in a file store: a published result file, or a temporary file of a job attempt. */
export type StoredEntry =
  | { readonly kind: 'file'; readonly tenantId: string; readonly fileId: string }
  | {
      readonly kind: 'temp';
      readonly tenantId: string;
      readonly jobId: string;
      readonly attempt: number;
      readonly path: string;
    };

/**
 * Where result files live. A file is written under a temporary name by the job attempt that makes it and
 * becomes visible under its id only when published, so a crashed or cancelled run leaves nothing a client
 * can download.
 */
export interface FileStore {
  /** A fresh path for a temporary file of attempt `attempt` of a job; its directory exists. */
  tempPath(tenantId: string, jobId: string, attempt: number): string;
  /** Moves a temporary file to its final id in one step. */
  publish(tenantId: string, tempPath: string, fileId: string): Promise<void>;
  /** A published file to stream, or undefined when there is none. */
  open(tenantId: string, fileId: string): Promise<Readable | undefined>;
  /** Deletes a published file; false when there was none. */
  delete(tenantId: string, fileId: string): Promise<boolean>;
  /** Deletes a temporary file if it exists. */
  discard(tempPath: string): Promise<void>;
  /** Every file and temporary file, for the retention sweeper. */
  list(): AsyncIterable<StoredEntry>;
}
