/**
 * Generated queries, valid and mutated, submitted through the HTTP app: never a 500, never an internal
 * error (90010), never a stack trace; a bad query answers the 90005 envelope with its job id and a batch
 * message saying where and what; a good one runs and gives a rectangular CSV. (bench/fuzz.ts runs
 * 100,000+ cases of the same generator against the analyzer and compiler.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { AQUA_MESSAGES } from '../../src/errors.ts';
import { MAX_NESTING_DEPTH } from '../../src/limits.ts';
import { seedTenant } from '../../src/seed/index.ts';
import { storableText } from '../../src/text.ts';
import { type Json, startTestServer, type TestServer } from '../api/server.ts';
import { type GeneratedQuery, hostileQuery, INTERNALS, USEFUL_QUERY_MESSAGE } from './zoql-arbitrary.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20_240_601);

/** Query-level codes a submit may answer with; 90010 (an internal error) is never one of them. */
const QUERY_CODES = new Set(['90005', '90020']);

/**
 * Nesting the generator adds at most: twice MAX_NESTING_DEPTH, so about half the deep cases are accepted
 * and run, and half are refused at submit (bench/fuzz.ts goes to 3,000 and beyond).
 */
const MAX_DEPTH = 2 * MAX_NESTING_DEPTH;

describe('hostile queries through the HTTP app', () => {
  let s: TestServer;
  const tally = new Map<string, { accepted: number; rejected: number }>();
  before(async () => {
    s = await startTestServer();
    seedTenant(s.tenants.store(s.a.tenant.id), { accounts: 4, seed: 7 });
  });
  after(async () => {
    console.log(
      `hostile queries: ${RUNS} cases (seed ${SEED}); by kind: ${[...tally]
        .map(([k, t]) => `${k} ${t.accepted}/${t.rejected}`)
        .join(', ')} (accepted/rejected)`,
    );
    await s.close();
  });

  async function inject(method: 'GET' | 'POST', url: string, payload?: unknown) {
    const res = await s.app.inject({
      method,
      url,
      headers: { authorization: s.a.basic },
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
    return res;
  }

  /** The body of an answer, checked to be JSON without internals (the echoed query text left aside). */
  function clean(res: { statusCode: number; body: string }, q: GeneratedQuery): Json {
    assert.notEqual(res.statusCode, 500);
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    const body = JSON.parse(res.body) as Json;
    const echo = JSON.stringify(q.query).slice(1, -1);
    // A NUL or half a surrogate pair is echoed as U+FFFD (no store can hold either).
    const kept = JSON.stringify(storableText(q.query)).slice(1, -1);
    assert.doesNotMatch(res.body.replaceAll(echo, '').replaceAll(kept, ''), INTERNALS);
    return body;
  }

  /** Submits one query and checks every answer on its way; returns whether it was accepted. */
  async function check(q: GeneratedQuery): Promise<boolean> {
    return (await submit(q)) === undefined;
  }

  /** Submits one query and checks every answer on its way; returns the batch message when it was refused. */
  async function submit(q: GeneratedQuery): Promise<string | undefined> {
    const submitted = clean(
      await inject('POST', '/v1/batch-query/', {
        format: 'csv',
        version: '1.0',
        useQueryLabels: true,
        queries: [{ name: 'q', type: q.language, query: q.query }],
      }),
      q,
    );
    if (submitted.status === 'error') {
      assert.ok(QUERY_CODES.has(submitted.errorCode), `errorCode ${submitted.errorCode}`);
      assert.equal(submitted.message, AQUA_MESSAGES[submitted.errorCode as keyof typeof AQUA_MESSAGES]);
      assert.match(submitted.id, /^[0-9a-f]{32}$/);
      assert.match(submitted.batches[0].message, USEFUL_QUERY_MESSAGE);
      return submitted.batches[0].message as string;
    }
    assert.equal(submitted.status, 'submitted');
    assert.equal(await s.jobs.runOnce(), true);
    const job = clean(await inject('GET', `/v1/batch-query/jobs/${submitted.id}`), q);
    const batch = job.batches[0];
    assert.equal(job.status, 'completed', `batch message: ${batch.message}`);
    const file = await inject('GET', `/v1/file/${batch.fileId}`);
    assert.equal(file.statusCode, 200);
    const rows = parse(file.body, { relax_column_count: true }) as string[][];
    assert.ok(rows.length >= 1, 'a header row');
    for (const row of rows) assert.equal(row.length, rows[0]!.length, 'every row as wide as the header');
    assert.equal(batch.recordCount, rows.length - 1);
    assert.ok(!file.body.includes('\u0000'), 'no NUL written');
    return undefined;
  }

  it(`${RUNS} generated queries: clean answers only`, { timeout: 600_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery(MAX_DEPTH), async (q) => {
        let accepted: boolean;
        try {
          accepted = await check(q);
        } catch (e) {
          throw new Error(`${q.kind} ${q.language} query failed: ${(e as Error).message}`);
        }
        const t = tally.get(q.kind) ?? { accepted: 0, rejected: 0 };
        tally.set(q.kind, t);
        t[accepted ? 'accepted' : 'rejected']++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('hand-picked edges: empty, blanks, NUL, a lone surrogate, just over the length limit', async () => {
    for (const query of [
      '',
      '   ',
      '\u0000',
      'select Id from Account\u0000',
      "select Id from Account where Name = '\u0000'",
      "select Id from Account where Name = '\uD800'",
      `select Id from Account where Name = '${'x'.repeat(20_000)}'`,
      'select Id from Account where Name = 1e999999',
      'select Id from Account limit 99999999999999999999999',
      "select Id from Account where CreatedDate > 'now - 99999999999 years'",
      "select Id from Account where CreatedDate > '9999-12-31T23:59:59+14:00'",
      'select "Id" from "Account"',
      'select Id from Account;',
      'select Id from Account -- comment',
    ]) {
      for (const language of ['zoqlexport', 'zoql'] as const) {
        await check({ language, query, kind: 'edge' });
      }
    }
  });

  it('nesting 1,000 parentheses deep, 900 nots, 900 ored conditions: clean answers', async () => {
    const where = (w: string) => `select Id from Account where ${w}`;
    for (const query of [
      where(`${'('.repeat(1000)}Name = 'x'${')'.repeat(1000)}`),
      where(`${'not '.repeat(900)}Name = 'x'`),
      where(Array(900).fill("Name = 'x'").join(' or ')),
      where(Array(900).fill("Name = 'x'").join(' and ')),
    ]) {
      await check({ language: 'zoqlexport', kind: 'deep', query });
    }
  });

  it('1,000 nots are refused at submit; 1,000 ored or anded conditions run', async () => {
    const where = (w: string) => `select Id from Account where ${w}`;
    const nots = where(`${'not '.repeat(1000)}Name = 'x'`);
    assert.equal(
      await submit({ language: 'zoqlexport', kind: 'deep', query: nots }),
      `line 1, column ${'select Id from Account where '.length + 4 * MAX_NESTING_DEPTH + 1}: conditions are nested more than ${MAX_NESTING_DEPTH} levels deep`,
    );
    for (const op of ['or', 'and']) {
      const query = where(Array(1000).fill("Name = 'x'").join(` ${op} `));
      assert.equal(await check({ language: 'zoqlexport', kind: 'deep', query }), true, op);
    }
  });

  it('nesting 3,000 parentheses deep answers 90005 with the position, not an internal error', async () => {
    const d = 3000;
    assert.equal(
      await submit({
        language: 'zoqlexport',
        kind: 'deep',
        query: `select Id from Account where ${'('.repeat(d)}Name = 'x'${')'.repeat(d)}`,
      }),
      `line 1, column ${'select Id from Account where '.length + MAX_NESTING_DEPTH + 1}: conditions are nested more than ${MAX_NESTING_DEPTH} levels deep`,
    );
  });
});
