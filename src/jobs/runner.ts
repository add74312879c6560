import { performance } from 'node:perf_hooks';
import { AQUA_MESSAGES } from '../errors.ts';
import type { CsvLines, RowSource } from '../export/result-file.ts';
import type { FileStore } from '../files/index.ts';
import type { Dialect } from '../store/db.ts';
import type { ExportSnapshot } from '../store/export-reader.ts';
import { type CompileOptions, compileQuery, postgresDialect, sqliteDialect } from '../store/index.ts';
import { type AnalyzedQuery, analyze } from '../zoql/index.ts';
import type { RunResult } from './finish.ts';
import { batchFormat, segmented, writeBatchFiles } from './output.ts';
import type { PartThreads } from './parts.ts';
import { type SplitExport, splitExport } from './split.ts';
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

function check(deadline: number, signal: AbortSignal): void {
  signal.throwIfAborted();
  if (performance.now() > deadline) throw new QueryTimeLimit();
}

/**
 * Passes rows through, stopping the export when the job is cancelled or the batch runs out of time.
 * Looking between rows also stops a run whose writer never yields to the event loop.
 */
function* guarded(
  rows: Iterable<readonly unknown[]>,
  deadline: number,
  signal: AbortSignal,
): Generator<readonly unknown[]> {
  let n = 0;
  for (const row of rows) {
    if (n++ % CHECK_EVERY === 0) check(deadline, signal);
    yield row;
  }
}

/** The same for batches read from the database (waiting on it yields, so the timer fires too). */
async function* guardedBatches(
  batches: AsyncIterable<readonly (readonly unknown[])[]>,
  deadline: number,
  signal: AbortSignal,
): AsyncGenerator<readonly (readonly unknown[])[]> {
  for await (const batch of batches) {
    check(deadline, signal);
    yield batch;
  }
}

function guard(rows: RowSource, deadline: number, signal: AbortSignal): RowSource {
  return Symbol.asyncIterator in rows
    ? guardedBatches(rows, deadline, signal)
    : guarded(rows, deadline, signal);
}

/** Compiles a batch's query to the SQL of the store it reads. */
function compile(q: AnalyzedQuery, opts: CompileOptions, dialect: Dialect) {
  return compileQuery(q, opts, dialect === 'postgres' ? postgresDialect : sqliteDialect);
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

/**
 * Writes one batch. Where the store can render the CSV itself (PostgreSQL's COPY, when every column
 * can be rendered exactly in SQL) its lines go straight to the file; otherwise rows are formatted here.
 */
async function runBatch(
  task: RunTask,
  b: RunBatch,
  snap: ExportSnapshot,
  dialect: Dialect,
  deps: RunDeps,
  signal: AbortSignal,
): Promise<BatchOutput> {
  const q = analyze(b.query, b.language);
  const compileOptions = compileOptionsFor(task, b);
  const compiled = compile(q, compileOptions, dialect);
  const format = batchFormat(task, b, q);
  const deadline = performance.now() + task.queryMillis;
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(new QueryTimeLimit()), task.queryMillis);
  const both = AbortSignal.any([signal, timer.signal]);
  let split: SplitExport | undefined;
  try {
    const lines: CsvLines | undefined = await snap.copyCsv?.(compiled, format, both);
    if (!lines) {
      const mode = task.format === 'gzip' && !segmented(task, b, q) ? 'deflate' : 'csv';
      split = await splitExport({
        task,
        query: q,
        compileOptions,
        format,
        mode,
        snap,
        ...deps,
        signal: both,
      });
    }
    return await writeBatchFiles({
      task,
      batch: b,
      query: q,
      rows: lines ?? guard(snap.rows(split?.query ?? compiled, both), deadline, both),
      ...(split ? { after: split.later } : {}),
      files: deps.files,
      signal: both,
    });
  } catch (e) {
    if (timer.signal.aborted && !signal.aborted) throw new QueryTimeLimit();
    throw e;
  } finally {
    clearTimeout(timeout);
    await split?.cleanup();
  }
}

/** What a runner reads and writes through: result files, tenant readers, and threads to split exports. */
export interface RunDeps {
  readonly files: FileStore;
  readonly stores: StoreCache;
  /** Absent: exports are never split. */
  readonly parts?: PartThreads;
}

/**
 * Runs a job's batches in array order inside one read snapshot of the tenant's data, each to temporary
 * files. Stops at the first batch that fails (its reason is the result) or when `signal` aborts (no
 * partial file is left). The caller publishes.
 * @example const result = await runJob(task, { files, stores }, events, new AbortController().signal);
 */
export async function runJob(
  task: RunTask,
  deps: RunDeps,
  events: RunEvents,
  signal: AbortSignal,
): Promise<RunResult> {
  const reader = deps.stores.reader(task);
  return reader.snapshot(async (snap): Promise<RunResult> => {
    for (const b of task.batches) {
      if (signal.aborted) return { status: 'cancelled' };
      events.batchStarted(b.id);
      let output: BatchOutput;
      try {
        output = await runBatch(task, b, snap, reader.dialect, deps, signal);
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
