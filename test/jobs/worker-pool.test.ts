import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { openMetaDb } from '../../src/store/meta/open.ts';
import { batchesOf, filesOnDisk, type ServiceFixture, serviceFixture } from './service-fixture.ts';

describe('worker threads run jobs off the main thread: FIFO per session, sessions side by side', () => {
  let fx: ServiceFixture;
  beforeEach(() => {
    fx = serviceFixture({ workers: 2 });
    fx.store.bulkInsert(
      'Account',
      ['Name'],
      Array.from({ length: 2000 }, (_, i) => [`account ${i}`]),
    );
  });
  afterEach(() => fx.close());

  async function settled(ids: string[]): Promise<void> {
    const done = new Set(['completed', 'aborted', 'cancelled']);
    while (!ids.every((id) => done.has(fx.jobs.get(fx.tenant, id)?.status as string))) {
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it('completes every job; jobs of one session never overlap and run in the order received', async () => {
    fx.jobs.start();
    const submit = (project?: string) =>
      fx.jobs.submit(fx.tenant, {
        ...(project ? { version: '1.1', partner: 'p', project } : {}),
        format: 'gzip',
        queries: [{ query: 'select Name from Account' }],
      }).id as string;
    const ids = [submit('A'), submit('B'), submit('A'), submit(), submit('B'), submit('A'), submit()];
    await settled(ids);
    // The first job of a session and stateless jobs export everything; later session jobs only changes.
    const expected = [2000, 2000, 0, 2000, 0, 0, 2000];
    assert.deepEqual(
      ids.map((id) => {
        const job = fx.jobs.get(fx.tenant, id)!;
        return [job.status, batchesOf(job)[0]!.recordCount];
      }),
      expected.map((n) => ['completed', n]),
    );
    const meta = openMetaDb(fx.location);
    try {
      for (const project of ['A', 'B']) {
        const runs = meta
          .prepare('SELECT started_at, finished_at FROM jobs WHERE project = ? ORDER BY ord')
          .all(project) as { started_at: number; finished_at: number }[];
        for (let i = 1; i < runs.length; i++) assert.ok(runs[i]!.started_at >= runs[i - 1]!.finished_at);
      }
    } finally {
      meta.close();
    }
  });

  it('cancels a job running on a worker', async () => {
    fx.store.bulkInsert(
      'Account',
      ['Name', 'AccountNumber'],
      Array.from({ length: 100_000 }, (_, i) => [`bulk ${i}`, `N-${i}`]),
    );
    fx.jobs.start();
    const { id } = fx.jobs.submit(fx.tenant, {
      queries: [
        { name: 'big', query: 'select Id, Name, AccountNumber from Account' },
        { name: 'next', query: 'select Id from Account' },
      ],
    });
    while (batchesOf(fx.jobs.get(fx.tenant, id as string))[0]!.status !== 'executing') {
      await new Promise((r) => setTimeout(r, 1));
    }
    assert.equal(fx.jobs.cancel(fx.tenant, id as string).status, 'cancelled');
    // stop() waits for the worker's run to end.
    await fx.jobs.stop();
    assert.deepEqual(filesOnDisk(fx), []);
    const meta = openMetaDb(fx.location);
    try {
      assert.equal(
        meta
          .prepare('SELECT status FROM jobs WHERE id = ?')
          .pluck()
          .get(id as string),
        'cancelled',
      );
      assert.deepEqual(
        meta
          .prepare('SELECT status, message FROM batches WHERE job_id = ? ORDER BY position')
          .all(id as string),
        [
          { status: 'aborted', message: 'The query execution has been aborted.' },
          { status: 'pending', message: null },
        ],
      );
    } finally {
      meta.close();
    }
  });
});
