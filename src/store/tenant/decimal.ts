/**
 * Exact decimal arithmetic for the aggregates and comparisons compiled queries need, shared by both
 * stores: SQLite runs it inside its registered functions (sqlite/functions.ts); PostgreSQL computes the
 * same results in SQL (postgres/functions.ts), which the tests check against these.
 */

/** A decimal `n / 10^scale`, exact. */
export interface Decimal {
  readonly n: bigint;
  readonly scale: number;
}

export interface AvgState {
  readonly sum: Decimal;
  readonly count: bigint;
}

/** Places kept by an average, at least (more when the inputs carry more). */
export const AVG_PLACES = 10;

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * The exact decimal a stored value stands for. A REAL's shortest round-trip text is the decimal
 * that was stored, because stored decimals carry at most 15 significant digits.
 * @example formatDecimal(toDecimal(0.1)) === '0.1'
 */
export function toDecimal(v: unknown): Decimal {
  if (typeof v === 'bigint') return { n: v, scale: 0 };
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return { n: BigInt(v), scale: 0 };
    if (!Number.isFinite(v)) throw new RangeError(`not a finite decimal: ${v}`);
    return parseDecimal(String(v));
  }
  if (typeof v === 'string') return parseDecimal(v);
  throw new TypeError(`not a decimal: ${String(v)}`);
}

/** Parses plain or exponent decimal text exactly. */
export function parseDecimal(text: string): Decimal {
  const m = DECIMAL_TEXT.exec(text.trim());
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) throw new RangeError(`not a decimal: ${text}`);
  const frac = m[3] ?? '';
  let n = BigInt(`${m[2] || '0'}${frac}`);
  let scale = frac.length - (m[4] === undefined ? 0 : Number(m[4]));
  if (scale < 0) {
    n *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { n: m[1] === '-' ? -n : n, scale };
}

function align(a: Decimal, scale: number): bigint {
  return a.n * 10n ** BigInt(scale - a.scale);
}

/** a + b, exactly; a null left side stands for "nothing summed yet". */
export function addDecimal(a: Decimal | null, b: Decimal): Decimal {
  if (a === null) return b;
  const scale = Math.max(a.scale, b.scale);
  return { n: align(a, scale) + align(b, scale), scale };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = align(a, scale);
  const y = align(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * Plain notation without exponent or trailing zeros.
 * @example formatDecimal({ n: -1109500n, scale: 2 }) === '-11095'
 */
export function formatDecimal(d: Decimal): string {
  let { n, scale } = d;
  while (scale > 0 && n % 10n === 0n) {
    n /= 10n;
    scale--;
  }
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  return negative ? `-${text}` : text;
}

/** sum / count, rounded half away from zero. */
export function averageText(acc: AvgState): string {
  const places = Math.max(AVG_PLACES, acc.sum.scale);
  const num = acc.sum.n * 10n ** BigInt(places - acc.sum.scale);
  const negative = num < 0n;
  const abs = negative ? -num : num;
  let q = abs / acc.count;
  if ((abs % acc.count) * 2n >= acc.count) q += 1n;
  return formatDecimal({ n: negative ? -q : q, scale: places });
}
