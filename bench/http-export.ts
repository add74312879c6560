/**
 * The `http-csv`, `http-gzip` and `http-zip` cases: the export through the HTTP API of a real
 * `openaqua serve` process (submit, poll until completed, download to a file), each timed run followed
 * by a run of the baseline: `sqlite3 -csv` on the tenant file, piped to `gzip -6` for compressed formats.
 * Target: the server's peak RSS under 300 MB.
 */
import { join } from 'node:path';
import { AquaClient, type AquaFormat } from './aqua-client.ts';
import { type BenchCase, type BenchContext, MB } from './context.ts';
import { startServer } from './server.ts';
import { type BenchRow, median, timeCommand } from './util.ts';
import { type CsvCount, checkTool, countCsvFile, countGzipFile, countZipFile, zipEntries } from './verify.ts';

const TARGET_RSS_MB = 300;
const POLL_MS = 50;
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

async function runBaseline(ctx: BenchContext, format: AquaFormat, outFile: string) {
  const world = ctx.world();
  if (format === 'csv') return timeCommand('sqlite3', ['-csv', world.tenantFile, world.sql], outFile);
  return timeCommand(
    'sh',
    ['-c', 'sqlite3 -csv "$1" "$2" | gzip -6', 'sh', world.tenantFile, world.sql],
    outFile,
  );
}

async function measure(ctx: BenchContext, format: AquaFormat): Promise<BenchRow> {
  const world = ctx.world();
  const ext = format === 'csv' ? 'csv' : format === 'gzip' ? 'csv.gz' : 'zip';
  const ours = join(ctx.workDir, `http.${ext}`);
  const theirs = join(ctx.workDir, `baseline.${format === 'csv' ? 'csv' : 'csv.gz'}`);
  const timeoutMs = Math.max(120_000, world.rows / 10);

  const server = await startServer(world.dataDir);
  const client = new AquaClient(server.url, world.username, world.password);
  try {
    // One small job first: the timed runs measure a server whose workers are loaded and compiled.
    const warm = await client.submit(format, BATCH_NAME, 'select Id, Name from Account');
    await client.waitCompleted(warm.id!, POLL_MS, timeoutMs);
    const warmRss = server.rssMb() ?? 0;

    const seconds: number[] = [];
    const baseline: number[] = [];
    let count: CsvCount | undefined;
    let fileBytes = 0;
    for (let r = 0; r < ctx.options.runs; r++) {
      const started = performance.now();
      const submitted = await client.submit(format, BATCH_NAME, world.query);
      const job = await client.waitCompleted(submitted.id!, POLL_MS, timeoutMs);
      const batch = job.batches?.[0];
      if (!batch?.fileId)
        throw new Error(`completed job without a fileId: ${JSON.stringify(job).slice(0, 300)}`);
      fileBytes = await client.download(batch.fileId, ours);
      const s = (performance.now() - started) / 1000;

      const b = await runBaseline(ctx, format, theirs);
      count = await verifyDownload(format, ours);
      if (count.records - 1 !== world.rows) {
        throw new Error(`the ${format} download holds ${count.records - 1} data rows, not ${world.rows}`);
      }
      if (batch.recordCount !== world.rows)
        throw new Error(`recordCount ${batch.recordCount}, not ${world.rows}`);
      const base = format === 'csv' ? await countCsvFile(theirs) : await countGzipFile(theirs);
      if (base.records !== world.rows)
        throw new Error(`the baseline wrote ${base.records} rows, not ${world.rows}`);
      seconds.push(s);
      baseline.push(b.seconds);
      ctx.log(
        `http-${format} run ${r + 1}: openaqua ${s.toFixed(2)} s, baseline ${b.seconds.toFixed(2)} s, ` +
          `server VmRSS max so far ${server.sampledMaxRssMb().toFixed(0)} MB`,
      );
    }
    const peak = server.peakRssMb() ?? server.sampledMaxRssMb();
    const s = median(seconds);
    const base = median(baseline);
    const met = peak < TARGET_RSS_MB;
    const cliSha = ctx.facts.get('query-csv.sha256');
    const same =
      cliSha === undefined
        ? ''
        : cliSha === count!.sha256
          ? '; CSV identical to openaqua query'
          : '; CSV DIFFERS from openaqua query';
    return {
      case: `http-${format}`,
      rows: world.rows,
      store: 'sqlite',
      format,
      seconds: s,
      baseline: base,
      baselineName: format === 'csv' ? 'sqlite3 -csv' : 'sqlite3 -csv | gzip -6',
      ratio: s / base,
      rowsPerSecond: world.rows / s,
      mbPerSecond: count!.bytes / MB / s,
      peakRssMb: peak,
      target: `RSS < ${TARGET_RSS_MB} MB: ${met ? 'met' : 'MISSED'}`,
      targetMet: met,
      note:
        `submit->completed->downloaded, poll ${POLL_MS} ms; ${world.rows} rows verified` +
        (format === 'csv'
          ? ''
          : `, ${format === 'gzip' ? 'gzip -t' : 'unzip -t'} ok, file ${(fileBytes / MB).toFixed(1)} MB`) +
        `; MB/s of CSV; RSS = server VmHWM (sampled VmRSS max ${server.sampledMaxRssMb().toFixed(0)} MB, ` +
        `${warmRss.toFixed(0)} MB after a small warm-up job)${same}`,
    };
  } catch (e) {
    const tail = server.recentOutput().trim();
    if (tail && e instanceof Error) e.message += ` | server said: ${tail.slice(-300)}`;
    throw e;
  } finally {
    client.close();
    await server.stop();
  }
}

export function httpExportCase(format: AquaFormat): BenchCase {
  return {
    name: `http-${format}`,
    needsWorld: true,
    run: async (ctx) => [await measure(ctx, format)],
  };
}
