/** Runs the `openaqua` command as a user would, in a child process. */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export function openaqua(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN, ...args],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Starts `openaqua serve` on a free port in a child process (one worker), with stdout and stderr piped. */
export function spawnServe(dir: string, opts: { demoAccounts: number; logLevel: string }) {
  return spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      MAIN,
      'serve',
      '--port',
      '0',
      '--data',
      dir,
      '--workers',
      '1',
      '--demo-accounts',
      String(opts.demoAccounts),
      '--log-level',
      opts.logLevel,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
