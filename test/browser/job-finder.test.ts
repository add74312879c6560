/**
 * The Job Finder in a real browser: playwright-core drives Debian's chromium against a real
 * `openaqua serve` process. Skipped with one line where /usr/bin/chromium is missing, unless
 * OPENAQUA_REQUIRE_BROWSER=1 (then a missing browser fails the run). Writes full-page screenshots to
 * test/artifacts/ (not versioned).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { MAX_QUERIES_PER_JOB } from '../../src/limits.ts';
import { getObject } from '../../src/schema/index.ts';
import type { Json as Job } from '../api/server.ts';
import { spawnServe } from '../cli/run.ts';

const CHROMIUM = '/usr/bin/chromium';
/** Headless as root, and no calls out: the background services stall on a closed network. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const DEMO_ACCOUNTS = 300;

const required = process.env.OPENAQUA_REQUIRE_BROWSER === '1';
const missing = existsSync(CHROMIUM)
  ? undefined
  : `no chromium at ${CHROMIUM}: install Debian's chromium package to run the Job Finder in a browser`;

if (missing && required) {
  it('has a browser to test the Job Finder in (OPENAQUA_REQUIRE_BROWSER=1)', () => assert.fail(missing));
}

interface Server {
  child: ChildProcess;
  url: string;
  password: string;
}

/** Starts `openaqua serve` with a freshly seeded demo tenant; resolves once its banner is printed. */
function serve(dir: string): Promise<Server> {
  const child = spawnServe(dir, { demoAccounts: DEMO_ACCOUNTS, logLevel: 'silent' });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start: ${out} ${err}`));
    }, 120_000);
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const password = /\n {2}password: +(\S+)\n/.exec(out)?.[1];
      if (url && password && out.includes('cannot be shown again.\n')) {
        clearTimeout(timer);
        resolve({ child, url, password });
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

/**
 * A query that keeps a worker busy for a long while on the demo tenant: every exportable field of
 * InvoiceItem and of every object it joins, about a thousand columns per row.
 */
function wideQuery(): string {
  const item = getObject('InvoiceItem')!;
  return `select *, ${item.joins.map((j) => `${j.name}.*`).join(', ')} from InvoiceItem`;
}

describe('Job Finder in a real browser', { skip: missing ?? false }, () => {
  let dir: string;
  let server: Server;
  let basic: string;
  let browser: Browser;
  let context: BrowserContext;
  const ids: Record<string, string> = {};

  const api = async (path: string, init: RequestInit = {}): Promise<Job> => {
    const res = await fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: basic, 'content-type': 'application/json' },
    });
    const body = (await res.json()) as Job;
    assert.equal(res.status, 200, JSON.stringify(body));
    return body;
  };
  const submit = async (name: string, body: Job): Promise<string> => {
    const job = await api('/v1/batch-query/', { method: 'POST', body: JSON.stringify({ name, ...body }) });
    ids[name] = job.id;
    return job.id;
  };
  const waitForStatus = async (id: string, done: (status: string) => boolean): Promise<Job> => {
    for (let i = 0; i < 1200; i++) {
      const job = await api(`/v1/batch-query/jobs/${id}`);
      if (done(job.status)) return job;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`job ${id} did not reach the awaited status`);
  };

  /** The names in the list's rows, top to bottom. */
  const listedNames = (page: Page) => page.locator('#jobs tbody tr td:nth-child(2)').allTextContents();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-browser-'));
    server = await serve(dir);
    basic = `Basic ${Buffer.from(`demo:${server.password}`).toString('base64')}`;
    const accounts = {
      name: 'accounts',
      type: 'zoqlexport',
      query: 'select Id, Name from Account order by Name asc',
    };
    const count = { name: 'count', type: 'zoqlexport', query: 'select count(Id) from Account' };
    const invoices = { name: 'invoices', type: 'zoqlexport', query: 'select Id, Amount from Invoice' };
    // One worker runs the jobs in turn: these four finish before the long one starts.
    await submit('alpha-daily', { version: '1.0', format: 'csv', queries: [accounts, count] });
    await submit('beta-sync', {
      version: '1.1',
      format: 'gzip',
      partner: 'etl',
      project: 'Account_1',
      queries: [accounts],
    });
    await submit('gamma-sync', {
      version: '1.1',
      partner: 'warehouse',
      project: 'Invoice_2',
      queries: [invoices],
    });
    await submit('ALPHA-weekly', {
      version: '1.1',
      partner: 'etl',
      project: 'Invoice_2',
      queries: [invoices],
    });
    for (const id of Object.values(ids)) {
      assert.equal(
        (await waitForStatus(id, (s) => s !== 'submitted' && s !== 'executing')).status,
        'completed',
      );
    }
    const wide = wideQuery();
    await submit('delta-long', {
      version: '1.0',
      format: 'gzip',
      queries: Array.from({ length: MAX_QUERIES_PER_JOB }, (_, i) => ({
        name: `wide-${i + 1}`,
        type: 'zoqlexport',
        query: wide,
      })),
    });
    await waitForStatus(ids['delta-long']!, (s) => s === 'executing');

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    context = await browser.newContext({
      httpCredentials: { username: 'demo', password: server.password, origin: server.url },
      viewport: { width: 1280, height: 800 },
    });
    context.setDefaultTimeout(60_000);
  });

  after(async () => {
    await browser?.close();
    if (server && server.child.exitCode === null) {
      const exited = new Promise((r) => server.child.once('exit', r));
      server.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a wrong password: the 401 sign-in page with the Finder's challenge, no jobs", async () => {
    // The browser answers the challenge with these credentials; refused again, it shows the 401 page.
    const stranger = await browser.newContext({
      httpCredentials: { username: 'demo', password: 'not-the-password', origin: server.url },
    });
    const page = await stranger.newPage();
    const res = await page.goto(`${server.url}/jobs`);
    assert.equal(res?.status(), 401);
    assert.match((await res?.headerValue('www-authenticate')) ?? '', /^Basic realm="openaqua Job Finder"/);
    assert.equal(
      await page.locator('p').first().textContent(),
      "Sign in with your tenant's user name and password.",
    );
    assert.equal(await page.locator('#jobs').count(), 0);
    await stranger.close();
  });

  it("signs in with the tenant's user name and password and lists its jobs newest first", async () => {
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/jobs`);
    assert.equal(res?.status(), 200);
    assert.match(
      (await page.locator('p.muted').first().textContent()) ?? '',
      /^Tenant demo · jobs of the last 72 hours/,
    );
    assert.deepEqual(await listedNames(page), [
      'delta-long',
      'ALPHA-weekly',
      'gamma-sync',
      'beta-sync',
      'alpha-daily',
    ]);
    const cells = await page.locator(`tr[data-job="${ids['beta-sync']}"] td`).allTextContents();
    assert.deepEqual(
      [cells[1], cells[2], cells[3], cells[4], cells[5], cells[7], cells[8]],
      ['beta-sync', 'completed', 'stateful full', 'etl', 'Account_1', '1', String(DEMO_ACCOUNTS)],
    );
    const long = await page.locator(`tr[data-job="${ids['delta-long']}"] td`).allTextContents();
    assert.deepEqual([long[2], long[3], long[7]], ['executing', 'stateless', String(MAX_QUERIES_PER_JOB)]);
    await page.close();
  });

  it('filters by status, name, partner and project through the form', async () => {
    const page = await context.newPage();
    /** Fills the form from an empty list page, submits it and answers the names listed. */
    const find = async (f: { status?: string; name?: string; partner?: string; project?: string }) => {
      await page.goto(`${server.url}/jobs`);
      if (f.status) await page.selectOption('select[name="status"]', f.status);
      for (const key of ['name', 'partner', 'project'] as const) {
        if (f[key]) await page.fill(`input[name="${key}"]`, f[key]);
      }
      await Promise.all([page.waitForURL(/\/jobs\?/), page.click('button[type="submit"]')]);
      // The form shows the filter it was submitted with.
      assert.equal(await page.inputValue('select[name="status"]'), f.status ?? '');
      for (const key of ['name', 'partner', 'project'] as const) {
        assert.equal(await page.inputValue(`input[name="${key}"]`), f[key] ?? '');
      }
      return (await page.locator('p.empty').count()) > 0 ? [] : listedNames(page);
    };
    assert.deepEqual(await find({ status: 'executing' }), ['delta-long']);
    assert.deepEqual(await find({ status: 'completed' }), [
      'ALPHA-weekly',
      'gamma-sync',
      'beta-sync',
      'alpha-daily',
    ]);
    assert.deepEqual(await find({ name: 'alpha' }), ['ALPHA-weekly', 'alpha-daily']);
    assert.deepEqual(await find({ partner: 'etl' }), ['ALPHA-weekly', 'beta-sync']);
    assert.deepEqual(await find({ project: 'Invoice_2' }), ['ALPHA-weekly', 'gamma-sync']);
    assert.deepEqual(await find({ partner: 'etl', project: 'Invoice_2' }), ['ALPHA-weekly']);
    assert.deepEqual(await find({ status: 'completed', name: 'SYNC' }), ['gamma-sync', 'beta-sync']);
    assert.deepEqual(await find({ name: 'nothing-like-this' }), []);
    assert.equal(await page.locator('p.empty').textContent(), 'No jobs match.');
    await page.close();
  });

  it('opens a job from the list and downloads its files, named after their batches', async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/jobs?status=completed`);
    await Promise.all([page.waitForURL(`**/jobs/${ids['alpha-daily']}`), page.click('text=alpha-daily')]);
    assert.match((await page.locator('h2').textContent()) ?? '', /^alpha-daily completed$/);
    assert.equal(await page.locator('#cancel').count(), 0);
    const batch = (name: string) => page.locator('#batches tbody tr').filter({ hasText: name });
    assert.deepEqual((await batch('accounts').locator('td').allTextContents()).slice(0, 4), [
      'accounts',
      'completed',
      'full',
      String(DEMO_ACCOUNTS),
    ]);
    assert.equal(
      await batch('accounts').locator('pre').textContent(),
      'select Id, Name from Account order by Name asc',
    );

    const fetchDownload = async (linkText: string) => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`a.download:text-is("${linkText}")`),
      ]);
      assert.equal(download.suggestedFilename(), linkText);
      assert.equal(await download.failure(), null);
      return readFileSync((await download.path())!);
    };
    const rows = parse(await fetchDownload('accounts.csv')) as string[][];
    // Version 1.0 heads its columns with labels.
    assert.deepEqual(rows[0], ['Account: ID', 'Account: Name']);
    const data = rows.slice(1);
    assert.equal(data.length, DEMO_ACCOUNTS);
    for (const [id, name] of data) {
      assert.match(id!, /^[0-9a-f]{32}$/);
      assert.ok(name!.length > 0);
    }
    assert.equal(new Set(data.map((r) => r[0])).size, DEMO_ACCOUNTS);
    const names = data.map((r) => r[1]!);
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual(parse(await fetchDownload('count.csv')), [
      ['count(Account.Id)'],
      [String(DEMO_ACCOUNTS)],
    ]);

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'job-finder-job.png'), fullPage: true });

    // A gzip job's file downloads compressed, and holds the same accounts.
    await page.goto(`${server.url}/jobs/${ids['beta-sync']}`);
    const gz = parse(gunzipSync(await fetchDownload('accounts.csv.gz'))) as string[][];
    assert.deepEqual(
      gz
        .slice(1)
        .map((r) => r[0])
        .sort(),
      data.map((r) => r[0]).sort(),
    );
    await page.close();
  });

  it('cancels the running job with its Cancel button; a list showing it reloads itself to say so', async () => {
    const id = ids['delta-long']!;
    // A list showing the running job, left alone: it reloads itself while the job runs.
    const list = await context.newPage();
    await list.goto(`${server.url}/jobs`);
    const listedStatus = list.locator(`tr[data-job="${id}"] .status`);
    assert.equal(await listedStatus.textContent(), 'executing');

    const page = await context.newPage();
    await page.goto(`${server.url}/jobs?status=executing`);
    await Promise.all([page.waitForURL(`**/jobs/${id}`), page.click('text=delta-long')]);
    assert.match((await page.locator('h2').textContent()) ?? '', /^delta-long executing$/);
    assert.equal(await page.locator('#batches tbody tr').count(), MAX_QUERIES_PER_JOB);
    // The worker is still on an early batch: the job cannot have finished before the click.
    const before = await api(`/v1/batch-query/jobs/${id}`);
    assert.equal(before.status, 'executing');
    await page.click('#cancel');
    await page.locator('h2 .status.cancelled').waitFor();
    assert.equal(await page.locator('#cancel').count(), 0);

    const job = await api(`/v1/batch-query/jobs/${id}`);
    assert.equal(job.status, 'cancelled');
    const statuses = (job.batches as Job[]).map((b) => b.status);
    // Cancelled part way: the last batches never ran.
    assert.equal(statuses.at(-1), 'pending', statuses.join(' '));

    await listedStatus.filter({ hasText: 'cancelled' }).waitFor();
    mkdirSync(ARTIFACTS, { recursive: true });
    await list.screenshot({ path: join(ARTIFACTS, 'job-finder.png'), fullPage: true });
    await Promise.all([list.close(), page.close()]);
  });
});
