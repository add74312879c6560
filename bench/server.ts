/**
 * A real `openaqua serve` process on 127.0.0.1 with a port the system picks, its memory read from
 * /proc: VmHWM (the kernel's peak resident set) and VmRSS sampled while it works. Job workers are
 * threads of that process, so its figures cover them. The rate limit is off (OPENAQUA_RATE_LIMIT=0).
 */
import type { ChildProcess } from 'node:child_process';
import { procMemoryMb, spawnTracked, stopChild } from './procs.ts';
import { BIN } from './world.ts';

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  /** Resident set now (VmRSS), MB. */
  rssMb(): number | undefined;
  /** Peak resident set so far (VmHWM), MB. */
  peakRssMb(): number | undefined;
  /** The largest VmRSS seen by the sampler, MB. */
  sampledMaxRssMb(): number;
  /** The end of what the server printed (warnings, errors). */
  recentOutput(): string;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const SAMPLE_EVERY_MS = 100;

export interface ServerOptions {
  /** Job worker threads (default 2). */
  workers?: number;
  /** Run on this PostgreSQL database (`--database-url`); the embedded SQLite store otherwise. */
  databaseUrl?: string;
  /** Node options before the script, e.g. `--cpu-prof --cpu-prof-dir DIR` (see run.ts `--profile`). */
  nodeArgs?: readonly string[];
}

/** Node options every server gets (run.ts sets them from `--profile`). */
export const serverDefaults: { nodeArgs: readonly string[] } = { nodeArgs: [] };

export async function startServer(dataDir: string, opts: ServerOptions = {}): Promise<ServerProcess> {
  const workers = opts.workers ?? 2;
  const child: ChildProcess = spawnTracked(
    process.execPath,
    [
      ...(opts.nodeArgs ?? serverDefaults.nodeArgs),
      BIN,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--data',
      dataDir,
      '--workers',
      String(workers),
      '--log-level',
      'warn',
      ...(opts.databaseUrl ? ['--database-url', opts.databaseUrl] : []),
    ],
    // The per-credential rate limit (HTTP 429) would cap the load the cases make; they measure speed.
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, OPENAQUA_RATE_LIMIT: '0' } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`openaqua serve did not start: ${output.slice(-1000)}`)),
      START_TIMEOUT_MS,
    );
    const onData = (d: Buffer) => {
      output += d;
      const m = /openaqua listening on (http:\/\/[^\s]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => {
      output += d;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`openaqua serve exited (${code ?? signal}): ${output.slice(-1000)}`));
    });
  });
  // The listeners above keep draining its output, so the server never blocks on a full pipe; keep a tail.
  const trim = setInterval(() => {
    if (output.length > 64_000) output = output.slice(-16_000);
  }, 1_000);
  trim.unref();

  const pid = child.pid!;
  let sampled = procMemoryMb(pid, 'VmRSS') ?? 0;
  const sampler = setInterval(() => {
    const rss = procMemoryMb(pid, 'VmRSS');
    if (rss !== undefined && rss > sampled) sampled = rss;
  }, SAMPLE_EVERY_MS);
  sampler.unref();

  return {
    url,
    pid,
    rssMb: () => procMemoryMb(pid, 'VmRSS'),
    peakRssMb: () => procMemoryMb(pid, 'VmHWM'),
    sampledMaxRssMb: () => sampled,
    recentOutput: () => output.slice(-2_000),
    async stop() {
      clearInterval(sampler);
      clearInterval(trim);
      await stopChild(child);
    },
  };
}
