import pg from 'pg';
import { JOB_POLL_MILLIS } from '../../limits.ts';
import type { StoreLocation } from '../location.ts';
import { JOBS_CHANNEL } from './sql.ts';

export interface WaitForJobsOptions {
  /** A lost or refused connection (it is retried after `retryMillis`). */
  onError?(err: unknown): void;
  /** Delay before connecting again after a failure, in ms (default JOB_POLL_MILLIS). */
  retryMillis?: number;
}

/**
 * Calls `onNotify` whenever a job may have become claimable in another connection or process (a submit,
 * a released lease): on PostgreSQL it LISTENs on the `openaqua_jobs` channel over a connection of the
 * asynchronous driver, so idle workers claim at once rather than at the next poll. It also calls
 * `onNotify` each time listening starts (first connect, reconnect), since a notification sent while
 * not listening is lost. On SQLite there is nothing to listen to (one process owns the file; its own
 * submits wake its workers), and this does nothing. The poll remains the fallback either way.
 * Returns a function that stops listening.
 * @example const stop = waitForJobs(location, () => setImmediate(pump)); ... stop();
 */
export function waitForJobs(
  location: StoreLocation,
  onNotify: () => void,
  opts: WaitForJobsOptions = {},
): () => void {
  if (location.kind !== 'postgres') return () => {};
  const url = location.url;
  const retryMillis = opts.retryMillis ?? JOB_POLL_MILLIS;
  const onError = opts.onError ?? ((e: unknown) => console.error(e));
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const notify = (): void => {
    if (stopped) return;
    try {
      onNotify();
    } catch (e) {
      onError(e);
    }
  };

  const failed = (c: pg.Client, err: unknown): void => {
    if (client !== c) return;
    client = undefined;
    c.end().catch(() => {});
    if (stopped) return;
    onError(err);
    retry = setTimeout(listen, retryMillis);
  };

  function listen(): void {
    retry = undefined;
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', (m) => {
      if (m.channel === JOBS_CHANNEL) notify();
    });
    c.on('error', (e) => failed(c, e));
    c.on('end', () => failed(c, new Error('the connection listening for jobs closed')));
    c.connect()
      .then(() => c.query(`LISTEN ${JOBS_CHANNEL}`))
      .then(() => {
        if (client === c) notify();
      })
      .catch((e: unknown) => failed(c, e));
  }

  listen();
  return () => {
    if (stopped) return;
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = client;
    client = undefined;
    c?.end().catch(() => {});
  };
}
