/**
 * `npm run bench [-- --rows N --only parser,query-csv,... --runs N --data DIR --keep]`
 *
 * Builds its own data (a tenant seeded through the CLI with the deterministic invoice-item world) in a
 * temporary directory, runs the cases, prints the table and writes it to bench/results/latest.json.
 * Every timed figure is a median of `--runs` runs (at least 3 by default) and every baseline is
 * measured in the same run, interleaved with openaqua's runs, so that a noisy machine moves both.
 *   --rows N     invoice items of the world (default 1,000,000)
 *   --only LIST  comma-separated case names (default: all)
 *   --runs N     timed runs per measurement (default 3)
 *   --data DIR   use (and keep) this data directory; reused when it already holds the bench tenant
 *   --keep       keep the temporary directory and print where it is
 *   --profile DIR  run every server with `node --cpu-prof --cpu-prof-dir DIR` (a .cpuprofile per thread)
 * Exit status 1 when a case could not be measured; a missed target is reported, not an error.
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { httpCsvCase } from './cases/http-csv.ts';
import { httpGzipCase } from './cases/http-gzip.ts';
import { httpZipCase } from './cases/http-zip.ts';
import { linearCase } from './cases/linear.ts';
import { parserCase } from './cases/parser.ts';
import { pgCsvCase } from './cases/pg-csv.ts';
import { queryCsvCase } from './cases/query-csv.ts';
import { smallJobsCase } from './cases/small-jobs.ts';
import { statusLatencyCase, statusTwoExportsCase } from './cases/status-latency.ts';
import { type BenchCase, type BenchContext, type BenchOptions, failedRow } from './context.ts';
import { benchPostgres, settle } from './postgres.ts';
import { killAllNow, stopAll } from './procs.ts';
import { untilQuiet } from './quiet.ts';
import { serverDefaults } from './server.ts';
import { type BenchRow, printTable, writeResults } from './util.ts';
import { buildWorld, type World } from './world.ts';

const CASES: readonly BenchCase[] = [
  parserCase,
  queryCsvCase,
  httpCsvCase,
  httpGzipCase,
  httpZipCase,
  statusLatencyCase,
  statusTwoExportsCase,
  smallJobsCase,
  pgCsvCase,
  linearCase,
];
const RESULTS = fileURLToPath(new URL('./results/latest.json', import.meta.url));

function usage(message: string): never {
  console.error(`bench: ${message}`);
  console.error(
    `usage: npm run bench -- [--rows N] [--only ${CASES.map((c) => c.name).join(',')}] [--runs N] [--data DIR] [--keep] [--profile DIR]`,
  );
  process.exit(2);
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isSafeInteger(n) || n < 1) usage(`--${name} must be a positive whole number, not '${raw}'`);
  return n;
}

const FLAGS = {
  rows: { type: 'string' },
  only: { type: 'string' },
  runs: { type: 'string' },
  data: { type: 'string' },
  keep: { type: 'boolean' },
  profile: { type: 'string' },
} as const;

function parseFlags() {
  try {
    return parseArgs({ options: FLAGS, strict: true }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
}

function parseOptions() {
  const v = parseFlags();
  const options: BenchOptions = {
    rows: positive('rows', v.rows, 1_000_000),
    runs: positive('runs', v.runs, 3),
  };
  const names = v.only
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names?.filter((n) => !CASES.some((c) => c.name === n)) ?? [];
  if (unknown.length > 0) usage(`unknown case ${unknown.join(', ')}`);
  const cases = names ? CASES.filter((c) => names.includes(c.name)) : [...CASES];
  return { options, cases, dataDir: v.data, keep: v.keep === true, profile: v.profile };
}

/** Reads the tenant file once so that every timed run starts from the page cache alike. */
async function warmPageCache(file: string): Promise<void> {
  for await (const _ of createReadStream(file, { highWaterMark: 4 << 20 })) {
    // reading is the point
  }
}

async function main(): Promise<number> {
  const { options, cases, dataDir, keep, profile } = parseOptions();
  if (profile) serverDefaults.nodeArgs = ['--cpu-prof', '--cpu-prof-dir', profile];
  const started = performance.now();
  let pgSeedSeconds: number | undefined;
  const workDir = mkdtempSync(join(tmpdir(), 'openaqua-bench-'));
  const log = (line: string) =>
    console.error(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}`);
  let cleaned = false;
  const cleanUp = () => {
    if (cleaned) return;
    cleaned = true;
    killAllNow();
    if (keep) log(`kept ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping`);
      cleanUp();
      process.exit(130);
    });
  }
  process.once('exit', cleanUp);

  let world: World | undefined;
  let worldError: unknown;
  const worlds = new Map<number, World>();
  let pgWorld: Promise<World> | undefined;
  const mainDir = dataDir ?? join(workDir, 'data');
  const ctx: BenchContext = {
    options,
    workDir,
    log,
    facts: new Map(),
    world: () => {
      // A world that could not be built fails every case that needs it with the same reason.
      if (worldError !== undefined) throw worldError;
      try {
        world ??= buildWorld(mainDir, options.rows, log);
      } catch (e) {
        worldError = e;
        throw e;
      }
      return world;
    },
    worldOf: (n) => {
      if (n === options.rows) return ctx.world();
      let w = worlds.get(n);
      if (!w) {
        w = buildWorld(`${mainDir}-${n}`, n, log);
        worlds.set(n, w);
      }
      return w;
    },
    pgWorld: () => {
      pgWorld ??= (async () => {
        const pg = await benchPostgres(log);
        // The database is new in every run, so its tenant is too: the data directory is the run's own.
        const w = buildWorld(join(workDir, 'pg-data'), options.rows, log, pg.url);
        pgSeedSeconds = w.seedSeconds;
        settle(pg.url, log);
        await untilQuiet(log);
        return w;
      })();
      return pgWorld;
    },
  };

  log(
    `cases: ${cases.map((c) => c.name).join(', ')}; rows ${options.rows}; runs ${options.runs}; work dir ${workDir}`,
  );
  const rows: BenchRow[] = [];
  try {
    for (const c of cases) {
      log(`${c.name}...`);
      try {
        if (c.needsWorld) await warmPageCache(ctx.world().tenantFile);
        await untilQuiet(log);
        rows.push(...(await c.run(ctx)));
      } catch (e) {
        log(`${c.name} FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        rows.push(
          failedRow(c.name, options.rows, c.store ?? (c.needsWorld ? 'sqlite' : '-'), formatOf(c.name), e),
        );
        await stopAll();
      }
    }
  } finally {
    await stopAll();
  }

  const totalSeconds = (performance.now() - started) / 1000;
  console.log('');
  printTable(rows);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const seed =
    (world ? `seed ${world.seedSeconds.toFixed(1)} s; ` : '') +
    (pgSeedSeconds !== undefined ? `PostgreSQL seed ${pgSeedSeconds.toFixed(1)} s; ` : '');
  console.log(`\n${cpus().length} cores, load average ${load}; ${seed}total ${totalSeconds.toFixed(0)} s`);
  writeResults(RESULTS, rows, {
    options,
    cases: cases.map((c) => c.name),
    node: process.version,
    cores: cpus().length,
    loadAverage: loadavg(),
    seedSeconds: world?.seedSeconds,
    pgSeedSeconds,
    totalSeconds,
  });
  console.log(`results: ${RESULTS}`);
  cleanUp();
  return rows.some((r) => r.error) ? 1 : 0;
}

function formatOf(name: string): string {
  if (name === 'parser') return '-';
  return name.startsWith('http-') ? name.slice(5) : 'csv';
}

process.exitCode = await main();
