import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { call } from '../api/server.ts';
import {
  batchCsv,
  crud,
  getJob,
  type Json,
  runJob,
  type StatefulServer,
  startServer,
  submit,
  waitJob,
} from './harness.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** 2024-03-01T12:00:00Z, 04:00 in America/Los_Angeles (PST). */
const T0 = Date.UTC(2024, 2, 1, 12);
const SESSION = { version: '1.1', partner: 'p', project: 'x', useQueryLabels: true };
const ACCOUNTS = 'select Id, Name from Account';
const DELETED = { column: 'Deleted', format: 'Boolean' } as const;

function q(name: string, query = ACCOUNTS, deleted?: { column: string; format: string }): Json {
  return { name, query, ...(deleted ? { deleted } : {}) };
}

/** Every batch of a job JSON carries `full` as a boolean. */
function fullOf(job: Json): boolean[] {
  for (const b of job.batches) assert.equal(typeof b.full, 'boolean', JSON.stringify(b));
  return job.batches.map((b: Json) => b.full);
}

describe('full or incremental, per query by name (injected clock)', () => {
  let s: StatefulServer;
  const clock = new FixedClock(T0);
  let ids: string[];
  beforeEach(async () => {
    clock.set(T0);
    s = await startServer({ jobClock: clock, dataClock: clock });
    ids = [await crud.create(s, 'Acme'), await crud.create(s, 'Globex')];
  });
  afterEach(() => s.close());

  /** The Names a batch returned, sorted (the Id is the first column, the deleted flag before it). */
  async function names(job: Json, i = 0): Promise<string[]> {
    return (await batchCsv(s, job.batches[i])).rows.map((r) => r.at(-1)!).sort();
  }
  async function run(queries: Json[], extra: Json = {}): Promise<Json> {
    const submitted = await submit(s, { ...SESSION, queries, ...extra });
    fullOf(submitted);
    const job = await waitJob(s, submitted.id);
    assert.equal(job.status, 'completed');
    return job;
  }

  it('runs the first job full and the next ones incrementally, `full` on every batch of every answer', async () => {
    // Two jobs queued at once: the first runs full; the second, planned when it starts, after it.
    const queued = await submit(s, { ...SESSION, queries: [q('a')] });
    assert.deepEqual(fullOf(queued), [true]);
    const behind = await runJob(s, { ...SESSION, queries: [q('a')] });
    assert.deepEqual(fullOf(await getJob(s, queued.id)), [true]);
    assert.deepEqual(await names(await getJob(s, queued.id)), ['Acme', 'Globex']);
    assert.deepEqual(fullOf(behind), [false]);
    assert.deepEqual(await names(behind), []);
    await crud.update(s, ids[1]!, 'Globex 2');
    const next = await runJob(s, { ...SESSION, queries: [q('a')] });
    assert.deepEqual(fullOf(next), [false]);
    assert.deepEqual(await names(next), ['Globex 2']);
    const quiet = await runJob(s, { ...SESSION, queries: [q('a')] });
    assert.deepEqual(fullOf(quiet), [false]);
    assert.deepEqual(await names(quiet), []);
  });

  it('runs full again on changed text, deleted added/dropped/renamed/reformatted, or a new name', async () => {
    await run([
      q('same'),
      q('text'),
      q('added'),
      q('dropped', ACCOUNTS, DELETED),
      q('column', ACCOUNTS, DELETED),
      q('format', ACCOUNTS, DELETED),
    ]);
    await crud.update(s, ids[0]!, 'Acme 2');
    const job = await run([
      q('same'),
      q('text', 'select Id, Name from Account where Name != null'),
      q('added', ACCOUNTS, DELETED),
      q('dropped'),
      q('column', ACCOUNTS, { column: 'IsDeleted', format: 'Boolean' }),
      q('format', ACCOUNTS, { column: 'Deleted', format: 'Numeric' }),
      q('new'),
    ]);
    assert.deepEqual(fullOf(job), [false, true, true, true, true, true, true]);
    assert.deepEqual(await names(job, 0), ['Acme 2']);
    for (let i = 1; i < 7; i++) assert.deepEqual(await names(job, i), ['Acme 2', 'Globex']);
    const header = (await batchCsv(s, job.batches[4])).header;
    assert.deepEqual(header, ['Account.IsDeleted', 'Account.Id', 'Account.Name']);
    // Each changed query is now known as it was last run: the next job is incremental for all of them.
    const again = await run(job.batches.map((b: Json) => q(b.name, b.query, b.deleted)));
    assert.deepEqual(fullOf(again), [false, false, false, false, false, false, false]);
  });

  it('starts over with full loads once the last completed job is more than 180 days old', async () => {
    await run([q('a')]);
    clock.advance(180 * DAY);
    await crud.update(s, ids[0]!, 'Acme 2');
    const at180 = await run([q('a')]);
    assert.deepEqual(fullOf(at180), [false]);
    assert.deepEqual(await names(at180), ['Acme 2']);
    clock.advance(180 * DAY + 1);
    const idle = await run([q('a')]);
    assert.deepEqual(fullOf(idle), [true]);
    assert.deepEqual(await names(idle), ['Acme 2', 'Globex']);
  });

  it('runs a query with a deleted section full once the session is idle past the 30-day purge of deleted rows', async () => {
    await run([q('d', ACCOUNTS, DELETED), q('plain')]);
    clock.advance(30 * DAY);
    await crud.update(s, ids[0]!, 'Acme 2');
    const at30 = await run([q('d', ACCOUNTS, DELETED), q('plain')]);
    assert.deepEqual(fullOf(at30), [false, false]);
    clock.advance(30 * DAY + 1);
    const idle = await run([q('d', ACCOUNTS, DELETED), q('plain')]);
    // Deletions older than 30 days may be gone: only the query that reports deletions starts over.
    assert.deepEqual(fullOf(idle), [true, false]);
    assert.deepEqual(await names(idle, 0), ['Acme 2', 'Globex']);
  });

  it('leaves the cursor where it was after an incrementalTime window cut short by offset, losing nothing', async () => {
    await run([q('a')]);
    clock.set(T0 + 90 * 60_000);
    await crud.update(s, ids[0]!, 'Acme 2');
    clock.set(T0 + 2 * HOUR);
    // The window runs from 04:30 (T0 + 30 min) to an hour before the snapshot (T0 + 1 h): the Acme
    // change at T0 + 90 min is left out of this job...
    const cut = await run([q('a')], { incrementalTime: '2024-03-01 04:30:00', offset: 3600 });
    assert.deepEqual(await names(cut), []);
    // ...and the next job still carries it, because the cursor did not move past it.
    const next = await run([q('a')]);
    assert.deepEqual(fullOf(next), [false]);
    assert.deepEqual(await names(next), ['Acme 2']);
  });

  it('incrementalTime (tenant zone, echoed in epoch ms) starts the window: rows changed at or after it', async () => {
    clock.set(T0 + HOUR);
    await crud.update(s, ids[1]!, 'Globex 2');
    clock.set(T0 + 2 * HOUR);
    // 05:00 in Los Angeles is T0 + 1 h: the Globex change is exactly at the window start.
    const job = await run([q('a')], { incrementalTime: '2024-03-01 05:00:00' });
    assert.equal(job.incrementalTime, T0 + HOUR);
    assert.deepEqual(fullOf(job), [false]);
    assert.deepEqual(await names(job), ['Globex 2']);
    const later = await run([q('a')], { incrementalTime: '2024-03-01 05:00:01' });
    assert.deepEqual(await names(later), []);
  });

  it('answers 90015 for an incrementalTime that is not a valid tenant-zone time', async () => {
    for (const bad of [
      '2024-02-30 00:00:00',
      '2024-03-01',
      'yesterday',
      '2024-03-01 24:00:00',
      1709294400000,
    ]) {
      const res = await submit(s, { ...SESSION, incrementalTime: bad, queries: [q('a')] });
      assert.equal(res.status, 'error', String(bad));
      assert.equal(res.errorCode, '90015');
      assert.equal(res.message, 'The incremental timestamp is invalid.');
    }
  });

  it('accepts offset 0 to 3600, echoed; anything else is a malformed request (HTTP 400)', async () => {
    for (const offset of [0, 1, 3600]) {
      assert.equal((await submit(s, { ...SESSION, offset, queries: [q('a')] })).offset, offset);
    }
    for (const offset of [-1, 3601, 1.5]) {
      const res = await call(`${s.url}/v1/batch-query/`, {
        method: 'POST',
        headers: s.headers,
        body: { ...SESSION, offset, queries: [q('a')] },
      });
      assert.equal(res.status, 400, String(offset));
      assert.equal(res.body.code, 50000090);
    }
  });

  it('offset narrows only an incrementalTime window; a session window needs none and ignores it', async () => {
    // Windows after a session cursor are exact change-sequence ranges, so openaqua needs no safety
    // margin there: offset only takes seconds off the end of a window given by incrementalTime.
    await run([q('a')]);
    clock.set(T0 + HOUR);
    await crud.update(s, ids[0]!, 'Acme 2');
    clock.set(T0 + HOUR + 30 * 60_000);
    await crud.update(s, ids[1]!, 'Globex 2');
    clock.set(T0 + 2 * HOUR);
    const sessionWindow = await run([q('a')], { offset: 3600 });
    assert.equal(sessionWindow.offset, 3600);
    assert.deepEqual(await names(sessionWindow), ['Acme 2', 'Globex 2']);
    // The job starts at T0 + 2 h; offset 2400 s ends the window at T0 + 1 h 20 min: Globex's change
    // (T0 + 1 h 30 min) is after it.
    const narrowed = await run([q('a')], { incrementalTime: '2024-03-01 04:30:00', offset: 2400 });
    assert.deepEqual(await names(narrowed), ['Acme 2']);
    const whole = await run([q('a')], { incrementalTime: '2024-03-01 04:30:00', offset: 0 });
    assert.deepEqual(await names(whole), ['Acme 2', 'Globex 2']);
  });
});

describe('incrementalTime is read in the tenant zone', () => {
  it('a Tokyo tenant’s 2024-03-01 21:00:00 is T0', async () => {
    const s = await startServer({ timeZone: 'Asia/Tokyo' });
    try {
      const job = await submit(s, { ...SESSION, incrementalTime: '2024-03-01 21:00:00', queries: [q('a')] });
      assert.equal(job.incrementalTime, T0);
    } finally {
      await s.close();
    }
  });
});

describe('a shorter deleted-record retention (--deleted-retention-days 7)', () => {
  const clock = new FixedClock(T0);
  let s: StatefulServer;
  beforeEach(async () => {
    clock.set(T0);
    s = await startServer({ jobClock: clock, dataClock: clock, deletedRetentionDays: 7 });
    await crud.create(s, 'Acme');
  });
  afterEach(() => s.close());

  it('runs a query with a deleted section full once the session is idle past that retention, not 30 days', async () => {
    const run = async (): Promise<Json> => {
      const job = await waitJob(
        s,
        (await submit(s, { ...SESSION, queries: [q('d', ACCOUNTS, DELETED), q('plain')] })).id,
      );
      assert.equal(job.status, 'completed');
      return job;
    };
    await run();
    clock.advance(7 * DAY);
    assert.deepEqual(fullOf(await run()), [false, false]);
    clock.advance(7 * DAY + 1);
    // The sweeper may have purged deletions older than 7 days: an increment could miss them.
    assert.deepEqual(fullOf(await run()), [true, false]);
  });
});
