/**
 * The `http-csv`, `http-gzip` and `http-zip` cases: the export through the HTTP API of a real
 * `openaqua serve` process (submit, poll until completed, download to a file), each timed run followed
 * by a run of the baseline: `sqlite3 -csv` on the tenant file, piped to `gzip -6` for compressed formats.
 * Target: the server's peak RSS under 300 MB.
 */
import { join } from 'node:path';
import { AquaClient, type AquaFormat } from './aqua-client.ts';
import { type BenchCase, type BenchContext, MB } from './context.ts';
import { type ServerProcess, startServer } from './server.ts';
import { type BenchRow, median, timeCommand } from './util.ts';
import { type CsvCount, checkTool, countCsvFile, countGzipFile, countZipFile, zipEntries } from './verify.ts';
import type { World } from './world.ts';

export const TARGET_RSS_MB = 300;
export const POLL_MS = 50;
const BATCH_NAME = 'items';

async function verifyDownload(format: AquaFormat, file: string): Promise<CsvCount> {
  if (format === 'csv') return countCsvFile(file);
  if (format === 'gzip') {
    checkTool('gzip', ['-t', file]);
    return countGzipFile(file);
  }
  checkTool('unzip', ['-tq', file]);
  const entries = zipEntries(file);
  if (entries.length !== 1 || entries[0] !== `${BATCH_NAME}.csv`) {
    throw new Error(`the zip holds ${JSON.stringify(entries)}, not ["${BATCH_NAME}.csv"]`);
  }
  return countZipFile(file);
}

/** The baseline of an export: the store's own shell writing the same rows (gzip -6 for compressed formats). */
export function runBaseline(world: World, format: AquaFormat, outFile: string) {
  if (world.store === 'postgres') {
    // \copy takes the rest of its line; the SQL is one line (world.ts) and search_path names the schema.
    const copy = `\\copy (${world.sql}) to stdout with csv`;
    const psql = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', world.databaseUrl!];
    const args = [...psql, '-c', `SET search_path TO "${world.schema}"`, '-c', copy];
    if (format === 'csv') return timeCommand('psql', args, outFile);
    return timeCommand('sh', ['-c', 'psql "$@" | gzip -6', 'sh', ...args], outFile);
  }
  if (format === 'csv') return timeCommand('sqlite3', ['-csv', world.tenantFile, world.sql], outFile);
  return timeCommand(
    'sh',
    ['-c', 'sqlite3 -csv "$1" "$2" | gzip -6', 'sh', world.tenantFile, world.sql],
    outFile,
  );
}

export function baselineName(world: World, format: AquaFormat): string {
  const shell = world.store === 'postgres' ? 'psql \\copy csv' : 'sqlite3 -csv';
  return format === 'csv' ? shell : `${shell} | gzip -6`;
}

/**
 * A server on one world, warmed up, whose export and baseline runs a case interleaves (with other
 * runners' when it compares sizes).
 */
export class ExportRunner {
  readonly seconds: number[] = [];
  readonly baseline: number[] = [];
  count: CsvCount | undefined;
  fileBytes = 0;
  warmRss = 0;
  private readonly ours: string;
  private readonly theirs: string;
  private readonly timeoutMs: number;

  private constructor(
    private readonly ctx: BenchContext,
    readonly world: World,
    readonly format: AquaFormat,
    readonly server: ServerProcess,
    readonly client: AquaClient,
  ) {
    const ext = format === 'csv' ? 'csv' : format === 'gzip' ? 'csv.gz' : 'zip';
    const tag = `${world.store}-${world.rows}`;
    this.ours = join(ctx.workDir, `http-${tag}.${ext}`);
    this.theirs = join(ctx.workDir, `baseline-${tag}.${format === 'csv' ? 'csv' : 'csv.gz'}`);
    this.timeoutMs = Math.max(120_000, world.rows / 10);
  }

  static async open(ctx: BenchContext, world: World, format: AquaFormat): Promise<ExportRunner> {
    const server = await startServer(world.dataDir, { databaseUrl: world.databaseUrl });
    const client = new AquaClient(server.url, world.username, world.password);
    const runner = new ExportRunner(ctx, world, format, server, client);
    try {
      // One small job first: the timed runs measure a server whose workers are loaded and compiled.
      const warm = await client.submit(format, BATCH_NAME, 'select Id, Name from Account');
      await client.waitCompleted(warm.id!, POLL_MS, runner.timeoutMs);
      runner.warmRss = server.rssMb() ?? 0;
    } catch (e) {
      await runner.stop(e);
    }
    return runner;
  }

  /** One timed export (submit, poll, download), verified; returns its seconds. */
  async runOurs(): Promise<number> {
    const { world, format, client } = this;
    try {
      const started = performance.now();
      const submitted = await client.submit(format, BATCH_NAME, world.query);
      const job = await client.waitCompleted(submitted.id!, POLL_MS, this.timeoutMs);
      const batch = job.batches?.[0];
      if (!batch?.fileId)
        throw new Error(`completed job without a fileId: ${JSON.stringify(job).slice(0, 300)}`);
      this.fileBytes = await client.download(batch.fileId, this.ours);
      const s = (performance.now() - started) / 1000;
      const count = await verifyDownload(format, this.ours);
      if (count.records - 1 !== world.rows) {
        throw new Error(`the ${format} download holds ${count.records - 1} data rows, not ${world.rows}`);
      }
      if (batch.recordCount !== world.rows)
        throw new Error(`recordCount ${batch.recordCount}, not ${world.rows}`);
      this.count = count;
      this.seconds.push(s);
      return s;
    } catch (e) {
      throw this.withServerOutput(e);
    }
  }

  /** One timed run of the baseline, its rows counted; returns its seconds. */
  async runBaseline(): Promise<number> {
    const b = await runBaseline(this.world, this.format, this.theirs);
    const base = this.format === 'csv' ? await countCsvFile(this.theirs) : await countGzipFile(this.theirs);
    if (base.records !== this.world.rows)
      throw new Error(`the baseline wrote ${base.records} rows, not ${this.world.rows}`);
    this.baseline.push(b.seconds);
    return b.seconds;
  }

  peakRssMb(): number {
    return this.server.peakRssMb() ?? this.server.sampledMaxRssMb();
  }

  /** The row of this runner's figures; `target` judges them. */
  row(name: string, target: { text: string; met: boolean }, extraNote = ''): BenchRow {
    const { world, format } = this;
    const s = median(this.seconds);
    const base = median(this.baseline);
    const cliSha = this.ctx.facts.get('query-csv.sha256');
    const same =
      cliSha === undefined
        ? ''
        : cliSha === this.count!.sha256
          ? '; CSV identical to openaqua query'
          : '; CSV DIFFERS from openaqua query';
    return {
      case: name,
      rows: world.rows,
      store: world.store,
      format,
      seconds: s,
      baseline: base,
      baselineName: baselineName(world, format),
      ratio: s / base,
      rowsPerSecond: world.rows / s,
      mbPerSecond: this.count!.bytes / MB / s,
      peakRssMb: this.peakRssMb(),
      target: `${target.text}: ${target.met ? 'met' : 'MISSED'}`,
      targetMet: target.met,
      note:
        `submit->completed->downloaded, poll ${POLL_MS} ms; ${world.rows} rows verified` +
        (format === 'csv'
          ? ''
          : `, ${format === 'gzip' ? 'gzip -t' : 'unzip -t'} ok, file ${(this.fileBytes / MB).toFixed(1)} MB`) +
        `; runs: openaqua ${range(this.seconds)}, baseline ${range(this.baseline)}` +
        `; MB/s of CSV; RSS = server VmHWM (sampled VmRSS max ${this.server.sampledMaxRssMb().toFixed(0)} MB, ` +
        `${this.warmRss.toFixed(0)} MB after a small warm-up job)${same}${extraNote}`,
    };
  }

  withServerOutput(e: unknown): unknown {
    const tail = this.server.recentOutput().trim();
    if (tail && e instanceof Error && !e.message.includes('| server said:'))
      e.message += ` | server said: ${tail.slice(-300)}`;
    return e;
  }

  /** Stops the server; with `error`, rethrows it with the end of the server's output. */
  async stop(error?: unknown): Promise<void> {
    this.client.close();
    await this.server.stop();
    if (error !== undefined) throw this.withServerOutput(error);
  }
}

export function range(values: number[], digits = 2): string {
  return `${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)} s`;
}

async function measure(ctx: BenchContext, format: AquaFormat): Promise<BenchRow> {
  const world = ctx.world();
  const runner = await ExportRunner.open(ctx, world, format);
  try {
    for (let r = 0; r < ctx.options.runs; r++) {
      const s = await runner.runOurs();
      const b = await runner.runBaseline();
      ctx.log(
        `http-${format} run ${r + 1}: openaqua ${s.toFixed(2)} s, baseline ${b.toFixed(2)} s, ` +
          `server VmRSS max so far ${runner.server.sampledMaxRssMb().toFixed(0)} MB`,
      );
    }
    const peak = runner.peakRssMb();
    const row = runner.row(`http-${format}`, {
      text: `RSS < ${TARGET_RSS_MB} MB`,
      met: peak < TARGET_RSS_MB,
    });
    if (format === 'csv' && runner.count) ctx.facts.set('http-csv.sha256', runner.count.sha256);
    await runner.stop();
    return row;
  } catch (e) {
    await runner.stop(e);
    throw e;
  }
}

export function httpExportCase(format: AquaFormat): BenchCase {
  return {
    name: `http-${format}`,
    needsWorld: true,
    run: async (ctx) => [await measure(ctx, format)],
  };
}
