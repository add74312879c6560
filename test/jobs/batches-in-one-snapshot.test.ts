import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { LocalFileStore } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';
import { runJob } from '../../src/jobs/runner.ts';
import { StoreCache } from '../../src/jobs/store-cache.ts';
import type { BatchOutput, RunTask } from '../../src/jobs/task.ts';
import { openTenantStore, type SqliteTenantStore } from '../../src/store/index.ts';
import { runTask, tempDir } from './helpers.ts';

describe('the batches of a job run in array order inside one snapshot', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteTenantStore;
  let stores: StoreCache;
  const tenantId = newId();
  beforeEach(() => {
    tmp = tempDir();
    store = openTenantStore(join(tmp.dir, 'data.sqlite'), { timeZone: 'UTC' });
    stores = new StoreCache();
    store.create('Account', { Name: 'first' });
  });
  afterEach(() => {
    stores.closeAll();
    store.close();
    tmp.cleanup();
  });

  const task = (queries: string[]): RunTask =>
    runTask({ tenantId, dataPath: join(tmp.dir, 'data.sqlite'), timeZone: 'UTC' }, queries);

  it('a write between two batches is not seen by the later batch', async () => {
    const files = new LocalFileStore(join(tmp.dir, 'files'));
    const order: string[] = [];
    const outputs: BatchOutput[] = [];
    const t = task(['select Name from Account', 'select Name from Account order by Name']);
    const result = await runJob(
      t,
      { files, stores },
      {
        batchStarted: (id) => order.push(`start ${id}`),
        batchFinished: (out) => {
          order.push(`done ${out.batchId}`);
          outputs.push(out);
          store.create('Account', { Name: 'second' });
        },
      },
      new AbortController().signal,
    );
    assert.equal(result.status, 'completed');
    const [b1, b2] = t.batches;
    assert.deepEqual(order, [`start ${b1!.id}`, `done ${b1!.id}`, `start ${b2!.id}`, `done ${b2!.id}`]);
    assert.deepEqual(
      outputs.map((o) => readFileSync(o.files[0]!.path, 'utf8')),
      ['Account.Name\nfirst\n', 'Account.Name\nfirst\n'],
    );
    assert.deepEqual(
      outputs.map((o) => o.recordCount),
      [1, 1],
    );
    // The snapshot saw exactly the change sequence before the writes.
    assert.equal(result.status === 'completed' && result.snapshotSeq, 1);
  });
});
