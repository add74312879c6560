/**
 * Crash safety of a real `openaqua serve` process: SIGKILLed at random points while it exports (csv,
 * gzip and zip, stateless and stateful), then restarted on the same data directory with a one-second
 * lease. Every job ends completed (run again once the dead process's lease expired) or aborted with a
 * message; every file downloads whole and verifies (`gzip -t`, `unzip -t`, CSV with recordCount rows);
 * replaying a stateful session's files rebuilds the table exactly, and a job that did not complete leaves
 * its window to the next; after the sweeper, no temporary or unlisted file is left.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { basicHeader, type Json } from '../api/server.ts';
import { listening, openaqua, spawnServe } from '../cli/run.ts';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 20);
const SEED = Number(process.env.CRASH_SEED ?? 7);
const INVOICE_ITEMS = 20_000;
const FORMATS = ['csv', 'gzip', 'zip'] as const;
type Format = (typeof FORMATS)[number];

const BULK_QUERY =
  'select Id, ChargeAmount, ChargeDate, Quantity, UnitPrice, Invoice.InvoiceNumber, Account.AccountNumber, ' +
  'Account.Name, BillToContact.FirstName from InvoiceItem';
const BULK_HEADER = [
  'InvoiceItem.Id',
  'InvoiceItem.ChargeAmount',
  'InvoiceItem.ChargeDate',
  'InvoiceItem.Quantity',
  'InvoiceItem.UnitPrice',
  'Invoice.InvoiceNumber',
  'Account.AccountNumber',
  'Account.Name',
  'BillToContact.FirstName',
];
const SESSION = { partner: 'crashtest', project: 'Account_1' };
const SESSION_QUERY = {
  name: 'accounts',
  type: 'zoqlexport',
  query: 'select Id, Name from Account',
  deleted: { column: 'Deleted', format: 'Boolean' },
};
const SESSION_HEADER = ['Account.Deleted', 'Account.Id', 'Account.Name'];

/** mulberry32: a small seeded PRNG, so a failing round can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  url: string;
}

async function serve(dir: string): Promise<Server> {
  const child = spawnServe(dir, { logLevel: 'silent', extra: ['--lease-seconds', '1'] });
  return { child, url: (await listening(child)).url };
}

/** Temporary result files under a data directory (`.tmp-<job>-<attempt>-<random>`). */
function temporaryFiles(dir: string): string[] {
  const files = join(dir, 'files');
  if (!existsSync(files)) return [];
  return readdirSync(files, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith('.tmp-'))
    .map((e) => e.name);
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

describe('SIGKILL during exports, then restart', () => {
  let dir: string;
  let auth: string;
  let server: Server | undefined;
  let kills = 0;
  /** Kills that left a partly written result file behind (the export was running). */
  let midExport = 0;
  const started = Date.now();

  const api = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${server!.url}${path}`, {
      method,
      headers: { authorization: auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    assert.equal(res.status, 200, `${method} ${path}`);
    return res.json();
  };

  /** Downloads a file and checks it whole: the format's own test, then the CSV inside. */
  async function verifiedRows(fileId: string, format: Format, queryName: string): Promise<string[][]> {
    const res = await fetch(`${server!.url}/v1/file/${fileId}`, { headers: { authorization: auth } });
    assert.equal(res.status, 200, `file ${fileId}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const path = join(dir, '..', `check-${fileId}`);
    writeFileSync(path, bytes);
    let csv: string;
    try {
      if (format === 'gzip') {
        execFileSync('gzip', ['-t', path]);
        csv = gunzipSync(bytes).toString('utf8');
      } else if (format === 'zip') {
        execFileSync('unzip', ['-tq', path]);
        assert.equal(execFileSync('unzip', ['-Z1', path], { encoding: 'utf8' }), `${queryName}.csv\n`);
        csv = execFileSync('unzip', ['-p', path], { encoding: 'utf8', maxBuffer: 256 << 20 });
      } else {
        csv = bytes.toString('utf8');
      }
    } finally {
      rmSync(path, { force: true });
    }
    assert.ok(csv.endsWith('\n'), 'the CSV ends with a whole line');
    const rows = parse(csv) as string[][];
    for (const r of rows) assert.equal(r.length, rows[0]!.length);
    return rows;
  }

  before(async () => {
    const root = mkdtempSync(join(tmpdir(), 'openaqua-crash-'));
    dir = join(root, 'data');
    const created = await openaqua(['tenant', 'create', 'crash', '--json', '--data', dir]);
    assert.equal(created.code, 0, created.stderr);
    const creds = JSON.parse(created.stdout) as { username: string; password: string };
    auth = basicHeader(creds.username, creds.password);
    const seeded = await openaqua(['seed', 'crash', '--invoice-items', String(INVOICE_ITEMS), '--data', dir]);
    assert.equal(seeded.code, 0, seeded.stderr);
    server = await serve(dir);
  });

  after(async () => {
    if (server) await ended(server.child, 'SIGKILL');
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it(`${ROUNDS} rounds of submit, SIGKILL at a random moment, restart and verify`, {
    timeout: 600_000,
  }, async () => {
    /** The Account table as the test made it: Id -> Name. */
    const table = new Map<string, string>();
    /** The table rebuilt from the session's completed jobs' files. */
    const replica = new Map<string, string>();
    /** Accounts changed since the session's last completed job. */
    const changed = new Set<string>();
    /** Accounts this test created (the only ones it deletes). */
    const mine: string[] = [];
    let sessionStarted = false;
    let lastCompleted: string | undefined;
    const published: { fileId: string; format: Format; name: string; rows: number }[] = [];
    let aborted = 0;

    // The starting table, read by one stateless export.
    const first = await api('POST', '/v1/batch-query/', {
      version: '1.0',
      useQueryLabels: true,
      queries: [{ name: 'start', query: 'select Id, Name from Account' }],
    });
    let job: Json;
    do {
      await sleep(50);
      job = await api('GET', `/v1/batch-query/jobs/${first.id}`);
    } while (job.status !== 'completed');
    for (const [id, name] of (await verifiedRows(job.batches[0].fileId, 'csv', 'start')).slice(1)) {
      table.set(id!, name!);
    }

    for (let round = 0; round < ROUNDS; round++) {
      const roundSeed = SEED * 1000 + round;
      const random = prng(roundSeed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

      // Changes for the session to pick up: a create, an update, sometimes a delete of an earlier create.
      const created = await api('POST', '/v1/object/Account', {
        Name: `crash ${round}`,
        Status: 'Active',
        Currency: 'USD',
        BillCycleDay: 1,
        PaymentTerm: 'Net 30',
      });
      table.set(created.Id, `crash ${round}`);
      changed.add(created.Id);
      mine.push(created.Id);
      const someone = pick([...table.keys()]);
      await api('PUT', `/v1/object/Account/${someone}`, { Name: `renamed in round ${round}` });
      table.set(someone, `renamed in round ${round}`);
      changed.add(someone);
      if (mine.length > 2 && random() < 0.5) {
        const gone = mine.splice(Math.floor(random() * (mine.length - 1)), 1)[0]!;
        await api('DELETE', `/v1/object/Account/${gone}`);
        table.delete(gone);
        changed.add(gone);
      }

      const bulkFormat = pick(FORMATS);
      const sessionFormat = pick(FORMATS);
      const submitBulk = () =>
        api('POST', '/v1/batch-query/', {
          format: bulkFormat,
          version: '1.0',
          useQueryLabels: true,
          queries: [{ name: 'items', type: 'zoqlexport', query: BULK_QUERY }],
        });
      const submitSession = () =>
        api('POST', '/v1/batch-query/', {
          format: sessionFormat,
          version: '1.1',
          useQueryLabels: true,
          ...SESSION,
          queries: [SESSION_QUERY],
        });
      let bulk: Json;
      let session: Json;
      if (random() < 0.5) {
        bulk = await submitBulk();
        session = await submitSession();
      } else {
        session = await submitSession();
        bulk = await submitBulk();
      }

      // SIGKILL at a random moment (before the claim, mid-export, while publishing...), sometimes again
      // while the restarted server runs the jobs over.
      const killsThisRound = random() < 0.3 ? 2 : 1;
      for (let k = 0; k < killsThisRound; k++) {
        // From the moment a job runs (a busy machine may take seconds to get there), a random delay.
        for (let i = 0; i < 300; i++) {
          const states = await Promise.all(
            [bulk.id, session.id].map((id) => api('GET', `/v1/batch-query/jobs/${id}`)),
          );
          if (states.some((j) => j.status === 'executing') || states.every((j) => j.status !== 'submitted'))
            break;
          await sleep(20);
        }
        await sleep(Math.floor(random() * 700));
        await ended(server!.child, 'SIGKILL');
        kills++;
        if (temporaryFiles(dir).length > 0) midExport++;
        server = await serve(dir);
      }

      // Wait for both jobs. Meanwhile the session's last completed job is the earlier one, or this one
      // once it has completed: the cursor never moves with an unfinished job.
      const deadline = Date.now() + 120_000;
      let b: Json;
      let st: Json;
      for (;;) {
        const last = await api(
          'GET',
          `/v1/batch-query/jobs/partner/${SESSION.partner}/project/${SESSION.project}`,
        );
        b = await api('GET', `/v1/batch-query/jobs/${bulk.id}`);
        st = await api('GET', `/v1/batch-query/jobs/${session.id}`);
        if (last.errorCode !== undefined)
          assert.equal(lastCompleted, undefined, 'a completed session job vanished');
        else if (last.id !== lastCompleted) {
          assert.equal(last.id, session.id, `round ${roundSeed}: last job ${last.id}`);
          assert.equal(st.status, 'completed', `round ${roundSeed}: cursor moved with a ${st.status} job`);
        }
        const finished = (j: Json) => j.status === 'completed' || j.status === 'aborted';
        if (finished(b) && finished(st)) break;
        assert.ok(Date.now() < deadline, `round ${roundSeed}: jobs still ${b.status} and ${st.status}`);
        await sleep(100);
      }

      for (const j of [b, st]) {
        if (j.status === 'aborted') {
          aborted++;
          const why = j.batches.map((x: Json) => x.message ?? '').join('');
          assert.notEqual(why, '', `round ${roundSeed}: aborted without a message`);
        }
      }
      if (b.status === 'completed') {
        const batch = b.batches[0];
        const rows = await verifiedRows(batch.fileId, bulkFormat, 'items');
        assert.deepEqual(rows[0], BULK_HEADER);
        assert.equal(rows.length - 1, batch.recordCount);
        assert.equal(batch.recordCount, INVOICE_ITEMS);
        published.push({ fileId: batch.fileId, format: bulkFormat, name: 'items', rows: batch.recordCount });
      }
      if (st.status === 'completed') {
        const batch = st.batches[0];
        const rows = await verifiedRows(batch.fileId, sessionFormat, 'accounts');
        assert.deepEqual(rows[0], SESSION_HEADER);
        assert.equal(rows.length - 1, batch.recordCount);
        published.push({
          fileId: batch.fileId,
          format: sessionFormat,
          name: 'accounts',
          rows: batch.recordCount,
        });
        const got = new Map(rows.slice(1).map(([deleted, id, name]) => [id!, { deleted, name }]));
        if (batch.full) {
          assert.equal(sessionStarted, false, `round ${roundSeed}: a full load after the session started`);
          replica.clear();
          for (const [id, r] of got) {
            assert.equal(r.deleted, 'false');
            replica.set(id, r.name!);
          }
        } else {
          assert.equal(sessionStarted, true);
          // Exactly the accounts changed since the last completed job: none lost, none twice, none extra.
          const expected = new Map<string, { deleted: string; name: string | undefined }>();
          for (const id of changed) {
            if (table.has(id)) expected.set(id, { deleted: 'false', name: table.get(id) });
            else if (replica.has(id)) expected.set(id, { deleted: 'true', name: got.get(id)?.name });
          }
          assert.deepEqual(got, expected, `round ${roundSeed}: incremental rows`);
          assert.equal(got.size, rows.length - 1, 'no account twice');
          for (const [id, r] of got) {
            if (r.deleted === 'true') replica.delete(id);
            else replica.set(id, r.name!);
          }
        }
        assert.deepEqual(
          replica,
          table,
          `round ${roundSeed}: replaying the session's files rebuilds the table`,
        );
        changed.clear();
        sessionStarted = true;
        lastCompleted = session.id;
      }
    }

    // A restart runs the sweeper: no temporary file, and no file that no job lists, is left.
    await ended(server!.child, 'SIGTERM');
    server = await serve(dir);
    const filesDir = join(dir, 'files');
    const onDisk = () =>
      readdirSync(filesDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const listed = new Set([...published.map((p) => p.fileId), job.batches[0].fileId as string]);
    const leftovers = () => onDisk().filter((e) => e.name.startsWith('.tmp-') || !listed.has(e.name));
    for (let i = 0; i < 200 && leftovers().length > 0; i++) await sleep(100);
    assert.deepEqual(
      leftovers().map((e) => e.name),
      [],
    );
    // Every published file is still there, whole.
    for (const p of published) {
      const rows = await verifiedRows(p.fileId, p.format, p.name);
      assert.equal(rows.length - 1, p.rows);
    }
    assert.ok(lastCompleted !== undefined, 'the session completed at least once');
    console.log(
      `crash test: ${ROUNDS} rounds (seeds ${SEED * 1000}..${SEED * 1000 + ROUNDS - 1}), ${kills} SIGKILLs ` +
        `(${midExport} while a result file was being written), ` +
        `${published.length} files verified, ${aborted} jobs aborted, ${onDisk().length} files on disk after the sweep, ` +
        `${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
  });
});
