import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeResultFile, writeSegmentedFiles } from '../../src/export/index.ts';
import type { CsvLines } from '../../src/export/result-file.ts';
import { LocalFileStore } from '../../src/files/index.ts';
import { newId } from '../../src/ids.ts';
import { runJob } from '../../src/jobs/runner.ts';
import { StoreCache } from '../../src/jobs/store-cache.ts';
import type { BatchOutput, RunTask, RunTask as Task } from '../../src/jobs/task.ts';
import { exportableFields, getObject } from '../../src/schema/index.ts';
import { seedTenant } from '../../src/seed/index.ts';
import type { ExportReader, ExportSnapshot } from '../../src/store/export-reader.ts';
import { compileQuery, openTenantStore, postgresDialect } from '../../src/store/index.ts';
import { type StoreLocation, storeLocation } from '../../src/store/location.ts';
import { openPgExportReader } from '../../src/store/postgres/export-reader.ts';
import { analyze } from '../../src/zoql/index.ts';
import { createTestDatabase, type TestDatabase, testServerUrl } from '../support/postgres.ts';

const pg = await testServerUrl();
const TENANT = 'CopyVsCursor1';
const ZONE = 'America/Los_Angeles';
const NOW = Date.UTC(2025, 0, 15, 12);

function allFields(object: string): string {
  return `select ${exportableFields(getObject(object)!)
    .map((f) => f.name)
    .join(', ')} from ${object}`;
}

/** Queries over every field type, joins, aggregates and a where clause on the seeded world. */
const QUERIES = [
  allFields('Account'),
  allFields('Invoice'),
  allFields('Subscription'),
  'select Id, ChargeAmount, ChargeDate, ServiceStartDate, Quantity, UnitPrice, Invoice.InvoiceNumber, Invoice.InvoiceDate, ' +
    'Account.AccountNumber, Account.Name, BillToContact.FirstName, BillToContact.Country from InvoiceItem',
  'select Account.Name, sum(ChargeAmount), count(Id), avg(Quantity), max(ChargeDate) from InvoiceItem group by Account.Name',
  "select Id, Name, Balance, CreatedDate from Account where Balance > 0 and CreatedDate >= '2020-01-01T00:00:00' order by Name",
];

/** A view of a reader without COPY: every batch goes through the cursor and the JS formatter. */
function cursorOnly(reader: ExportReader): ExportReader {
  return {
    dialect: reader.dialect,
    close: () => reader.close(),
    snapshot: (fn) =>
      reader.snapshot((s) => fn({ seq: s.seq, time: s.time, rows: (q, signal) => s.rows(q, signal) })),
  };
}

class CursorOnlyCache extends StoreCache {
  override reader(task: Pick<Task, 'tenantId' | 'dataPath' | 'timeZone'>): ExportReader {
    return cursorOnly(super.reader(task));
  }
}

describe('the COPY path and the cursor path', { skip: 'skip' in pg ? pg.skip : false }, () => {
  let db: TestDatabase;
  let location: StoreLocation;
  let dir: string;
  before(() => {
    db = createTestDatabase((pg as { url: string }).url);
    dir = mkdtempSync(join(tmpdir(), 'openaqua-copy-vs-cursor-'));
    location = storeLocation(dir, db.url);
    const store = openTenantStore(location, TENANT, { timeZone: ZONE });
    try {
      seedTenant(store, { accounts: 80, seed: 5 });
      const ids = store.snapshot((s) => [
        ...s.rows({ sql: 'SELECT "Id" FROM "Account" ORDER BY "Id" LIMIT 5', params: [] }),
      ]);
      for (const [id] of ids) store.delete('Account', id as string);
    } finally {
      store.close();
    }
  });
  after(() => {
    db?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const variants = [
    { timeZone: ZONE, dateTimeUtc: false },
    { timeZone: 'Asia/Kolkata', dateTimeUtc: true, nullReplacement: 'NULL' },
    { timeZone: 'UTC', dateTimeUtc: false, deleted: { format: 'Boolean' as const } },
  ];

  it('write identical files for a seeded tenant, every query and rendering option', async () => {
    const reader = openPgExportReader(db.url, TENANT);
    try {
      await reader.snapshot(async (snap: ExportSnapshot) => {
        let n = 0;
        for (const text of QUERIES)
          for (const options of variants) {
            const q = analyze(text, 'zoqlexport');
            const deleted = options.deleted !== undefined && !q.grouped;
            const compiled = compileQuery(
              q,
              deleted
                ? { now: NOW, timeZone: options.timeZone, deleted, includeDeleted: 'all' }
                : { now: NOW, timeZone: options.timeZone },
              postgresDialect,
            );
            const opts = deleted ? options : { ...options, deleted: undefined };
            const { deleted: _, ...plain } = opts;
            const rendering = deleted ? opts : plain;
            const types = q.columns.map((c) => c.type);
            const header = [...(deleted ? ['Account.IsDeleted'] : []), ...q.columns.map((c) => c.nameHeader)];
            const lines: CsvLines | undefined = await snap.copyCsv!(compiled, { types, options: rendering });
            assert.ok(lines, `COPY declined: ${text}`);
            const common = { header, types, options: rendering, format: 'csv' as const, entryName: 'x' };
            const a = join(dir, `cursor-${n}.csv`);
            const b = join(dir, `copy-${n++}.csv`);
            const viaCursor = await writeResultFile({ ...common, rows: snap.rows(compiled), path: a });
            const viaCopy = await writeResultFile({ ...common, rows: lines, path: b });
            assert.deepEqual(viaCopy, viaCursor, text);
            assert.equal(readFileSync(b, 'utf8'), readFileSync(a, 'utf8'), text);
            assert.ok(viaCursor.rows > 0, `no rows: ${text}`);
          }
      });
    } finally {
      await reader.close();
    }
  });

  it('write identical segments', async () => {
    const reader = openPgExportReader(db.url, TENANT);
    try {
      await reader.snapshot(async (snap) => {
        const q = analyze(QUERIES[3]!, 'zoqlexport');
        const compiled = compileQuery(q, { now: NOW, timeZone: ZONE }, postgresDialect);
        const types = q.columns.map((c) => c.type);
        const options = { timeZone: ZONE, dateTimeUtc: false };
        const common = {
          header: q.columns.map((c) => c.nameHeader),
          types,
          options,
          format: 'csv' as const,
          entryName: 'x',
        };
        const lines = await snap.copyCsv!(compiled, { types, options });
        assert.ok(lines);
        const cursor = await writeSegmentedFiles({
          ...common,
          rows: snap.rows(compiled),
          maxRows: 97,
          pathFor: (i) => join(dir, `seg-cursor-${i}.csv`),
        });
        const copy = await writeSegmentedFiles({
          ...common,
          rows: lines,
          maxRows: 97,
          pathFor: (i) => join(dir, `seg-copy-${i}.csv`),
        });
        assert.ok(cursor.files.length > 2);
        assert.deepEqual(
          copy.files.map((f) => [f.rows, readFileSync(f.path, 'utf8')]),
          cursor.files.map((f) => [f.rows, readFileSync(f.path, 'utf8')]),
        );
      });
    } finally {
      await reader.close();
    }
  });

  it('give identical job files through the runner, stateful segments and deleted rows included', async () => {
    const task = (jobId: string): RunTask => ({
      jobId,
      attempt: 1,
      tenantId: TENANT,
      dataPath: '',
      timeZone: ZONE,
      now: NOW,
      format: 'csv',
      useQueryLabels: false,
      dateTimeUtc: true,
      nullReplacement: 'null',
      stateful: true,
      segments: true,
      incrementalTime: null,
      offset: 0,
      queryMillis: 60_000,
      segmentRows: 150,
      batches: QUERIES.slice(0, 4).map((query, i) => ({
        id: `b${i}`,
        name: `q${i}`,
        query,
        language: 'zoqlexport' as const,
        deleted: i === 0 ? { column: 'IsDeleted', format: 'Numeric' as const } : null,
        full: true,
        afterSeq: null,
      })),
    });
    const files = new LocalFileStore(join(dir, 'files'));
    const run = async (stores: StoreCache, jobId: string) => {
      const outputs: BatchOutput[] = [];
      const events = {
        batchStarted: () => undefined,
        batchFinished: (o: BatchOutput) => void outputs.push(o),
      };
      try {
        const result = await runJob(task(jobId), { files, stores }, events, new AbortController().signal);
        assert.equal(result.status, 'completed', JSON.stringify(result));
      } finally {
        await stores.closeAll();
      }
      return outputs.map((o) => ({
        rows: o.recordCount,
        segmented: o.segmented,
        files: o.files.map((f) => readFileSync(f.path, 'utf8')),
      }));
    };
    const viaCopy = await run(new StoreCache(location), newId());
    const viaCursor = await run(new CursorOnlyCache(location), newId());
    assert.deepEqual(viaCopy, viaCursor);
    assert.ok(viaCopy.some((b) => b.segmented && b.files.length > 1));
  });
});
