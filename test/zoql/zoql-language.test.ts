import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_ZOQL_CONDITIONS } from '../../src/limits.ts';
import { analyze } from '../../src/zoql/index.ts';
import { insert, memoryDb, run } from './db.ts';
import { assertQueryError } from './errors.ts';

describe('ZOQL (zoql)', () => {
  it('selects fields of one object', () => {
    const q = analyze(
      "select Id, Name from Account where Status = 'Active' or Name = 'x' and Balance > 0",
      'zoql',
    );
    assert.deepEqual(
      q.columns.map((c) => c.nameHeader),
      ['Account.Id', 'Account.Name'],
    );
    assert.equal(q.where?.kind, 'or');
    if (q.where?.kind === 'or') assert.equal(q.where.right.kind, 'and');
  });

  it('refuses joins, *, functions, aliases, parentheses, not and is null', () => {
    assertQueryError(
      'select BillToContact.FirstName from Account',
      'zoql',
      "ZOQL has no joins: 'BillToContact' is not Account",
      1,
      8,
    );
    assertQueryError('select * from Account', 'zoql', "ZOQL has no '*': name the fields", 1, 8);
    assertQueryError('select count(Id) from Account', 'zoql', 'ZOQL has no functions', 1, 8);
    assertQueryError('select Id as "x" from Account', 'zoql', 'ZOQL has no aliases', 1, 11);
    assertQueryError(
      "select Id from Account where (Name = 'a' or Name = 'b')",
      'zoql',
      'ZOQL has no parentheses in a where clause; and binds tighter than or',
      1,
      30,
    );
    assertQueryError(
      "select Id from Account where not Name = 'a'",
      'zoql',
      "ZOQL has no 'not': use '!=' or reverse the comparison",
      1,
      30,
    );
    assertQueryError(
      'select Id from Account where Name is null',
      'zoql',
      "ZOQL tests for null with '= null' or '!= null'",
      1,
      35,
    );
  });

  it('refuses order by, group by, having and limit', () => {
    assertQueryError(
      'select Id from Account order by Id',
      'zoql',
      "ZOQL has no 'order by'; Export ZOQL (zoqlexport) does",
      1,
      24,
    );
    assertQueryError(
      'select Id from Account group by Id',
      'zoql',
      "ZOQL has no 'group by'; Export ZOQL (zoqlexport) does",
      1,
      24,
    );
    assertQueryError(
      'select Id from Account limit 5',
      'zoql',
      "ZOQL has no 'limit'; Export ZOQL (zoqlexport) does",
      1,
      24,
    );
    assertQueryError(
      "select Id from Account where Name = 'a' having",
      'zoql',
      "ZOQL has no 'having'; Export ZOQL (zoqlexport) does",
      1,
      41,
    );
  });

  it('refuses field-to-field comparison', () => {
    assertQueryError(
      'select Id from Account where Name = AccountNumber',
      'zoql',
      'ZOQL cannot compare a field with another field',
      1,
      37,
    );
  });

  it(`allows at most ${MAX_ZOQL_CONDITIONS} conditions`, () => {
    const conds = (n: number) => Array.from({ length: n }, (_, i) => `Name = 'n${i}'`).join(' or ');
    assert.equal(
      analyze(`select Id from Account where ${conds(MAX_ZOQL_CONDITIONS)}`, 'zoql').where?.kind,
      'or',
    );
    const text = `select Id from Account where ${conds(MAX_ZOQL_CONDITIONS + 1)}`;
    assertQueryError(
      text,
      'zoql',
      'a ZOQL where clause may hold at most 200 conditions',
      1,
      text.lastIndexOf('Name') + 1,
    );
  });

  it('tests for null with = null and != null', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Name: 'x', Notes: null });
    insert(db, 'Account', { Id: 'a2', Name: 'y', Notes: 'n' });
    assert.deepEqual(run(db, 'select Id from Account where Notes = null', {}, 'zoql'), [['a1']]);
    assert.deepEqual(run(db, 'select Id from Account where Notes != null', {}, 'zoql'), [['a2']]);
  });

  it('unescapes backslash escapes in values', () => {
    const db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Name: 'O\'Brien "Jr" \\ line\nnext\ttab' });
    insert(db, 'Account', { Id: 'a2', Name: 'OBrien' });
    assert.deepEqual(
      run(
        db,
        "select Id from Account where Name = 'O\\'Brien \\\"Jr\\\" \\\\ line\\nnext\\ttab'",
        {},
        'zoql',
      ),
      [['a1']],
    );
  });

  it('hides rate plans removed by an amendment, in ZOQL only', () => {
    const db = memoryDb();
    insert(db, 'RatePlan', { Id: 'r1', Name: 'kept', AmendmentType: null });
    insert(db, 'RatePlan', { Id: 'r2', Name: 'added', AmendmentType: 'NewProduct' });
    insert(db, 'RatePlan', { Id: 'r3', Name: 'removed', AmendmentType: 'RemoveProduct' });
    assert.deepEqual(run(db, 'select Id from RatePlan', {}, 'zoql'), [['r1'], ['r2']]);
    assert.deepEqual(run(db, "select Id from RatePlan where Name = 'removed' or Name = 'kept'", {}, 'zoql'), [
      ['r1'],
    ]);
    assert.deepEqual(run(db, 'select Id from RatePlan', {}, 'zoqlexport'), [['r1'], ['r2'], ['r3']]);
  });
});
