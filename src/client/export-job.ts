import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resultFileName } from './file-names.ts';
import { type AquaClient, type BatchJson, ClientInputError, type JobJson } from './http.ts';
import { JobProgress, type ProgressOut } from './progress.ts';
import { verifyResultFile } from './verify.ts';

/** One batch's files as saved and checked. */
export interface BatchSummary {
  name: string;
  status: string;
  files: string[];
  rows: number;
  bytes: number;
  /** From submit until the poll that saw the batch finish. */
  seconds: number;
}

export interface ExportResult {
  job: JobJson;
  batches: BatchSummary[];
}

/**
 * Reads a job file: a JSON object, the body of `POST /v1/batch-query/`.
 * @example const body = await readJobFile('job.json');
 */
export async function readJobFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ClientInputError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new ClientInputError(`${path} is not JSON: ${(e as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ClientInputError(`${path} must hold a JSON object (an AQuA job)`);
  }
  return body as Record<string, unknown>;
}

const FINISHED = new Set(['completed', 'aborted', 'cancelled', 'error']);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function saveBatch(
  client: AquaClient,
  job: JobJson,
  b: BatchJson,
  outDir: string,
): Promise<Omit<BatchSummary, 'seconds' | 'status'>> {
  const format = job.format ?? 'CSV';
  const encrypted = job.encrypted === 'pgp';
  const ids = b.segments ?? (b.fileId ? [b.fileId] : []);
  const summary = { name: b.name, files: [] as string[], rows: 0, bytes: 0 };
  for (const [i, id] of ids.entries()) {
    const name = resultFileName(b.name, format, b.segments ? { segment: i + 1, encrypted } : { encrypted });
    const path = join(outDir, name);
    summary.bytes += await client.download(id, path);
    // An encrypted file can only be read with the tenant's private key: it is saved, not parsed.
    if (!encrypted) summary.rows += await verifyResultFile(path, format);
    summary.files.push(name);
  }
  return summary;
}

/**
 * Submits a job, polls it (showing progress), and when it completes downloads every file and segment into
 * `outDir`, verifying each.
 * @example const { job, batches } = await exportJob(client, body, { outDir: '.', progress: process.stderr });
 */
export async function exportJob(
  client: AquaClient,
  body: Record<string, unknown>,
  opts: { outDir: string; progress: ProgressOut; intervalMs: number },
): Promise<ExportResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  let job = await client.submit(body);
  const id = job.id;
  if (!id) throw new Error('the server answered without a job id');
  const progress = new JobProgress(opts.progress);
  const finishedAt = new Map<string, number>();
  for (;;) {
    progress.update(job, elapsed());
    for (const b of job.batches) {
      if (!finishedAt.has(b.name) && b.status !== 'pending' && b.status !== 'executing')
        finishedAt.set(b.name, elapsed());
    }
    if (FINISHED.has(job.status)) break;
    await sleep(opts.intervalMs);
    job = await client.get(id);
  }
  progress.done();
  const batches: BatchSummary[] = [];
  if (job.status === 'completed') await mkdir(opts.outDir, { recursive: true });
  for (const b of job.batches) {
    const saved =
      b.status === 'completed' && job.status === 'completed'
        ? await saveBatch(client, job, b, opts.outDir)
        : { name: b.name, files: [], rows: 0, bytes: 0 };
    batches.push({ ...saved, status: b.status, seconds: finishedAt.get(b.name) ?? elapsed() });
  }
  return { job, batches };
}

/**
 * The summary printed after an export: one line per batch with rows, bytes and seconds, then the files.
 * @example summaryText(result) // 'accounts  completed  2 rows  26 bytes  0.6 s  accounts.csv\n...'
 */
export function summaryText(result: ExportResult): string {
  const rows = result.batches.map((b) => [
    b.name,
    b.status,
    `${b.rows} rows`,
    `${b.bytes} bytes`,
    `${b.seconds.toFixed(1)} s`,
    b.files.join(' '),
  ]);
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  const lines = rows.map((r) =>
    r
      .map((c, i) => (i === 2 || i === 3 || i === 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  const head = `job ${result.job.id} ${result.job.status}`;
  return `${[head, ...lines].join('\n')}\n`;
}
