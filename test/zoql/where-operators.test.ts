import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { firstColumn, insert, memoryDb, type QueryDb, run } from './db.ts';
import { assertQueryError } from './errors.ts';

describe('where operators on the embedded store', () => {
  let db: QueryDb;
  const ids = (cond: string) => firstColumn(run(db, `select Id from Account where ${cond} order by Id`));

  before(() => {
    db = memoryDb();
    insert(db, 'Account', {
      Id: 'a1',
      Name: 'Acme',
      AccountNumber: 'Acme',
      Balance: 10.5,
      BillCycleDay: 1,
      AutoPay: 1,
    });
    insert(db, 'Account', {
      Id: 'a2',
      Name: 'acme',
      AccountNumber: 'X',
      Balance: -2,
      BillCycleDay: 15,
      AutoPay: 0,
    });
    insert(db, 'Account', { Id: 'a3', Name: 'Acme Corp', AccountNumber: null, Balance: 0, BillCycleDay: 31 });
    insert(db, 'Account', {
      Id: 'a4',
      Name: null,
      AccountNumber: 'A*?[x]',
      Balance: null,
      BillCycleDay: null,
    });
    insert(db, 'Account', {
      Id: 'a5',
      Name: 'Bcme',
      AccountNumber: 'A_c',
      Balance: 10.5,
      BillCycleDay: 7,
      AutoPay: 1,
    });
  });

  it('compares with = != < > <= >= and never matches nulls', () => {
    assert.deepEqual(ids("Name = 'Acme'"), ['a1']);
    assert.deepEqual(ids("Name != 'Acme'"), ['a2', 'a3', 'a5']);
    assert.deepEqual(ids('Balance < 0'), ['a2']);
    assert.deepEqual(ids('Balance > 0'), ['a1', 'a5']);
    assert.deepEqual(ids("Balance <= '0'"), ['a2', 'a3']);
    assert.deepEqual(ids('Balance >= 10.5'), ['a1', 'a5']);
    assert.deepEqual(ids('BillCycleDay != 15'), ['a1', 'a3', 'a5']);
  });

  it('compares strings case-sensitively', () => {
    assert.deepEqual(ids("Name = 'acme'"), ['a2']);
    assert.deepEqual(ids("Name > 'B'"), ['a2', 'a5']);
  });

  it('tests nulls with is null, is not null, = null and != null', () => {
    assert.deepEqual(ids('AccountNumber is null'), ['a3']);
    assert.deepEqual(ids('AccountNumber is not null'), ['a1', 'a2', 'a4', 'a5']);
    assert.deepEqual(ids('AccountNumber != null'), ['a1', 'a2', 'a4', 'a5']);
    assert.deepEqual(ids('AccountNumber = null'), ['a3']);
    assertQueryError(
      'select Id from Account where Name > null',
      'zoqlexport',
      "null can only be compared with '=' or '!='",
      1,
      30,
    );
  });

  it('compares booleans with = and != only', () => {
    assert.deepEqual(ids('AutoPay = true'), ['a1', 'a5']);
    assert.deepEqual(ids("AutoPay != 'true'"), ['a2']);
    assertQueryError(
      'select Id from Account where AutoPay > false',
      'zoqlexport',
      "Account.AutoPay is a boolean field: compare it only with '=' or '!='",
      1,
      30,
    );
  });

  it('matches like patterns case-sensitively with % at the ends and _ for one character', () => {
    assert.deepEqual(ids("Name like 'Acme%'"), ['a1', 'a3']);
    assert.deepEqual(ids("Name like 'acme%'"), ['a2']);
    assert.deepEqual(ids("Name like '%cme'"), ['a1', 'a2', 'a5']);
    assert.deepEqual(ids("Name like '%me%'"), ['a1', 'a2', 'a3', 'a5']);
    assert.deepEqual(ids("Name like '_cme'"), ['a1', 'a2', 'a5']);
    assert.deepEqual(ids("Name like 'Acme'"), ['a1']);
    assert.deepEqual(ids("Name not like 'Acme%'"), ['a2', 'a5']);
    assert.deepEqual(ids("Name like '%'"), ['a1', 'a2', 'a3', 'a5']);
  });

  it('treats glob characters in a like pattern as themselves', () => {
    assert.deepEqual(ids("AccountNumber like 'A*?[x]'"), ['a4']);
    assert.deepEqual(ids("AccountNumber like 'A*%'"), ['a4']);
    assert.deepEqual(ids("AccountNumber like 'A_c'"), ['a5']);
    assert.deepEqual(ids("AccountNumber like '%]'"), ['a4']);
  });

  it("refuses '%' inside a like pattern and like on non-text fields", () => {
    assertQueryError(
      "select Id from Account where Name like 'a%b'",
      'zoqlexport',
      "'%' may only stand at the start or end of a like pattern",
      1,
      42,
    );
    assertQueryError(
      "select Id from Account where Balance like '1%'",
      'zoqlexport',
      'like applies to text fields; Account.Balance is a decimal field',
      1,
      30,
    );
  });

  it('combines with and, or, not and parentheses', () => {
    assert.deepEqual(ids("Name = 'Acme' or Name = 'acme' and Balance > 0"), ['a1']);
    assert.deepEqual(ids("(Name = 'Acme' or Name = 'acme') and Balance < 0"), ['a2']);
    assert.deepEqual(ids("not Name = 'Acme'"), ['a2', 'a3', 'a5']);
    assert.deepEqual(ids("not (Name like 'A%' or Balance > 0)"), ['a2']);
  });

  it('compares a field with another field', () => {
    assert.deepEqual(ids('Name = AccountNumber'), ['a1']);
    assert.deepEqual(ids('Name != AccountNumber'), ['a2', 'a5']);
    assert.deepEqual(ids('Balance > BillCycleDay'), ['a1', 'a5']);
    assertQueryError(
      'select Id from Account where Name = Balance',
      'zoqlexport',
      'cannot compare Account.Name, a text field, with Account.Balance, a decimal field',
      1,
      30,
    );
  });

  it('accepts a value on the left of a comparison', () => {
    assert.deepEqual(ids('0 < Balance'), ['a1', 'a5']);
    assert.deepEqual(ids("'Acme' = Name"), ['a1']);
  });
});
