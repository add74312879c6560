import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { SqlValue } from '../../src/store/types.ts';
import { firstColumn, insert, memoryDb, run } from './db.ts';

/**
 * Random where clauses over random rows: SQLite must return exactly the rows that a plain
 * TypeScript evaluation of the same predicate (SQL three-valued logic) accepts.
 */

type Kind = 'text' | 'number' | 'boolean' | 'date' | 'dateTime';
type Row = Record<string, SqlValue>;
type Truth = boolean | null;

interface Pred {
  readonly text: string;
  readonly evaluate: (row: Row) => Truth;
}

const DAY = 86_400_000;
const STRINGS = ['a', 'A', 'ab', 'Ab', 'b', 'a_b', 'x*y', "o'k", '', 'a%', 'ba'];
const NUMBERS = [-1.5, 0, 0.1, 0.2, 2, 10.25, 15];
const INTEGERS = [1, 2, 15, 31];
const DATES = ['2024-01-01', '2024-02-29', '2024-03-01'];
const INSTANTS = [
  Date.UTC(2024, 0, 1),
  Date.UTC(2024, 0, 1, 13, 30),
  Date.UTC(2024, 1, 29, 23, 59, 59),
  Date.UTC(2024, 2, 1),
];

const FIELDS: Record<string, Kind> = {
  Name: 'text',
  AccountNumber: 'text',
  'BillToContact.FirstName': 'text',
  Balance: 'number',
  CreditBalance: 'number',
  BillCycleDay: 'number',
  AutoPay: 'boolean',
  InvoiceDeliveryPrefsEmail: 'boolean',
  LastInvoiceDate: 'date',
  TaxExemptEffectiveDate: 'date',
  CreatedDate: 'dateTime',
  UpdatedDate: 'dateTime',
};
const FIELD_NAMES = Object.keys(FIELDS);
const OPS = ['=', '!=', '<', '>', '<=', '>='] as const;
type Op = (typeof OPS)[number];

function compare(a: SqlValue, op: Op, b: SqlValue): Truth {
  if (a === null || b === null) return null;
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '>=':
      return a >= b;
  }
}

function not(t: Truth): Truth {
  return t === null ? null : !t;
}

function and(a: Truth, b: Truth): Truth {
  if (a === false || b === false) return false;
  return a === null || b === null ? null : true;
}

function or(a: Truth, b: Truth): Truth {
  if (a === true || b === true) return true;
  return a === null || b === null ? null : false;
}

function quote(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Field names in random case: names are case-insensitive. */
const fieldText = (name: string) =>
  fc.constantFrom(name, name.toLowerCase(), name.toUpperCase()).map((t) => t);

const opFor = (kind: Kind) => (kind === 'boolean' ? fc.constantFrom<Op>('=', '!=') : fc.constantFrom(...OPS));

function literal(kind: Kind): fc.Arbitrary<{ text: string; test: (v: SqlValue, op: Op) => Truth }> {
  const plain = (text: string, value: SqlValue) => ({
    text,
    test: (v: SqlValue, op: Op) => compare(v, op, value),
  });
  switch (kind) {
    case 'text':
      return fc.constantFrom(...STRINGS).map((s) => plain(quote(s), s));
    case 'number':
      return fc
        .tuple(fc.constantFrom(...NUMBERS), fc.boolean())
        .map(([n, q]) => plain(q ? `'${n}'` : `${n}`, n));
    case 'boolean':
      return fc.boolean().map((b) => plain(b ? 'true' : 'FALSE', b ? 1 : 0));
    case 'date':
      return fc.constantFrom(...DATES).map((d) => plain(quote(d), d));
    case 'dateTime':
      return fc.oneof(
        fc
          .constantFrom(...INSTANTS)
          .map((ms) => plain(quote(new Date(ms).toISOString().replace('.000Z', 'Z')), ms)),
        fc
          .constantFrom(...DATES)
          .map((d) => ({ text: quote(d), test: dayTest(Date.parse(`${d}T00:00:00Z`)) })),
      );
  }
}

/** A bare date against a dateTime covers the whole day (the tenant zone is UTC here). */
function dayTest(start: number): (v: SqlValue, op: Op) => Truth {
  const end = start + DAY;
  return (v, op) => {
    if (v === null) return null;
    const t = v as number;
    switch (op) {
      case '=':
        return t >= start && t < end;
      case '!=':
        return t < start || t >= end;
      case '<':
        return t < start;
      case '<=':
        return t < end;
      case '>':
        return t >= end;
      case '>=':
        return t >= start;
    }
  };
}

const comparison: fc.Arbitrary<Pred> = fc.constantFrom(...FIELD_NAMES).chain((name) => {
  const kind = FIELDS[name]!;
  return fc.tuple(fieldText(name), opFor(kind), literal(kind)).map(([ft, op, lit]) => ({
    text: `${ft} ${op} ${lit.text}`,
    evaluate: (r: Row) => lit.test(r[name] ?? null, op),
  }));
});

const fieldToField: fc.Arbitrary<Pred> = fc.constantFrom(...FIELD_NAMES).chain((left) => {
  const kind = FIELDS[left]!;
  const partners = FIELD_NAMES.filter((n) => FIELDS[n] === kind);
  return fc.tuple(fc.constantFrom(...partners), opFor(kind)).map(([right, op]) => ({
    text: `${left} ${op} ${right}`,
    evaluate: (r: Row) => compare(r[left] ?? null, op, r[right] ?? null),
  }));
});

const nullTest: fc.Arbitrary<Pred> = fc
  .tuple(fc.constantFrom(...FIELD_NAMES), fc.constantFrom('is null', 'is not null', '!= null', '= null'))
  .map(([name, form]) => ({
    text: `${name} ${form}`,
    evaluate: (r: Row) => ((r[name] ?? null) === null) === (form === 'is null' || form === '= null'),
  }));

const likeTest: fc.Arbitrary<Pred> = fc
  .tuple(
    fc.constantFrom('Name', 'AccountNumber', 'BillToContact.FirstName'),
    fc.boolean(),
    fc.array(fc.constantFrom('a', 'A', 'b', '_', '*', '?', '[', "'"), { maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([name, negated, core, lead, trail]) => {
    const pattern = `${lead ? '%' : ''}${core.join('')}${trail ? '%' : ''}`;
    const body = core.map((c) => (c === '_' ? '.' : c.replace(/[*?[\\^$.|+(){}]/g, '\\$&'))).join('');
    const re = new RegExp(`${lead ? '' : '^'}${body}${trail ? '' : '$'}`, 's');
    return {
      text: `${name} ${negated ? 'not ' : ''}like ${quote(pattern)}`,
      evaluate: (r: Row) => {
        const v = r[name] ?? null;
        if (v === null) return null;
        const m = re.test(v as string);
        return negated ? !m : m;
      },
    };
  });

const predicate: fc.Arbitrary<Pred> = fc.letrec<{ p: Pred }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    comparison,
    fieldToField,
    nullTest,
    likeTest,
    fc.tuple(tie('p'), tie('p')).map(([a, b]) => ({
      text: `(${a.text}) and (${b.text})`,
      evaluate: (r: Row) => and(a.evaluate(r), b.evaluate(r)),
    })),
    fc.tuple(tie('p'), tie('p')).map(([a, b]) => ({
      text: `${a.text} OR ${b.text}`,
      evaluate: (r: Row) => or(a.evaluate(r), b.evaluate(r)),
    })),
    tie('p').map((a) => ({ text: `not (${a.text})`, evaluate: (r: Row) => not(a.evaluate(r)) })),
  ),
})).p;

const CONTACTS: Record<string, string | null> = { c0: 'a', c1: 'Ab', c2: null };

const account = fc.record({
  Name: fc.option(fc.constantFrom(...STRINGS)),
  AccountNumber: fc.option(fc.constantFrom(...STRINGS)),
  BillToId: fc.option(fc.constantFrom('c0', 'c1', 'c2', 'c3', 'cx')),
  Balance: fc.option(fc.constantFrom(...NUMBERS)),
  CreditBalance: fc.option(fc.constantFrom(...NUMBERS)),
  BillCycleDay: fc.option(fc.constantFrom(...INTEGERS)),
  AutoPay: fc.option(fc.constantFrom(0, 1)),
  InvoiceDeliveryPrefsEmail: fc.option(fc.constantFrom(0, 1)),
  LastInvoiceDate: fc.option(fc.constantFrom(...DATES)),
  TaxExemptEffectiveDate: fc.option(fc.constantFrom(...DATES)),
  CreatedDate: fc.option(fc.constantFrom(...INSTANTS)),
  UpdatedDate: fc.option(fc.constantFrom(...INSTANTS)),
});

describe('where clauses agree with a TypeScript evaluation', () => {
  it('returns exactly the rows the predicate accepts', () => {
    fc.assert(
      fc.property(
        fc.array(account, { maxLength: 12 }),
        fc.array(predicate, { minLength: 1, maxLength: 10 }),
        (accounts, preds) => {
          const db = memoryDb();
          for (const [id, first] of Object.entries(CONTACTS))
            insert(db, 'Contact', { Id: id, FirstName: first });
          insert(db, 'Contact', { Id: 'c3', FirstName: 'b' }, { deletedAt: 1 });
          const rows: Row[] = accounts.map((a, i) => {
            const row = { Id: `a${String(i).padStart(2, '0')}`, ...a };
            insert(db, 'Account', row);
            const contact = a.BillToId === null ? null : (CONTACTS[a.BillToId] ?? null);
            return { ...row, 'BillToContact.FirstName': contact };
          });
          try {
            for (const pred of preds) {
              const expected = rows.filter((r) => pred.evaluate(r) === true).map((r) => r.Id);
              const sql = `select Id from Account where ${pred.text} order by Id`;
              assert.deepEqual(firstColumn(run(db, sql, { timeZone: 'UTC' })), expected, pred.text);
            }
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
