import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAccount, pollJob, submitJob } from '../api/flows.ts';
import { startTestServer, type TestServer } from '../api/server.ts';

/** The value of one sample line of a Prometheus text answer, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('operations endpoints', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startTestServer();
    headers = { authorization: s.a.basic };
    await createAccount(s, headers, 'Acme');
    await createAccount(s, headers, 'Globex');
  });
  after(() => s.close());

  it('/healthz answers without credentials', async () => {
    const res = await fetch(`${s.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('/readyz answers ready while the stores can be read', async () => {
    const res = await fetch(`${s.url}/readyz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ready' });
  });

  it('/metrics counts jobs by status, queue depth, batches, rows, bytes and request latency', async () => {
    const done = await submitJob(s, headers, {
      version: '1.0',
      name: 'metered',
      queries: [
        { name: 'accounts', query: 'select Name from Account order by Name asc', type: 'zoqlexport' },
      ],
    });
    assert.equal((await pollJob(s, headers, done.id)).status, 'completed');
    await submitJob(s, headers, {
      version: '1.0',
      queries: [{ query: 'select Id from Account', type: 'zoqlexport' }],
    });

    const res = await fetch(`${s.url}/metrics`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    assert.equal(sample(text, 'openaqua_jobs{status="completed"}'), 1);
    assert.equal(sample(text, 'openaqua_jobs{status="submitted"}'), 1);
    assert.equal(sample(text, 'openaqua_jobs{status="aborted"}'), 0);
    assert.equal(sample(text, 'openaqua_queue_depth'), 1);
    assert.equal(sample(text, 'openaqua_jobs_ended_total{status="completed"}'), 1);
    assert.equal(sample(text, 'openaqua_batch_duration_seconds_count'), 1);
    assert.equal(sample(text, 'openaqua_batch_duration_seconds_bucket{le="+Inf"}'), 1);
    assert.equal(sample(text, 'openaqua_exported_rows_total'), 2);
    // The CSV written: "Account: Name\nAcme\nGlobex\n".
    assert.equal(sample(text, 'openaqua_exported_bytes_total'), 26);
    assert.equal(
      sample(
        text,
        'openaqua_http_request_duration_seconds_count{method="POST",route="/v1/batch-query",status="200"}',
      ),
      2,
    );
    assert.equal(
      sample(text, 'openaqua_http_request_duration_seconds_count{method="GET",route="/readyz",status="200"}'),
      1,
    );
    assert.match(text, /^# TYPE openaqua_http_request_duration_seconds histogram$/m);
  });

  it('labels an unknown path as unmatched, never by its raw path', async () => {
    assert.equal((await fetch(`${s.url}/no/such/path/${'x'.repeat(10)}`, { headers })).status, 404);
    const text = await (await fetch(`${s.url}/metrics`)).text();
    assert.equal(
      sample(
        text,
        'openaqua_http_request_duration_seconds_count{method="GET",route="unmatched",status="404"}',
      ),
      1,
    );
    assert.ok(!text.includes('xxxxxxxxxx'));
  });
});
