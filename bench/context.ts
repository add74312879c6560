/** What every case gets, and what a case is. */
import type { BenchRow } from './util.ts';
import type { World } from './world.ts';

export interface BenchOptions {
  /** Invoice items of the world (default 1,000,000). */
  readonly rows: number;
  /** Timed runs per measurement; the table shows their median (default 3). */
  readonly runs: number;
}

export interface BenchContext {
  readonly options: BenchOptions;
  /** Built before the first case that needs data. */
  world(): World;
  /** A scratch directory for output files, removed at the end. */
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Facts one case leaves for a later one (e.g. the digest of `openaqua query`'s CSV). */
  readonly facts: Map<string, string | number>;
}

export interface BenchCase {
  readonly name: string;
  /** Whether the case reads the seeded tenant. */
  readonly needsWorld: boolean;
  run(ctx: BenchContext): Promise<BenchRow[]>;
}

/** A row for a case that could not be measured. */
export function failedRow(name: string, rows: number, store: string, format: string, e: unknown): BenchRow {
  const message = e instanceof Error ? e.message : String(e);
  return {
    case: name,
    rows,
    store,
    format,
    seconds: Number.NaN,
    error: message.replace(/\s+/g, ' ').slice(0, 300),
  };
}

export const MB = 1024 * 1024;
