/**
 * PostgreSQL for tests. `OPENAQUA_TEST_DATABASE_URL` names a server to use (any database on it; tests
 * create and drop databases of their own). Without it, a throwaway cluster is made with the machine's
 * initdb/pg_ctl on a free port (as the `postgres` user when running as root) and removed at exit.
 * Where PostgreSQL is not installed, `postgresOrSkip` says so in one line and the caller skips, unless
 * `OPENAQUA_REQUIRE_PG=1`, which turns that into a failure.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgDb } from '../../src/store/postgres/db.ts';

/** A database made for one test; `drop` removes it. */
export interface TestDatabase {
  readonly url: string;
  drop(): void;
}

function pgBinDir(): string | undefined {
  const fromPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (fromPath) return join(fromPath, '..');
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  return undefined;
}

function libpqLoads(): boolean {
  try {
    openPgDb('postgres://invalid@127.0.0.1:1/none');
  } catch (e) {
    return !String((e as Error).message).includes('needs the libpq addon');
  }
  return true;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

let server: Promise<string> | undefined;

async function startCluster(bin: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'openaqua-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args]]
      : [join(bin, cmd), args];
    execFileSync(full[0] as string, full[1] as string[], { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'log'), '-w', 'start']);
  process.once('exit', () => {
    spawnSync(
      asRoot ? 'runuser' : join(bin, 'pg_ctl'),
      asRoot
        ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop']
        : ['-D', data, '-m', 'immediate', 'stop'],
      { stdio: 'ignore' },
    );
    rmSync(dir, { recursive: true, force: true });
  });
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/**
 * The URL of a PostgreSQL server for tests, or a reason there is none. Fails (throws) instead of giving a
 * reason when OPENAQUA_REQUIRE_PG=1.
 */
export async function testServerUrl(): Promise<{ url: string } | { skip: string }> {
  const given = process.env.OPENAQUA_TEST_DATABASE_URL;
  const required = process.env.OPENAQUA_REQUIRE_PG === '1';
  const reason = (why: string) => {
    if (required) throw new Error(`OPENAQUA_REQUIRE_PG=1 but ${why}`);
    return { skip: `PostgreSQL tests skipped: ${why}` };
  };
  if (!libpqLoads())
    return reason('the libpq addon is not built (install libpq-dev, then npm rebuild libpq)');
  if (given) return { url: given };
  const bin = pgBinDir();
  if (!bin) return reason('PostgreSQL is not installed (no initdb on PATH or under /usr/lib/postgresql)');
  server ??= startCluster(bin);
  return { url: await server };
}

/** Creates an empty database on the test server; `drop` removes it (and ends its connections). */
export function createTestDatabase(serverUrl: string): TestDatabase {
  const name = `oa_test_${randomBytes(6).toString('hex')}`;
  const admin = openPgDb(serverUrl);
  try {
    admin.exec(`CREATE DATABASE ${name}`);
  } finally {
    admin.close();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop() {
      const a = openPgDb(serverUrl);
      try {
        a.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        a.close();
      }
    },
  };
}
