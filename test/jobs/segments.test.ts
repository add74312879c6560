import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { batchesOf, type Json, type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('segments: a stateful full load of a plain query is split into files with a header each', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture({ segmentRows: 2 });
    fx.store.bulkInsert(
      'Account',
      ['Name'],
      ['a', 'b', 'c', 'd', 'e'].map((n) => [n]),
    );
  });
  afterEach(() => fx.close());

  const session = { version: '1.1', partner: 'p', project: 'x', useQueryLabels: true };

  async function run(body: Json, segments = true): Promise<Json> {
    const tenant = { ...fx.tenant, segments };
    const { id } = fx.jobs.submit(tenant, body);
    await fx.jobs.runOnce();
    return batchesOf(fx.jobs.get(tenant, id as string))[0]!;
  }

  it('lists segments instead of fileId, each file at most segmentRows rows after the header', async () => {
    const b = await run({ ...session, queries: [{ query: 'select Name from Account order by Name' }] });
    assert.equal(b.fileId, undefined);
    assert.equal(b.recordCount, 5);
    const parts = await Promise.all((b.segments as string[]).map((id) => fx.download(id)));
    assert.deepEqual(parts, ['Account.Name\na\nb\n', 'Account.Name\nc\nd\n', 'Account.Name\ne\n']);
  });

  it('an incremental load, a query with an alias or a function, a stateless job, or the setting off: one fileId', async () => {
    await run({ ...session, queries: [{ query: 'select Name from Account order by Name' }] });
    const incremental = await run({ ...session, queries: [] });
    assert.equal(incremental.full, false);
    const alias = await run({
      ...session,
      project: 'y',
      queries: [{ query: 'select Name as "N" from Account order by Name' }],
    });
    const fn = await run({ ...session, project: 'z', queries: [{ query: 'select count(Id) from Account' }] });
    const stateless = await run({ queries: [{ query: 'select Name from Account' }] });
    const off = await run(
      { ...session, project: 'w', queries: [{ query: 'select Name from Account' }] },
      false,
    );
    for (const b of [incremental, alias, fn, stateless, off]) {
      assert.equal(b.segments, undefined);
      assert.match(b.fileId as string, /^[0-9a-f]{32}$/);
    }
    assert.equal(await fx.download(alias.fileId as string), 'N\na\nb\nc\nd\ne\n');
  });
});
