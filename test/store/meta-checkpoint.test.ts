import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { checkpointElsewhere } from '../../src/store/meta/checkpoint.ts';
import type { MetaDb } from '../../src/store/meta/jobs.ts';
import { metaSqlitePath, openMetaJobs } from '../../src/store/meta/open.ts';

/** Waits for `ok` (another thread's work); gives up after 10 s. */
async function until(ok: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !ok(); waited += 10) {
    if (waited > 10_000) assert.fail(`still not so after 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const autocheckpoint = (db: MetaDb) => db.prepare('PRAGMA wal_autocheckpoint').pluck().get();

describe('SQLite meta WAL checkpoints on a thread of their own', () => {
  let dir: string;
  let db: MetaDb;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-checkpoint-'));
    db = openMetaJobs({ kind: 'sqlite', dataDir: dir });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the connection stops checkpointing, the thread copies the WAL into the file, and stop gives it back', async () => {
    const errors: unknown[] = [];
    const checkpointer = checkpointElsewhere(db, metaSqlitePath(dir), (e) => errors.push(e), 20);
    assert.equal(autocheckpoint(db), 0);
    const before = statSync(metaSqlitePath(dir)).size;
    db.exec('CREATE TABLE filler (v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO filler (v) VALUES (?)');
    // About 4 MB in many commits: past the 1,000 pages at which the connection would checkpoint itself.
    for (let i = 0; i < 400; i++) db.transaction(() => insert.run('x'.repeat(10_000)));
    await until(() => statSync(metaSqlitePath(dir)).size >= before + 4_000_000, 'the rows reach the file');
    await checkpointer.stop();
    assert.equal(autocheckpoint(db), 1000);
    assert.deepEqual(errors, []);
    assert.equal(db.prepare('SELECT count(*) FROM filler').pluck().get(), 400);
  });

  it('when the thread cannot work, the error is told and the connection checkpoints itself again', async () => {
    const errors: unknown[] = [];
    const checkpointer = checkpointElsewhere(db, join(dir, 'missing', 'meta.sqlite'), (e) => errors.push(e));
    await until(
      () => errors.length > 0 && autocheckpoint(db) === 1000,
      'the connection took checkpoints back',
    );
    await checkpointer.stop();
  });
});
