/**
 * Every child process the benchmark starts, so that each one is stopped even when a case fails or the
 * run is interrupted. Children start in their own process group (`detached`), so stopping one also
 * stops what it started itself (`/usr/bin/time`'s command, `sh -c` pipelines).
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const live = new Set<ChildProcess>();

/** Spawns a tracked child in a process group of its own. */
export function spawnTracked(cmd: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(cmd, args, { ...options, detached: true });
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

/** Sends `signal` to the child's process group (its own id), falling back to the child alone. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

/** Resolves when the child has exited, or false after `ms`. */
export function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Stops a child: SIGTERM to its group, then SIGKILL if it is still there after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  signalGroup(child, 'SIGTERM');
  if (await exited(child, graceMs)) return;
  signalGroup(child, 'SIGKILL');
  await exited(child, 5_000);
}

/** Kills every child still running (used on failure and on interrupt). */
export async function stopAll(): Promise<void> {
  for (const child of live) signalGroup(child, 'SIGKILL');
  await Promise.all([...live].map((c) => exited(c, 5_000)));
}

/** Synchronous last resort for `process.on('exit')`. */
export function killAllNow(): void {
  for (const child of live) signalGroup(child, 'SIGKILL');
}

/** A `/proc/<pid>/status` memory field (VmRSS, VmHWM) in MB, or undefined once the process is gone. */
export function procMemoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
