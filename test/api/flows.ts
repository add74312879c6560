/** Steps AQuA clients take, over HTTP, shared by the client-flow tests. */
import assert from 'node:assert/strict';
import { call, type TestServer } from './server.ts';

export type Headers = Record<string, string>;

export const ACCOUNT = { Status: 'Active', Currency: 'USD', BillCycleDay: 1, PaymentTerm: 'Net 30' };

/** Creates an Account through the CRUD API; returns its Id. */
export async function createAccount(s: TestServer, headers: Headers, name: string): Promise<string> {
  const res = await call(`${s.url}/v1/object/account`, {
    method: 'POST',
    headers,
    body: { ...ACCOUNT, Name: name },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.Id;
}

/** Submits a job and checks it was accepted. */
export async function submitJob(s: TestServer, headers: Headers, body: unknown, prefix = '/v1') {
  const res = await call(`${s.url}${prefix}/batch-query/`, { method: 'POST', headers, body });
  assert.equal(res.status, 200);
  return res.body;
}

/**
 * Polls a job until it leaves `submitted`/`executing`, running queued jobs on this thread when the
 * server has no background workers.
 */
export async function pollJob(s: TestServer, headers: Headers, id: string, prefix = '/v1') {
  for (let i = 0; i < 400; i++) {
    const res = await call(`${s.url}${prefix}/batch-query/jobs/${id}`, { headers });
    assert.equal(res.status, 200);
    if (res.body.status !== 'submitted' && res.body.status !== 'executing') return res.body;
    if (!(await s.jobs.runOnce())) await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

/** Downloads a file, checking it is streamed (chunked, no length). */
export async function download(s: TestServer, headers: Headers, fileId: string, path = '/v1/file') {
  const res = await fetch(`${s.url}${path}/${fileId}`, { headers });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('transfer-encoding'), 'chunked');
  assert.equal(res.headers.get('content-length'), null);
  return { contentType: res.headers.get('content-type'), text: await res.text() };
}
