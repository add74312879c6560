import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../src/zoql/index.ts';
import { assertQueryError } from './errors.ts';

const ok = (text: string) => analyze(text, 'zoqlexport');

describe('aggregate and date function rules', () => {
  it('accepts count(*), count(f), count(distinct f), sum, avg, min, max', () => {
    const q = ok(
      'select count(*), count(Name), count(distinct Name), sum(Balance), avg(Balance), min(Name), max(Name) from Account',
    );
    assert.deepEqual(
      q.select.map((e) => (e.kind === 'aggregate' ? `${e.fn}${e.distinct ? '-distinct' : ''}` : e.kind)),
      ['count', 'count', 'count-distinct', 'sum', 'avg', 'min', 'max'],
    );
  });

  it('refuses distinct outside count with code 90020', () => {
    assertQueryError(
      'select sum(distinct Balance) from Account',
      'zoqlexport',
      'distinct may only be used inside count(), not inside sum()',
      1,
      12,
      '90020',
    );
    assertQueryError(
      'select max(distinct Name) from Account',
      'zoqlexport',
      'distinct may only be used inside count(), not inside max()',
      1,
      12,
      '90020',
    );
  });

  it('refuses sum and avg of anything but numbers', () => {
    assertQueryError(
      'select sum(Name) from Account',
      'zoqlexport',
      'sum() needs a number field; Account.Name is a text field',
      1,
      12,
    );
    assertQueryError(
      'select avg(CreatedDate) from Account',
      'zoqlexport',
      'avg() needs a number field; Account.CreatedDate is a dateTime field',
      1,
      12,
    );
  });

  it('refuses nested functions, star outside count and unknown functions', () => {
    assertQueryError(
      'select sum(count(Balance)) from Account',
      'zoqlexport',
      'functions cannot be nested',
      1,
      12,
    );
    assertQueryError(
      'select max(YEAR(CreatedDate)) from Account',
      'zoqlexport',
      'functions cannot be nested',
      1,
      12,
    );
    assertQueryError('select sum(*) from Account', 'zoqlexport', "only count() accepts '*'", 1, 12);
    assertQueryError(
      'select count(distinct *) from Account',
      'zoqlexport',
      'count(distinct ...) needs a field, not *',
      1,
      23,
    );
    assertQueryError('select upper(Name) from Account', 'zoqlexport', "unknown function 'upper'", 1, 8);
  });

  it('requires every non-aggregated select item to be grouped', () => {
    assertQueryError(
      'select Name, count(*) from Account',
      'zoqlexport',
      'Account.Name must appear in group by or inside an aggregate function',
      1,
      8,
    );
    assertQueryError(
      'select Name, Status, count(*) from Account group by Name',
      'zoqlexport',
      'Account.Status must appear in group by or inside an aggregate function',
      1,
      14,
    );
    assertQueryError(
      'select * from Account group by Name',
      'zoqlexport',
      'Account.AccountNumber must appear in group by or inside an aggregate function',
      1,
      8,
    );
    ok('select Name, Status, count(*) from Account group by Status, Name');
    ok('select YEAR(CreatedDate), count(*) from Account group by CreatedDate');
    ok('select BillToContact.State, sum(Balance) from Account group by billtocontact.state');
  });

  it(`allows at most 5 group by fields`, () => {
    ok('select count(*) from Account group by Name, Status, Currency, Batch, CrmId');
    assertQueryError(
      'select count(*) from Account group by Name, Status, Currency, Batch, CrmId, Notes',
      'zoqlexport',
      'group by may hold at most 5 fields',
      1,
      77,
    );
  });

  it('refuses aggregates in group by and in where', () => {
    assertQueryError(
      'select count(*) from Account group by count(*)',
      'zoqlexport',
      'group by cannot hold an aggregate function',
      1,
      39,
    );
    assertQueryError(
      'select Name from Account where count(Id) > 1',
      'zoqlexport',
      'aggregate functions such as count() cannot be used in a where clause; use having',
      1,
      32,
    );
  });

  it('allows date functions in select, group by and having but not in where', () => {
    ok(
      'select YEAR(CreatedDate), count(*) from Account group by YEAR(CreatedDate) having YEAR(CreatedDate) > 2020',
    );
    assertQueryError(
      'select Name from Account where YEAR(CreatedDate) = 2024',
      'zoqlexport',
      'date functions such as YEAR() cannot be used in a where clause',
      1,
      32,
    );
    assertQueryError(
      'select MONTH(Name) from Account',
      'zoqlexport',
      'MONTH() needs a date or dateTime field; Account.Name is a text field',
      1,
      14,
    );
  });

  it('checks having against the groups', () => {
    ok("select Status, count(*) from Account group by Status having count(*) > 2 and Status != 'Draft'");
    assertQueryError(
      "select Status, count(*) from Account group by Status having Name = 'x'",
      'zoqlexport',
      'Account.Name must appear in group by or inside an aggregate function',
      1,
      61,
    );
    assertQueryError(
      "select Status, sum(Balance) from Account group by Status having sum(Balance) > 'lots'",
      'zoqlexport',
      "'lots' is not a valid value for sum(Account.Balance), a decimal field",
      1,
      80,
    );
  });

  it('orders by fields, aggregates and aliases, within the groups', () => {
    const q = ok('select Status, count(*) as "n" from Account group by Status order by n desc, Status');
    assert.deepEqual(
      q.orderBy.map((o) => [o.expr.kind, o.descending]),
      [
        ['aggregate', true],
        ['field', false],
      ],
    );
    assertQueryError(
      'select Status, count(*) from Account group by Status order by Name',
      'zoqlexport',
      'Account.Name must appear in group by or inside an aggregate function',
      1,
      63,
    );
  });
});
