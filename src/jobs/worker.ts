import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openFileStore } from '../files/index.ts';
import { lowerThreadPriority } from './nice.ts';
import { PartThreads } from './parts.ts';
import { runJob } from './runner.ts';
import { StoreCache } from './store-cache.ts';
import type { BatchOutput } from './task.ts';
import type { FromWorker, ToWorker, WorkerStores } from './worker-protocol.ts';

/**
 * A job worker thread: runs one job at a time on its own tenant store connections and reports to the
 * main thread, which owns the job tables (it stages files, publishes and finishes jobs).
 */
const port = parentPort;
if (!port) throw new Error('worker.ts runs as a worker thread');
lowerThreadPriority();
const where = workerData as WorkerStores;
const { location, files: filesSpec } = where;
// The same file store as the main thread's: temporary files are written where it publishes them from.
const files = openFileStore(filesSpec, join(location.dataDir, 'files'));
const stores = new StoreCache(location);
const parts = new PartThreads(where, where.exportThreads ?? availableParallelism());
let current: { jobId: string; controller: AbortController } | undefined;

function post(msg: FromWorker): void {
  port!.postMessage(msg);
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'cancel') {
    if (current?.jobId === msg.jobId) current.controller.abort();
    return;
  }
  if (msg.type === 'close') {
    Promise.all([stores.closeAll(), parts.close()]).finally(() => port.close());
    return;
  }
  const { task } = msg;
  const controller = new AbortController();
  current = { jobId: task.jobId, controller };
  const events = {
    batchStarted: (batchId: string) => post({ type: 'batch-start', jobId: task.jobId, batchId }),
    batchFinished: (output: BatchOutput) => post({ type: 'batch-done', jobId: task.jobId, output }),
  };
  runJob(task, { files, stores, parts }, events, controller.signal).then(
    (result) => {
      current = undefined;
      post({ type: 'done', jobId: task.jobId, result });
    },
    (e: unknown) => {
      current = undefined;
      post({ type: 'failed', jobId: task.jobId, message: e instanceof Error ? e.message : String(e) });
    },
  );
});
