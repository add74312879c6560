import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { insert, memoryDb, run } from './db.ts';

/**
 * Random group by / aggregate queries over random rows, checked against groups computed in
 * TypeScript with exact decimal arithmetic written independently of the store's.
 */

interface Row {
  Status: string | null;
  AutoPay: number | null;
  BillCycleDay: number | null;
  Name: string | null;
  /** Hundredths, so sums are exact integers here. */
  cents: number | null;
}

type Agg = { text: string; compute: (rows: Row[]) => unknown };

/** Plain decimal text of `n / 10^scale`, without trailing zeros. */
function decimalText(n: bigint, scale: number): string {
  const negative = n < 0n;
  let digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  let intPart = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale).replace(/0+$/, '');
  if (scale === 0) {
    intPart = digits;
    frac = '';
  }
  digits = frac ? `${intPart}.${frac}` : intPart;
  return negative && digits !== '0' ? `-${digits}` : digits;
}

function roundedQuotient(num: bigint, den: bigint): bigint {
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / den;
  if ((abs % den) * 2n >= den) q += 1n;
  return negative ? -q : q;
}

const present = <T>(xs: (T | null)[]): T[] => xs.filter((x): x is T => x !== null);

const AGGREGATES: Agg[] = [
  { text: 'count(*)', compute: (rs) => rs.length },
  { text: 'count(Balance)', compute: (rs) => present(rs.map((r) => r.cents)).length },
  { text: 'count(distinct Name)', compute: (rs) => new Set(present(rs.map((r) => r.Name))).size },
  {
    text: 'sum(Balance)',
    compute: (rs) => {
      const xs = present(rs.map((r) => r.cents));
      return xs.length === 0
        ? null
        : decimalText(
            xs.reduce((a, b) => a + BigInt(b), 0n),
            2,
          );
    },
  },
  {
    text: 'avg(Balance)',
    compute: (rs) => {
      const xs = present(rs.map((r) => r.cents));
      if (xs.length === 0) return null;
      const total = xs.reduce((a, b) => a + BigInt(b), 0n);
      return decimalText(roundedQuotient(total * 10n ** 8n, BigInt(xs.length)), 10);
    },
  },
  {
    text: 'sum(BillCycleDay)',
    compute: (rs) => {
      const xs = present(rs.map((r) => r.BillCycleDay));
      return xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0);
    },
  },
  {
    text: 'avg(BillCycleDay)',
    compute: (rs) => {
      const xs = present(rs.map((r) => r.BillCycleDay));
      if (xs.length === 0) return null;
      const total = BigInt(xs.reduce((a, b) => a + b, 0));
      return decimalText(roundedQuotient(total * 10n ** 10n, BigInt(xs.length)), 10);
    },
  },
  {
    text: 'min(Name)',
    compute: (rs) =>
      present(rs.map((r) => r.Name)).reduce<string | null>((m, x) => (m === null || x < m ? x : m), null),
  },
  {
    text: 'max(Balance)',
    compute: (rs) => {
      const xs = present(rs.map((r) => r.cents));
      return xs.length === 0 ? null : Math.max(...xs) / 100;
    },
  },
];

const KEYS = ['Status', 'AutoPay', 'BillCycleDay'] as const;

const row = fc.record({
  Status: fc.option(fc.constantFrom('Active', 'Draft', 'active')),
  AutoPay: fc.option(fc.constantFrom(0, 1)),
  BillCycleDay: fc.option(fc.integer({ min: -5, max: 31 })),
  Name: fc.option(fc.constantFrom('a', 'B', 'b', 'Ab')),
  cents: fc.option(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 })),
});

const query = fc.record({
  keys: fc.subarray([...KEYS], { minLength: 0, maxLength: 2 }),
  aggs: fc.subarray(AGGREGATES, { minLength: 1 }),
  minCount: fc.option(fc.integer({ min: 1, max: 3 })),
});

describe('group by and aggregates agree with a TypeScript evaluation', () => {
  it('returns one row per group with exact aggregates', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 25 }), query, (rows, q) => {
        const db = memoryDb();
        rows.forEach((r, i) => {
          const { cents, ...rest } = r;
          insert(db, 'Account', { Id: `a${i}`, ...rest, Balance: cents === null ? null : cents / 100 });
        });
        const select = [...q.keys, ...q.aggs.map((a) => a.text)].join(', ');
        let text = `select ${select} from Account`;
        if (q.keys.length > 0) text += ` group by ${q.keys.join(', ')}`;
        if (q.minCount !== null) text += ` having count(*) >= ${q.minCount}`;
        const actual = run(db, text);
        db.close();

        const groups = new Map<string, Row[]>();
        for (const r of rows) {
          const key = JSON.stringify(q.keys.map((k) => r[k]));
          groups.set(key, [...(groups.get(key) ?? []), r]);
        }
        if (q.keys.length === 0 && groups.size === 0) groups.set('[]', []);
        const expected = [...groups.entries()]
          .filter(([, rs]) => q.minCount === null || rs.length >= q.minCount)
          .map(([key, rs]) => [...(JSON.parse(key) as unknown[]), ...q.aggs.map((a) => a.compute(rs))]);
        const sorted = (xs: unknown[][]) => xs.map((x) => JSON.stringify(x)).sort();
        assert.deepEqual(sorted(actual), sorted(expected), text);
      }),
      { numRuns: 200 },
    );
  });
});
