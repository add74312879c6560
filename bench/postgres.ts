/**
 * PostgreSQL for the benchmark: the test suite's server (test/support/postgres.ts: a throwaway cluster
 * on a free port, removed at exit, or `OPENAQUA_TEST_DATABASE_URL`), configured for exports of a
 * million rows, and one new database on it for the run.
 *
 * Settings (ALTER SYSTEM): `work_mem` 256MB, so that the hash joins of the 1M-row 4-table export stay
 * in memory (the three inner tables hash in a few tens of MB; with the default 4MB they spill in
 * batches to disk); `shared_buffers` 1GB (the 1M-row world is about 400 MB, so every run reads it
 * from shared buffers, not the kernel's page cache); `jit` off (the server's export connections turn
 * it off, so the `psql` baseline runs the same plan without JIT compilation). `shared_buffers` needs
 * a restart, done with the cluster's own `pg_ctl` when the server is local; elsewhere it stays as it was.
 */
import { execFileSync } from 'node:child_process';
import { openPgDb } from '../src/store/postgres/db.ts';
import { createTestDatabase, testServerUrl } from '../test/support/postgres.ts';

export const PG_SETTINGS: Readonly<Record<string, string>> = {
  work_mem: '256MB',
  shared_buffers: '1GB',
  jit: 'off',
};

export interface BenchPostgres {
  /** The database made for this run. */
  readonly url: string;
  /** The settings in effect, as `SHOW` gives them. */
  readonly settings: Record<string, string>;
}

function show(url: string): Record<string, string> {
  const db = openPgDb(url);
  try {
    const out: Record<string, string> = {};
    for (const name of Object.keys(PG_SETTINGS)) {
      out[name] = String(db.prepare(`SHOW ${name}`).pluck().get());
    }
    return out;
  } finally {
    db.close();
  }
}

/** Restarts a local cluster (as its owner when running as root) so that `shared_buffers` takes effect. */
function restart(url: string): void {
  const db = openPgDb(url);
  let dataDir: string;
  let binDir: string;
  try {
    dataDir = String(db.prepare('SHOW data_directory').pluck().get());
    binDir = String(db.prepare("SELECT setting FROM pg_config WHERE name = 'BINDIR'").pluck().get());
  } finally {
    db.close();
  }
  const pgCtl = `${binDir}/pg_ctl`;
  // The server pg_ctl starts keeps the standard streams it is given: a log file, never our pipes.
  const args = ['-D', dataDir, '-l', `${dataDir}/restart.log`, '-w', '-m', 'fast', 'restart'];
  if (process.getuid?.() === 0)
    execFileSync('runuser', ['-u', 'postgres', '--', pgCtl, ...args], { stdio: 'ignore' });
  else execFileSync(pgCtl, args, { stdio: 'ignore' });
}

let started: Promise<BenchPostgres> | undefined;

async function start(log: (line: string) => void): Promise<BenchPostgres> {
  const server = await testServerUrl();
  if ('skip' in server) throw new Error(server.skip);
  const admin = openPgDb(server.url);
  let needsRestart = false;
  try {
    for (const [name, value] of Object.entries(PG_SETTINGS))
      admin.exec(`ALTER SYSTEM SET ${name} = '${value}'`);
    admin.exec('SELECT pg_reload_conf()');
  } finally {
    admin.close();
  }
  const now = show(server.url);
  needsRestart = now.shared_buffers !== PG_SETTINGS.shared_buffers;
  const host = new URL(server.url).hostname;
  if (needsRestart && (host === '127.0.0.1' || host === 'localhost')) {
    try {
      restart(server.url);
    } catch (e) {
      log(`postgres: could not restart for shared_buffers (${(e as Error).message.split('\n')[0]})`);
    }
  }
  const db = createTestDatabase(server.url);
  const settings = show(db.url);
  log(
    `postgres: database ${new URL(db.url).pathname.slice(1)} on ${host}:${new URL(db.url).port}; ` +
      Object.entries(settings)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
  );
  return { url: db.url, settings };
}

/** The run's PostgreSQL database, made (and the server configured) on first use. */
export function benchPostgres(log: (line: string) => void): Promise<BenchPostgres> {
  started ??= start(log);
  return started;
}

/**
 * Brings a freshly seeded database to the state it would reach by itself a minute later, so that no
 * background work of the server's falls inside a timed run: the tables vacuumed (PostgreSQL vacuums
 * tables after many inserts on its own) and analysed (statistics, so that the planner reads the seeded
 * tables as the large tables they are), and a checkpoint written.
 */
export function settle(url: string, log: (line: string) => void): void {
  const db = openPgDb(url);
  try {
    db.exec('VACUUM (ANALYZE)');
    try {
      db.exec('CHECKPOINT');
    } catch (e) {
      // Only superusers and pg_checkpoint members may (a server given by OPENAQUA_TEST_DATABASE_URL).
      log(`postgres: no checkpoint after the seed (${(e as Error).message.split('\n')[0]})`);
    }
  } finally {
    db.close();
  }
}
