const PLAIN = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Renders a decimal in plain notation: no exponent, no trailing zeros, no `-0`.
 * Numbers are taken from their shortest round-trip form, so a stored 77.86 prints `77.86`;
 * strings (exact aggregates) are normalised the same way. A string that is not a number is
 * returned unchanged.
 * @example formatDecimal(1e-7) === '0.0000001'
 */
export function formatDecimal(value: number | string | bigint): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'bigint') return value.toString();
  return normalize(value.trim());
}

/**
 * The plain form of a number, as `formatDecimal` gives it; integers and cent amounts avoid the
 * slower shortest-form search.
 * @example formatNumber(-11095.5) === '-11095.5'
 */
export function formatNumber(v: number): string {
  if (Number.isInteger(v)) {
    // String(-0) is already '0'; from 1e21 on String() switches to exponent notation.
    if (v < 1e21 && v > -1e21) return String(v);
    return normalize(String(v));
  }
  // When v is the double nearest to c/100 and c has at most 15 digits, no shorter decimal can
  // round to v (15 digits always survive a double), so c/100 is exactly v's shortest form.
  const c = Math.round(v * 100);
  if (c / 100 === v && c < 1e15 && c > -1e15) return cents(c);
  const text = String(v);
  return text.includes('e') ? normalize(text) : text;
}

function cents(c: number): string {
  const neg = c < 0;
  const a = neg ? -c : c;
  const int = Math.floor(a / 100);
  const frac = a - int * 100;
  const tail = frac % 10 === 0 ? String(frac / 10) : frac < 10 ? `0${frac}` : String(frac);
  return `${neg ? '-' : ''}${int}.${tail}`;
}

function normalize(text: string): string {
  const m = PLAIN.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return text;
  const sign = m[1] === '-' ? '-' : '';
  const intDigits = m[2] ?? '';
  let digits = intDigits + (m[3] ?? '');
  let point = intDigits.length + Number(m[4] ?? 0);
  // Leading zeros move the point; trailing zeros only matter left of it.
  let lead = 0;
  while (lead < digits.length && digits.charCodeAt(lead) === 48) lead++;
  digits = digits.slice(lead);
  point -= lead;
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  if (end === 0) return '0';
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits.slice(0, end)}`;
  if (point >= end) return sign + digits.slice(0, end) + '0'.repeat(point - end);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point, end)}`;
}
