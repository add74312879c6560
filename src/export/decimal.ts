/**
 * Renders a decimal in plain notation: no exponent, no trailing zeros, no `-0`.
 * Numbers are taken from their shortest round-trip form, so a stored 77.86 prints `77.86`.
 * @example formatDecimal(1e-7) === '0.0000001'
 */
export function formatDecimal(value: number | string | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (typeof value === 'number' && !text.includes('e') && !text.includes('E')) {
    return text === '-0' ? '0' : text;
  }
  return normalize(text);
}

function normalize(text: string): string {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return text;
  const sign = m[1] === '-' ? '-' : '';
  let digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  let point = (m[2] ?? '').length + Number(m[4] ?? 0);
  // Leading zeros move the point; trailing zeros after it do not matter.
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead);
  point -= lead;
  if (digits === '') return '0';
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  frac = frac.replace(/0+$/, '');
  if (/^0*$/.test(int) && frac === '') return '0';
  return `${sign}${int}${frac ? `.${frac}` : ''}`;
}
