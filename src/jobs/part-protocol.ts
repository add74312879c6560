import type { ExportOptions } from '../export/index.ts';
import type { FieldType } from '../schema/index.ts';
import type { CompiledQuery } from '../store/types.ts';
import type { RunTask } from './task.ts';

/**
 * One part of an export split across threads: a range of the base object's rows, read in a snapshot
 * at change sequence `seq` (the job's), rendered without a header to the file at `path`: CSV lines,
 * or those lines as gzip pieces (export/gzip.ts).
 */
export interface PartTask {
  readonly tenant: Pick<RunTask, 'tenantId' | 'dataPath' | 'timeZone'>;
  readonly seq: number;
  readonly query: CompiledQuery;
  readonly types: readonly FieldType[];
  readonly options: ExportOptions;
  readonly mode: 'csv' | 'deflate';
  readonly path: string;
}

/** Messages from a job worker to a part thread. */
export type ToPart =
  | { readonly type: 'run'; readonly id: number; readonly task: PartTask }
  | { readonly type: 'close' };

/** What a finished part wrote. `crc` and `length` (of the uncompressed lines) for deflate parts. */
export interface PartWritten {
  readonly rows: number;
  readonly crc?: number;
  readonly length?: number;
}

/** Messages from a part thread, in the order things happen: `ready` or `stale` first. */
export type FromPart =
  | { readonly type: 'ready'; readonly id: number }
  /** The snapshot the part opened is not at the job's sequence number: the data changed since. */
  | { readonly type: 'stale'; readonly id: number }
  | { readonly type: 'done'; readonly id: number; readonly written: PartWritten }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
