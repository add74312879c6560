import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { Statement, SyncDb } from '../../src/store/db.ts';
import {
  batchCsv,
  crud,
  dataReader,
  type Json,
  metaReader,
  Replica,
  runJob,
  type StatefulServer,
  startServer,
  statelessLines,
} from './harness.ts';

const JOBS = 55;
const SEED_ACCOUNTS = 60;
/** Random writes at most (the forced writes before each job come on top). */
const MAX_RANDOM_OPS = 4000;
/** The writer stops its random writes after this long whatever the count. */
const MAX_WRITER_MILLIS = 60_000;

const QUERY = 'select Id, Name from Account order by UpdatedDate asc';
const JOB = {
  format: 'csv',
  version: '1.2',
  partner: 'sync',
  project: 'Account_1',
  useQueryLabels: 'true',
  dateTimeUtc: 'true',
  queries: [
    { name: 'Account', query: QUERY, type: 'zoqlexport', deleted: { column: 'Deleted', format: 'Boolean' } },
  ],
};

/** One committed write: its change sequence number, the record, and the Name it left. */
interface Op {
  seq: number;
  id: string;
  kind: 'create' | 'update' | 'delete';
  name: string;
  /** When the request returned (performance.now()). */
  at: number;
}

/** A small seeded generator, so a failing run can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The only writer of the tenant's data: creates, updates and deletes Accounts through the HTTP CRUD API,
 * one request at a time. Because nothing else writes, the change sequence number a write committed
 * under is the record's `_seq` read right after the request returned: that gives every write its exact
 * place on the change sequence, against which each job's window is checked.
 */
class Writer {
  readonly ops: Op[] = [];
  private readonly live: string[] = [];
  private readonly queue: { run: () => Promise<void>; done: () => void }[] = [];
  private readonly next = random(20240301);
  private stopped = false;
  private randomOps = 0;
  private names = 0;
  private readonly seqOf: Statement<unknown>;
  loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly s: StatefulServer,
    data: SyncDb,
  ) {
    this.seqOf = data.prepare('SELECT "_seq" FROM "Account" WHERE "Id" = ?').pluck();
  }

  private record(kind: Op['kind'], id: string, name: string): void {
    const seq = this.seqOf.get(id) as number;
    const last = this.ops.at(-1);
    assert.ok(!last || seq > last.seq, 'one writer: each write takes the next sequence number');
    this.ops.push({ seq, id, kind, name, at: performance.now() });
  }

  private newName(): string {
    return `n${++this.names}`;
  }

  async create(): Promise<string> {
    const name = this.newName();
    const id = await crud.create(this.s, name);
    this.record('create', id, name);
    return id;
  }

  async update(id: string): Promise<void> {
    const name = this.newName();
    await crud.update(this.s, id, name);
    this.record('update', id, name);
  }

  async remove(id: string): Promise<void> {
    await crud.remove(this.s, id);
    const prev = [...this.ops].reverse().find((o) => o.id === id)!;
    this.record('delete', id, prev.name);
  }

  async seed(n: number): Promise<void> {
    for (let i = 0; i < n; i++) this.live.push(await this.create());
  }

  private async randomOp(): Promise<void> {
    const r = this.next();
    if (this.live.length < 20 || r < 0.4) {
      this.live.push(await this.create());
    } else if (r < 0.75) {
      await this.update(this.live[Math.floor(this.next() * this.live.length)]!);
    } else {
      // Now and then the newest record, so that some records are created and deleted in one window.
      const i = r < 0.82 ? this.live.length - 1 : Math.floor(this.next() * this.live.length);
      await this.remove(this.live.splice(i, 1)[0]!);
    }
    this.randomOps++;
  }

  /** Runs `fn` between two writes of the loop, so that writes stay one at a time. */
  step(fn: (w: Writer) => Promise<void>): Promise<void> {
    return new Promise((done) => this.queue.push({ run: () => fn(this), done }));
  }

  /** A write the next window must show: a new record, a changed one, or a deleted one. */
  forced(k: number): Promise<void> {
    return this.step(async (w) => {
      if (k % 3 === 0) {
        // Created, changed and deleted inside one window: must not appear at all.
        const id = await w.create();
        await w.update(id);
        await w.remove(id);
      } else if (k % 3 === 1) {
        await w.remove(w.live.shift()!);
      } else {
        await w.update(w.live[0]!);
      }
    });
  }

  start(): void {
    const deadline = Date.now() + MAX_WRITER_MILLIS;
    this.loop = (async () => {
      while (!this.stopped) {
        const cmd = this.queue.shift();
        if (cmd) {
          await cmd.run();
          cmd.done();
        } else if (this.randomOps < MAX_RANDOM_OPS && Date.now() < deadline) {
          await this.randomOp();
        } else {
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    })();
  }

  /** Ends the random writes; forced writes are still served until `stop`. */
  stopRandom(): void {
    this.randomOps = MAX_RANDOM_OPS;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** The state a record was in just after change `seq`: absent, or live/deleted with its Name. */
  private stateAt(ops: readonly Op[], seq: number): { deleted: boolean; name: string } | undefined {
    let state: { deleted: boolean; name: string } | undefined;
    for (const o of ops) {
      if (o.seq > seq) break;
      state = { deleted: o.kind === 'delete', name: o.name };
    }
    return state;
  }

  private get byId(): Map<string, Op[]> {
    const m = new Map<string, Op[]>();
    for (const o of this.ops) {
      const list = m.get(o.id) ?? [];
      list.push(o);
      m.set(o.id, list);
    }
    return m;
  }

  /**
   * What a job must return for the window (after, upTo] of the change sequence, as CSV lines
   * `Deleted,Id,Name`: a full load (after = null) has every record live at `upTo`, flag false. An
   * increment has exactly the records written inside the window: live at its end (with their Name
   * then), or deleted in it when they existed before it (flag true); a record created and deleted inside
   * the window is not there, and no record written outside the window is.
   */
  expected(after: number | null, upTo: number): string[] {
    const lines: string[] = [];
    for (const [id, ops] of this.byId) {
      if (after !== null && !ops.some((o) => o.seq > after && o.seq <= upTo)) continue;
      const end = this.stateAt(ops, upTo);
      if (!end) continue;
      if (!end.deleted) lines.push(`false,${id},${end.name}`);
      else if (after !== null && this.stateAt(ops, after)?.deleted === false)
        lines.push(`true,${id},${end.name}`);
    }
    return lines.sort();
  }

  /** The live records now, as `Id,Name` lines. */
  liveLines(): string[] {
    const last = this.ops.at(-1)?.seq ?? 0;
    return this.expected(null, last).map((l) => l.slice('false,'.length));
  }
}

describe('no lost change, no phantom: a session syncs exactly while a writer keeps changing the table', () => {
  let s: StatefulServer;
  let meta: SyncDb;
  let data: SyncDb;
  before(async () => {
    s = await startServer({ workers: 2 });
    meta = metaReader(s);
    data = dataReader(s);
  });
  after(async () => {
    meta.close();
    data.close();
    await s.close();
  });

  it(`${JOBS} jobs back to back under concurrent CRUD writes: every window exact, the replica equals the table`, async (t) => {
    const writer = new Writer(s, data);
    await writer.seed(SEED_ACCOUNTS);
    writer.start();
    const replica = new Replica(1);
    const snapshotOf = meta.prepare('SELECT snapshot_seq FROM jobs WHERE id = ?').pluck();
    const planOf = meta.prepare('SELECT "full", after_seq FROM batches WHERE job_id = ?');
    let cursor: number | null = null;
    let rowsCompared = 0;
    let flagged = 0;
    const windowSizes: number[] = [];
    const running: [number, number][] = [];

    /** Runs one job, checks its rows against the writes of its window, applies it to the replica. */
    const syncOnce = async (k: number): Promise<void> => {
      const began = performance.now();
      const job: Json = await runJob(s, JOB);
      running.push([began, performance.now()]);
      const batch = job.batches[0];
      assert.equal(batch.full, k === 0, `job ${k}`);
      const snapshot = snapshotOf.get(job.id) as number;
      const plan = planOf.get(job.id) as { full: number; after_seq: number | null };
      // The windows chain: each starts exactly where the previous completed job's snapshot ended.
      assert.deepEqual(plan, { full: k === 0 ? 1 : 0, after_seq: cursor }, `job ${k}`);
      const csv = await batchCsv(s, batch);
      assert.deepEqual(csv.header, ['Account.Deleted', 'Account.Id', 'Account.Name']);
      const got = csv.rows.map((r) => r.join(',')).sort();
      assert.deepEqual(got, writer.expected(cursor, snapshot), `job ${k}: window (${cursor}, ${snapshot}]`);
      assert.equal(batch.recordCount, got.length);
      rowsCompared += got.length;
      flagged += csv.rows.filter((r) => r[0] === 'true').length;
      if (k > 0) windowSizes.push(writer.ops.filter((o) => o.seq > cursor! && o.seq <= snapshot).length);
      replica.apply(batch, csv);
      cursor = snapshot;
    };

    for (let k = 0; k < JOBS; k++) {
      // At least one write lands in every window; the writer's loop adds more, concurrently with the job.
      if (k > 0) await writer.forced(k);
      await syncOnce(k);
    }
    // One more job after the last write: the replica must now be the table itself.
    writer.stopRandom();
    await writer.forced(JOBS);
    await writer.stop();
    await syncOnce(JOBS);

    const truth = writer.liveLines();
    assert.deepEqual(replica.lines(), truth);
    assert.deepEqual(await statelessLines(s, 'select Id, Name from Account'), truth);
    rowsCompared += 2 * truth.length;

    assert.ok(flagged > 0, 'some increments carried deletions');
    assert.ok(windowSizes.every((n) => n > 0));
    const during = writer.ops.filter((o) => running.some(([a, b]) => o.at > a && o.at < b)).length;
    t.diagnostic(
      `jobs ${JOBS + 1}, writer operations ${writer.ops.length} (${during} returned while a job was submitted or running), writes per window ${Math.min(...windowSizes)}-${Math.max(...windowSizes)}, rows compared ${rowsCompared}, deletions flagged ${flagged}, final rows ${truth.length}`,
    );
  });
});
