/**
 * Waiting for the machine to be quiet before a case: the share of CPU time spent busy (user, nice,
 * system, irq, softirq and I/O wait, over every core; `/proc/stat`) in one-second windows, until a
 * window is below `busyBelow` or `maxSeconds` have passed. What the hypervisor takes (steal) is not
 * ours to wait for and does not count. Where `/proc/stat` cannot be read, it does not wait.
 */
import { readFileSync } from 'node:fs';

interface CpuTimes {
  busy: number;
  total: number;
}

function cpuTimes(): CpuTimes | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq] = line.trim().split(/\s+/).slice(1, 8).map(Number);
    const busy = user! + nice! + system! + iowait! + irq! + softirq!;
    return { busy, total: busy + idle! };
  } catch {
    return undefined;
  }
}

/**
 * Resolves once the machine was less than `busyBelow` busy for a second (or after `maxSeconds`),
 * logging how long it waited when it did.
 * @example await untilQuiet(log); // before a timed case
 */
export async function untilQuiet(
  log: (line: string) => void,
  { busyBelow = 0.15, maxSeconds = 60 } = {},
): Promise<void> {
  const started = performance.now();
  let last = cpuTimes();
  if (!last) return;
  let busy = 1;
  while ((performance.now() - started) / 1000 < maxSeconds) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = cpuTimes()!;
    busy = (now.busy - last.busy) / Math.max(1, now.total - last.total);
    last = now;
    if (busy < busyBelow) break;
  }
  const waited = (performance.now() - started) / 1000;
  if (waited > 1.5)
    log(`waited ${waited.toFixed(0)} s for a quiet machine (last second ${(busy * 100).toFixed(0)}% busy)`);
}
