import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WWW_AUTHENTICATE } from '../../src/api/index.ts';
import { FixedClock } from '../../src/clock.ts';
import { TOKEN_TTL_SECONDS } from '../../src/limits.ts';
import { basicHeader, call, type Json, startTestServer, type TestServer } from './server.ts';

const CHALLENGE = 'Basic realm=Zuora API, ZSession realm=Zuora API, Bearer realm=Zuora API';

async function token(s: TestServer, form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${s.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
}

function assertRefused(res: { status: number; headers: Headers; body: unknown }): void {
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('www-authenticate'), CHALLENGE);
  assert.deepEqual(res.body, { message: 'Authentication error' });
}

describe('authentication', () => {
  const clock = new FixedClock(Date.UTC(2024, 5, 1, 12));
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ clock });
  });
  after(() => s.close());

  it('sends the challenge Zuora clients expect', () => {
    assert.equal(WWW_AUTHENTICATE, CHALLENGE);
  });

  it('accepts HTTP Basic user:password', async () => {
    const res = await call(`${s.url}/v1/describe`, { headers: { authorization: s.a.basic } });
    assert.equal(res.status, 200);
  });

  it('accepts apiAccessKeyId / apiSecretAccessKey headers', async () => {
    const { username, password } = s.a.credentials;
    const res = await call(`${s.url}/v1/describe`, {
      headers: { apiAccessKeyId: username, apiSecretAccessKey: password },
    });
    assert.equal(res.status, 200);
  });

  it('issues a bearer token for client credentials in the form', async () => {
    const { clientId, clientSecret } = s.a.credentials;
    const res = await token(s, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'access_token',
      'expires_in',
      'jti',
      'scope',
      'token_type',
    ]);
    assert.equal(res.body.token_type, 'bearer');
    assert.equal(res.body.expires_in, 3599);
    assert.equal(res.body.scope, `tenant.${s.a.tenant.id}`);
    assert.match(res.body.jti, /^[0-9a-f]{32}$/);
    const ok = await call(`${s.url}/v1/describe`, {
      headers: { authorization: `Bearer ${res.body.access_token}` },
    });
    assert.equal(ok.status, 200);
  });

  it('issues a bearer token for client credentials in HTTP Basic', async () => {
    const { clientId, clientSecret } = s.b.credentials;
    const res = await token(
      s,
      { grant_type: 'client_credentials' },
      { authorization: basicHeader(clientId, clientSecret) },
    );
    assert.equal(res.status, 200);
    const ok = await call(`${s.url}/apps/api/describe`, {
      headers: { authorization: `bearer ${res.body.access_token}` },
    });
    assert.equal(ok.status, 200);
  });

  it('accepts a JSON token request as well', async () => {
    const { clientId, clientSecret } = s.a.credentials;
    const res = await call(`${s.url}/oauth/token`, {
      method: 'POST',
      body: { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, 'bearer');
  });

  it('refuses an expired token', async () => {
    const { clientId, clientSecret } = s.a.credentials;
    const res = await token(s, {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    });
    const headers = { authorization: `Bearer ${res.body.access_token}` };
    clock.advance(TOKEN_TTL_SECONDS * 1000 - 1000);
    assert.equal((await call(`${s.url}/v1/describe`, { headers })).status, 200);
    clock.advance(1000);
    assertRefused(await call(`${s.url}/v1/describe`, { headers }));
  });

  it('refuses missing and bad credentials with 401 and the challenge', async () => {
    const { username, password, clientId, clientSecret } = s.a.credentials;
    const attempts: Record<string, string>[] = [
      {},
      { authorization: basicHeader(username, `${password}x`) },
      { authorization: basicHeader('nobody', password) },
      { authorization: basicHeader(clientId, clientSecret) },
      { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
      { authorization: 'Bearer not-a-token' },
      { authorization: 'Digest username="x"' },
      { apiAccessKeyId: username },
      { apiAccessKeyId: username, apiSecretAccessKey: 'wrong' },
    ];
    for (const headers of attempts) {
      assertRefused(await call(`${s.url}/v1/batch-query/jobs/${'0'.repeat(32)}`, { headers }));
    }
    assertRefused(await call(`${s.url}/v1/file/${'0'.repeat(32)}`));
    assertRefused(await call(`${s.url}/v1/object/account/${'0'.repeat(32)}`));
    assertRefused(await call(`${s.url}/v1/batch-query/`, { method: 'POST', body: { queries: [] } }));
  });

  it('refuses bad client credentials at the token endpoint', async () => {
    const { clientId, password } = s.a.credentials;
    assertRefused(
      await token(s, { grant_type: 'client_credentials', client_id: clientId, client_secret: password }),
    );
    assertRefused(await token(s, { grant_type: 'client_credentials' }));
  });

  it('answers a wrong grant type with 400, not 401', async () => {
    const { clientId, clientSecret } = s.a.credentials;
    const res = await token(s, { grant_type: 'password', client_id: clientId, client_secret: clientSecret });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      success: false,
      code: 50000090,
      message: "grant_type must be client_credentials, not 'password'",
    });
  });

  it('never answers 401 to an authenticated request, whatever else is wrong', async () => {
    const headers = { authorization: s.a.basic };
    assert.equal((await call(`${s.url}/v1/batch-query/jobs/nope`, { headers })).status, 200);
    assert.equal((await call(`${s.url}/v1/file/nope`, { headers })).status, 404);
    assert.equal((await call(`${s.url}/v1/describe/Nope`, { headers })).status, 400);
    assert.equal(
      (await call(`${s.url}/v1/batch-query/`, { method: 'POST', headers, body: '{' })).status,
      400,
    );
  });
});
