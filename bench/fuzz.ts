/**
 * Hostile-query fuzzing at volume: `node --import tsx bench/fuzz.ts --cases 100000 [--seed N]
 * [--execute-every 20] [--max-depth 200]`.
 * Runs the analyzer and the SQLite compiler on generated ZOQL and Export ZOQL (valid queries and their
 * mutations, test/fuzz/zoql-arbitrary.ts), and every n-th accepted query through a seeded tenant
 * store. A crash is anything but a QueryError from the analyzer or compiler, or any error from executing
 * an accepted query. Prints the counts; exits 1 when there was a crash.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { QueryError } from '../src/errors.ts';
import { seedTenant } from '../src/seed/index.ts';
import { openTenantStore } from '../src/store/index.ts';
import { compileSqlite } from '../src/store/sqlite/compile.ts';
import { analyze } from '../src/zoql/index.ts';
import { type GeneratedQuery, hostileQuery, USEFUL_QUERY_MESSAGE } from '../test/fuzz/zoql-arbitrary.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    'execute-every': { type: 'string', default: '20' },
    'max-depth': { type: 'string', default: '200' },
  },
});
const cases = Number(values.cases);
const seed = Number(values.seed);
const executeEvery = Number(values['execute-every']);
const maxDepth = Number(values['max-depth']);
const NOW = Date.UTC(2024, 2, 15, 12);
const ZONE = 'America/Los_Angeles';
const BATCH = 2000;

const dir = mkdtempSync(join(tmpdir(), 'openaqua-fuzz-'));
const store = openTenantStore(join(dir, 'tenant.sqlite'), { timeZone: ZONE });
seedTenant(store, { accounts: 20, seed: 3 });

const counts = { tried: 0, accepted: 0, rejected: 0, executed: 0, rows: 0, crashes: 0, uselessMessages: 0 };
const byKind = new Map<string, { tried: number; accepted: number }>();
/** Crashes grouped by stage, kind and error, with the shortest query that showed each. */
const crashes = new Map<string, { count: number; query: string }>();

function crash(q: GeneratedQuery, stage: string, e: unknown): void {
  counts.crashes++;
  const error = e instanceof Error ? `${e.name}: ${e.message}`.slice(0, 160) : String(e);
  const key = `[${stage}] ${q.kind} ${q.language}: ${error}`;
  const seen = crashes.get(key);
  if (!seen) crashes.set(key, { count: 1, query: q.query });
  else {
    seen.count++;
    if (q.query.length < seen.query.length) seen.query = q.query;
  }
}

function one(q: GeneratedQuery): void {
  counts.tried++;
  const k = byKind.get(q.kind) ?? { tried: 0, accepted: 0 };
  byKind.set(q.kind, k);
  k.tried++;
  let compiled: ReturnType<typeof compileSqlite>;
  try {
    compiled = compileSqlite(analyze(q.query, q.language), { now: NOW, timeZone: ZONE });
  } catch (e) {
    if (!(e instanceof QueryError)) {
      crash(q, 'analyze/compile', e);
      return;
    }
    counts.rejected++;
    if (!USEFUL_QUERY_MESSAGE.test(e.message)) counts.uselessMessages++;
    return;
  }
  counts.accepted++;
  k.accepted++;
  if (counts.accepted % executeEvery !== 0) return;
  try {
    const rows = store.snapshot((snap) => {
      let n = 0;
      for (const _ of snap.rows({ sql: compiled.sql, params: compiled.params })) n++;
      return n;
    });
    counts.executed++;
    counts.rows += rows;
  } catch (e) {
    crash(q, 'execute', e);
  }
}

const started = performance.now();
try {
  for (let done = 0; done < cases; done += BATCH) {
    const n = Math.min(BATCH, cases - done);
    for (const q of fc.sample(hostileQuery(maxDepth), { numRuns: n, seed: seed + done })) one(q);
  }
} finally {
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
const seconds = (performance.now() - started) / 1000;

console.log(
  `fuzz: ${counts.tried} cases (seed ${seed}, nesting up to ${maxDepth}) in ${seconds.toFixed(1)} s: ` +
    `accepted ${counts.accepted}, rejected ${counts.rejected} (messages without position: ${counts.uselessMessages}), ` +
    `executed ${counts.executed} (${counts.rows} rows), crashes ${counts.crashes}`,
);
console.log(
  `by kind (tried/accepted): ${[...byKind]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, k]) => `${kind} ${k.tried}/${k.accepted}`)
    .join(', ')}`,
);
for (const [key, c] of crashes) {
  const shown = c.query.length > 240 ? `${c.query.slice(0, 240)}… (${c.query.length} chars)` : c.query;
  console.log(`${c.count} × ${key}\n  shortest: ${shown}`);
}
process.exitCode = counts.crashes > 0 || counts.uselessMessages > 0 ? 1 : 0;
