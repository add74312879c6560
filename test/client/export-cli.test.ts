import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { createAccount } from '../api/flows.ts';
import { call, startTestServer, type TestServer } from '../api/server.ts';
import { openaqua } from '../cli/run.ts';

const accounts = (name: string) => ({
  name,
  query: 'select Name from Account order by Name asc',
  type: 'zoqlexport',
});

describe('openaqua export (the client against a real server)', () => {
  let s: TestServer;
  let dir: string;
  let basicFlags: string[];
  const jobFile = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return path;
  };
  before(async () => {
    s = await startTestServer({ workers: 1 });
    dir = mkdtempSync(join(tmpdir(), 'openaqua-client-'));
    await createAccount(s, { authorization: s.a.basic }, 'Acme, Inc.');
    await createAccount(s, { authorization: s.a.basic }, 'Globex');
    basicFlags = ['--url', s.url, '--user', s.a.credentials.username, '--password', s.a.credentials.password];
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a CSV job, writes <batch name>.csv per batch, verifies them and prints a summary', async () => {
    const out = join(dir, 'csv');
    const job = jobFile('csv.json', {
      version: '1.0',
      format: 'csv',
      queries: [
        accounts('names'),
        { name: 'ids', query: 'select count(Id) from Account', type: 'zoqlexport' },
      ],
    });
    const r = await openaqua(['export', ...basicFlags, '--interval', '50', '--out', out, job]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['ids.csv', 'names.csv']);
    assert.equal(readFileSync(join(out, 'names.csv'), 'utf8'), 'Account: Name\n"Acme, Inc."\nGlobex\n');
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^job [0-9a-f]{32} completed$/);
    assert.match(lines[1]!, /^names {2}completed {2}2 rows {2}34 bytes {2} *\d+\.\d s {2}names\.csv$/);
    assert.match(lines[2]!, /^ids {4}completed {2}1 rows {2}\d+ bytes {2} *\d+\.\d s {2}ids\.csv$/);
    // Not a terminal: one plain progress line per batch change.
    assert.match(r.stderr, /^names: completed, 2 records$/m);
    assert.match(r.stderr, /^ids: completed, 1 records$/m);
  });

  it('signs in with OAuth client credentials and verifies gzip and zip files', async () => {
    const oauth = [
      '--url',
      s.url,
      '--client-id',
      s.a.credentials.clientId,
      '--client-secret',
      s.a.credentials.clientSecret,
    ];
    for (const [format, file] of [
      ['gzip', 'names.csv.gz'],
      ['zip', 'names.zip'],
    ] as const) {
      const out = join(dir, format);
      const job = jobFile(`${format}.json`, { version: '1.0', format, queries: [accounts('names')] });
      const r = await openaqua(['export', ...oauth, '--interval', '50', '--out', out, job]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(readdirSync(out), [file]);
      assert.match(r.stdout, / 2 rows /);
    }
    assert.equal(
      gunzipSync(readFileSync(join(dir, 'gzip', 'names.csv.gz'))).toString('utf8'),
      'Account: Name\n"Acme, Inc."\nGlobex\n',
    );
  });

  it('exits 2 on bad input: a job file that is not JSON, missing credentials, a wrong password, a bad query', async () => {
    const notJson = await openaqua(['export', ...basicFlags, jobFile('bad.json', '{"queries": [')]);
    assert.equal(notJson.code, 2);
    assert.match(notJson.stderr, /^openaqua: .*bad\.json is not JSON: /);
    const noCreds = await openaqua([
      'export',
      '--url',
      s.url,
      jobFile('ok.json', { queries: [accounts('a')] }),
    ]);
    assert.equal(noCreds.code, 2);
    assert.equal(
      noCreds.stderr,
      'openaqua: give --user and --password, or --client-id and --client-secret\n',
    );
    const wrong = await openaqua([
      'export',
      '--url',
      s.url,
      '--user',
      s.a.credentials.username,
      '--password',
      'wrong',
      jobFile('ok2.json', { queries: [accounts('a')] }),
    ]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /^openaqua: HTTP 401 on POST \/v1\/batch-query\/: Authentication error$/m);
    const badQuery = await openaqua([
      'export',
      ...basicFlags,
      jobFile('q.json', {
        version: '1.0',
        queries: [{ name: 'bad', query: 'select Foo from Account', type: 'zoqlexport' }],
      }),
    ]);
    assert.equal(badQuery.code, 2);
    assert.match(
      badQuery.stderr,
      /^openaqua: 90005: There is a syntax error in one of the queries in the AQuA input\n {2}bad: line 1, column 8: /,
    );
    const noUrl = await openaqua(['export', jobFile('ok3.json', { queries: [] })]);
    assert.equal(noUrl.code, 2);
    assert.match(noUrl.stderr, /required option '--url <url>' not specified/);
  });
});

describe('openaqua jobs and cancel', () => {
  let s: TestServer;
  let dir: string;
  let flags: string[];
  before(async () => {
    // No background workers: submitted jobs stay submitted until cancelled.
    s = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'openaqua-client-'));
    flags = ['--url', s.url, '--user', s.a.credentials.username, '--password', s.a.credentials.password];
  });
  after(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('export exits 1 when its job is cancelled while it polls', async () => {
    const path = join(dir, 'job.json');
    writeFileSync(path, JSON.stringify({ version: '1.0', name: 'to-cancel', queries: [accounts('names')] }));
    const running = openaqua(['export', ...flags, '--interval', '50', '--out', join(dir, 'out'), path]);
    let id: string | undefined;
    for (let i = 0; i < 200 && id === undefined; i++) {
      const list = await call(`${s.url}/v1/batch-query/jobs?name=to-cancel`, {
        headers: { authorization: s.a.basic },
      });
      id = list.body.jobs[0]?.id;
      if (id === undefined) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(id);
    const cancel = await openaqua(['cancel', ...flags, id]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal(cancel.stdout, `job ${id} cancelled\n`);
    const r = await running;
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^job ${id} cancelled\\nnames {2}pending {2}0 rows {2}0 bytes`));
    const again = await openaqua(['cancel', ...flags, id]);
    assert.equal(again.code, 2);
    assert.equal(again.stderr, 'openaqua: 90003: Invalid Job Id for job cancellation.\n');
  });

  it('jobs lists recent jobs newest first, filtered by status', async () => {
    const headers = { authorization: s.a.basic };
    const submit = (name: string) =>
      call(`${s.url}/v1/batch-query/`, {
        method: 'POST',
        headers,
        body: { version: '1.0', name, queries: [accounts('q')] },
      });
    const first = (await submit('first')).body.id;
    const second = (await submit('second')).body.id;
    const r = await openaqua(['jobs', ...flags, '--status', 'submitted']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, new RegExp(`^${second}  submitted  \\S+  1 batches  0 records  second$`));
    assert.match(lines[1]!, new RegExp(`^${first}  submitted  \\S+  1 batches  0 records  first$`));
    const json = await openaqua(['jobs', ...flags, '--json', '--name', 'first']);
    assert.deepEqual(
      JSON.parse(json.stdout).map((j: { id: string }) => j.id),
      [first],
    );
    const bad = await openaqua(['jobs', ...flags, '--status', 'done']);
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr,
      "openaqua: HTTP 400 on GET /v1/batch-query/jobs?status=done&hours=72: status must be one of submitted, executing, completed, aborted, cancelled, error, not 'done'\n",
    );
  });
});
