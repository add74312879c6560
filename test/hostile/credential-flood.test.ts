import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RATE_LIMIT_AUTH_FAILURES, RATE_LIMIT_REQUESTS } from '../../src/limits.ts';
import { type Answer, basic, type LimitedServer, send, startLimitedServer } from '../ratelimit/server.ts';
import { cleanJson } from './answers.ts';

const JOB = '/v1/batch-query/jobs/0123456789abcdef0123456789abcdef';
const ATTACKER = '127.0.0.3';
const CHALLENGE = 'Basic realm=Zuora API, ZSession realm=Zuora API, Bearer realm=Zuora API';

/** Sends `total` requests made by `make(i)`, `parallel` at a time; returns the answers in order. */
async function flood(
  total: number,
  parallel: number,
  make: (i: number) => Promise<Answer>,
): Promise<Answer[]> {
  const answers: Answer[] = new Array(total);
  let next = 0;
  const lane = async () => {
    while (next < total) {
      const i = next++;
      answers[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return answers;
}

describe('1,000 requests with wrong credentials: clear 401/429 answers, and everyone else is still served', () => {
  let s: LimitedServer;
  before(async () => {
    s = await startLimitedServer({ requests: RATE_LIMIT_REQUESTS, authFailures: RATE_LIMIT_AUTH_FAILURES });
  });
  after(() => s.close());

  /** A legitimate client polling from another address while `during` runs; returns its answers and slowest wait. */
  async function meanwhile(during: Promise<unknown>): Promise<{ statuses: number[]; slowest: number }> {
    let done = false;
    during.finally(() => {
      done = true;
    });
    const statuses: number[] = [];
    let slowest = 0;
    while (!done || statuses.length < 5) {
      const t0 = performance.now();
      const res = await send(s, { path: JOB, from: '127.0.0.1', headers: { authorization: basic(s.beta) } });
      slowest = Math.max(slowest, performance.now() - t0);
      statuses.push(res.status);
      assert.equal(cleanJson(res, 'legitimate').errorCode, '90002');
    }
    return { statuses, slowest };
  }

  it('wrong passwords: 401 until the address has failed 60 times, then 429 without checking', async (t) => {
    const parallel = 20;
    const attack = flood(1000, parallel, (i) =>
      send(s, {
        path: JOB,
        from: ATTACKER,
        headers: {
          authorization: basic({ username: i % 2 ? s.alpha.username : `nobody${i}`, password: `guess${i}` }),
        },
      }),
    );
    const legit = await meanwhile(attack);
    const answers = await attack;
    let unauthorized = 0;
    for (const a of answers) {
      const body = cleanJson(a, 'flood');
      if (a.status === 401) {
        unauthorized++;
        assert.deepEqual(body, { message: 'Authentication error' });
        assert.equal(a.headers['www-authenticate'], CHALLENGE);
      } else {
        assert.equal(a.status, 429);
        assert.equal(body.success, false);
        assert.equal(body.code, 50000429);
        assert.match(
          String(body.message),
          /^Too many requests: \d+ failed authentications from this address; retry in \d+ s$/,
        );
        assert.equal(a.headers['ratelimit-limit'], String(RATE_LIMIT_AUTH_FAILURES));
        assert.equal(a.headers['ratelimit-remaining'], '0');
      }
    }
    // Failures are counted as answers go out, so a few in flight at the limit still got checked.
    assert.ok(
      unauthorized >= RATE_LIMIT_AUTH_FAILURES && unauthorized <= RATE_LIMIT_AUTH_FAILURES + parallel,
      `${unauthorized}`,
    );
    assert.ok(legit.statuses.every((st) => st === 200));
    t.diagnostic(
      `${unauthorized} checked and refused, ${1000 - unauthorized} refused at once; legitimate client: ${legit.statuses.length} answers, slowest ${legit.slowest.toFixed(0)} ms`,
    );
    assert.ok(legit.slowest < 10_000, `slowest legitimate answer ${legit.slowest} ms`);
  });

  it('wrong access tokens: 401 every time (a token is looked up, never hashed slowly, so never refused early)', async () => {
    const attack = flood(1000, 20, (i) =>
      send(s, {
        path: JOB,
        from: '127.0.0.4',
        headers: { authorization: `Bearer ${'t'.repeat(i % 200)}x${i}` },
      }),
    );
    const legit = await meanwhile(attack);
    for (const a of await attack) {
      assert.equal(a.status, 401);
      assert.deepEqual(cleanJson(a, 'token'), { message: 'Authentication error' });
      assert.equal(a.headers['www-authenticate'], CHALLENGE);
    }
    assert.ok(legit.statuses.every((st) => st === 200));
  });

  it('garbage Authorization headers and missing secrets: 401, then 429 once the address has failed too often', async () => {
    const headers = (i: number): Record<string, string> =>
      [
        { authorization: `Basic ${Buffer.from(`no-colon-${i}`).toString('base64')}` },
        { authorization: `Digest username="u${i}"` },
        { authorization: 'Basic' },
        { apiAccessKeyId: `u${i}` },
        {},
      ][i % 5]!;
    const answers = await flood(1000, 1, (i) =>
      send(s, { path: JOB, from: '127.0.0.5', headers: headers(i) }),
    );
    const statuses = answers.map((a) => a.status);
    assert.deepEqual(statuses.slice(0, RATE_LIMIT_AUTH_FAILURES), Array(RATE_LIMIT_AUTH_FAILURES).fill(401));
    assert.deepEqual(
      statuses.slice(RATE_LIMIT_AUTH_FAILURES),
      Array(1000 - RATE_LIMIT_AUTH_FAILURES).fill(429),
    );
    for (const a of answers) cleanJson(a, 'garbage');
  });
});
