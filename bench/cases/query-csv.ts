/**
 * `query-csv`: `openaqua query` of the invoice-item export to a file, against `sqlite3 -csv` running the
 * compiled SQL on the same database file, runs interleaved. Target: at most 1.5 times the baseline.
 * The command is measured as installed: from the compiled build, which the case makes first when it is
 * missing or older than the sources.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchCase, MB } from '../context.ts';
import { type BenchRow, median, timeCommand } from '../util.ts';
import { countCsvFile } from '../verify.ts';
import { BIN } from '../world.ts';

const TARGET_RATIO = 1.5;
const ROOT = new URL('../../', import.meta.url);

/** The check bin/openaqua.js makes before it runs dist/ rather than the sources through tsx. */
function buildIsCurrent(): boolean {
  let started: number;
  let finished: number;
  try {
    started = statSync(new URL('dist/.build-start', ROOT)).mtimeMs;
    finished = statSync(new URL('dist/src/cli/main.js', ROOT)).mtimeMs;
  } catch {
    return false;
  }
  if (finished < started) return false;
  const sources = readdirSync(new URL('src/', ROOT), { recursive: true, withFileTypes: true });
  return sources.every((e) => !e.isFile() || statSync(join(e.parentPath, e.name)).mtimeMs < started);
}

function range(values: number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)} s`;
}

export const queryCsvCase: BenchCase = {
  name: 'query-csv',
  needsWorld: true,
  async run(ctx) {
    const world = ctx.world();
    const ours = join(ctx.workDir, 'query.csv');
    const theirs = join(ctx.workDir, 'sqlite3.csv');
    const seconds: number[] = [];
    const baseline: number[] = [];
    const rss: number[] = [];
    let bytes = 0;
    if (!buildIsCurrent()) {
      ctx.log('query-csv: building dist/ (npm run build)...');
      // Type errors fail the script but still emit; whether the build is current is checked below.
      spawnSync('npm', ['run', 'build'], { cwd: fileURLToPath(ROOT), stdio: 'ignore' });
    }
    // What the command costs before the first row: start-up, tsx, opening the tenant, a query of no rows.
    const empty = await timeCommand(
      process.execPath,
      [BIN, 'query', world.tenant, "select Id from Account where Id = 'none'", '--data', world.dataDir],
      join(ctx.workDir, 'empty.csv'),
    );
    for (let r = 0; r < ctx.options.runs; r++) {
      const a = await timeCommand(
        process.execPath,
        [BIN, 'query', world.tenant, world.query, '--data', world.dataDir],
        ours,
      );
      const b = await timeCommand('sqlite3', ['-csv', world.tenantFile, world.sql], theirs);
      const countA = await countCsvFile(ours);
      const countB = await countCsvFile(theirs);
      // openaqua writes a header row; the sqlite3 shell does not.
      if (countA.records - 1 !== world.rows) {
        throw new Error(`openaqua query wrote ${countA.records - 1} data rows, not ${world.rows}`);
      }
      if (countB.records !== world.rows)
        throw new Error(`sqlite3 wrote ${countB.records} rows, not ${world.rows}`);
      seconds.push(a.seconds);
      baseline.push(b.seconds);
      rss.push(a.peakRssMb);
      bytes = countA.bytes;
      ctx.facts.set('query-csv.sha256', countA.sha256);
      ctx.log(
        `query-csv run ${r + 1}: openaqua ${a.seconds.toFixed(2)} s (${a.peakRssMb.toFixed(0)} MB), ` +
          `sqlite3 ${b.seconds.toFixed(2)} s`,
      );
    }
    // A source edited while the case ran makes the command fall back to tsx: say which was measured.
    const compiled = buildIsCurrent();
    const s = median(seconds);
    const base = median(baseline);
    const ratio = s / base;
    const met = ratio <= TARGET_RATIO;
    return [
      {
        case: 'query-csv',
        rows: world.rows,
        store: 'sqlite',
        format: 'csv',
        seconds: s,
        baseline: base,
        baselineName: 'sqlite3 -csv',
        ratio,
        rowsPerSecond: world.rows / s,
        mbPerSecond: bytes / MB / s,
        peakRssMb: Math.max(...rss),
        target: `<= ${TARGET_RATIO}x: ${met ? 'met' : 'MISSED'}`,
        targetMet: met,
        note:
          `${world.rows} data rows verified in both outputs; ${(bytes / MB).toFixed(0)} MB CSV; runs: openaqua ` +
          `${range(seconds)}, sqlite3 ${range(baseline)}; includes CLI start-up (${compiled ? 'compiled build' : 'sources through tsx: dist/ is stale'}; ` +
          `a query of no rows takes ${empty.seconds.toFixed(2)} s)`,
      } satisfies BenchRow,
    ];
  },
};
