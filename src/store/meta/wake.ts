import pg from 'pg';
import { JOB_POLL_MILLIS } from '../../limits.ts';
import type { StoreLocation } from '../location.ts';
import { JOBS_CHANNEL } from './sql.ts';

export interface WaitForJobsOptions {
  /** A lost or refused connection (it is retried after `retryMillis`). */
  onError?(err: unknown): void;
  /** Delay before connecting again after a failure, in ms (default JOB_POLL_MILLIS). */
  retryMillis?: number;
  /** The listening connection (and its retry timer) does not keep the process alive. */
  unref?: boolean;
}

/** The socket under a client of the asynchronous driver (not part of its typed interface). */
function socketOf(c: pg.Client): { unref?(): void } | undefined {
  return (c as unknown as { connection?: { stream?: { unref?(): void } } }).connection?.stream;
}

/** What a listener is told: each notification, and when listening starts or stops. */
export interface ChannelHandlers {
  /** A notification arrived on the channel. */
  onNotify(): void;
  /** Listening started (first connect, reconnect): notifications sent before now were not seen. */
  onListening?(): void;
  /** Listening stopped (a lost or refused connection, or `stop`): notifications are not seen until `onListening`. */
  onLost?(): void;
}

/**
 * LISTENs on a PostgreSQL channel over a connection of the asynchronous driver, reconnecting after
 * `retryMillis` when the connection is lost or refused. Returns a function that stops listening.
 * @example const stop = listenOn(url, 'openaqua_jobs', { onNotify: () => setImmediate(pump) });
 */
export function listenOn(
  url: string,
  channel: string,
  handlers: ChannelHandlers,
  opts: WaitForJobsOptions = {},
): () => void {
  const retryMillis = opts.retryMillis ?? JOB_POLL_MILLIS;
  const onError = opts.onError ?? ((e: unknown) => console.error(e));
  let stopped = false;
  let listening = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const tell = (fn: (() => void) | undefined): void => {
    try {
      fn?.();
    } catch (e) {
      onError(e);
    }
  };
  const lost = (): void => {
    if (!listening) return;
    listening = false;
    tell(handlers.onLost);
  };

  const failed = (c: pg.Client, err: unknown): void => {
    if (client !== c) return;
    client = undefined;
    lost();
    c.end().catch(() => {});
    if (stopped) return;
    onError(err);
    retry = setTimeout(listen, retryMillis);
    if (opts.unref) retry.unref();
  };

  function listen(): void {
    retry = undefined;
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    if (opts.unref) socketOf(c)?.unref?.();
    c.on('notification', (m) => {
      if (m.channel === channel && client === c && !stopped) tell(handlers.onNotify);
    });
    c.on('error', (e) => failed(c, e));
    c.on('end', () => failed(c, new Error(`the connection listening on ${channel} closed`)));
    c.connect()
      .then(() => c.query(`LISTEN ${channel}`))
      .then(() => {
        if (client !== c || stopped) return;
        listening = true;
        tell(handlers.onListening);
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
    lost();
    c?.end().catch(() => {});
  };
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
  return listenOn(location.url, JOBS_CHANNEL, { onNotify, onListening: onNotify }, opts);
}
