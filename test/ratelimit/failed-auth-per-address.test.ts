import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { basic, type LimitedServer, limitHeaders, send, startLimitedServer } from './server.ts';

const JOB = '/v1/batch-query/jobs/0123456789abcdef0123456789abcdef';
const ATTACKER = '127.0.0.2';

describe('failed authentications are counted per client address', () => {
  let s: LimitedServer;
  const clock = new FixedClock(Date.UTC(2026, 0, 5, 12, 0, 0));
  before(async () => {
    s = await startLimitedServer({ requests: 1000, authFailures: 5, windowMillis: 60_000, clock });
  });
  after(() => s.close());

  const wrong = () => basic({ username: s.alpha.username, password: 'guess' });

  it('refuses an address at once after too many failures; other addresses and access tokens still work', async () => {
    const tokenRes = await send(s, {
      method: 'POST',
      path: '/oauth/token',
      from: ATTACKER,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${s.beta.clientId}&client_secret=${encodeURIComponent(s.beta.clientSecret)}`,
    });
    assert.equal(tokenRes.status, 200);
    const bearer = `Bearer ${JSON.parse(tokenRes.text).access_token}`;

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await send(s, { path: JOB, from: ATTACKER, headers: { authorization: wrong() } })).status,
      );
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 401]);

    const refused = await send(s, { path: JOB, from: ATTACKER, headers: { authorization: wrong() } });
    assert.equal(refused.status, 429);
    assert.deepEqual(JSON.parse(refused.text), {
      success: false,
      code: 50000429,
      message: 'Too many requests: 5 failed authentications from this address; retry in 60 s',
    });
    assert.deepEqual(limitHeaders(refused), ['5', '0', '60']);
    assert.equal(refused.headers['retry-after'], '60');

    // The password check is not even tried: a right password from that address waits too, as does the token route.
    const right = await send(s, { path: JOB, from: ATTACKER, headers: { authorization: basic(s.alpha) } });
    assert.equal(right.status, 429);
    const keyHeaders = await send(s, {
      path: JOB,
      from: ATTACKER,
      headers: { apiAccessKeyId: s.alpha.username, apiSecretAccessKey: s.alpha.password },
    });
    assert.equal(keyHeaders.status, 429);
    const newToken = await send(s, {
      method: 'POST',
      path: '/oauth/token',
      from: ATTACKER,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=x&client_secret=y',
    });
    assert.equal(newToken.status, 429);

    // An access token from that address, and every other address, are served as before.
    const viaToken = await send(s, { path: JOB, from: ATTACKER, headers: { authorization: bearer } });
    assert.equal(viaToken.status, 200);
    assert.equal(JSON.parse(viaToken.text).errorCode, '90002');
    const other = await send(s, { path: JOB, from: '127.0.0.1', headers: { authorization: basic(s.alpha) } });
    assert.equal(other.status, 200);
    assert.deepEqual(limitHeaders(other), ['1000', '999', '60']);
    const openApi = await send(s, { path: '/openapi.json', from: ATTACKER });
    assert.equal(openApi.status, 200);

    clock.advance(30_000);
    const waiting = await send(s, { path: JOB, from: ATTACKER, headers: { authorization: wrong() } });
    assert.equal(waiting.status, 429);
    assert.deepEqual(limitHeaders(waiting), ['5', '0', '30']);

    clock.advance(30_000);
    const again = await send(s, { path: JOB, from: ATTACKER, headers: { authorization: basic(s.alpha) } });
    assert.equal(again.status, 200);
    const wrongAgain = await send(s, { path: JOB, from: ATTACKER, headers: { authorization: wrong() } });
    assert.equal(wrongAgain.status, 401);
  });
});
