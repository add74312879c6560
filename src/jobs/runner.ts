import { performance } from 'node:perf_hooks';
import { AQUA_MESSAGES } from '../errors.ts';
import type { FileStore } from '../files/index.ts';
import type { CompileOptions } from '../store/sqlite/compile.ts';
import { compileSqlite } from '../store/sqlite/compile.ts';
import type { Snapshot } from '../store/types.ts';
import { analyze } from '../zoql/index.ts';
import type { RunResult } from './finish.ts';
import { writeBatchFiles } from './output.ts';
import type { StoreCache } from './store-cache.ts';
import type { BatchOutput, RunBatch, RunEvents, RunTask } from './task.ts';

/** Thrown inside a batch that ran past the per-query time limit. */
export class QueryTimeLimit extends Error {
  constructor() {
    super(AQUA_MESSAGES['90027']);
    this.name = 'QueryTimeLimit';
  }
}

/** How many rows pass between two looks at the clock and the cancel signal. */
const CHECK_EVERY = 256;

/**
 * Passes rows through, stopping the export when the job is cancelled or the batch runs out of time.
 * Looking between rows also stops a run whose writer never yields to the event loop.
 */
function* guarded(rows: Iterable<unknown[]>, deadline: number, signal: AbortSignal): Generator<unknown[]> {
  let n = 0;
  for (const row of rows) {
    if (n++ % CHECK_EVERY === 0) {
      signal.throwIfAborted();
      if (performance.now() > deadline) throw new QueryTimeLimit();
    }
    yield row;
  }
}

/** Which rows a batch exports: the whole data, or a stateful window, with or without deleted rows. */
export function compileOptionsFor(task: RunTask, b: RunBatch): CompileOptions {
  const base: CompileOptions = { now: task.now, timeZone: task.timeZone };
  const deleted = b.deleted !== null;
  if (!task.stateful) return deleted ? { ...base, deleted, includeDeleted: 'all' } : base;
  if (task.incrementalTime !== null) {
    const window =
      task.offset > 0
        ? { fromTime: task.incrementalTime, toTime: task.now - task.offset * 1000 }
        : { fromTime: task.incrementalTime };
    return { ...base, deleted, window, includeDeleted: deleted ? 'window' : 'none' };
  }
  if (b.full || b.afterSeq === null) return { ...base, deleted, includeDeleted: 'none' };
  return { ...base, deleted, window: { afterSeq: b.afterSeq }, includeDeleted: deleted ? 'window' : 'none' };
}

async function runBatch(
  task: RunTask,
  b: RunBatch,
  snap: Snapshot,
  files: FileStore,
  signal: AbortSignal,
): Promise<BatchOutput> {
  const q = analyze(b.query, b.language);
  const compiled = compileSqlite(q, compileOptionsFor(task, b));
  const deadline = performance.now() + task.queryMillis;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new QueryTimeLimit()), task.queryMillis);
  const both = AbortSignal.any([signal, timer.signal]);
  try {
    return await writeBatchFiles({
      task,
      batch: b,
      query: q,
      rows: guarded(snap.rows(compiled), deadline, both),
      files,
      signal: both,
    });
  } catch (e) {
    if (timer.signal.aborted && !signal.aborted) throw new QueryTimeLimit();
    throw e;
  } finally {
    clearTimeout(timeout);
  }
}

/**
 * Runs a job's batches in array order inside one read snapshot of the tenant's data, each to temporary
 * files. Stops at the first batch that fails (its reason is the result) or when `signal` aborts (no
 * partial file is left). The caller publishes.
 * @example const result = await runJob(task, { files, stores }, events, new AbortController().signal);
 */
export async function runJob(
  task: RunTask,
  deps: { files: FileStore; stores: StoreCache },
  events: RunEvents,
  signal: AbortSignal,
): Promise<RunResult> {
  const store = deps.stores.get(task.dataPath, task.timeZone);
  return store.snapshot(async (snap): Promise<RunResult> => {
    for (const b of task.batches) {
      if (signal.aborted) return { status: 'cancelled' };
      events.batchStarted(b.id);
      let output: BatchOutput;
      try {
        output = await runBatch(task, b, snap, deps.files, signal);
      } catch (e) {
        if (signal.aborted) return { status: 'cancelled' };
        const message = e instanceof Error ? e.message : String(e);
        return { status: 'aborted', batchId: b.id, message };
      }
      await events.batchFinished(output);
    }
    return { status: 'completed', snapshotSeq: snap.seq };
  });
}
