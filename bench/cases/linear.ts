/**
 * `linear`: the `http-csv` export at 1×, 2× and 4× `--rows` (1M, 2M, 4M by default), one server per
 * size, runs interleaved across the sizes (and each followed by `sqlite3 -csv` on the same tenant, as
 * a control of how the store itself scales). The bigger worlds are seeded once into data directories
 * beside the main one (`<dir>-<rows>`), kept and reused with `--data`. Targets: the 4× export at most
 * 4.4 times the 1× one, and the server's peak RSS at 4× under 300 MB and within 10% of the 1× peak.
 */
import type { BenchCase } from '../context.ts';
import { ExportRunner, TARGET_RSS_MB } from '../http-export.ts';
import { type BenchRow, median } from '../util.ts';

const FACTORS = [1, 2, 4] as const;
const TARGET_TIME_RATIO = 4.4;
const RSS_GROWTH = 1.1;

export const linearCase: BenchCase = {
  name: 'linear',
  needsWorld: true,
  async run(ctx) {
    const worlds = FACTORS.map((f) => ctx.worldOf(ctx.options.rows * f));
    const runners: ExportRunner[] = [];
    try {
      for (const w of worlds) runners.push(await ExportRunner.open(ctx, w, 'csv'));
      for (let r = 0; r < ctx.options.runs; r++) {
        for (const runner of runners) {
          const s = await runner.runOurs();
          const b = await runner.runBaseline();
          ctx.log(
            `linear ${runner.world.rows} run ${r + 1}: openaqua ${s.toFixed(2)} s ` +
              `(${((s / runner.world.rows) * 1e6).toFixed(2)} µs/row), sqlite3 ${b.toFixed(2)} s, ` +
              `server VmRSS max so far ${runner.server.sampledMaxRssMb().toFixed(0)} MB`,
          );
        }
      }
      const base = runners[0]!;
      const baseSeconds = median(base.seconds);
      const baseSqlite = median(base.baseline);
      const basePeak = base.peakRssMb();
      const rows: BenchRow[] = runners.map((runner, i) => {
        const f = FACTORS[i]!;
        const s = median(runner.seconds);
        const timeRatio = s / baseSeconds;
        // Each round ran the sizes back to back, so its own ratio shares that round's machine load.
        const perRound = runner.seconds.map((x, r) => x / base.seconds[r]!);
        const sqliteRatio = median(runner.baseline) / baseSqlite;
        const peak = runner.peakRssMb();
        const timeMet = f !== 4 || timeRatio <= TARGET_TIME_RATIO;
        const rssMet = peak < TARGET_RSS_MB && (f === 1 || peak <= basePeak * RSS_GROWTH);
        const target =
          f === 1
            ? { text: `RSS < ${TARGET_RSS_MB} MB`, met: rssMet }
            : {
                text:
                  `${f === 4 ? `time <= ${TARGET_TIME_RATIO}x of ${FACTORS[0]}x (${timeRatio.toFixed(2)}x)` : `time ${timeRatio.toFixed(2)}x of 1x`}, ` +
                  `RSS < ${TARGET_RSS_MB} MB and <= ${RSS_GROWTH}x of 1x (${(peak / basePeak).toFixed(2)}x)`,
                met: timeMet && rssMet,
              };
        return runner.row(
          'linear',
          target,
          `; ${((s / runner.world.rows) * 1e6).toFixed(2)} µs/row; time vs 1x: openaqua ${timeRatio.toFixed(2)}x, ` +
            `sqlite3 ${sqliteRatio.toFixed(2)}x; per-round openaqua ratios ${perRound.map((x) => x.toFixed(2)).join(', ')} ` +
            `(median ${median(perRound).toFixed(2)}x); runs interleaved across sizes`,
        );
      });
      for (const runner of runners) await runner.stop();
      return rows;
    } catch (e) {
      for (const runner of runners) await runner.stop();
      throw e;
    }
  },
};
