import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { errorResponse } from '../../src/api/errors.ts';
import { AQUA_MESSAGES, AquaError, RecordError, RequestError } from '../../src/errors.ts';
import { call, type Json, startTestServer, type TestServer } from './server.ts';

const UNKNOWN_JOB = { status: 'error', errorCode: '90002', message: 'Invalid Job Id.' };
const QUERY = { name: 'accounts', query: 'select Id, Name from Account', type: 'zoqlexport' };

describe('response envelopes', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startTestServer();
    headers = { authorization: s.a.basic };
  });
  after(() => s.close());

  const submit = (body: unknown, extra: Record<string, string> = {}) =>
    call(`${s.url}/v1/batch-query/`, { method: 'POST', headers: { ...headers, ...extra }, body });

  it('answers a submitted job without a top-level message, on submit, get and cancel', async () => {
    const submitted = await submit({ format: 'csv', version: '1.0', queries: [QUERY] });
    assert.equal(submitted.status, 200);
    assert.equal(submitted.body.status, 'submitted');
    assert.ok(!('message' in submitted.body));
    const got = await call(`${s.url}/v1/batch-query/jobs/${submitted.body.id}`, { headers });
    assert.equal(got.status, 200);
    assert.ok(!('message' in got.body));
    assert.deepEqual(got.body, submitted.body);
    const cancelled = await call(`${s.url}/v1/batch-query/jobs/${submitted.body.id}`, {
      method: 'DELETE',
      headers,
    });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.ok(!('message' in cancelled.body));
  });

  it('answers a query error with HTTP 200, the job echo, errorCode as a string and the exact message', async () => {
    const res = await submit({
      version: '1.0',
      queries: [{ name: 'bad', query: 'select Foo from Account', type: 'zoqlexport' }],
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'error');
    assert.equal(res.body.errorCode, '90005');
    assert.equal(res.body.message, AQUA_MESSAGES['90005']);
    assert.match(res.body.id, /^[0-9a-f]{32}$/);
    assert.equal(res.body.batches[0].name, 'bad');
    assert.match(res.body.batches[0].message, /Foo/);
    const again = await call(`${s.url}/v1/batch-query/jobs/${res.body.id}`, { headers });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, res.body);
  });

  it('answers an unknown job id with HTTP 200 and 90002 on get, cancel and last-job', async () => {
    for (const [method, path] of [
      ['GET', `/v1/batch-query/jobs/${'0'.repeat(32)}`],
      ['DELETE', `/v1/batch-query/jobs/${'0'.repeat(32)}`],
      ['GET', '/v1/batch-query/jobs/nothex'],
      ['GET', '/v1/batch-query/jobs/partner/p/project/never-ran'],
    ] as const) {
      const res = await call(`${s.url}${path}`, { method, headers });
      assert.equal(res.status, 200, path);
      assert.deepEqual(res.body, UNKNOWN_JOB, path);
    }
  });

  it("answers another tenant's job exactly as an unknown one", async () => {
    const mine = await submit({ version: '1.0', queries: [QUERY] });
    const other = { authorization: s.b.basic };
    const url = `${s.url}/v1/batch-query/jobs/${mine.body.id}`;
    assert.deepEqual((await call(url, { headers: other })).body, UNKNOWN_JOB);
    assert.deepEqual((await call(url, { method: 'DELETE', headers: other })).body, UNKNOWN_JOB);
    assert.equal((await call(url, { headers })).body.status, 'submitted');
  });

  it('answers an unknown file with 404', async () => {
    const res = await call(`${s.url}/v1/file/${'0'.repeat(32)}`, { headers });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { success: false, code: 50000040, message: 'File not found' });
  });

  it('answers a body that is not JSON with 400 and code 50000090', async () => {
    const res = await submit('{"queries": [');
    assert.equal(res.status, 400);
    assert.equal(res.body.success, false);
    assert.equal(res.body.code, 50000090);
    assert.match(res.body.message, /^The request body is not valid JSON: /);
  });

  it('requires a JSON content type', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const res = await submit(JSON.stringify({ queries: [QUERY] }), { 'content-type': type });
      assert.equal(res.status, 400, type);
      assert.deepEqual(res.body, {
        success: false,
        code: 50000090,
        message: 'Content-Type must be application/json',
      });
    }
  });

  it('names the field of a wrong type or value with 400', async () => {
    const cases: [unknown, string][] = [
      [[QUERY], 'The request body must be a JSON object'],
      [{ format: 'json', queries: [QUERY] }, "format must be one of csv, zip, gzip, not 'json'"],
      [{ useQueryLabels: 'yes', queries: [QUERY] }, "useQueryLabels must be true or false, not 'yes'"],
      [{ queries: 'select Id from Account' }, 'queries must be an array'],
    ];
    for (const [body, message] of cases) {
      const res = await submit(body);
      assert.equal(res.status, 400, message);
      assert.deepEqual(res.body, { success: false, code: 50000090, message });
    }
  });

  it('accepts DELETE with a JSON content type and no body', async () => {
    const job = await submit({ version: '1.0', queries: [QUERY] });
    const res = await fetch(`${s.url}/v1/batch-query/jobs/${job.body.id}`, {
      method: 'DELETE',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as Json).status, 'cancelled');
  });

  it('echoes Zuora-Track-Id on successes, errors and refusals', async () => {
    const track = { 'Zuora-Track-Id': 'etl-run-42' };
    const ok = await call(`${s.url}/v1/describe`, { headers: { ...headers, ...track } });
    const aqua = await call(`${s.url}/v1/batch-query/jobs/x`, { headers: { ...headers, ...track } });
    const refused = await call(`${s.url}/v1/describe`, { headers: track });
    for (const res of [ok, aqua, refused]) assert.equal(res.headers.get('zuora-track-id'), 'etl-run-42');
    const untracked = await call(`${s.url}/v1/describe`, { headers });
    assert.equal(untracked.headers.get('zuora-track-id'), null);
    assert.match(untracked.headers.get('zuora-request-id') ?? '', /^[0-9a-f]{32}$/);
  });

  it('returns the first job for a repeated Idempotency-Key', async () => {
    const body = { version: '1.0', queries: [QUERY] };
    const first = await submit(body, { 'Idempotency-Key': 'k-1' });
    const second = await submit(body, { 'Idempotency-Key': 'k-1' });
    const third = await submit(body, { 'Idempotency-Key': 'k-2' });
    assert.equal(second.body.id, first.body.id);
    assert.notEqual(third.body.id, first.body.id);
  });

  it('answers an unknown route with 404', async () => {
    const res = await call(`${s.url}/v2/batch-query/jobs/x`, { headers });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      success: false,
      code: 50000040,
      message: 'No route GET /v2/batch-query/jobs/x',
    });
  });
});

describe('error mapping', () => {
  const lines: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });

  it('maps each error type to its status and body', () => {
    const job = {
      id: 'a'.repeat(32),
      status: 'submitted',
      batches: [{ name: 'q', message: 'line 1, column 8: x' }],
    };
    assert.deepEqual(errorResponse(new AquaError('90005', 'detail', job), log), {
      status: 200,
      body: { ...job, status: 'error', errorCode: '90005', message: AQUA_MESSAGES['90005'] },
    });
    assert.deepEqual(errorResponse(new RequestError('offset must be an integer'), log), {
      status: 400,
      body: { success: false, code: 50000090, message: 'offset must be an integer' },
    });
    assert.deepEqual(errorResponse(new RecordError('INVALID_VALUE', 'bad'), log), {
      status: 400,
      body: { Success: false, Errors: [{ Code: 'INVALID_VALUE', Message: 'bad' }] },
    });
    assert.equal(errorResponse(new RecordError('INVALID_ID', 'none'), log).status, 404);
  });

  it('answers anything unexpected with 90010 and logs it, sending no stack', () => {
    const res = errorResponse(new TypeError('x is undefined'), log);
    assert.deepEqual(res, {
      status: 200,
      body: { status: 'error', errorCode: '90010', message: 'Internal Server Error.' },
    });
    assert.equal(lines.length, 1);
    const logged = JSON.parse(lines[0]!);
    assert.equal(logged.err.message, 'x is undefined');
    assert.match(logged.err.stack, /TypeError/);
  });
});
