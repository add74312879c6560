import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { META_CHECKPOINT_MILLIS, SQLITE_BUSY_TIMEOUT_MS } from '../../limits.ts';
import type { MetaDb } from './jobs.ts';

/**
 * The checkpointing thread: plain JavaScript (it needs nothing of the project but the SQLite driver), so
 * it runs the same from the sources and from the build. It opens the database on a connection of its
 * own and copies the WAL into the database file at each tick; a failed tick is reported and the next
 * one tries again.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = ' + workerData.busyMillis);
const tick = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (e) {
    parentPort.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
};
const timer = setInterval(tick, workerData.everyMillis);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** What `checkpointElsewhere` returns: stops the thread and gives checkpoints back to the connection. */
export interface Checkpointer {
  stop(): Promise<void>;
}

/** SQLite's own default: a commit that leaves this many WAL pages checkpoints. */
const AUTOCHECKPOINT_PAGES = 1000;

/**
 * Moves the WAL checkpoints of a SQLite meta database off the connection's thread. SQLite runs a
 * checkpoint inside the commit that grows the WAL past 1,000 pages, and a checkpoint waits for fsync of
 * the WAL and of the database file: on a busy disk that stalls the server's event loop for milliseconds
 * to tens of milliseconds, and every request and job step waits with it. Here the connection stops
 * checkpointing (`wal_autocheckpoint = 0`) and a thread with a connection of its own checkpoints every
 * META_CHECKPOINT_MILLIS (PASSIVE: it never blocks the writer or readers). Should that thread fail, the
 * connection checkpoints itself again. On PostgreSQL there is nothing to do.
 * @example const checkpointer = checkpointElsewhere(db, join(dataDir, 'meta.sqlite'), console.error); ... await checkpointer.stop();
 */
export function checkpointElsewhere(
  db: MetaDb,
  path: string,
  onError: (e: unknown) => void,
  everyMillis: number = META_CHECKPOINT_MILLIS,
): Checkpointer {
  if (db.dialect !== 'sqlite') return { stop: async () => {} };
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const thread = new Worker(THREAD, {
    eval: true,
    workerData: { driver, path, everyMillis, busyMillis: SQLITE_BUSY_TIMEOUT_MS },
  });
  thread.unref();
  let stopping = false;
  let selfCheckpointing = false;
  const takeBack = (): void => {
    if (selfCheckpointing) return;
    selfCheckpointing = true;
    db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  };
  db.exec('PRAGMA wal_autocheckpoint = 0');
  const exited = new Promise<void>((resolve) => {
    thread.on('exit', (code) => {
      if (!stopping) {
        onError(new Error(`the meta checkpoint thread exited with code ${code}`));
        takeBack();
      }
      resolve();
    });
  });
  thread.on('error', onError);
  thread.on('message', (m: { error?: string }) => {
    if (m.error) onError(new Error(`meta checkpoint: ${m.error}`));
  });
  return {
    async stop() {
      if (stopping) return exited;
      stopping = true;
      takeBack();
      // Unreferenced while it works, so it never keeps the process alive; waited for when stopping.
      thread.ref();
      thread.postMessage('close');
      await exited;
    },
  };
}
