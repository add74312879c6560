/**
 * Nesting limits: parentheses, `not`s and function calls nest at most MAX_NESTING_DEPTH levels, refused
 * with a positioned QueryError however deep the input goes; and/or chains are held balanced, so long
 * flat chains run and the deepest query the limits allow still runs on the store.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryError } from '../../src/errors.ts';
import { MAX_NESTING_DEPTH, MAX_QUERY_LENGTH, MAX_ZOQL_CONDITIONS } from '../../src/limits.ts';
import type { Condition, ConditionNode } from '../../src/zoql/index.ts';
import { analyze, parse } from '../../src/zoql/index.ts';
import { firstColumn, insert, memoryDb, type QueryDb, run } from './db.ts';
import { assertQueryError } from './errors.ts';

const HEAD = 'select Id from Account where ';
const nested = (d: number, cond = "Name = 'x'") => `${HEAD}${'('.repeat(d)}${cond}${')'.repeat(d)}`;
const nots = (d: number) => `${HEAD}${'not '.repeat(d)}Name = 'x'`;
const chain = (n: number, op: 'or' | 'and') =>
  Array.from({ length: n }, (_, i) => `Name = 'n${i}'`).join(` ${op} `);

/** Levels of and, or and not from the root of a condition to its deepest comparison. */
function depth(c: Condition | ConditionNode): number {
  if (c.kind === 'and' || c.kind === 'or') return 1 + Math.max(depth(c.left), depth(c.right));
  if (c.kind === 'not') return 1 + depth(c.operand);
  return 0;
}

/** The comparisons of a condition, left to right. */
function leaves(c: ConditionNode): ConditionNode[] {
  if (c.kind === 'and' || c.kind === 'or') return [...leaves(c.left), ...leaves(c.right)];
  if (c.kind === 'not') return leaves(c.operand);
  return [c];
}

/**
 * The deepest condition the limits let through: MAX_NESTING_DEPTH levels of parentheses, each holding
 * an or chain whose first operand is the next level, the chains as long as MAX_QUERY_LENGTH allows
 * (one more operand per level at a time, to the level whose chain is shortest).
 */
function deepestQuery(leaf: string): string {
  const levels = MAX_NESTING_DEPTH + 1; // the top level needs no parentheses
  const extra = leaf.length + ' or '.length;
  /** Operands a chain needs to reach depth d when balanced: 2^(d-1) + 1. */
  const operands = (d: number) => (d === 0 ? 1 : 2 ** (d - 1) + 1);
  const depths: number[] = Array(levels).fill(0);
  let budget = MAX_QUERY_LENGTH - HEAD.length - leaf.length - 2 * MAX_NESTING_DEPTH;
  for (;;) {
    const i = depths.indexOf(Math.min(...depths));
    const cost = (operands(depths[i]! + 1) - operands(depths[i]!)) * extra;
    if (cost > budget) break;
    budget -= cost;
    depths[i]!++;
  }
  let inner = leaf;
  for (let i = levels - 1; i >= 0; i--) {
    const text = [inner, ...Array(operands(depths[i]!) - 1).fill(leaf)].join(' or ');
    inner = i === 0 ? text : `(${text})`;
  }
  return HEAD + inner;
}

describe('nesting limits', () => {
  it(`accepts ${MAX_NESTING_DEPTH} levels of parentheses and refuses one more, at its parenthesis`, () => {
    assert.equal(analyze(nested(MAX_NESTING_DEPTH), 'zoqlexport').where?.kind, 'compare');
    assertQueryError(
      nested(MAX_NESTING_DEPTH + 1),
      'zoqlexport',
      `conditions are nested more than ${MAX_NESTING_DEPTH} levels deep`,
      1,
      HEAD.length + MAX_NESTING_DEPTH + 1,
    );
  });

  it(`accepts ${MAX_NESTING_DEPTH} nots and refuses one more, at its not`, () => {
    assert.equal(depth(analyze(nots(MAX_NESTING_DEPTH), 'zoqlexport').where!), MAX_NESTING_DEPTH);
    assertQueryError(
      nots(MAX_NESTING_DEPTH + 1),
      'zoqlexport',
      `conditions are nested more than ${MAX_NESTING_DEPTH} levels deep`,
      1,
      HEAD.length + 4 * MAX_NESTING_DEPTH + 1,
    );
  });

  it('counts parentheses and nots together, on any line, in having as in where', () => {
    const half = MAX_NESTING_DEPTH / 2;
    const mixed = `${HEAD}\n${'not ('.repeat(half)}Name = 'x'${')'.repeat(half)}`;
    assert.equal(analyze(mixed, 'zoqlexport').where?.kind, 'not');
    const over = `${HEAD}\n${'not ('.repeat(half)}not Name = 'x'${')'.repeat(half)}`;
    assertQueryError(
      over,
      'zoqlexport',
      `conditions are nested more than ${MAX_NESTING_DEPTH} levels deep`,
      2,
      5 * half + 1,
    );
    const having = `select Name, count(*) from Account group by Name having ${'('.repeat(MAX_NESTING_DEPTH + 1)}count(*) > 1${')'.repeat(MAX_NESTING_DEPTH + 1)}`;
    assertQueryError(
      having,
      'zoqlexport',
      `conditions are nested more than ${MAX_NESTING_DEPTH} levels deep`,
      1,
      having.indexOf('(', having.indexOf('having')) + MAX_NESTING_DEPTH + 1,
    );
  });

  it('parentheses closed again do not add up', () => {
    const group = `${'('.repeat(MAX_NESTING_DEPTH)}Name = 'x'${')'.repeat(MAX_NESTING_DEPTH)}`;
    const text = `${HEAD}${Array(5).fill(group).join(' or ')}`;
    assert.equal(analyze(text, 'zoqlexport').where?.kind, 'or');
  });

  it(`refuses function calls nested more than ${MAX_NESTING_DEPTH} deep, at the call; two deep as before`, () => {
    const d = MAX_NESTING_DEPTH + 1;
    const text = `select ${'max('.repeat(d)}Id${')'.repeat(d)} from Account`;
    assertQueryError(
      text,
      'zoqlexport',
      `function calls are nested more than ${MAX_NESTING_DEPTH} levels deep`,
      1,
      'select '.length + 4 * MAX_NESTING_DEPTH + 1,
    );
    assertQueryError('select max(max(Id)) from Account', 'zoqlexport', 'functions cannot be nested', 1, 12);
    const inHaving = `select Name, count(*) from Account group by Name having ${'('.repeat(MAX_NESTING_DEPTH)}count(*) > 1${')'.repeat(MAX_NESTING_DEPTH)}`;
    assert.equal(analyze(inHaving, 'zoqlexport').having?.kind, 'compare');
  });

  it('answers a QueryError, never a stack overflow, however deep the input within the length limit', () => {
    const d = (MAX_QUERY_LENGTH - HEAD.length - 20) >> 1;
    for (const text of [
      nested(d),
      nots((MAX_QUERY_LENGTH - HEAD.length - 20) >> 2),
      `select ${'max('.repeat((MAX_QUERY_LENGTH - 30) >> 2)}Id from Account`,
      `${HEAD}${'('.repeat(MAX_QUERY_LENGTH - HEAD.length)}`,
      `${HEAD}${'not '.repeat((MAX_QUERY_LENGTH - HEAD.length) >> 2)}`,
    ]) {
      assert.ok(text.length <= MAX_QUERY_LENGTH);
      assert.throws(
        () => analyze(text, 'zoqlexport'),
        (e: unknown) => e instanceof QueryError && /nested more than \d+ levels deep$/.test(e.message),
      );
    }
  });
});

describe('and/or chains', () => {
  let db: QueryDb;
  before(() => {
    db = memoryDb();
    insert(db, 'Account', { Id: 'a1', Name: 'n7', Balance: 1 });
    insert(db, 'Account', { Id: 'a2', Name: 'n1199', Balance: 2 });
    insert(db, 'Account', { Id: 'a3', Name: 'other', Balance: 3 });
    insert(db, 'Account', { Id: 'a4', Name: null, Balance: 4 });
  });
  after(() => db.close());

  it('are held balanced, their comparisons in the order written', () => {
    for (const op of ['or', 'and'] as const) {
      const where = parse(`${HEAD}${chain(1000, op)}`, 'zoqlexport').where!;
      assert.equal(where.kind, op);
      assert.equal(depth(where), 10);
      assert.deepEqual(
        leaves(where).map((c) => (c.kind === 'compare' && c.right.kind === 'literal' ? c.right.text : '')),
        Array.from({ length: 1000 }, (_, i) => `n${i}`),
      );
    }
  });

  it('keep and binding tighter than or', () => {
    const where = parse(`${HEAD}a = 1 or b = 2 and c = 3 and d = 4 or e = 5`, 'zoqlexport').where!;
    assert.equal(where.kind, 'or');
    assert.deepEqual(
      leaves(where).map((c) => c.kind),
      ['compare', 'compare', 'compare', 'compare', 'compare'],
    );
    const ands = (c: ConditionNode): number =>
      c.kind === 'and'
        ? 1 + ands(c.left) + ands(c.right)
        : c.kind === 'or'
          ? ands(c.left) + ands(c.right)
          : 0;
    assert.equal(ands(where), 2);
    const ids = (cond: string) => firstColumn(run(db, `${HEAD}${cond} order by Id`));
    assert.deepEqual(ids("Name = 'n7' or Balance = 2 and Balance = 3 or Name = 'other'"), ['a1', 'a3']);
    assert.deepEqual(ids("Name != 'x' and Balance > 1 and Balance < 4 or Name = 'n7'"), ['a1', 'a2', 'a3']);
  });

  it('run when long: 1,200 ored conditions, 1,200 anded ones', () => {
    const ids = (cond: string) => firstColumn(run(db, `${HEAD}${cond} order by Id`));
    const ors = Array.from({ length: 1200 }, (_, i) => `Name='n${i}'`).join(' or ');
    assert.deepEqual(ids(ors), ['a1', 'a2']);
    assert.deepEqual(ids(Array(1200).fill('Balance>1').join(' and ')), ['a2', 'a3', 'a4']);
    assert.deepEqual(ids(`not (${ors})`), ['a3']);
  });

  it(`run in ZOQL up to ${MAX_ZOQL_CONDITIONS} conditions, and and or mixed`, () => {
    const conds = Array.from({ length: MAX_ZOQL_CONDITIONS }, (_, i) =>
      i % 3 === 2 ? `Name = 'n${i}'` : `Balance != ${i + 10}`,
    );
    const text = `${HEAD}${conds.map((c, i) => (i === 0 ? c : `${i % 3 === 2 ? 'and' : 'or'} ${c}`)).join(' ')}`;
    const where = analyze(text, 'zoql').where!;
    assert.ok(depth(where) <= 16, `depth ${depth(where)}`);
    assert.deepEqual(firstColumn(run(db, text, {}, 'zoql')).sort(), ['a1', 'a2', 'a3', 'a4']);
  });

  it('the deepest query the limits allow runs on the store', () => {
    for (const leaf of ["Id=''", 'Balance>1', "CreatedDate>'2024-01-01'", "Name like 'a%'"]) {
      const text = deepestQuery(leaf);
      assert.ok(text.length <= MAX_QUERY_LENGTH && text.length > MAX_QUERY_LENGTH - 100, leaf);
      const d = depth(analyze(text, 'zoqlexport').where!);
      assert.ok(d > 350 && d < 600, `${leaf}: depth ${d}`);
      assert.ok(Array.isArray(run(db, text)), leaf);
    }
  });
});
