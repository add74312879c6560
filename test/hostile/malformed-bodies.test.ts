import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { basic, type LimitedServer, send, startLimitedServer } from '../ratelimit/server.ts';
import { cleanJson, malformed } from './answers.ts';

const VALID = '{"format":"gzip","version":"1.1","queries":[{"name":"a","query":"select Id from Account"}]}';
const NOT_JSON =
  "The request body is not valid JSON: Body is not valid JSON but content-type is set to 'application/json'";

describe('malformed submit bodies get HTTP 400 with the AQuA error body, never a 500', () => {
  let s: LimitedServer;
  let auth: Record<string, string>;
  before(async () => {
    s = await startLimitedServer({ requests: 0, authFailures: 0 });
    auth = { authorization: basic(s.alpha), 'content-type': 'application/json' };
  });
  after(() => s.close());

  const submit = (body: string, headers = auth) =>
    send(s, { method: 'POST', path: '/v1/batch-query/', headers, body });

  it('every truncation of a valid body', async () => {
    for (let n = 1; n < VALID.length; n++) {
      const res = await submit(VALID.slice(0, n));
      assert.equal(res.status, 400, `cut at ${n}`);
      assert.deepEqual(cleanJson(res, `cut at ${n}`), malformed(NOT_JSON), `cut at ${n}`);
    }
  });

  it('bodies that parse but are not objects, deep nesting, prototype keys, other content types', async () => {
    const cases: [string, string, Record<string, string>, number, string][] = [
      ['a number', '42', auth, 400, 'The request body must be a JSON object'],
      ['a string', '"select Id from Account"', auth, 400, 'The request body must be a JSON object'],
      ['null', 'null', auth, 400, 'The request body must be a JSON object'],
      ['an array', `[${VALID}]`, auth, 400, 'The request body must be a JSON object'],
      [
        '5,000 nested arrays',
        `${'['.repeat(5000)}${']'.repeat(5000)}`,
        auth,
        400,
        'The request body must be a JSON object',
      ],
      ['100,000 open brackets', '['.repeat(100_000), auth, 400, NOT_JSON],
      ['a __proto__ key', '{"__proto__":{"polluted":1},"queries":[]}', auth, 400, NOT_JSON],
      ['a constructor.prototype key', '{"constructor":{"prototype":{"polluted":1}}}', auth, 400, NOT_JSON],
      ['NUL and high bytes', '\u0000\u00ff\u00fe{', auth, 400, NOT_JSON],
      [
        'XML',
        '<job/>',
        { ...auth, 'content-type': 'application/xml' },
        400,
        'Content-Type must be application/json',
      ],
      [
        'a form',
        'format=csv',
        { ...auth, 'content-type': 'application/x-www-form-urlencoded' },
        400,
        'Content-Type must be application/json',
      ],
      [
        'no content type',
        VALID,
        { authorization: auth.authorization! },
        400,
        'Content-Type must be application/json',
      ],
    ];
    for (const [what, body, headers, status, message] of cases) {
      const res = await submit(body, headers);
      assert.equal(res.status, status, what);
      assert.deepEqual(cleanJson(res, what), malformed(message), what);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('random text and random JSON values (200 generated, fixed seed)', async () => {
    const bodies = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json({ maxDepth: 4 }),
        fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ queries: v, format: v })),
      ),
      { numRuns: 200, seed: 4242 },
    );
    for (const body of bodies) {
      const res = await submit(body);
      const json = cleanJson(res, body);
      if (res.status === 200) {
        // It parsed into something AQuA-shaped enough to be an AQuA answer: an error with its code.
        assert.equal(json.status, 'error', body);
        assert.match(String(json.errorCode), /^900\d\d$/, body);
      } else {
        assert.equal(res.status, 400, body);
        assert.equal(json.success, false, body);
        assert.equal(json.code, 50000090, body);
        assert.equal(typeof json.message, 'string', body);
      }
    }
    const alive = await send(s, {
      path: '/v1/batch-query/jobs/0123456789abcdef0123456789abcdef',
      headers: auth,
    });
    assert.equal(alive.status, 200);
    assert.equal(cleanJson(alive, 'after').errorCode, '90002');
  });
});
