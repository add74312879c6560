import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/zoql/index.ts';
import { assertQueryError } from './errors.ts';

const columns = (text: string) =>
  analyze(text, 'zoqlexport').columns.map((c) => [c.nameHeader, c.labelHeader, c.type]);

describe('output columns', () => {
  it('gives name and label headers for base and joined fields', () => {
    assert.deepEqual(columns('select Balance, billtocontact.Id, Account.Name from Account'), [
      ['Account.Balance', 'Account: Account Balance', 'decimal'],
      ['BillToContact.Id', 'Bill To: ID', 'ID'],
      ['Account.Name', 'Account: Name', 'string'],
    ]);
    assert.deepEqual(columns('select StartDate from AccountingPeriod'), [
      ['AccountingPeriod.StartDate', 'Accounting Period: Start Date', 'date'],
    ]);
  });

  it('lets an alias replace both headers', () => {
    const q = analyze('select Name as "Account Name", Balance as bal from Account', 'zoqlexport');
    assert.deepEqual(
      q.columns.map((c) => [c.nameHeader, c.labelHeader, c.type]),
      [
        ['Account Name', 'Account Name', 'string'],
        ['bal', 'bal', 'decimal'],
      ],
    );
    assert.equal(q.hasAliases, true);
  });

  it('ignores an alias equal to the column name, ignoring case', () => {
    const q = analyze('select Name as "account.name" from Account', 'zoqlexport');
    assert.deepEqual(
      q.columns.map((c) => [c.nameHeader, c.labelHeader]),
      [['Account.Name', 'Account: Name']],
    );
    assert.equal(q.hasAliases, false);
  });

  it('refuses an alias used twice', () => {
    assertQueryError(
      'select Name as "X", Id as "x" from Account',
      'zoqlexport',
      'the alias "x" is used twice',
      1,
      27,
    );
  });

  it('names aggregates and date functions canonically in both header modes', () => {
    assert.deepEqual(
      columns(
        'select COUNT(*), Count(id), count(DISTINCT account.id), SUM(balance), avg(BillCycleDay), ' +
          'min(Name), MAX(CreatedDate), year(createddate), date(CreatedDate), week(LastInvoiceDate), ' +
          'weekofyear(CreatedDate), quarter(CreatedDate), month(CreatedDate), sum(BillCycleDay) from Account ' +
          'group by YEAR(CreatedDate), DATE(CreatedDate), WEEK(LastInvoiceDate), CreatedDate',
      ),
      [
        ['count(*)', 'count(*)', 'integer'],
        ['count(Account.Id)', 'count(Account.Id)', 'integer'],
        ['count(distinct Account.Id)', 'count(distinct Account.Id)', 'integer'],
        ['sum(Account.Balance)', 'sum(Account.Balance)', 'decimal'],
        ['avg(Account.BillCycleDay)', 'avg(Account.BillCycleDay)', 'decimal'],
        ['min(Account.Name)', 'min(Account.Name)', 'string'],
        ['max(Account.CreatedDate)', 'max(Account.CreatedDate)', 'dateTime'],
        ['YEAR(Account.CreatedDate)', 'YEAR(Account.CreatedDate)', 'integer'],
        ['DATE(Account.CreatedDate)', 'DATE(Account.CreatedDate)', 'date'],
        ['WEEK(Account.LastInvoiceDate)', 'WEEK(Account.LastInvoiceDate)', 'integer'],
        ['WEEKOFYEAR(Account.CreatedDate)', 'WEEKOFYEAR(Account.CreatedDate)', 'integer'],
        ['QUARTER(Account.CreatedDate)', 'QUARTER(Account.CreatedDate)', 'integer'],
        ['MONTH(Account.CreatedDate)', 'MONTH(Account.CreatedDate)', 'integer'],
        ['sum(Account.BillCycleDay)', 'sum(Account.BillCycleDay)', 'integer'],
      ],
    );
  });

  it('reports functions and aliases for the segmenting rule', () => {
    const plain = analyze("select Name from Account where Name = 'x' order by Name", 'zoqlexport');
    assert.deepEqual([plain.hasFunctions, plain.hasAliases, plain.grouped], [false, false, false]);
    const dated = analyze('select YEAR(CreatedDate) from Account', 'zoqlexport');
    assert.deepEqual([dated.hasFunctions, dated.hasAliases, dated.grouped], [true, false, false]);
    const counted = analyze('select count(*) as n from Account', 'zoqlexport');
    assert.deepEqual([counted.hasFunctions, counted.hasAliases, counted.grouped], [true, true, true]);
  });

  it('keeps ZOQL headers in the same shape', () => {
    assert.deepEqual(
      analyze('select name, AccountNumber from account', 'zoql').columns.map((c) => [
        c.nameHeader,
        c.labelHeader,
      ]),
      [
        ['Account.Name', 'Account: Name'],
        ['Account.AccountNumber', 'Account: Account Number'],
      ],
    );
  });
});
