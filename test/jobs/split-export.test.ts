import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { LocalFileStore } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';
import { PartThreads } from '../../src/jobs/parts.ts';
import { compileOptionsFor, runJob } from '../../src/jobs/runner.ts';
import { splitExport } from '../../src/jobs/split.ts';
import { StoreCache } from '../../src/jobs/store-cache.ts';
import type { BatchOutput, RunTask } from '../../src/jobs/task.ts';
import { seedInvoiceItems } from '../../src/seed/index.ts';
import { openTenantStore, type SqliteTenantStore } from '../../src/store/index.ts';
import { sqliteTenantPath, storeLocation } from '../../src/store/location.ts';
import { analyze } from '../../src/zoql/index.ts';
import { runTask, tempDir } from './helpers.ts';

const JOINED =
  'select Id, ChargeAmount, ChargeDate, ServiceStartDate, Quantity, Invoice.InvoiceNumber, Invoice.InvoiceDate, ' +
  'Account.AccountNumber, Account.Name, BillToContact.FirstName, BillToContact.Country from InvoiceItem';

describe('an export split across threads holds exactly the rows of the whole query, in order', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: SqliteTenantStore;
  let stores: StoreCache;
  let files: LocalFileStore;
  let parts: PartThreads;
  const tenantId = newId();
  const location = () => storeLocation(tmp.dir);

  before(() => {
    tmp = tempDir();
    mkdirSync(join(tmp.dir, 'tenants'));
    store = openTenantStore(sqliteTenantPath(tmp.dir, tenantId), { timeZone: 'America/Los_Angeles' });
    seedInvoiceItems(store, { items: 3000, seed: 5 });
    // Deleted rows and gaps in the row numbers.
    const ids = store.snapshot((s) => [...s.rows({ sql: 'SELECT "Id" FROM "InvoiceItem"', params: [] })]);
    for (let i = 0; i < ids.length; i += 97) store.delete('InvoiceItem', ids[i]![0] as string);
    stores = new StoreCache(location());
    files = new LocalFileStore(join(tmp.dir, 'files'));
    // Three threads, split from ten rows on: every export of the seeded table is split.
    parts = new PartThreads({ location: location() }, 3, 10);
  });
  after(async () => {
    await parts.close();
    await stores.closeAll();
    store.close();
    tmp.cleanup();
  });

  const task = (query: string, over: Partial<RunTask> = {}, deleted = false): RunTask =>
    runTask(
      { tenantId, dataPath: sqliteTenantPath(tmp.dir, tenantId), timeZone: 'America/Los_Angeles' },
      [query],
      over,
      { name: 'items', deleted: deleted ? { column: 'IsDeleted', format: 'Boolean' } : null },
    );

  /** Runs the task with or without part threads; the batch's files as CSV text, one string per file. */
  async function run(t: RunTask, split: boolean): Promise<{ texts: string[]; output: BatchOutput }> {
    let output: BatchOutput | undefined;
    const result = await runJob(
      t,
      { files, stores, ...(split ? { parts } : {}) },
      {
        batchStarted: () => undefined,
        batchFinished: (o) => {
          output = o;
        },
      },
      new AbortController().signal,
    );
    assert.equal(result.status, 'completed', JSON.stringify(result));
    const texts = output!.files.map((f) => {
      if (t.format === 'gzip') {
        execFileSync('gzip', ['-t', f.path]);
        return gunzipSync(readFileSync(f.path)).toString('utf8');
      }
      if (t.format === 'zip') {
        execFileSync('unzip', ['-tq', f.path]);
        return execFileSync('unzip', ['-p', f.path], { encoding: 'utf8', maxBuffer: 1 << 28 });
      }
      return readFileSync(f.path, 'utf8');
    });
    return { texts, output: output! };
  }

  function tempFiles(): string[] {
    const dir = join(tmp.dir, 'files', tenantId);
    try {
      return readdirSync(dir).filter((n) => n.startsWith('.tmp-'));
    } catch {
      return [];
    }
  }

  for (const format of ['csv', 'gzip', 'zip'] as const) {
    it(`${format}: the same content as the export read whole`, async () => {
      for (const [query, deleted] of [
        [JOINED, false],
        [`${JOINED} where ChargeAmount > 0 and Invoice.InvoiceNumber != 'x'`, false],
        ['select Id, ChargeName, ChargeAmount from InvoiceItem where ChargeAmount < 100000', false],
      ] as const) {
        const whole = await run(task(query, { format }, deleted), false);
        const split = await run(task(query, { format }, deleted), true);
        assert.equal(split.output.recordCount, whole.output.recordCount, query);
        assert.ok(whole.output.recordCount > 1000, `${whole.output.recordCount} rows`);
        assert.deepEqual(split.texts, whole.texts, query);
      }
    });
  }

  it('csv: byte-identical files; the row count matches the lines', async () => {
    const whole = await run(task(JOINED), false);
    const split = await run(task(JOINED), true);
    const [a, b] = [whole.output.files[0]!, split.output.files[0]!];
    assert.deepEqual(readFileSync(b.path), readFileSync(a.path));
    assert.equal(b.bytes, a.bytes);
    assert.equal(b.rows, 3000 - Math.ceil(3000 / 97));
  });

  it('segments: parts are cut into segment files at line ends, each with its header', async () => {
    const over: Partial<RunTask> = { stateful: true, segments: true, segmentRows: 700 };
    for (const format of ['csv', 'gzip'] as const) {
      const whole = await run(task(JOINED, { ...over, format }), false);
      const split = await run(task(JOINED, { ...over, format }), true);
      assert.equal(split.output.segmented, true);
      assert.ok(split.texts.length > 3);
      assert.deepEqual(split.texts, whole.texts);
      assert.deepEqual(
        split.output.files.map((f) => f.rows),
        whole.output.files.map((f) => f.rows),
      );
    }
  });

  it('splits only what may be split; a snapshot the data moved past is read whole', async () => {
    const reader = stores.reader({ tenantId, dataPath: '', timeZone: 'America/Los_Angeles' });
    const before = tempFiles();
    const attempt = async (query: string, writeFirst = false, deleted = false) => {
      const t = task(query, {}, deleted);
      const q = analyze(query, 'zoqlexport');
      return reader.snapshot(async (snap) => {
        if (writeFirst) store.create('Account', { Name: 'written after the snapshot' });
        const s = await splitExport({
          task: t,
          query: q,
          compileOptions: compileOptionsFor(t, t.batches[0]!),
          format: {
            types: q.columns.map((c) => c.type),
            options: { timeZone: t.timeZone, dateTimeUtc: false },
          },
          mode: 'csv',
          snap,
          parts,
          files,
          signal: new AbortController().signal,
        });
        const later = s?.later.length;
        await s?.cleanup();
        return later;
      });
    };
    assert.equal(await attempt(JOINED), 2);
    assert.equal(await attempt('select Id from InvoiceItem order by Id'), undefined);
    assert.equal(await attempt('select Id from InvoiceItem limit 5'), undefined);
    assert.equal(await attempt('select count(Id) from InvoiceItem'), undefined);
    assert.equal(await attempt(JOINED, true), undefined);
    // Deleted rows: a purge between the snapshots would not move the sequence number.
    assert.equal(await attempt(JOINED, false, true), undefined);
    assert.deepEqual(tempFiles(), before);
  });

  it('a cancel while parts run leaves no temporary file and the threads serve the next export', async () => {
    for (const delay of [0, 5, 20, 60]) {
      const before = tempFiles();
      const controller = new AbortController();
      const t = task(JOINED, { format: 'gzip' });
      const result = await runJob(
        t,
        { files, stores, parts },
        {
          batchStarted: () => void setTimeout(() => controller.abort(), delay),
          batchFinished: () => undefined,
        },
        controller.signal,
      );
      assert.ok(['cancelled', 'completed'].includes(result.status), JSON.stringify(result));
      if (result.status === 'cancelled') assert.deepEqual(tempFiles(), before, `delay ${delay}`);
    }
    const again = await run(task(JOINED), true);
    assert.equal(again.output.recordCount, 3000 - Math.ceil(3000 / 97));
  });
});
