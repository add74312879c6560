/**
 * A duration for people: `850 ms`, `12.4 s`, `3 min 05 s`, `2 h 07 min`.
 * @example formatDuration(185_000) === '3 min 05 s'
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** The batches of a job JSON, as the Finder reads them. */
export interface BatchView {
  batchId?: string;
  name: string;
  query: string;
  status: string;
  full: boolean;
  recordCount: number;
  message?: string;
  fileId?: string;
  segments?: string[];
}

/** The batches of a job JSON. */
export function batchesOf(json: Record<string, unknown>): BatchView[] {
  return Array.isArray(json.batches) ? (json.batches as BatchView[]) : [];
}

/**
 * How a job runs: `stateless`, or `stateful` with `full`, `incremental` or `mixed` (some queries each way).
 * @example jobMode(true, [{ full: false }, { full: false }]) === 'stateful incremental'
 */
export function jobMode(stateful: boolean, batches: readonly { full: boolean }[]): string {
  if (!stateful) return 'stateless';
  const full = batches.filter((b) => b.full).length;
  if (batches.length > 0 && full === 0) return 'stateful incremental';
  return full === batches.length ? 'stateful full' : 'stateful mixed';
}

/** Whether a job status means it may still change. */
export function isActive(status: unknown): boolean {
  return status === 'submitted' || status === 'executing';
}
