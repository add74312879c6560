import type { StoreLocation } from '../store/location.ts';
import type { RunResult } from './finish.ts';
import type { BatchOutput, RunTask } from './task.ts';

/** Messages from the main thread to a job worker. */
export type ToWorker =
  | { readonly type: 'run'; readonly task: RunTask }
  | { readonly type: 'cancel'; readonly jobId: string }
  | { readonly type: 'close' };

/** Messages from a job worker to the main thread, in the order things happen. */
export type FromWorker =
  | { readonly type: 'batch-start'; readonly jobId: string; readonly batchId: string }
  | { readonly type: 'batch-done'; readonly jobId: string; readonly output: BatchOutput }
  | { readonly type: 'done'; readonly jobId: string; readonly result: RunResult }
  | { readonly type: 'failed'; readonly jobId: string; readonly message: string };

/** What a worker thread is started with: where tenant data lives and where result files go. */
export interface WorkerStores {
  readonly location: StoreLocation;
  /** The `--files` setting: a directory or s3://bucket/prefix; default `files/` in the data directory. */
  readonly files?: string | undefined;
  /** How many threads one large export is split across (1: never; default: the machine's cores). */
  readonly exportThreads?: number | undefined;
}
