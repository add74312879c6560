import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { type Answer, basic, type LimitedServer, limitHeaders, send, startLimitedServer } from './server.ts';

const UNKNOWN_JOB = '/v1/batch-query/jobs/0123456789abcdef0123456789abcdef';

describe('rate limit per credential: RateLimit headers on every authenticated answer, 429 past the limit', () => {
  let s: LimitedServer;
  const clock = new FixedClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  before(async () => {
    s = await startLimitedServer({ requests: 3, authFailures: 0, windowMillis: 60_000, clock });
  });
  after(() => s.close());

  const get = (authorization: string, path = UNKNOWN_JOB): Promise<Answer> =>
    send(s, { path, headers: { authorization } });

  const tokenRequest = (clientId: string, clientSecret: string): Promise<Answer> =>
    send(s, {
      method: 'POST',
      path: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${encodeURIComponent(clientSecret)}`,
    });

  /** An access token of alpha's OAuth client; `left` is what its token budget should say after. */
  async function token(left: string): Promise<string> {
    const res = await tokenRequest(s.alpha.clientId, s.alpha.clientSecret);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(limitHeaders(res), ['3', left, '60']);
    return `Bearer ${JSON.parse(res.text).access_token}`;
  }

  it('counts down, answers 429 with the AQuA-style body past the limit, and leaves other credentials alone', async () => {
    const alpha = basic(s.alpha);
    const seen: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await get(alpha);
      assert.equal(res.status, 200);
      assert.equal(JSON.parse(res.text).errorCode, '90002');
      seen.push(limitHeaders(res));
    }
    assert.deepEqual(seen, [
      ['3', '2', '60'],
      ['3', '1', '60'],
      ['3', '0', '60'],
    ]);
    const refused = await get(alpha);
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(JSON.parse(refused.text), {
      success: false,
      code: 50000429,
      message: 'Too many requests: more than 3 requests in 60 s with this credential; retry in 60 s',
    });
    assert.deepEqual(limitHeaders(refused), ['3', '0', '60']);
    assert.equal(refused.headers['retry-after'], '60');

    // Another tenant, and the same tenant's OAuth client, each have their own count.
    const beta = await get(basic(s.beta));
    assert.equal(beta.status, 200);
    assert.deepEqual(limitHeaders(beta), ['3', '2', '60']);
    const bearer = await token('2');
    const viaToken = await get(bearer);
    assert.equal(viaToken.status, 200);
    assert.deepEqual(limitHeaders(viaToken), ['3', '2', '60']);
    // A second token of the same client shares the count.
    const second = await get(await token('1'));
    assert.deepEqual(limitHeaders(second), ['3', '1', '60']);

    clock.advance(45_000);
    const later = await get(alpha);
    assert.equal(later.status, 429);
    assert.deepEqual(limitHeaders(later), ['3', '0', '15']);
    assert.equal(
      JSON.parse(later.text).message,
      'Too many requests: more than 3 requests in 60 s with this credential; retry in 15 s',
    );

    clock.advance(15_000);
    const reset = await get(alpha);
    assert.equal(reset.status, 200);
    assert.deepEqual(limitHeaders(reset), ['3', '2', '60']);
  });

  it('puts the headers on error answers too, and on none of the unauthenticated ones', async () => {
    clock.advance(60_000);
    const beta = basic(s.beta);
    const badBody = await send(s, {
      method: 'POST',
      path: '/v1/batch-query/',
      headers: { authorization: beta, 'content-type': 'application/json' },
      body: '{"queries": [',
    });
    assert.equal(badBody.status, 400);
    assert.deepEqual(limitHeaders(badBody), ['3', '2', '60']);
    const noFile = await get(beta, '/v1/file/0123456789abcdef0123456789abcdef');
    assert.equal(noFile.status, 404);
    assert.deepEqual(limitHeaders(noFile), ['3', '1', '60']);
    const wrong = await get(basic({ username: s.beta.username, password: 'wrong' }));
    assert.equal(wrong.status, 401);
    assert.deepEqual(limitHeaders(wrong), [undefined, undefined, undefined]);
    const open = await send(s, { path: '/openapi.json' });
    assert.equal(open.status, 200);
    assert.deepEqual(limitHeaders(open), [undefined, undefined, undefined]);
  });

  it('counts access tokens issued per OAuth client; a wrong secret costs nothing', async () => {
    clock.advance(60_000);
    const wrong = await tokenRequest(s.beta.clientId, 'wrong');
    assert.equal(wrong.status, 401);
    assert.deepEqual(limitHeaders(wrong), [undefined, undefined, undefined]);
    const left: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await tokenRequest(s.beta.clientId, s.beta.clientSecret);
      assert.equal(res.status, 200);
      left.push(res.headers['ratelimit-remaining']);
    }
    assert.deepEqual(left, ['2', '1', '0']);
    const refused = await tokenRequest(s.beta.clientId, s.beta.clientSecret);
    assert.equal(refused.status, 429);
    assert.deepEqual(JSON.parse(refused.text), {
      success: false,
      code: 50000429,
      message: 'Too many requests: more than 3 access tokens in 60 s for this client; retry in 60 s',
    });
    assert.deepEqual(limitHeaders(refused), ['3', '0', '60']);
    assert.equal((await tokenRequest(s.alpha.clientId, s.alpha.clientSecret)).status, 200);
  });
});
