import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AQUA_MESSAGES } from '../../src/errors.ts';
import { objects } from '../../src/schema/index.ts';
import { createAccount, download, pollJob, submitJob } from './flows.ts';
import { basicHeader, call, type Json, startTestServer, type TestServer } from './server.ts';

describe('client flows', () => {
  let s: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    s = await startTestServer();
    headers = { authorization: s.a.basic };
    await createAccount(s, headers, 'Acme');
    await createAccount(s, headers, 'Globex');
  });
  after(() => s.close());

  it('submits, polls until completed and downloads the CSV', async () => {
    const job = await submitJob(s, headers, {
      format: 'csv',
      version: '1.0',
      name: 'names',
      queries: [
        { name: 'accounts', query: 'select Name from Account order by Name asc', type: 'zoqlexport' },
      ],
    });
    assert.match(job.id, /^[0-9a-f]{32}$/);
    assert.equal(job.status, 'submitted');
    assert.equal(job.batches[0].status, 'pending');
    const done = await pollJob(s, headers, job.id);
    assert.equal(done.status, 'completed');
    const batch = done.batches[0];
    assert.equal(batch.status, 'completed');
    assert.equal(batch.recordCount, 2);
    assert.equal(batch.message, '');
    assert.ok(!('message' in done));
    const file = await download(s, headers, batch.fileId);
    assert.equal(file.contentType, 'text/csv;charset=UTF-8');
    assert.equal(file.text, 'Account: Name\nAcme\nGlobex\n');
  });

  it("answers another tenant's file with 404, like an unknown one", async () => {
    const job = await submitJob(s, headers, {
      version: '1.0',
      queries: [{ query: 'select Name from Account', type: 'zoqlexport' }],
    });
    const fileId = (await pollJob(s, headers, job.id)).batches[0].fileId;
    const res = await call(`${s.url}/v1/file/${fileId}`, { headers: { authorization: s.b.basic } });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { success: false, code: 50000040, message: 'File not found' });
  });

  it('host probe: a stateful 1.2 job read for its id, then DELETEd with 200', async () => {
    const job = await submitJob(s, headers, {
      format: 'csv',
      version: '1.2',
      partner: 'probe',
      project: 'host',
      useQueryLabels: 'true',
      dateTimeUtc: 'true',
      queries: [{ name: 'Account', query: 'select * from Account limit 1', type: 'zoqlexport' }],
    });
    assert.equal(job.version, '1.2');
    const res = await call(`${s.url}/v1/batch-query/jobs/${job.id}`, { method: 'DELETE', headers });
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'cancelled');
    assert.ok(!('message' in res.body));
  });

  it('discovery: describe, then a deleted-section probe per object classified by message', async () => {
    const list = await call(`${s.url}/v1/describe`, { headers });
    const names = [...(list.body as string).matchAll(/<name>([^<]+)<\/name>/g)].map((m) => m[1]!);
    assert.deepEqual(
      names,
      objects.map((o) => o.name),
    );
    const classes = new Map<string, string>();
    for (const name of names) {
      const described = await call(`${s.url}/v1/describe/${name}`, { headers });
      assert.equal(described.status, 200);
      const probe = await call(`${s.url}/v1/batch-query/`, {
        method: 'POST',
        headers,
        body: {
          format: 'csv',
          version: '1.2',
          partner: 'discovery',
          project: `${name}_probe`,
          queries: [
            {
              name,
              query: `select * from ${name} limit 1`,
              type: 'zoqlexport',
              deleted: { column: 'Deleted', format: 'Boolean' },
            },
          ],
        },
      });
      assert.equal(probe.status, 200);
      const cancel = await call(`${s.url}/v1/batch-query/jobs/${probe.body.id}`, {
        method: 'DELETE',
        headers,
      });
      assert.equal(cancel.status, 200);
      const message = probe.body.message;
      if (message === undefined) classes.set(name, 'with deletes');
      else if (message === AQUA_MESSAGES['90005']) classes.set(name, 'dropped');
      else if (message === AQUA_MESSAGES['90017']) classes.set(name, 'without deletes');
      else assert.fail(`${name}: a client aborts on '${message}'`);
    }
    assert.deepEqual(
      Object.fromEntries(classes),
      Object.fromEntries(
        objects.map((o) => [o.name, o.supportsDeleted ? 'with deletes' : 'without deletes']),
      ),
    );
  });

  it('several queries in one job, each read by its batch name', async () => {
    const contact = await call(`${s.url}/v1/object/contact`, {
      method: 'POST',
      headers,
      body: { FirstName: 'Ada', LastName: 'Lovelace', AccountId: await createAccount(s, headers, 'Initech') },
    });
    assert.equal(contact.status, 200);
    const job = await submitJob(s, headers, {
      version: '1.0',
      useQueryLabels: true,
      queries: [
        { name: 'contacts', query: 'select FirstName, LastName from Contact', type: 'zoqlexport' },
        { name: 'accounts', query: 'select Name from Account order by Name desc', type: 'zoqlexport' },
        { name: 'count', query: 'select count(Id) from Account', type: 'zoqlexport' },
      ],
    });
    const done = await pollJob(s, headers, job.id);
    const byName = new Map<string, { fileId: string }>(
      done.batches.map((b: { name: string }) => [b.name, b]),
    );
    assert.deepEqual([...byName.keys()], ['contacts', 'accounts', 'count']);
    assert.equal(
      (await download(s, headers, byName.get('contacts')!.fileId)).text,
      'Contact.FirstName,Contact.LastName\nAda,Lovelace\n',
    );
    assert.equal(
      (await download(s, headers, byName.get('accounts')!.fileId)).text,
      'Account.Name\nInitech\nGlobex\nAcme\n',
    );
    assert.equal((await download(s, headers, byName.get('count')!.fileId)).text, 'count(Account.Id)\n3\n');
  });

  it('queries without names are named by position', async () => {
    const job = await submitJob(s, headers, {
      version: '1.0',
      queries: [
        { query: 'select Id from Account', type: 'zoqlexport' },
        { query: 'select Id from Contact', type: 'zoql' },
      ],
    });
    assert.deepEqual(
      job.batches.map((b: { name: string }) => b.name),
      ['query1', 'query2'],
    );
  });

  it('the whole flow under /apps/api with an OAuth token from the form or from Basic', async () => {
    const { clientId, clientSecret } = s.a.credentials;
    const fromForm = await fetch(`${s.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${clientId}&client_secret=${encodeURIComponent(clientSecret)}`,
    });
    const fromBasic = await fetch(`${s.url}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicHeader(clientId, clientSecret),
      },
      body: 'grant_type=client_credentials',
    });
    for (const res of [fromForm, fromBasic]) {
      assert.equal(res.status, 200);
      const bearer = { authorization: `Bearer ${((await res.json()) as Json).access_token}` };
      const job = await submitJob(
        s,
        bearer,
        {
          version: '1.0',
          useQueryLabels: 'true',
          queries: [{ query: "select Name from Account where Name = 'Acme'", type: 'zoqlexport' }],
        },
        '/apps/api',
      );
      const done = await pollJob(s, bearer, job.id, '/apps/api');
      const file = await download(s, bearer, done.batches[0].fileId, '/apps/api/file');
      assert.equal(file.text, 'Account.Name\nAcme\n');
    }
  });

  it('a stateless 1.0 window on UpdatedDate with joined ids', async () => {
    const job = await submitJob(s, headers, {
      version: '1.0',
      useQueryLabels: true,
      queries: [
        {
          name: 'Account',
          query:
            "select Name, BillToContact.Id, ParentAccount.Id from Account where UpdatedDate >= '2024-02-27T12:52:04+00:00' and Name = 'Globex'",
          type: 'zoqlexport',
        },
      ],
    });
    const done = await pollJob(s, headers, job.id);
    assert.equal(done.status, 'completed');
    const file = await download(s, headers, done.batches[0].fileId);
    assert.equal(file.text, 'Account.Name,BillToContact.Id,ParentAccount.Id\nGlobex,,\n');
  });
});
