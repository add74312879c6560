/** Real `openaqua serve` processes sharing one store, for tests of several API and worker processes. */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { MAIN } from '../cli/run.ts';

/** A running server process: its URL, its log lines so far, and how to stop it. */
export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Every line the process wrote to stdout (pino JSON lines and plain messages). */
  readonly lines: string[];
  /** Resolves with the first log line for which `match` holds (also one already written). */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `openaqua serve <args>` on a free port and waits until it listens.
 * @example const api = await startServe(['--role', 'api', '--data', dir]);
 */
export async function startServe(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const lines: string[] = [];
  const waiters = new Set<{ match: (l: string) => boolean; resolve: (l: string) => void }>();
  let stderr = '';
  let rest = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters) if (w.match(line)) w.resolve(line);
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit');

  const waitForLine = (match: (line: string) => boolean, timeoutMs = 60_000): Promise<string> => {
    const seen = lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = {
        match,
        resolve: (l: string) => {
          clearTimeout(timer);
          waiters.delete(w);
          resolve(l);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(w);
        reject(new Error(`no such line within ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      waiters.add(w);
      exited.then(() => {
        if (!waiters.has(w)) return;
        clearTimeout(timer);
        waiters.delete(w);
        reject(
          new Error(`serve exited (${child.exitCode ?? child.signalCode}); stderr: ${stderr.slice(-2000)}`),
        );
      });
    });
  };

  const listening = await waitForLine((l) => l.startsWith('openaqua listening on '));
  const url = /openaqua listening on (\S+)/.exec(listening)![1]!;
  return {
    url,
    child,
    lines,
    waitForLine,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
