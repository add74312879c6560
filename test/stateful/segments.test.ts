import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type Csv,
  crud,
  download,
  type Json,
  parseCsv,
  runJob,
  type StatefulServer,
  startServer,
} from './harness.ts';

const SEGMENT_ROWS = 3;
const NAMES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('segments: with the tenant setting on, a stateful full load of a plain query is split into files', () => {
  let s: StatefulServer;
  const ids: string[] = [];
  before(async () => {
    s = await startServer({ segmentRows: SEGMENT_ROWS });
    // What `openaqua tenant set acme --segments on` does.
    s.tenants.updateTenant('acme', { segments: true });
    for (const n of NAMES) ids.push(await crud.create(s, n));
  });
  after(() => s.close());

  const session = (project: string, query: string, extra: Json = {}): Json => ({
    version: '1.1',
    partner: 'p',
    project,
    useQueryLabels: true,
    queries: [{ name: 'q', query, ...extra }],
  });

  it(`lists segments of at most ${SEGMENT_ROWS} rows, each with the header, instead of fileId`, async () => {
    const job = await runJob(
      s,
      session('plain', 'select Id, Name from Account order by Name', {
        deleted: { column: 'Deleted', format: 'Boolean' },
      }),
    );
    const b = job.batches[0];
    assert.equal(b.full, true);
    assert.equal('fileId' in b, false);
    assert.equal(b.recordCount, NAMES.length);
    assert.equal(b.segments.length, 3);
    const parts: Csv[] = await Promise.all(
      b.segments.map(async (id: string) => parseCsv(await download(s, id))),
    );
    for (const p of parts) assert.deepEqual(p.header, ['Account.Deleted', 'Account.Id', 'Account.Name']);
    assert.deepEqual(
      parts.map((p) => p.rows.length),
      [3, 3, 1],
    );
    assert.deepEqual(
      parts.flatMap((p) => p.rows.map((r) => r.join(','))),
      NAMES.map((n, i) => `false,${ids[i]},${n}`),
    );
  });

  it('an incremental load of the same session uses one fileId, however many rows changed', async () => {
    for (const [i, id] of ids.entries()) await crud.update(s, id, `${NAMES[i]}2`);
    const job = await runJob(
      s,
      session('plain', 'select Id, Name from Account order by Name', {
        deleted: { column: 'Deleted', format: 'Boolean' },
      }),
    );
    const b = job.batches[0];
    assert.equal(b.full, false);
    assert.equal('segments' in b, false);
    assert.equal(b.recordCount, NAMES.length);
    assert.equal(parseCsv(await download(s, b.fileId)).rows.length, NAMES.length);
  });

  for (const [label, query] of [
    ['an alias', 'select Id, Name as "AccountName" from Account'],
    ['a function', 'select Id, year(CreatedDate) from Account'],
    ['an aggregate', 'select count(Id) from Account'],
  ] as const) {
    it(`a full load of a query with ${label} uses one fileId`, async () => {
      const b = (await runJob(s, session(`fn-${label}`, query))).batches[0];
      assert.equal(b.full, true);
      assert.equal('segments' in b, false);
      assert.match(b.fileId, /^[0-9a-f]{32}$/);
    });
  }

  it('a stateless job, and any job once the setting is off, use one fileId', async () => {
    const stateless = (await runJob(s, { queries: [{ query: 'select Id, Name from Account' }] })).batches[0];
    assert.equal('segments' in stateless, false);
    assert.equal(parseCsv(await download(s, stateless.fileId)).rows.length, NAMES.length);
    s.tenants.updateTenant('acme', { segments: false });
    const off = (await runJob(s, session('off', 'select Id, Name from Account'))).batches[0];
    assert.equal(off.full, true);
    assert.equal('segments' in off, false);
    assert.equal(parseCsv(await download(s, off.fileId)).rows.length, NAMES.length);
  });
});
