import { MAX_DECIMAL_DIGITS } from '../../limits.ts';

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/** Why a decimal text was refused, or the digits it carries. */
export type DecimalCheck =
  | { ok: true; digits: number }
  | { ok: false; reason: 'syntax' | 'digits'; digits: number };

/**
 * Counts the digits a decimal needs written plainly, without leading or trailing zeros that carry nothing:
 * `77.86` → 4, `1000` → 4, `0.001` → 1, `1e3` → 4, `-11095` → 5.
 * Integer digits all count (a REAL keeps `1000` exactly, but `1e20` written plainly is 21 digits).
 */
export function checkDecimalText(text: string): DecimalCheck {
  const m = DECIMAL.exec(text);
  if (!m) return { ok: false, reason: 'syntax', digits: 0 };
  const intPart = m[2] ?? '';
  const fracPart = m[3] ?? '';
  if (intPart === '' && fracPart === '') return { ok: false, reason: 'syntax', digits: 0 };
  const exp = m[4] === undefined ? 0 : Number(m[4]);
  // Shift the point by the exponent over the full digit string, then trim.
  const all = intPart + fracPart;
  const point = intPart.length + exp;
  let first = 0;
  while (first < all.length && all[first] === '0') first++;
  if (first === all.length) return { ok: true, digits: 1 };
  let last = all.length - 1;
  while (all[last] === '0') last--;
  // Digits from the first non-zero one to the units position or the last non-zero one, whichever is lower.
  const lastPos = Math.max(last + 1, point);
  const digits = first < point ? lastPos - first : last + 1 - first;
  return digits <= MAX_DECIMAL_DIGITS ? { ok: true, digits } : { ok: false, reason: 'digits', digits };
}

/**
 * Digits of a JavaScript number as a decimal, from its shortest round-trip text
 * (`0.1 + 0.2` is `0.30000000000000004`: 17 digits).
 */
export function checkDecimalNumber(n: number): DecimalCheck {
  if (!Number.isFinite(n)) return { ok: false, reason: 'syntax', digits: 0 };
  return checkDecimalText(String(n));
}
