/** Runs the `openaqua` command as a user would, in a child process. */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreLocation } from '../../src/store/location.ts';
import { type TestLocation, testLocation } from '../support/location.ts';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

const databases = new Map<string, TestLocation>();
process.once('exit', () => {
  for (const l of databases.values()) {
    try {
      l.drop();
    } catch {
      // The throwaway server may have stopped first; its databases went with it.
    }
  }
});

/**
 * The environment that puts a command's store where the test matrix wants it: on PostgreSQL, every data
 * directory a test names with `--data DIR` (or OPENAQUA_DATA) gets a database of its own (made on first use, dropped at exit)
 * through OPENAQUA_DATABASE_URL; on SQLite, nothing.
 * @example spawn(process.execPath, [...], { env: { ...process.env, ...storeEnv(['--data', dir]) } })
 */
export function storeEnv(args: readonly string[], env: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const i = args.indexOf('--data');
  const dir = i >= 0 ? args[i + 1] : env.OPENAQUA_DATA;
  if (dir === undefined || args.includes('--database-url') || env.OPENAQUA_DATABASE_URL) return {};
  const location = locationFor(dir);
  return location.kind === 'postgres' ? { OPENAQUA_DATABASE_URL: location.url } : {};
}

/** The store location the commands of a test given `--data dir` use (to open it in the test too). */
export function locationFor(dir: string): StoreLocation {
  const key = resolve(dir);
  let l = databases.get(key);
  if (!l) {
    l = testLocation(key);
    databases.set(key, l);
  }
  return l.location;
}

export function openaqua(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { env: { ...process.env, ...storeEnv(args, env), ...env }, timeout: 60_000, maxBuffer: 256 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/**
 * Starts `openaqua serve` on a free port in a child process (one worker), with stdout and stderr piped;
 * `extra` are further serve flags.
 */
export function spawnServe(
  dir: string,
  opts: { demoAccounts?: number; logLevel: string; extra?: readonly string[] },
) {
  const args = ['serve', '--port', '0', '--data', dir, '--workers', '1', '--log-level', opts.logLevel];
  if (opts.demoAccounts !== undefined) args.push('--demo-accounts', String(opts.demoAccounts));
  return spawn(process.execPath, ['--import', 'tsx', MAIN, ...args, ...(opts.extra ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...storeEnv(['--data', dir]) },
  });
}

/**
 * Waits until a spawned server prints the line with its address (with `banner`, also the credentials
 * a first start prints after it); rejects when it exits first or takes over a minute.
 */
export function listening(
  child: ChildProcess,
  opts: { banner?: boolean } = {},
): Promise<{ url: string; stdout: () => string }> {
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out} ${err}`)), 60_000);
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && (!opts.banner || out.includes('cannot be shown again.\n'))) {
        clearTimeout(timer);
        resolve({ url: m[1]!, stdout: () => out });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
}
