import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FixedClock } from '../../src/clock.ts';
import { makeRowFormatter } from '../../src/export/index.ts';
import { objects } from '../../src/schema/index.ts';
import { seedTenant } from '../../src/seed/index.ts';
import {
  type CompileOptions,
  compileQuery,
  openTenantStore,
  type TenantDataStore,
} from '../../src/store/index.ts';
import { analyze } from '../../src/zoql/index.ts';
import { createTestDatabase, type TestDatabase, testServerUrl } from '../support/postgres.ts';
import { newTenantId, T0, tempDir } from './temp-store.ts';

/**
 * The same seeded tenant on SQLite and on PostgreSQL: every compiled query must give the same rows,
 * value for value (type included), and the same CSV lines.
 */

const pg = await testServerUrl();
const ZONE = 'America/Los_Angeles';

let sqlite: TenantDataStore;
let postgres: TenantDataStore;
let database: TestDatabase;
let cleanup: () => void;

function rows(store: TenantDataStore, text: string, opts: Partial<CompileOptions> = {}): unknown[][] {
  const q = compileQuery(analyze(text, 'zoqlexport'), { now: T0, timeZone: ZONE, ...opts }, store.dialect);
  return store.snapshot((snap) => [...snap.rows(q)]);
}

/** Asserts both stores agree on a query; returns how many rows it gave. */
function agree(text: string, opts: Partial<CompileOptions> = {}): number {
  const a = rows(sqlite, text, opts);
  const b = rows(postgres, text, opts);
  assert.deepStrictEqual(b, a, text);
  const q = analyze(text, 'zoqlexport');
  const format = makeRowFormatter(
    q.columns.map((c) => c.type),
    {
      timeZone: ZONE,
      dateTimeUtc: false,
      ...(opts.deleted ? { deleted: { format: 'Numeric' as const } } : {}),
    },
  );
  assert.equal(b.map(format).join(''), a.map(format).join(''), text);
  return a.length;
}

describe('one seeded tenant on SQLite and on PostgreSQL', { skip: 'skip' in pg ? pg.skip : false }, () => {
  before(() => {
    if ('skip' in pg) return;
    const dir = tempDir();
    database = createTestDatabase(pg.url);
    cleanup = () => {
      dir.cleanup();
      database.drop();
    };
    const id = newTenantId();
    const clock = new FixedClock(T0);
    sqlite = openTenantStore({ kind: 'sqlite', dataDir: dir.dir }, id, { clock, timeZone: ZONE });
    postgres = openTenantStore({ kind: 'postgres', url: database.url, dataDir: dir.dir }, id, {
      clock,
      timeZone: ZONE,
    });
    for (const store of [sqlite, postgres]) {
      seedTenant(store, { accounts: 40, seed: 11 });
      clock.advance(60_000);
      const ids = store.snapshot((s) => [
        ...s.rows({ sql: 'SELECT "Id" FROM "Account" ORDER BY "Id" LIMIT 3', params: [] }),
      ]);
      for (const [id] of ids) store.delete('Account', id as string);
      store.update('Invoice', firstId(store, 'Invoice'), { Amount: '0.1', Balance: '-12.5' });
      clock.set(T0);
    }
  });
  after(() => {
    sqlite?.close();
    postgres?.close();
    cleanup?.();
  });

  function firstId(store: TenantDataStore, object: string): string {
    return store.snapshot((s) => [
      ...s.rows({ sql: `SELECT min("Id") FROM "${object}"`, params: [] }),
    ])[0]![0] as string;
  }

  it('give the same rows for every field of every object', () => {
    let total = 0;
    for (const o of objects) total += agree(`select * from ${o.name} order by Id`);
    assert.ok(total > 1000, `${total} rows`);
  });

  it('give the same joined rows and deleted rows', () => {
    assert.ok(
      agree(
        'select Id, ChargeAmount, ChargeDate, Invoice.InvoiceNumber, Invoice.Amount, Account.Name, Account.Balance, BillToContact.FirstName from InvoiceItem order by Invoice.InvoiceNumber desc, Id',
      ) > 100,
    );
    assert.ok(
      agree('select Id, Name, Balance from Account order by Id', { deleted: true, includeDeleted: 'all' }) >
        0,
    );
    assert.ok(
      agree('select Id, Name from Account order by Id', {
        deleted: true,
        window: { afterSeq: 1 },
        includeDeleted: 'window',
      }) > 0,
    );
  });

  it('give the same groups, exact sums and averages, and date parts', () => {
    agree(
      'select Status, Currency, count(*), count(distinct Name), sum(Balance), avg(Balance), min(Balance), max(Balance), sum(BillCycleDay), avg(BillCycleDay), min(Name), max(CreatedDate) from Account group by Status, Currency order by Status, Currency',
    );
    agree(
      'select YEAR(InvoiceDate), QUARTER(InvoiceDate), MONTH(InvoiceDate), WEEK(InvoiceDate), WEEKOFYEAR(InvoiceDate), count(*), sum(Amount), avg(Amount) from Invoice group by YEAR(InvoiceDate), QUARTER(InvoiceDate), MONTH(InvoiceDate), WEEK(InvoiceDate), WEEKOFYEAR(InvoiceDate) order by YEAR(InvoiceDate), WEEK(InvoiceDate)',
    );
    agree(
      'select DATE(CreatedDate), YEAR(CreatedDate), WEEK(CreatedDate), WEEKOFYEAR(CreatedDate), count(*) from Invoice group by DATE(CreatedDate), YEAR(CreatedDate), WEEK(CreatedDate), WEEKOFYEAR(CreatedDate) having count(*) >= 1 order by DATE(CreatedDate) desc',
    );
    agree(
      'select Account.Currency, sum(Amount), avg(Amount) from Invoice group by Account.Currency having sum(Amount) > 10 order by avg(Amount) desc',
    );
  });

  it('give the same rows for filters on every kind of field', () => {
    const filters = [
      "Name like 'A%' or Name like '%n_' or Name not like '%e%'",
      'Balance > 100.5 and Balance != 0 or Balance is null',
      "CreatedDate >= '2023-06-01' and CreatedDate < '2024-01-01T12:00:00-05:00'",
      "LastInvoiceDate <= '2023-12-31' or LastInvoiceDate = null",
      'AutoPay = true and BillCycleDay >= 15',
      "Status != 'Active' or Currency = 'EUR'",
      "BillToContact.FirstName > 'M' and BillToContact.Country is not null",
    ];
    let total = 0;
    for (const f of filters)
      total += agree(`select Id, Name from Account where ${f} order by Name desc, Id limit 1, 1000`);
    assert.ok(total > 20, `${total} rows`);
  });
});
