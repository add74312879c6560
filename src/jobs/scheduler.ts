import type { Clock } from '../clock.ts';
import type { FileStore } from '../files/index.ts';
import { immediate, type JobRow, type MetaDb, stageBatch } from '../store/meta/jobs.ts';
import {
  holdsLease,
  jobsLeasedBy,
  markBatchRunning,
  releaseLease,
  renewLeases,
} from '../store/meta/jobs-queue.ts';
import { type Claimed, claimNext } from './claim.ts';
import { finishRun, type RunResult } from './finish.ts';
import type { BatchOutput, RunEvents } from './task.ts';

export interface SchedulerDeps {
  readonly db: MetaDb;
  readonly clock: Clock;
  readonly files: FileStore;
  /** This process's name on the leases it takes. */
  readonly owner: string;
  readonly leaseMillis: number;
  readonly queryMillis: number;
  readonly segmentRows: number;
  readonly deletedRetentionDays?: number;
  readonly newId: () => string;
  tenantDataPath(tenantId: string): string;
  /** Called once a run has ended the job (completed or aborted). */
  jobEnded(job: JobRow, status: 'completed' | 'aborted'): void;
}

/** How a claimed task is run: on this thread or on a worker. */
export type Execute = (claimed: Claimed, events: RunEvents, signal: AbortSignal) => Promise<RunResult>;

/**
 * The main thread's side of running jobs: claims, stages each finished batch's files, finishes the job,
 * keeps leases alive, and stops runs that were cancelled or lost.
 */
export class Scheduler {
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();

  constructor(private readonly deps: SchedulerDeps) {}

  /** Claims the next runnable job, if any. */
  claim(): Claimed | undefined {
    const d = this.deps;
    return claimNext(d.db, {
      owner: d.owner,
      now: d.clock.now(),
      leaseMillis: d.leaseMillis,
      queryMillis: d.queryMillis,
      segmentRows: d.segmentRows,
      ...(d.deletedRetentionDays !== undefined ? { deletedRetentionDays: d.deletedRetentionDays } : {}),
      tenantDataPath: (id) => d.tenantDataPath(id),
    });
  }

  /** Runs a claimed job to its end with `execute`, then publishes (or, when it lost the job, discards). */
  run(claimed: Claimed, execute: Execute): Promise<void> {
    const controller = new AbortController();
    const done = this.runToEnd(claimed, execute, controller.signal).finally(() =>
      this.running.delete(claimed.job.id),
    );
    this.running.set(claimed.job.id, { controller, done });
    return done;
  }

  private async runToEnd(claimed: Claimed, execute: Execute, signal: AbortSignal): Promise<void> {
    const { db, owner, clock } = this.deps;
    const job = claimed.job;
    let current = claimed.task.batches[0]?.id;
    const events: RunEvents = {
      batchStarted: (batchId) => {
        current = batchId;
        markBatchRunning(db, batchId, job.id, owner);
      },
      batchFinished: (output) => this.stage(job, output),
    };
    let result: RunResult;
    try {
      result = await execute(claimed, events, signal);
    } catch (e) {
      if (signal.aborted) result = { status: 'cancelled' };
      else if (current === undefined) throw e;
      else
        result = { status: 'aborted', batchId: current, message: e instanceof Error ? e.message : String(e) };
    }
    if (result.status === 'cancelled') {
      // Stopped without a cancel (shutdown, lost lease): let the next claimer start it over at once.
      releaseLease(db, job.id, owner);
      return;
    }
    if (finishRun(db, job, owner, result, clock.now())) this.deps.jobEnded(job, result.status);
  }

  /**
   * Gives a finished batch's files their final ids: the ids are recorded first, then the files renamed,
   * so a file under a final id is always either listed or staged (the sweeper removes anything else).
   */
  private async stage(job: JobRow, output: BatchOutput): Promise<void> {
    const { db, owner, files, newId } = this.deps;
    const ids = output.files.map(() => newId());
    const held = immediate(db, () => {
      if (!holdsLease(db, job.id, owner)) return false;
      stageBatch(db, output.batchId, {
        files: output.files.map((f, i) => ({ id: ids[i]!, rows: f.rows, bytes: f.bytes })),
        recordCount: output.recordCount,
        segmented: output.segmented,
      });
      return true;
    });
    for (const [i, f] of output.files.entries()) {
      if (held) await files.publish(job.tenantId, f.path, ids[i]!);
      else await files.discard(f.path);
    }
  }

  /** Stops a running job (after a cancel); its partial output is discarded by the runner. */
  abort(jobId: string): void {
    this.running.get(jobId)?.controller.abort();
  }

  /** Extends the leases of running jobs and stops runs whose job this process no longer holds. */
  heartbeat(): void {
    const { db, owner, clock, leaseMillis } = this.deps;
    renewLeases(db, owner, clock.now() + leaseMillis);
    const held = new Set(jobsLeasedBy(db, owner));
    for (const [id, r] of this.running) if (!held.has(id)) r.controller.abort();
  }

  /** How many jobs run now. */
  get size(): number {
    return this.running.size;
  }

  /** Stops every run and waits for them to end. */
  async stopAll(): Promise<void> {
    const all = [...this.running.values()];
    for (const r of all) r.controller.abort();
    await Promise.allSettled(all.map((r) => r.done));
  }
}
