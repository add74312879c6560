import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuery, type TenantDataStore } from '../../src/store/index.ts';
import { analyze } from '../../src/zoql/index.ts';
import { tempStore } from './temp-store.ts';

const ID = 'a'.repeat(32);

/** The incremental window after `cursor`, with the deleted flag first. */
function increment(store: TenantDataStore, query: string, cursor: number): unknown[][] {
  const compiled = compileQuery(
    analyze(query, 'zoqlexport'),
    {
      now: Date.now(),
      timeZone: 'UTC',
      deleted: true,
      window: { afterSeq: cursor },
      includeDeleted: 'window',
    },
    store.dialect,
  );
  return store.snapshot((s) => [...s.rows(compiled)]);
}

describe('a record re-created under the Id of a deleted one', () => {
  it('is reported deleted when deleted again inside one incremental window', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Id: ID, Name: 'first' });
      const cursor = store.snapshot((s) => s.seq);
      // Inside the next window: delete, re-create under the same Id, delete again.
      store.delete('Account', ID);
      store.load('Account', [{ Id: ID, Name: 'second' }]);
      store.delete('Account', ID);
      // The reader had the first record: it must learn that the Id is gone.
      assert.deepEqual(increment(store, 'select Id, Name from Account', cursor), [[1, ID, 'second']]);
    } finally {
      done();
    }
  });

  it('that the reader never saw stays out of the window when deleted again', () => {
    const { store, done } = tempStore();
    try {
      store.create('Account', { Name: 'unrelated' });
      const cursor = store.snapshot((s) => s.seq);
      store.create('Account', { Id: ID, Name: 'first' });
      store.delete('Account', ID);
      store.load('Account', [{ Id: ID, Name: 'second' }]);
      store.delete('Account', ID);
      assert.deepEqual(increment(store, 'select Id from Account', cursor), []);
    } finally {
      done();
    }
  });
});
