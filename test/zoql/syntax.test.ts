import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_QUERY_LENGTH } from '../../src/limits.ts';
import { parse } from '../../src/zoql/index.ts';
import { assertQueryError } from './errors.ts';

describe('syntax', () => {
  it('parses every clause of Export ZOQL with positions', () => {
    const ast = parse(
      'select Name as "N", count(distinct Id) from Account where not (a = 1 or b is not null) and c like \'x%\' ' +
        'group by Name having count(*) > 1 order by Name desc, Id limit 10, 20',
      'zoqlexport',
    );
    assert.equal(ast.select.length, 2);
    assert.deepEqual(ast.select[0]?.alias, { text: 'N', line: 1, column: 16 });
    assert.deepEqual(ast.from, { text: 'Account', line: 1, column: 45 });
    assert.equal(ast.where?.kind, 'and');
    assert.equal(ast.groupBy.length, 1);
    assert.equal(ast.having?.kind, 'compare');
    assert.deepEqual(
      ast.orderBy.map((o) => o.descending),
      [true, false],
    );
    assert.deepEqual(ast.limit, { offset: 10, count: 20, line: 1, column: 161 });
  });

  it('binds and tighter than or, and not tighter than and', () => {
    const ast = parse('select Id from Account where a = 1 or not b = 2 and c = 3', 'zoqlexport');
    const w = ast.where;
    assert.equal(w?.kind, 'or');
    if (w?.kind !== 'or') return;
    assert.equal(w.right.kind, 'and');
    if (w.right.kind !== 'and') return;
    assert.equal(w.right.left.kind, 'not');
  });

  it('reads limit n as offset 0', () => {
    assert.deepEqual(parse('select Id from Account limit 5', 'zoqlexport').limit, {
      offset: 0,
      count: 5,
      line: 1,
      column: 24,
    });
  });

  it('names what it expected and what it found', () => {
    assertQueryError('select Name where Id = 1', 'zoqlexport', "expected 'from' but found 'where'", 1, 13);
    assertQueryError('Name from Account', 'zoqlexport', "expected 'select' but found 'Name'", 1, 1);
    assertQueryError('select from Account', 'zoqlexport', "expected a field name but found 'from'", 1, 8);
    assertQueryError(
      'select Name from',
      'zoqlexport',
      'expected an object name but found the end of the query',
      1,
      17,
    );
    assertQueryError(
      'select Name, from Account',
      'zoqlexport',
      "expected a field name but found 'from'",
      1,
      14,
    );
    assertQueryError(
      'select Name from Account where',
      'zoqlexport',
      'expected a field or a value but found the end of the query',
      1,
      31,
    );
    assertQueryError(
      'select Name from Account where Name',
      'zoqlexport',
      "expected a comparison operator, 'is' or 'like' but found the end of the query",
      1,
      36,
    );
    assertQueryError(
      'select Name from Account where (Name = 1',
      'zoqlexport',
      "expected ')' but found the end of the query",
      1,
      41,
    );
    assertQueryError(
      'select Name from Account where Name is 5',
      'zoqlexport',
      "expected 'null' but found '5'",
      1,
      40,
    );
    assertQueryError(
      'select Name from Account where Name like Name',
      'zoqlexport',
      "expected a quoted pattern after 'like' but found 'Name'",
      1,
      42,
    );
    assertQueryError(
      'select Name from Account Account',
      'zoqlexport',
      "expected a clause or the end of the query but found 'Account'",
      1,
      26,
    );
    assertQueryError(
      'select Name from Account order Name',
      'zoqlexport',
      "expected 'by' but found 'Name'",
      1,
      32,
    );
    assertQueryError(
      'select Name from Account limit x',
      'zoqlexport',
      "expected a whole number but found 'x'",
      1,
      32,
    );
    assertQueryError(
      'select Name from Account limit 1.5',
      'zoqlexport',
      "expected a whole number but found '1.5'",
      1,
      32,
    );
    assertQueryError(
      'select a.b.c from Account',
      'zoqlexport',
      'a name has at most two parts: Relation.Field',
      1,
      11,
    );
    assertQueryError(
      'select Name as from Account',
      'zoqlexport',
      "expected an alias after 'as' but found 'from'",
      1,
      16,
    );
    assertQueryError(
      "select Name from Account where 'a' = 'b'",
      'zoqlexport',
      'a comparison needs a field on at least one side',
      1,
      32,
    );
  });

  it('accepts keywords in any case', () => {
    const ast = parse(
      'SeLeCt Name FROM Account WHERE Name IS NOT NULL ORDER BY Name DESC LIMIT 1',
      'zoqlexport',
    );
    assert.equal(ast.where?.kind, 'isNull');
    assert.equal(ast.orderBy[0]?.descending, true);
  });

  it(`refuses a query longer than ${MAX_QUERY_LENGTH} characters`, () => {
    const text = `select Name from Account where Name = '${'x'.repeat(MAX_QUERY_LENGTH)}'`;
    assertQueryError(
      text,
      'zoqlexport',
      `a query may hold at most 20000 characters, this one has ${text.length}`,
      1,
      1,
    );
    const fits = `select Name from Account where Name = '${'x'.repeat(MAX_QUERY_LENGTH - 40)}'`;
    assert.ok(fits.length <= MAX_QUERY_LENGTH);
    assert.equal(parse(fits, 'zoqlexport').where?.kind, 'compare');
  });
});
