import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileQuery, postgresDialect } from '../../src/store/index.ts';
import { splittableQuery, withBlockRange } from '../../src/store/postgres/copy-split.ts';
import { inlineParams } from '../../src/store/postgres/copy-sql.ts';
import { analyze } from '../../src/zoql/index.ts';

const NOW = Date.UTC(2025, 0, 15, 12);

function compiled(zoql: string, opts: Partial<Parameters<typeof compileQuery>[1]> = {}): string {
  const c = compileQuery(
    analyze(zoql, 'zoqlexport'),
    { now: NOW, timeZone: 'UTC', ...opts },
    postgresDialect,
  );
  return inlineParams(c.sql, c.params);
}

describe('splitting an export query by ranges of its base table', () => {
  it('takes compiled queries whose rows each come from one base row, naming the base table', () => {
    for (const zoql of [
      'select Id, Name from Account',
      'select Id, Invoice.InvoiceNumber, Account.Name, BillToContact.Country from InvoiceItem',
      "select Id from Account where Name = 'order by x' or Balance > 3",
    ])
      assert.deepEqual(
        splittableQuery(compiled(zoql)),
        { table: zoql.includes('InvoiceItem') ? '"InvoiceItem"' : '"Account"' },
        zoql,
      );
    const window = compiled('select Id from Account', {
      window: { afterSeq: 7 },
      deleted: true,
      includeDeleted: 'window',
    });
    assert.deepEqual(splittableQuery(window), { table: '"Account"' });
  });

  it('refuses queries that order, limit, group or aggregate rows, and SQL it does not know', () => {
    for (const zoql of [
      'select Id, Name from Account order by Name',
      'select Id, Name from Account limit 5',
      'select Account.Name, count(Id) from InvoiceItem group by Account.Name',
      'select sum(ChargeAmount) from InvoiceItem',
      'select max(Balance) from Account',
    ])
      assert.equal(splittableQuery(compiled(zoql)), undefined, zoql);
    for (const sql of [
      'SELECT DISTINCT "t0"."Id" FROM "Account" AS "t0"',
      'SELECT "t0"."Id" FROM "Account" AS "t1"',
      'SELECT "t0"."Id" FROM "Account" AS "t0" UNION SELECT \'x\'',
      'SELECT "t0"."Id" FROM "Account" AS "t0" -- comment',
      'SELECT "t0"."Id" FROM "Account" AS "t0"; DELETE FROM "Account"',
      'SELECT "t0"."Id", row_number() OVER () FROM "Account" AS "t0"',
    ])
      assert.equal(splittableQuery(sql), undefined, sql);
  });

  it('adds the range to the whole where clause, keeping its precedence', () => {
    const sql = 'SELECT "t0"."Id" FROM "Account" AS "t0" WHERE "t0"."a" = \'WHERE x\' OR "t0"."b" = 1';
    assert.equal(
      withBlockRange(sql, 3, 9),
      'SELECT "t0"."Id" FROM "Account" AS "t0" WHERE ("t0"."a" = \'WHERE x\' OR "t0"."b" = 1) AND "t0".ctid >= \'(3,0)\'::tid AND "t0".ctid < \'(9,0)\'::tid',
    );
    assert.equal(
      withBlockRange('SELECT "t0"."Id" FROM "Account" AS "t0"', undefined, 4),
      'SELECT "t0"."Id" FROM "Account" AS "t0" WHERE "t0".ctid < \'(4,0)\'::tid',
    );
    const join = compiled('select Id, Account.Name from Invoice where Amount > 5');
    assert.ok(withBlockRange(join, 2, undefined).endsWith(`) AND "t0".ctid >= '(2,0)'::tid`));
    assert.equal(withBlockRange(join, undefined, undefined), join);
  });
});
