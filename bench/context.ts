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
  /**
   * A world of `rows` invoice items on SQLite in a data directory of its own beside the main world's
   * (`<dir>-<rows>`), so kept and reused when `--data` is given; `rows` equal to `--rows` is the main world.
   */
  worldOf(rows: number): World;
  /** The main world's tenant in the run's PostgreSQL database (bench/postgres.ts), built on first use. */
  pgWorld(): Promise<World>;
  /** A scratch directory for output files, removed at the end. */
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** Facts one case leaves for a later one (e.g. the digest of `openaqua query`'s CSV). */
  readonly facts: Map<string, string | number>;
}

export interface BenchCase {
  readonly name: string;
  /** Whether the case reads the seeded tenant (on SQLite). */
  readonly needsWorld: boolean;
  /** The store its rows name (default: `sqlite` when it needs the world). */
  readonly store?: string;
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
