import type { Worker } from 'node:worker_threads';
import { AQUA_MESSAGES } from '../errors.ts';
import { QUERY_KILL_GRACE_MILLIS } from '../limits.ts';
import type { RunResult } from './finish.ts';
import type { RunEvents, RunTask } from './task.ts';
import { spawnThread } from './thread.ts';
import type { FromWorker, ToWorker, WorkerStores } from './worker-protocol.ts';

/** Starts a job worker thread. */
function spawn(where: WorkerStores): Worker {
  return spawnThread('worker', where);
}

interface Assignment {
  readonly task: RunTask;
  readonly events: RunEvents;
  resolve(r: RunResult): void;
  reject(e: Error): void;
  current?: string;
  hardLimit?: NodeJS.Timeout;
  /** Messages are handled one after another: a batch is staged before the next message is looked at. */
  chain: Promise<void>;
}

class PoolWorker {
  readonly thread: Worker;
  job: Assignment | undefined;

  constructor(where: WorkerStores, onGone: (w: PoolWorker, err: Error) => void) {
    this.thread = spawn(where);
    this.thread.on('message', (msg: FromWorker) => this.receive(msg));
    this.thread.on('error', (e) => onGone(this, e));
    this.thread.on('exit', (code) => onGone(this, new Error(`the job worker exited with code ${code}`)));
  }

  send(msg: ToWorker): void {
    this.thread.postMessage(msg);
  }

  private receive(msg: FromWorker): void {
    const job = this.job;
    if (!job || msg.jobId !== job.task.jobId) return;
    job.chain = job.chain.then(async () => {
      switch (msg.type) {
        case 'batch-start':
          job.current = msg.batchId;
          this.armHardLimit(job, msg.batchId);
          job.events.batchStarted(msg.batchId);
          return;
        case 'batch-done':
          clearTimeout(job.hardLimit);
          await job.events.batchFinished(msg.output);
          return;
        case 'done':
          this.settle(job);
          job.resolve(msg.result);
          return;
        case 'failed':
          this.settle(job);
          job.reject(new Error(msg.message));
          return;
      }
    });
    job.chain.catch((e: unknown) => {
      this.settle(job);
      job.reject(e instanceof Error ? e : new Error(String(e)));
    });
  }

  /** A query that never returns to JavaScript (one long sort) cannot see its time limit: end the thread. */
  private armHardLimit(job: Assignment, batchId: string): void {
    clearTimeout(job.hardLimit);
    job.hardLimit = setTimeout(() => {
      this.settle(job);
      job.resolve({ status: 'aborted', batchId, message: AQUA_MESSAGES['90027'] });
      void this.thread.terminate();
    }, job.task.queryMillis + QUERY_KILL_GRACE_MILLIS);
  }

  settle(job: Assignment): void {
    clearTimeout(job.hardLimit);
    if (this.job === job) this.job = undefined;
  }
}

/**
 * A fixed number of worker threads, each running one job at a time. Threads start when first needed and
 * are replaced when one dies.
 * @example
 * const pool = new WorkerPool(2, { location: storeLocation(dataDir) });
 * const result = await pool.run(task, events, signal);
 * await pool.close();
 */
export class WorkerPool {
  private readonly workers = new Set<PoolWorker>();

  constructor(
    readonly size: number,
    private readonly where: WorkerStores,
  ) {}

  /** Whether a job can start now. */
  hasIdle(): boolean {
    if (this.workers.size < this.size) return true;
    for (const w of this.workers) if (!w.job) return true;
    return false;
  }

  /** Runs a task on an idle worker; `signal` cancels it. */
  run(task: RunTask, events: RunEvents, signal: AbortSignal): Promise<RunResult> {
    const worker = this.idleWorker();
    return new Promise<RunResult>((resolve, reject) => {
      const job: Assignment = { task, events, resolve, reject, chain: Promise.resolve() };
      worker.job = job;
      const cancel = (): void => worker.send({ type: 'cancel', jobId: task.jobId });
      signal.addEventListener('abort', cancel, { once: true });
      const done = (): void => signal.removeEventListener('abort', cancel);
      job.resolve = (r) => {
        done();
        resolve(r);
      };
      job.reject = (e) => {
        done();
        reject(e);
      };
      worker.send({ type: 'run', task });
      if (signal.aborted) cancel();
    });
  }

  private idleWorker(): PoolWorker {
    for (const w of this.workers) if (!w.job) return w;
    if (this.workers.size >= this.size) throw new Error('no idle job worker');
    const w = new PoolWorker(this.where, (gone, err) => this.remove(gone, err));
    this.workers.add(w);
    return w;
  }

  private remove(w: PoolWorker, err: Error): void {
    if (!this.workers.delete(w)) return;
    const job = w.job;
    if (job) {
      w.settle(job);
      job.reject(err);
    }
  }

  /** Ends every thread (their running jobs stop where they are). */
  async close(): Promise<void> {
    const all = [...this.workers];
    this.workers.clear();
    await Promise.all(
      all.map(async (w) => {
        if (w.job) {
          const job = w.job;
          w.settle(job);
          job.reject(new Error('the job worker was stopped'));
        }
        await w.thread.terminate();
      }),
    );
  }
}
