import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { MAX_REQUEST_BYTES } from '../../src/limits.ts';
import { type Answer, basic, type LimitedServer, send, startLimitedServer } from '../ratelimit/server.ts';
import { cleanJson, malformed } from './answers.ts';

/** Streams `total` bytes of a JSON string field in chunks (no Content-Length), as a client might. */
function sendChunked(s: LimitedServer, authorization: string, total: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: s.port,
        method: 'POST',
        path: '/v1/batch-query/',
        headers: { authorization, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    // The server may answer and close before everything is sent.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e),
    );
    const chunk = Buffer.alloc(256 * 1024, 'a');
    let sent = 0;
    const pump = (): void => {
      while (sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    req.write('{"name":"');
    pump();
  });
}

describe('oversized requests get a clear 4xx JSON answer and the server goes on serving', () => {
  let s: LimitedServer;
  let auth: string;
  before(async () => {
    s = await startLimitedServer({ requests: 0, authFailures: 0 });
    auth = basic(s.alpha);
  });
  after(() => s.close());

  const alive = async () => {
    const res = await send(s, {
      path: '/v1/batch-query/jobs/0123456789abcdef0123456789abcdef',
      headers: { authorization: auth },
    });
    assert.equal(res.status, 200);
    assert.equal(cleanJson(res, 'alive').errorCode, '90002');
  };

  it('a body over the limit: 413 on submit and on record create, with or without Content-Length', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MAX_REQUEST_BYTES), queries: [] });
    for (const path of ['/v1/batch-query/', '/v1/object/account']) {
      const res = await send(s, {
        method: 'POST',
        path,
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: big,
      });
      assert.equal(res.status, 413, path);
      assert.deepEqual(cleanJson(res, path), malformed('The request body is too large'), path);
    }
    const chunked = await sendChunked(s, auth, MAX_REQUEST_BYTES + 1024 * 1024);
    assert.equal(chunked.status, 413);
    assert.deepEqual(cleanJson(chunked, 'chunked'), malformed('The request body is too large'));
    await alive();
  });

  it('a body just under the limit is read and answered (a 400 naming the field here)', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(MAX_REQUEST_BYTES - 100) });
    const res = await send(s, {
      method: 'POST',
      path: '/v1/batch-query/',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body,
    });
    assert.equal(res.status, 400);
    assert.deepEqual(
      cleanJson(res, 'under'),
      malformed(`name must be at most 32 characters, not ${MAX_REQUEST_BYTES - 100}`),
    );
  });

  it('huge headers: 431; thousands of headers: 431; a malformed URL: 400 and an over-long id: 414, in the API error shape', async () => {
    const one = await send(s, {
      path: '/v1/batch-query/jobs/x',
      headers: { authorization: auth, 'x-big': 'a'.repeat(64 * 1024) },
    });
    assert.equal(one.status, 431);
    assert.equal(cleanJson(one, 'one big header').statusCode, 431);
    const many = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`x-h${i}`, 'v']));
    const lots = await send(s, { path: '/v1/batch-query/jobs/x', headers: { authorization: auth, ...many } });
    assert.equal(lots.status, 431);
    const badUrl = await send(s, { path: '/v1/file/%E0%A4%A', headers: { authorization: auth } });
    assert.equal(badUrl.status, 400);
    assert.deepEqual(
      cleanJson(badUrl, 'bad url'),
      malformed("'/v1/file/%E0%A4%A' is not a valid url component"),
    );
    const longId = `/v1/batch-query/jobs/${'a'.repeat(12_000)}`;
    const huge = await send(s, { path: longId, headers: { authorization: auth } });
    assert.equal(huge.status, 414);
    assert.deepEqual(cleanJson(huge, 'long id'), malformed(`'${longId}' is exceeding the max param length`));
    await alive();
  });
});
