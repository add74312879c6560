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
