import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { call } from '../api/server.ts';
import { type Json, metaReader, StrictClock, startServer, submit, waitJob } from './harness.ts';

const SESSIONS = 5;
const JOBS_PER_SESSION = 10;

const body = (session: number): Json => ({
  version: '1.1',
  partner: 'fifo',
  project: `s${session}`,
  queries: [{ name: 'accounts', query: 'select Id, Name from Account' }],
});

interface Row {
  id: string;
  ord: number;
  project: string;
  status: string;
  attempts: number;
  started_at: number;
  finished_at: number;
}

describe('per-session FIFO: a session’s jobs run one at a time in the order received; sessions run side by side', () => {
  it(`${SESSIONS} sessions × ${JOBS_PER_SESSION} jobs submitted at once`, async () => {
    // Every time the service reads its clock is a distinct instant, so start and finish times order
    // the claims and completions exactly (the clock is read on the service's one thread).
    const s = await startServer({ workers: 2, jobClock: new StrictClock() });
    const meta = metaReader(s);
    try {
      s.tenants.store(s.tenant.id).bulkInsert(
        'Account',
        ['Name'],
        Array.from({ length: 3000 }, (_, i) => [`a${i}`]),
      );
      const bodies = Array.from({ length: SESSIONS * JOBS_PER_SESSION }, (_, i) => body(i % SESSIONS));
      const submitted = await Promise.all(bodies.map((b) => submit(s, b)));
      for (const job of submitted) assert.equal(job.status, 'submitted');
      const ended: Json[] = [];
      for (const job of submitted) ended.push(await waitJob(s, job.id));
      assert.deepEqual(new Set(ended.map((j) => j.status)), new Set(['completed']));

      const rows = meta
        .prepare(
          `SELECT id, ord, project, status, attempts, started_at, finished_at FROM jobs
           WHERE id IN (${submitted.map(() => '?').join(',')}) ORDER BY ord`,
        )
        .all(...submitted.map((j) => j.id)) as unknown as Row[];
      assert.equal(rows.length, SESSIONS * JOBS_PER_SESSION);
      const fullById = new Map(ended.map((j) => [j.id, j.batches[0].full]));
      for (let n = 0; n < SESSIONS; n++) {
        const session = rows.filter((r) => r.project === `s${n}`);
        assert.equal(session.length, JOBS_PER_SESSION);
        // In the order received (ord), each job starts only after the one before it finished.
        for (let i = 1; i < session.length; i++) {
          assert.ok(
            session[i - 1]!.finished_at < session[i]!.started_at,
            `s${n}: job ${i} overlapped job ${i - 1}`,
          );
        }
        assert.deepEqual(
          session.map((r) => [r.attempts, fullById.get(r.id)]),
          session.map((_, i) => [1, i === 0]),
        );
      }
      const overlapping = rows.some((a) =>
        rows.some(
          (b) => a.project !== b.project && a.started_at < b.finished_at && b.started_at < a.finished_at,
        ),
      );
      assert.ok(overlapping, 'jobs of different sessions ran at the same time');
    } finally {
      meta.close();
      await s.close();
    }
  });
});

describe('at most 50 stateful and 50 stateless jobs submitted or executing per tenant', () => {
  it('refuses the 51st of each mode with 90028, and accepts one more once one has ended', async () => {
    const s = await startServer();
    try {
      const refused = async (b: Json) => {
        const res = await submit(s, b);
        assert.equal(res.status, 'error');
        assert.equal(res.errorCode, '90028');
        assert.equal(
          res.message,
          'The total number of concurrent jobs has exceeded the limit allowed by the system.',
        );
        assert.equal(res.id, undefined, 'nothing was recorded');
      };
      const stateful: Json[] = [];
      for (let i = 0; i < 50; i++) stateful.push(await submit(s, body(i % SESSIONS)));
      assert.deepEqual(new Set(stateful.map((j) => j.status)), new Set(['submitted']));
      await refused(body(0));
      await refused(body(99));
      const stateless = { queries: [{ query: 'select Id from Account' }] };
      for (let i = 0; i < 50; i++) assert.equal((await submit(s, stateless)).status, 'submitted');
      await refused(stateless);
      const cancel = await call(`${s.url}/v1/batch-query/jobs/${stateful[7].id}`, {
        method: 'DELETE',
        headers: s.headers,
      });
      assert.equal(cancel.body.status, 'cancelled');
      assert.equal((await submit(s, body(2))).status, 'submitted');
      await refused(body(3));
    } finally {
      await s.close();
    }
  });
});
