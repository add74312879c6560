import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FINDER_CHALLENGE } from '../../src/api/routes/finder.ts';
import { createAccount, pollJob, submitJob } from '../api/flows.ts';
import { call, startTestServer, type TestServer } from '../api/server.ts';

const query = (q: string, name = 'accounts') => ({ name, query: q, type: 'zoqlexport' });

/** The job ids of a list page's rows, in order. */
function rowIds(page: string): string[] {
  return [...page.matchAll(/<tr data-job="([0-9a-f]{32})">/g)].map((m) => m[1]!);
}

describe('Job Finder pages', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  const ids = { plain: '', sync: '', evil: '', other: '' };
  before(async () => {
    s = await startTestServer();
    headers = { authorization: s.a.basic };
    await createAccount(s, headers, 'Acme <Holdings> & "Sons"');
    await createAccount(s, headers, 'Globex');
    const plain = await submitJob(s, headers, {
      version: '1.0',
      name: 'alpha-daily',
      format: 'gzip',
      queries: [query('select Name from Account order by Name asc')],
    });
    await pollJob(s, headers, plain.id);
    ids.plain = plain.id;
    const sync = await submitJob(s, headers, {
      version: '1.1',
      name: 'beta-sync',
      partner: 'etl',
      project: 'Account_1',
      queries: [query('select Id from Account')],
    });
    await pollJob(s, headers, sync.id);
    ids.sync = sync.id;
    const evil = await submitJob(s, headers, {
      version: '1.0',
      name: '<script>alert(1)</script>',
      queries: [query("select Id from Account where Name = '<b>'", '<img src=x>')],
    });
    ids.evil = evil.id;
    const other = await submitJob(
      s,
      { authorization: s.b.basic },
      {
        version: '1.0',
        name: 'other-tenant',
        queries: [query('select Id from Account')],
      },
    );
    ids.other = other.id;
  });
  after(() => s.close());

  const get = (path: string, h = headers) => call(`${s.url}${path}`, { headers: h });

  it('asks a browser to sign in: 401 with a Basic challenge the browser prompts for', async () => {
    const res = await get('/jobs', {});
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), FINDER_CHALLENGE);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const wrong = await get('/jobs', {
      authorization: `Basic ${Buffer.from('alpha:nope').toString('base64')}`,
    });
    assert.equal(wrong.status, 401);
  });

  it("lists the tenant's jobs newest first, with status, mode, partner, project and records", async () => {
    const res = await get('/jobs');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.deepEqual(rowIds(res.body), [ids.evil, ids.sync, ids.plain]);
    const row = (id: string) => res.body.slice(res.body.indexOf(`<tr data-job="${id}">`)).split('</tr>')[0];
    const cells = (id: string) =>
      [...row(id).matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    const sync = cells(ids.sync);
    assert.deepEqual(
      [sync[1], sync[2], sync[3], sync[4], sync[5], sync[7], sync[8]],
      ['beta-sync', 'completed', 'stateful full', 'etl', 'Account_1', '1', '2'],
    );
    const plain = cells(ids.plain);
    assert.deepEqual(
      [plain[1], plain[2], plain[3], plain[4], plain[5], plain[8]],
      ['alpha-daily', 'completed', 'stateless', '', '', '2'],
    );
    // A submitted job is listed, so the page reloads itself.
    assert.match(res.body, /<meta http-equiv="refresh" content="3">/);
  });

  it('escapes every value: a job named <script> shows as text', async () => {
    const res = await get('/jobs');
    assert.ok(!res.body.includes('<script>alert(1)</script>'));
    assert.ok(res.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    const detail = await get(`/jobs/${ids.evil}`);
    assert.equal(detail.status, 200);
    assert.ok(!detail.body.includes('<img src=x>'));
    assert.ok(detail.body.includes('<td>&lt;img src=x&gt;</td>'));
    assert.ok(detail.body.includes('where Name = &#39;&lt;b&gt;&#39;'));
  });

  it('filters by status, partner, project and part of the name', async () => {
    assert.deepEqual(rowIds((await get('/jobs?status=completed')).body), [ids.sync, ids.plain]);
    assert.deepEqual(rowIds((await get('/jobs?status=submitted')).body), [ids.evil]);
    assert.deepEqual(rowIds((await get('/jobs?partner=etl')).body), [ids.sync]);
    assert.deepEqual(rowIds((await get('/jobs?project=Account_1&status=completed')).body), [ids.sync]);
    assert.deepEqual(rowIds((await get('/jobs?name=ALPHA')).body), [ids.plain]);
    assert.deepEqual(rowIds((await get('/jobs?name=nothing-like-this')).body), []);
    assert.match((await get('/jobs?name=nothing-like-this')).body, /<p class="empty">No jobs match.<\/p>/);
    assert.match(
      (await get('/jobs?status=completed')).body,
      /<option value="completed" selected>completed<\/option>/,
    );
    assert.equal((await get('/jobs?status=done')).status, 400);
  });

  it('shows a job: batches with query, status, message, records and named downloads', async () => {
    const res = await get(`/jobs/${ids.plain}`);
    assert.equal(res.status, 200);
    assert.ok(res.body.includes('<pre>select Name from Account order by Name asc</pre>'));
    const fileId = (await pollJob(s, headers, ids.plain)).batches[0].fileId;
    assert.ok(
      res.body.includes(
        `<a class="download" href="/jobs/${ids.plain}/files/${fileId}" download="accounts.csv.gz">accounts.csv.gz</a>`,
      ),
    );
    assert.ok(!res.body.includes('id="cancel"'));
    assert.ok(!res.body.includes('http-equiv="refresh"'));
    const file = await fetch(`${s.url}/jobs/${ids.plain}/files/${fileId}`, { headers });
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-disposition'), 'attachment; filename="accounts.csv.gz"');
    assert.equal(file.headers.get('content-type'), 'application/x-gzip;charset=UTF-8');
  });

  it("answers another tenant's job, or its file, with 404 as an unknown id", async () => {
    assert.equal((await get(`/jobs/${ids.other}`)).status, 404);
    assert.equal((await get(`/jobs/${'0'.repeat(32)}`)).status, 404);
    const fileId = (await pollJob(s, headers, ids.plain)).batches[0].fileId;
    assert.equal((await get(`/jobs/${ids.plain}/files/${fileId}`, { authorization: s.b.basic })).status, 404);
    assert.equal((await get(`/jobs/${ids.other}/files/${fileId}`)).status, 404);
    assert.equal((await call(`${s.url}/jobs/${ids.other}`, { method: 'DELETE', headers })).status, 404);
    assert.deepEqual(rowIds((await get('/jobs', { authorization: s.b.basic })).body), [ids.other]);
  });

  it('offers Cancel on a running job; its DELETE cancels it', async () => {
    const page = await get(`/jobs/${ids.other}`, { authorization: s.b.basic });
    assert.ok(page.body.includes('<button id="cancel" type="button">Cancel job</button>'));
    assert.ok(page.body.includes("fetch(location.pathname, { method: 'DELETE' })"));
    assert.match(page.body, /<meta http-equiv="refresh" content="3">/);
    const res = await call(`${s.url}/jobs/${ids.other}`, {
      method: 'DELETE',
      headers: { authorization: s.b.basic },
    });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'cancelled');
    const after = await get(`/jobs/${ids.other}`, { authorization: s.b.basic });
    assert.ok(!after.body.includes('id="cancel"'));
    assert.match(after.body, /<span class="status cancelled">cancelled<\/span>/);
  });
});
