import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawnTracked } from './procs.ts';

/** One line of the benchmark table. */
export interface BenchRow {
  case: string;
  rows: number;
  store: string;
  format: string;
  /** Median seconds of openaqua. */
  seconds: number;
  /** Median seconds of the baseline measured in the same run, when there is one. */
  baseline?: number;
  baselineName?: string;
  ratio?: number;
  rowsPerSecond?: number;
  mbPerSecond?: number;
  peakRssMb?: number;
  /** The target and whether it was met, e.g. `<= 1.5x: met`. */
  target?: string;
  /** False when the target was missed; undefined when there is no target or the case failed. */
  targetMet?: boolean;
  /** Set when the case could not be measured; the row then carries the reason. */
  error?: string;
  note?: string;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The nearest-rank percentile `p` (0 to 100) of `values`. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length, Math.max(1, Math.ceil((p / 100) * s.length)));
  return s[rank - 1]!;
}

/** Runs a command, sending its stdout to a file; resolves with wall seconds, bytes and the child's peak RSS. */
export function timeCommand(
  cmd: string,
  args: string[],
  outFile: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ seconds: number; peakRssMb: number; code: number }> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawnTracked('/usr/bin/time', ['-f', '%M', cmd, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = createWriteStream(outFile);
    // The file is complete only once the stream has flushed, which may be before or after `close`.
    const flushed = new Promise<void>((ok, fail) => {
      out.once('finish', ok);
      out.once('error', fail);
    });
    child.stdout!.pipe(out);
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const lines = err.trim().split('\n');
      const kb = Number(lines[lines.length - 1]);
      if (code !== 0) {
        out.destroy();
        reject(new Error(`${cmd} exited ${code}: ${err.slice(-2000)}`));
        return;
      }
      flushed.then(() => {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        resolve({ seconds, peakRssMb: kb / 1024, code: code ?? 0 });
      }, reject);
    });
  });
}

const num = (v: number | undefined, f: (n: number) => string) =>
  v === undefined || !Number.isFinite(v) ? '' : f(v);

export function printTable(rows: BenchRow[]): void {
  const head = [
    'case',
    'rows',
    'store',
    'format',
    'openaqua s',
    'baseline s',
    'ratio',
    'rows/s',
    'MB/s',
    'peak RSS MB',
    'target',
    'notes',
  ];
  const body = rows.map((r) => [
    r.case,
    String(r.rows),
    r.store,
    r.format,
    r.error ? 'FAILED' : num(r.seconds, (n) => n.toFixed(3)),
    num(r.baseline, (n) => `${n.toFixed(3)} (${r.baselineName})`),
    num(r.ratio, (n) => `${n.toFixed(2)}x`),
    num(r.rowsPerSecond, (n) => Math.round(n).toLocaleString('en-US')),
    num(r.mbPerSecond, (n) => n.toFixed(1)),
    num(r.peakRssMb, (n) => n.toFixed(0)),
    r.target ?? '',
    r.error ? `FAILED: ${r.error}` : (r.note ?? ''),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const b of body) console.log(line(b));
}

/** Writes the table as JSON; `meta` (options, machine) goes beside the rows. Unmeasured numbers become null. */
export function writeResults(path: string, rows: BenchRow[], meta: Record<string, unknown> = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const json = JSON.stringify({ when: new Date().toISOString(), ...meta, rows }, null, 2);
  writeFileSync(path, `${json}\n`);
}
