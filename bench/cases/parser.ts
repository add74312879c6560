/** `parser`: `analyze()` of a typical Export ZOQL query, in process. Target: at least 100,000 parses/s. */
import { analyze } from '../../src/zoql/index.ts';
import type { BenchCase } from '../context.ts';
import { median } from '../util.ts';

/** Ten fields over three objects and a where clause of three conditions. */
const QUERY =
  'select Id, ChargeAmount, ChargeDate, ServiceStartDate, Quantity, UnitPrice, Invoice.InvoiceNumber, ' +
  'Invoice.InvoiceDate, Account.AccountNumber, Account.Name from InvoiceItem where ChargeAmount > 100 and ' +
  "Invoice.InvoiceDate >= '2023-01-01' and Account.Name like 'Acme%'";

const PARSES_PER_RUN = 200_000;
const WARMUP_PARSES = 20_000;
const TARGET_PER_SECOND = 100_000;

/** Keeps the results observable so that no parse can be optimised away. */
let sink = 0;

function parseMany(n: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) sink += analyze(QUERY, 'zoqlexport').columns.length;
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const rate = (seconds: number) => Math.round(PARSES_PER_RUN / seconds).toLocaleString('en-US');

export const parserCase: BenchCase = {
  name: 'parser',
  needsWorld: false,
  async run(ctx) {
    if (analyze(QUERY, 'zoqlexport').columns.length !== 10)
      throw new Error('the parser query has not 10 fields');
    parseMany(WARMUP_PARSES);
    const runs: number[] = [];
    for (let r = 0; r < ctx.options.runs; r++) {
      runs.push(parseMany(PARSES_PER_RUN));
      ctx.log(
        `parser run ${r + 1}: ${Math.round(PARSES_PER_RUN / runs[r]!).toLocaleString('en-US')} parses/s`,
      );
      // Let the event loop and the collector breathe between runs.
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (sink === 0) throw new Error('no parse produced columns');
    const seconds = median(runs);
    const perSecond = PARSES_PER_RUN / seconds;
    const met = perSecond >= TARGET_PER_SECOND;
    return [
      {
        case: 'parser',
        rows: PARSES_PER_RUN,
        store: '-',
        format: '-',
        seconds,
        rowsPerSecond: perSecond,
        target: `>= 100,000 parses/s: ${met ? 'met' : 'MISSED'}`,
        targetMet: met,
        note: `rows = parses per run, rows/s = parses/s (median of ${runs.length}; slowest ${rate(
          Math.max(...runs),
        )}/s, fastest ${rate(Math.min(...runs))}/s)`,
      },
    ];
  },
};
