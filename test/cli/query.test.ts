import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { locationFor, MAIN, openaqua } from './run.ts';

describe('openaqua seed, query and load', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-cli-query-'));
    const created = await openaqua([
      'tenant',
      'create',
      'acme',
      '--time-zone',
      'America/Los_Angeles',
      '--data',
      dir,
    ]);
    assert.equal(created.code, 0, created.stderr);
    const seeded = await openaqua(['seed', 'acme', '--accounts', '30', '--seed', '5', '--data', dir]);
    assert.equal(seeded.code, 0, seeded.stderr);
    assert.match(seeded.stdout, /^Account: 30$/m);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the CSV with API-name headers by default (useQueryLabels: true)', async () => {
    const res = await openaqua([
      'query',
      'acme',
      'select id, name, billtocontact.firstname from account',
      '--data',
      dir,
    ]);
    assert.equal(res.code, 0, res.stderr);
    const rows: string[][] = parse(res.stdout);
    assert.deepEqual(rows[0], ['Account.Id', 'Account.Name', 'BillToContact.FirstName']);
    assert.equal(rows.length, 31);
    for (const r of rows) assert.equal(r.length, 3);
  });

  it('writes label headers with --header labels', async () => {
    const res = await openaqua([
      'query',
      'acme',
      'select Id, Balance, BillToContact.Id from Account',
      '--header',
      'labels',
      '--data',
      dir,
    ]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout.split('\n')[0], 'Account: ID,Account: Account Balance,Bill To: ID');
  });

  it('is deterministic: the same seed gives the same export', async () => {
    const other = mkdtempSync(join(tmpdir(), 'openaqua-cli-query2-'));
    try {
      await openaqua(['tenant', 'create', 'acme', '--data', other]);
      await openaqua(['seed', 'acme', '--accounts', '30', '--seed', '5', '--data', other]);
      const q = 'select Id, Name, Balance, CreatedDate from Account order by Id';
      const a = await openaqua(['query', 'acme', q, '--data', dir]);
      const b = await openaqua(['query', 'acme', q, '--data', other]);
      assert.equal(a.stdout, b.stdout);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('renders datetimes with ±hh:mm, or ±hhmm with --utc, and nulls with --null', async () => {
    const plain = await openaqua(['query', 'acme', 'select CreatedDate from Account limit 1', '--data', dir]);
    assert.match(plain.stdout.split('\n')[1]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]:00$/);
    const utc = await openaqua([
      'query',
      'acme',
      'select CreatedDate from Account limit 1',
      '--utc',
      '--data',
      dir,
    ]);
    assert.match(utc.stdout.split('\n')[1]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[78]00$/);
    const nulls = await openaqua([
      'query',
      'acme',
      'select Id, ParentId from Account where ParentId = null',
      '--null',
      'NULL',
      '--data',
      dir,
    ]);
    assert.equal(nulls.code, 0, nulls.stderr);
    const rows: string[][] = parse(nulls.stdout);
    assert.ok(rows.length > 1);
    for (const r of rows.slice(1)) assert.equal(r[1], 'NULL');
  });

  it('runs ZOQL with --zoql and refuses Export ZOQL syntax there', async () => {
    const ok = await openaqua([
      'query',
      'acme',
      "select Id from Account where Status = 'Active' or Status = 'Draft'",
      '--zoql',
      '--data',
      dir,
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout.split('\n')[0], 'Account.Id');
    const bad = await openaqua(['query', 'acme', 'select * from Account', '--zoql', '--data', dir]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /line 1, column 8: /);
  });

  it('prints a bad query with its position and exits 2', async () => {
    const res = await openaqua(['query', 'acme', 'select Id, Foo from Account', '--data', dir]);
    assert.equal(res.code, 2);
    assert.equal(res.stdout, '');
    assert.match(res.stderr, /line 1, column 12: unknown field 'Foo' on Account/);
  });

  it('loads records from a CSV (qualified headers, awkward values) and exports them back', async () => {
    const file = join(dir, 'products.csv');
    writeFileSync(
      file,
      'Product.Id,Product.Name,Product.Description,Product.SKU\n' +
        'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,"Widget, ""Pro""","line one\nline two",SKU-1\n' +
        'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb,Ünïcödé 中文 🙂,,SKU-2\n',
    );
    const res = await openaqua(['load', 'acme', 'product', file, '--data', dir]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Product: 2 created, 0 updated/);
    const out = await openaqua([
      'query',
      'acme',
      "select Id, Name, Description from Product where SKU like 'SKU-_' order by SKU",
      '--data',
      dir,
    ]);
    const rows: string[][] = parse(out.stdout);
    assert.deepEqual(rows.slice(1), [
      ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'Widget, "Pro"', 'line one\nline two'],
      ['bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'Ünïcödé 中文 🙂', ''],
    ]);
  });

  it('refuses a bad CSV as a whole, naming row and field', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'Id,Name,Balance\ncccccccccccccccccccccccccccccccc,Fine,1\ndddddddddddddddddddddddddddddddd,Broken,abc\n',
    );
    const res = await openaqua(['load', 'acme', 'Account', file, '--data', dir]);
    assert.equal(res.code, 2);
    assert.match(res.stderr, /row 3/);
    assert.match(res.stderr, /Balance/);
    const out = await openaqua([
      'query',
      'acme',
      "select Id from Account where Name = 'Fine'",
      '--data',
      dir,
    ]);
    assert.equal(out.stdout, 'Account.Id\n');
  });

  it('names an unknown tenant or object', async () => {
    const t = await openaqua(['query', 'nobody', 'select Id from Account', '--data', dir]);
    assert.notEqual(t.code, 0);
    assert.match(t.stderr, /no tenant named 'nobody'/);
    const o = await openaqua(['load', 'acme', 'Widget', join(dir, 'x.csv'), '--data', dir]);
    assert.equal(o.code, 2);
    assert.match(o.stderr, /unknown object 'Widget'/);
  });
});

describe('openaqua query of a large table', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openaqua-cli-query-split-'));
    assert.equal((await openaqua(['tenant', 'create', 'big', '--data', dir])).code, 0);
    // Above the row count from which an export is split across threads (EXPORT_SPLIT_MIN_ROWS).
    const seeded = await openaqua(['seed', 'big', '--invoice-items', '120000', '--seed', '2', '--data', dir]);
    assert.equal(seeded.code, 0, seeded.stderr);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('splits the export across threads into the same bytes as one thread, leaving no part file', async () => {
    const query = 'select Id, ChargeAmount, ChargeDate, Invoice.InvoiceNumber, Account.Name from InvoiceItem';
    const one = await openaqua(['query', 'big', query, '--export-threads', '1', '--data', dir]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(existsSync(join(dir, 'files')), false, 'one thread wrote part files');
    const two = await openaqua(['query', 'big', query, '--export-threads', '2', '--data', dir]);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(parse(two.stdout).length, 120_001);
    assert.equal(two.stdout, one.stdout);
    // On PostgreSQL the database reads the export; there are no part threads.
    if (locationFor(dir).kind !== 'sqlite') return;
    // The parts were temporary files of the tenant's file directory, removed once added.
    const tenants = readdirSync(join(dir, 'files'));
    assert.equal(tenants.length, 1);
    assert.deepEqual(readdirSync(join(dir, 'files', tenants[0]!)), []);
  });

  it('removes its part files when the reader closes the pipe early (| head)', async (t) => {
    if (locationFor(dir).kind !== 'sqlite') {
      t.skip('on PostgreSQL there are no part threads');
      return;
    }
    const query = 'select Id, ChargeAmount, ChargeDate, Invoice.InvoiceNumber, Account.Name from InvoiceItem';
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, 'query', 'big', query, '--export-threads', '2', '--data', dir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    // Like `head -1`: the first line, then the pipe is closed.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, stderr);
    const tenants = readdirSync(join(dir, 'files'));
    assert.deepEqual(readdirSync(join(dir, 'files', tenants[0]!)), []);
  });

  it('refuses an export thread count that is not a positive integer', async () => {
    const res = await openaqua([
      'query',
      'big',
      'select Id from Account',
      '--export-threads',
      '0',
      '--data',
      dir,
    ]);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /--export-threads: must be an integer from 1 to 64, not '0'/);
  });
});
