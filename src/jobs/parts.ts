import type { Worker } from 'node:worker_threads';
import { abortError } from '../export/sink.ts';
import { EXPORT_SPLIT_MIN_ROWS } from '../limits.ts';
import type { FromPart, PartTask, PartWritten, ToPart } from './part-protocol.ts';
import { spawnThread } from './thread.ts';
import type { WorkerStores } from './worker-protocol.ts';

/** A part whose snapshot is open: it is being written, or was. */
export interface RunningPart {
  /** Resolves when the part's file is complete; rejects when it failed or was stopped. */
  readonly done: Promise<PartWritten>;
  /** Stops the part if it is still running (its thread ends). */
  stop(): void;
}

/**
 * The part threads of one job worker (part-worker.ts): started when first needed, kept between
 * exports, one part at a time each. A thread stopped mid-part is ended and replaced next time.
 * @example
 * const parts = new PartThreads({ location }, 2);
 * const part = await parts.start(task, signal); // 'stale' when the data changed since the job's snapshot
 */
export class PartThreads {
  private readonly idle: Worker[] = [];
  private readonly busy = new Set<Worker>();
  private nextId = 1;
  private closed = false;

  /**
   * @param where the stores the threads read
   * @param count how many threads one export is split across, this one included (1: never split)
   * @param minRows the fewest row numbers a table spans for its export to be split
   */
  constructor(
    private readonly where: WorkerStores,
    readonly count: number,
    readonly minRows = EXPORT_SPLIT_MIN_ROWS,
  ) {}

  /** Starts a part on an idle thread; resolves once the part's snapshot is open, or with 'stale'. */
  start(task: PartTask, signal: AbortSignal): Promise<RunningPart | 'stale'> {
    if (this.closed) return Promise.reject(new Error('the part threads are closed'));
    if (signal.aborted) return Promise.reject(abortError(signal));
    const thread = this.idle.pop() ?? spawnThread('part-worker', this.where);
    this.busy.add(thread);
    const id = this.nextId++;
    let settleDone: { resolve(w: PartWritten): void; reject(e: Error): void } | undefined;
    const done = new Promise<PartWritten>((resolve, reject) => {
      settleDone = { resolve, reject };
    });
    // Whoever starts a part may give up before waiting for it.
    done.catch(() => undefined);
    return new Promise<RunningPart | 'stale'>((resolve, reject) => {
      let ready = false;
      // Once over, the thread may already run another part: stop() must not touch it.
      let over = false;
      const fail = (e: Error) => {
        if (ready) settleDone!.reject(e);
        else reject(e);
      };
      const cleanup = () => {
        over = true;
        thread.off('message', onMessage);
        thread.off('error', onGone);
        thread.off('exit', onExit);
        signal.removeEventListener('abort', onAbort);
      };
      const release = () => {
        cleanup();
        this.busy.delete(thread);
        if (this.closed) void thread.terminate();
        else this.idle.push(thread);
      };
      const end = () => {
        cleanup();
        this.busy.delete(thread);
        void thread.terminate();
      };
      const onMessage = (msg: FromPart) => {
        if (msg.id !== id) return;
        switch (msg.type) {
          case 'ready':
            ready = true;
            resolve({
              done,
              stop: () => {
                if (over) return;
                end();
                settleDone!.reject(new Error('the part was stopped'));
              },
            });
            return;
          case 'stale':
            release();
            resolve('stale');
            return;
          case 'done':
            release();
            settleDone!.resolve(msg.written);
            return;
          case 'failed':
            release();
            fail(new Error(msg.message));
            return;
        }
      };
      const onGone = (e: Error) => {
        end();
        fail(e);
      };
      const onExit = (code: number) => onGone(new Error(`the part thread exited with code ${code}`));
      const onAbort = () => {
        end();
        fail(abortError(signal));
      };
      thread.on('message', onMessage);
      thread.on('error', onGone);
      thread.on('exit', onExit);
      signal.addEventListener('abort', onAbort, { once: true });
      thread.postMessage({ type: 'run', id, task } satisfies ToPart);
    });
  }

  /** Ends every thread; parts still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.idle.splice(0), ...this.busy];
    await Promise.all(all.map((t) => t.terminate()));
  }
}
