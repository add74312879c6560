/**
 * One API process and three worker processes on one store: 200 stateful jobs over 20 sessions all
 * complete in per-session order with never two of a session running at once, and a worker killed with
 * SIGKILL in the middle of a large export loses its lease: the job runs again on another worker and its
 * file is whole.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { openaqua } from '../cli/run.ts';
import { testLocation } from '../support/location.ts';
import { type ServeProcess, startServe } from './processes.ts';

const SESSIONS = 20;
const JOBS_PER_SESSION = 10;
const QUEUED_PER_SESSION = 2;
const BIG_ROWS = 150_000;
const LEASE_SECONDS = '2';

const dir = mkdtempSync(join(tmpdir(), 'openaqua-scaleout-'));
const { location, drop } = testLocation(dir);
const storeArgs = ['--data', dir, ...(location.kind === 'postgres' ? ['--database-url', location.url] : [])];
const procs: ServeProcess[] = [];
after(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  drop();
  rmSync(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: job JSON is read field by field, as a client does
type Json = Record<string, any>;

async function cli(args: string[]): Promise<string> {
  const r = await openaqua([...args, ...storeArgs]);
  assert.equal(r.code, 0, `openaqua ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

test('1 API process and 3 workers: 200 jobs in 20 sessions keep order and exclusivity; a killed worker loses nothing', {
  timeout: 240_000,
}, async () => {
  const creds = JSON.parse(await cli(['tenant', 'create', 'acme', '--json'])) as Json;
  await cli(['seed', 'acme', '--invoice-items', String(BIG_ROWS)]);
  const auth = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;

  const common = [...storeArgs, '--lease-seconds', LEASE_SECONDS, '--log-level', 'info', '--rate-limit', '0'];
  const api = await startServe(['--role', 'api', ...common]);
  procs.push(api);
  const workers = await Promise.all(
    [1, 2, 3].map(() => startServe(['--role', 'worker', '--workers', '1', ...common])),
  );
  procs.push(...workers);

  const call = async (method: string, path: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: auth, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Json;
    assert.equal(res.status, 200, `${method} ${path}: ${JSON.stringify(json)}`);
    assert.equal(json.errorCode, undefined, `${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  const download = async (fileId: string): Promise<string> => {
    const res = await fetch(`${api.url}/v1/files/${fileId}`, { headers: { authorization: auth } });
    assert.equal(res.status, 200, `download ${fileId}`);
    return res.text();
  };

  // The large export goes first; whichever worker starts it is killed while it writes.
  const big = await call('POST', '/v1/batch-query/', {
    format: 'csv',
    version: '1.1',
    name: 'big',
    queries: [
      {
        name: 'items',
        query:
          'select InvoiceItem.Id, InvoiceItem.ChargeAmount, Invoice.InvoiceNumber, Account.Name, BillToContact.City from InvoiceItem',
        type: 'zoqlexport',
      },
    ],
  });
  const startedLine = (l: string) => l.includes(big.id) && l.includes('"job started"');
  const victim = await Promise.any(workers.map((w) => w.waitForLine(startedLine).then(() => w)));
  await new Promise((r) => setTimeout(r, 300));
  await victim.stop('SIGKILL');
  const survivors = workers.filter((w) => w !== victim);

  const finished = async (id: string): Promise<void> => {
    while (
      !['completed', 'aborted', 'cancelled', 'error'].includes(
        (await call('GET', `/v1/batch-query/jobs/${id}`)).status,
      )
    )
      await new Promise((r) => setTimeout(r, 100));
  };

  // 20 clients, one per session, each submitting its session's jobs in order and keeping two of them
  // queued (under the per-tenant limit of 50 unfinished stateful jobs).
  const submitted = new Map<string, string[]>();
  await Promise.all(
    Array.from({ length: SESSIONS }, async (_, s) => {
      const ids: string[] = [];
      for (let j = 0; j < JOBS_PER_SESSION; j++) {
        if (j >= QUEUED_PER_SESSION) await finished(ids[j - QUEUED_PER_SESSION]!);
        const job = await call('POST', '/v1/batch-query/', {
          format: 'csv',
          version: '1.1',
          name: `s${s}-j${j}`,
          partner: 'scaleout',
          project: `session-${s}`,
          queries: [{ name: 'accounts', query: 'select Id, Name from Account', type: 'zoqlexport' }],
        });
        ids.push(job.id as string);
      }
      submitted.set(`session-${s}`, ids);
    }),
  );

  // Every job ends; the listing carries the start and finish times.
  const allIds = [big.id as string, ...[...submitted.values()].flat()];
  const deadline = Date.now() + 180_000;
  let listed: Map<string, Json>;
  for (;;) {
    const { jobs } = await call('GET', '/v1/batch-query/jobs?limit=1000');
    listed = new Map((jobs as Json[]).map((j) => [j.id as string, j]));
    const open = allIds.filter(
      (id) => !['completed', 'aborted', 'cancelled', 'error'].includes(listed.get(id)?.status),
    );
    if (open.length === 0) break;
    assert.ok(Date.now() < deadline, `${open.length} jobs still open`);
    await new Promise((r) => setTimeout(r, 250));
  }
  for (const id of allIds) assert.equal(listed.get(id)!.status, 'completed', `job ${id}`);

  for (const [session, ids] of submitted) {
    const jobs = ids.map((id) => listed.get(id)!);
    for (let k = 1; k < jobs.length; k++) {
      const prev = jobs[k - 1]!;
      const cur = jobs[k]!;
      assert.ok(
        cur.startedAt >= prev.finishedAt,
        `${session}: job ${k} started at ${cur.startedAt}, before job ${k - 1} finished at ${prev.finishedAt}`,
      );
    }
    // The session's first job is a full load, the later ones increments of nothing new.
    const first = jobs[0]!.batches[0];
    assert.equal(first.full, true);
    for (const j of jobs.slice(1)) assert.equal(j.batches[0].full, false);
  }

  // The killed attempt left nothing; the re-run on a surviving worker wrote the whole file.
  const rerun = await Promise.any(survivors.map((w) => w.waitForLine(startedLine, 1000)));
  assert.match(rerun, /"attempt":2/);
  const batch = listed.get(big.id)!.batches[0] as Json;
  assert.equal(batch.recordCount, BIG_ROWS);
  const rows = parse(await download(batch.fileId as string)) as string[][];
  assert.equal(rows.length, BIG_ROWS + 1);
  assert.ok(rows.every((r) => r.length === 5));
  assert.equal(new Set(rows.slice(1).map((r) => r[0])).size, BIG_ROWS);
});
