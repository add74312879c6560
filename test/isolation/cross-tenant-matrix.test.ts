/**
 * Tenant isolation across every route that takes an id: tenant B naming tenant A's job, file, session or
 * record gets exactly the answer it gets for an id nobody has, and changes nothing of A's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { PREFIXES } from '../../src/api/paths.ts';
import { ACCOUNT } from '../api/flows.ts';
import { type Json, startTestServer, type TestServer, type TestTenant } from '../api/server.ts';

const PARTNER = 'salesforce';
const PROJECT = 'Account_1';
const QUERY = { name: 'accounts', type: 'zoqlexport', query: 'select Id, Name from Account order by Name' };
const STATEFUL = { format: 'csv', version: '1.1', partner: PARTNER, project: PROJECT, useQueryLabels: true };

const unknownId = () => randomBytes(16).toString('hex');

interface Answer {
  status: number;
  contentType: string;
  body: string;
}

/** A's ids, as B will try them. */
interface Ids {
  completedJob: string;
  submittedJob: string;
  errorJob: string;
  file: string;
  record: string;
  bJob: string;
}

/** One route that takes an id, with the path (and body) for a given id. */
interface Route {
  name: string;
  method: 'GET' | 'PUT' | 'DELETE';
  /** The OpenAPI path it stands for, or null for routes kept out of it (the Job Finder). */
  openapi: string | null;
  path: (ids: Ids, id: (which: keyof Ids) => string) => string;
  body?: unknown;
}

function routes(): Route[] {
  const out: Route[] = [];
  for (const p of PREFIXES) {
    for (const method of ['GET', 'DELETE'] as const) {
      for (const which of ['completedJob', 'submittedJob', 'errorJob'] as const) {
        out.push({
          name: `${method} ${p}/batch-query/jobs/{${which}}`,
          method,
          openapi: `${p}/batch-query/jobs/{id}`,
          path: (_, id) => `${p}/batch-query/jobs/${id(which)}`,
        });
      }
    }
    for (const files of ['/file', '/files', '/batch-query/file']) {
      out.push({
        name: `GET ${p}${files}/{file}`,
        method: 'GET',
        openapi: `${p}${files}/{fileId}`,
        path: (_, id) => `${p}${files}/${id('file')}`,
      });
    }
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      out.push({
        name: `${method} ${p}/object/Account/{record}`,
        method,
        openapi: `${p}/object/{object}/{id}`,
        path: (_, id) => `${p}/object/Account/${id('record')}`,
        ...(method === 'PUT' ? { body: { Name: 'taken over' } } : {}),
      });
    }
  }
  out.push(
    { name: 'GET /jobs/{job}', method: 'GET', openapi: null, path: (_, id) => `/jobs/${id('completedJob')}` },
    {
      name: 'DELETE /jobs/{submitted job}',
      method: 'DELETE',
      openapi: null,
      path: (_, id) => `/jobs/${id('submittedJob')}`,
    },
    {
      name: 'GET /jobs/{job}/files/{file}',
      method: 'GET',
      openapi: null,
      path: (_, id) => `/jobs/${id('completedJob')}/files/${id('file')}`,
    },
    {
      name: "GET /jobs/{B's own job}/files/{A's file}",
      method: 'GET',
      openapi: null,
      path: (ids, id) => `/jobs/${ids.bJob}/files/${id('file')}`,
    },
  );
  return out;
}

describe('two tenants, same partner and project, overlapping data: B never reaches A', () => {
  let s: TestServer;
  let a: TestTenant;
  let b: TestTenant;
  const ids = {} as Ids;
  const aRecords = new Map<string, string>();

  async function request(t: TestTenant, method: string, url: string, body?: unknown, extra = {}) {
    const res = await s.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: t.basic, ...extra },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    return res;
  }
  async function json(t: TestTenant, method: string, url: string, body?: unknown, extra = {}): Promise<Json> {
    const res = await request(t, method, url, body, extra);
    assert.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`);
    return res.json();
  }
  const submit = (t: TestTenant, body: unknown, extra = {}) =>
    json(t, 'POST', '/v1/batch-query/', body, extra);
  async function runAll(): Promise<void> {
    while (await s.jobs.runOnce()) {}
  }
  async function create(t: TestTenant, name: string): Promise<string> {
    return (await json(t, 'POST', '/v1/object/Account', { ...ACCOUNT, Name: name })).Id as string;
  }
  async function rows(t: TestTenant, fileId: string): Promise<string[][]> {
    const res = await request(t, 'GET', `/v1/file/${fileId}`);
    assert.equal(res.statusCode, 200);
    return parse(res.body) as string[][];
  }

  /**
   * B's answer to a route. The record routes' messages quote the Id asked for (`no Account with Id ...`): that
   * one Id is replaced, so the two answers compare on everything else.
   */
  async function answerOf(route: Route, id: (which: keyof Ids) => string): Promise<Answer> {
    const res = await request(b, route.method, route.path(ids, id), route.body);
    const quoted = route.name.includes('{record}') ? id('record') : undefined;
    return {
      status: res.statusCode,
      contentType: String(res.headers['content-type']),
      body: quoted === undefined ? res.body : res.body.replaceAll(quoted, '<id>'),
    };
  }

  before(async () => {
    s = await startTestServer();
    a = s.a;
    b = s.b;
    // Overlapping data: the same names in both tenants, and one record only A has.
    for (const t of [a, b]) for (const name of ['Shared One', 'Shared Two']) await create(t, name);
    ids.record = await create(a, 'Only In Alpha');
    aRecords.set(ids.record, 'Only In Alpha');

    // A: a stateful session run twice (the second run incremental), a stateless job, an error, a waiting job.
    const first = await submit(a, { ...STATEFUL, queries: [QUERY] });
    await runAll();
    await json(a, 'PUT', `/v1/object/Account/${ids.record}`, { Name: 'Only In Alpha, changed' });
    aRecords.set(ids.record, 'Only In Alpha, changed');
    const second = await submit(a, { ...STATEFUL, queries: [QUERY] });
    await runAll();
    const done = await json(a, 'GET', `/v1/batch-query/jobs/${second.id}`);
    assert.equal(done.status, 'completed');
    assert.equal(done.batches[0].full, false);
    assert.equal((await json(a, 'GET', `/v1/batch-query/jobs/${first.id}`)).batches[0].full, true);
    ids.completedJob = done.id;
    ids.file = done.batches[0].fileId;
    const error = await submit(a, { version: '1.0', queries: [{ query: 'select Nope from Account' }] });
    assert.equal(error.errorCode, '90005');
    ids.errorJob = error.id;
    ids.submittedJob = (
      await submit(a, { version: '1.0', queries: [QUERY] }, { 'idempotency-key': 'k-1' })
    ).id;

    // B's own job, for the Finder route that pairs B's job with A's file.
    const own = await submit(b, { version: '1.0', queries: [QUERY] });
    await runAll();
    ids.bJob = own.id;
    // A's waiting job was run by runAll; submit another that stays waiting (no worker runs it).
    ids.submittedJob = (await submit(a, { version: '1.0', queries: [QUERY] })).id;
  });
  after(() => s.close());

  it('covers every route of /openapi.json that takes an id', async () => {
    const doc = (await s.app.inject({ method: 'GET', url: '/openapi.json' })).json() as Json;
    const covered = new Set(routes().map((r) => `${r.method} ${r.openapi}`));
    const sessionPaths = PREFIXES.map((p) => `GET ${p}/batch-query/jobs/partner/{partner}/project/{project}`);
    for (const [path, methods] of Object.entries<Record<string, unknown>>(doc.paths)) {
      // Object names (describe, create) are the same catalogue for every tenant; a create cannot name an Id.
      if (path.replaceAll('{object}', '').indexOf('{') === -1) continue;
      for (const method of Object.keys(methods)) {
        const key = `${method.toUpperCase()} ${path}`;
        if (sessionPaths.includes(key)) continue; // checked on its own below

        assert.ok(covered.has(key), `${key} is not in the isolation matrix`);
      }
    }
  });

  for (const route of routes()) {
    it(`${route.name}: A's id answers B exactly as an unknown id`, async () => {
      const stranger = unknownId();
      const withA = await answerOf(route, (w) => ids[w]);
      const unknown = await answerOf(route, () => stranger);
      assert.deepEqual(withA, unknown);
      assert.ok(withA.status >= 400 || /"errorCode":"9000[12]"/.test(withA.body), withA.body);
    });
  }

  it("A's jobs, files and records are untouched by B's attempts", async () => {
    assert.equal((await json(a, 'GET', `/v1/batch-query/jobs/${ids.submittedJob}`)).status, 'submitted');
    assert.equal((await json(a, 'GET', `/v1/batch-query/jobs/${ids.completedJob}`)).status, 'completed');
    const record = await json(a, 'GET', `/v1/object/Account/${ids.record}`);
    assert.equal(record.Name, aRecords.get(ids.record));
    assert.deepEqual(await rows(a, ids.file), [
      ['Account.Id', 'Account.Name'],
      [ids.record, 'Only In Alpha, changed'],
    ]);
  });

  it("the session route: B's (partner, project) is not A's, and answers as a session nobody has", async () => {
    for (const p of PREFIXES) {
      const same = await request(b, 'GET', `${p}/batch-query/jobs/partner/${PARTNER}/project/${PROJECT}`);
      const none = await request(
        b,
        'GET',
        `${p}/batch-query/jobs/partner/${unknownId()}/project/${unknownId()}`,
      );
      assert.deepEqual([same.statusCode, same.body], [none.statusCode, none.body]);
      assert.equal(same.json().errorCode, '90002');
    }
    const mine = await json(a, 'GET', `/v1/batch-query/jobs/partner/${PARTNER}/project/${PROJECT}`);
    assert.equal(mine.id, ids.completedJob);
  });

  it("B's first job of the same session is full and holds B's rows only; B's next is incremental from B's cursor", async () => {
    const firstB = await submit(b, { ...STATEFUL, queries: [QUERY] });
    await runAll();
    const done = await json(b, 'GET', `/v1/batch-query/jobs/${firstB.id}`);
    assert.equal(done.status, 'completed');
    assert.equal(done.batches[0].full, true);
    const names = (await rows(b, done.batches[0].fileId)).slice(1).map((r) => r[1]);
    assert.deepEqual(names, ['Shared One', 'Shared Two']);

    // A changes data and runs its session; B's next job sees only B's own change.
    await create(a, 'Alpha Later');
    await submit(a, { ...STATEFUL, queries: [QUERY] });
    const bNew = await create(b, 'Beta Later');
    const nextB = await submit(b, { ...STATEFUL, queries: [QUERY] });
    await runAll();
    const next = await json(b, 'GET', `/v1/batch-query/jobs/${nextB.id}`);
    assert.equal(next.batches[0].full, false);
    assert.deepEqual(await rows(b, next.batches[0].fileId), [
      ['Account.Id', 'Account.Name'],
      [bNew, 'Beta Later'],
    ]);
    const last = await json(b, 'GET', `/v1/batch-query/jobs/partner/${PARTNER}/project/${PROJECT}`);
    assert.equal(last.id, nextB.id);
  });

  it("B's job list, filtered by the shared session, names none of A's jobs", async () => {
    for (const p of PREFIXES) {
      const res = await request(b, 'GET', `${p}/batch-query/jobs?partner=${PARTNER}&project=${PROJECT}`);
      assert.equal(res.statusCode, 200);
      for (const id of [ids.completedJob, ids.submittedJob, ids.errorJob, ids.file]) {
        assert.ok(!res.body.includes(id), `B's job list names A's ${id}`);
      }
      assert.ok(res.json().jobs.length >= 2);
    }
  });

  it("an Idempotency-Key A used is B's own: the same key gives B a new job, a different body is no conflict", async () => {
    const again = await submit(b, { version: '1.0', queries: [QUERY] }, { 'idempotency-key': 'k-1' });
    assert.notEqual(again.id, ids.submittedJob);
    assert.ok(!JSON.stringify(again).includes(ids.record));
    const other = await request(
      b,
      'POST',
      '/v1/batch-query/',
      { version: '1.0', queries: [QUERY], name: 'x' },
      {
        'idempotency-key': 'k-1',
      },
    );
    // Same key with a different body within B is B's own conflict, not A's: B's first body was the same.
    assert.equal(other.statusCode, 400);
    const fresh = await submit(
      b,
      { version: '1.0', queries: [QUERY], name: 'y' },
      { 'idempotency-key': 'k-2' },
    );
    assert.equal(fresh.status, 'submitted');
  });

  it("a query can never name A's data: A's record Id finds nothing in B, in Export ZOQL and ZOQL", async () => {
    async function run(type: string, query: string): Promise<string[][]> {
      const job = await submit(b, { version: '1.0', useQueryLabels: true, queries: [{ type, query }] });
      await runAll();
      const done = await json(b, 'GET', `/v1/batch-query/jobs/${job.id}`);
      assert.equal(done.status, 'completed', query);
      return rows(b, done.batches[0].fileId);
    }
    for (const [type, query] of [
      ['zoqlexport', `select Id, Name from Account where Id = '${ids.record}'`],
      ['zoql', `select Id, Name from Account where Id = '${ids.record}'`],
      ['zoqlexport', `select Id, Name from Account where Name like 'Only In%'`],
      ['zoqlexport', `select Id from Account where Id = '${ids.record}' or Name = 'Only In Alpha, changed'`],
    ] as const) {
      assert.deepEqual((await run(type, query)).length, 1, query);
    }
    const all = (await run('zoqlexport', 'select Name from Account')).slice(1).flat();
    assert.ok(!all.some((n) => n.includes('Alpha')), all.join());
    const [, [count] = []] = await run('zoqlexport', 'select count(Id) from Account');
    assert.equal(count, String(all.length));
  });
});
