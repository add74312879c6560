import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatDecimal, formatNumber } from '../../src/export/index.ts';

describe('decimals from stored numbers', () => {
  it('are plain, exact and without trailing zeros', () => {
    assert.equal(formatDecimal(0), '0');
    assert.equal(formatDecimal(-0), '0');
    assert.equal(formatDecimal(-11095), '-11095');
    assert.equal(formatDecimal(77.86), '77.86');
    assert.equal(formatDecimal(-77.8), '-77.8');
    assert.equal(formatDecimal(0.05), '0.05');
    assert.equal(formatDecimal(-0.01), '-0.01');
    assert.equal(formatDecimal(12.5), '12.5');
    assert.equal(formatDecimal(1234.5678), '1234.5678');
    assert.equal(formatDecimal(123456789012345), '123456789012345');
    assert.equal(formatDecimal(1234567890123.45), '1234567890123.45');
    assert.equal(formatDecimal(9999999999999.99), '9999999999999.99');
  });

  it('never use an exponent', () => {
    assert.equal(formatDecimal(1e-7), '0.0000001');
    assert.equal(formatDecimal(-1.5e-10), '-0.00000000015');
    assert.equal(formatDecimal(1e21), '1000000000000000000000');
    assert.equal(formatDecimal(-1.25e22), '-12500000000000000000000');
    assert.equal(formatDecimal(1e-6), '0.000001');
    assert.equal(formatDecimal(999999999999999900000), '999999999999999900000');
  });

  it('print a sum done in binary floating point as that double, not as money', () => {
    // Exact sums arrive as strings; a number is shown exactly as the double it is.
    assert.equal(formatDecimal(0.1 + 0.2), '0.30000000000000004');
  });

  it('match the shortest round-trip form of any double, written without exponent', () => {
    const plain = (v: number) => formatDecimal(String(v));
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (v) => {
        const text = formatNumber(v);
        assert.equal(text, plain(v));
        assert.ok(Number(text) === v, `${text} reads back as ${v}`);
        assert.doesNotMatch(text, /e/i);
      }),
      { numRuns: 20_000 },
    );
  });

  it('render cent amounts as their decimal text', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }), (c) => {
        const sign = c < 0 ? '-' : '';
        const a = Math.abs(c);
        const expected = `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`
          .replace(/0+$/, '')
          .replace(/\.$/, '');
        assert.equal(formatNumber(c / 100), expected === '-0' ? '0' : expected);
        assert.equal(formatNumber(c / 100), formatDecimal(String(c / 100)));
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('decimals from exact aggregate strings', () => {
  it('keep every digit and are normalised like numbers', () => {
    assert.equal(formatDecimal('0.3'), '0.3');
    assert.equal(formatDecimal('0'), '0');
    assert.equal(formatDecimal('-11095'), '-11095');
    assert.equal(formatDecimal('77.860'), '77.86');
    assert.equal(formatDecimal('10.5000000000'), '10.5');
    assert.equal(formatDecimal('-0.000'), '0');
    assert.equal(formatDecimal('+0012.340'), '12.34');
    assert.equal(formatDecimal('5.'), '5');
    assert.equal(formatDecimal('.5'), '0.5');
    assert.equal(formatDecimal('-1.25e2'), '-125');
    assert.equal(formatDecimal('1E-7'), '0.0000001');
    assert.equal(
      formatDecimal('12345678901234567890.123456789012345678'),
      '12345678901234567890.123456789012345678',
    );
    assert.equal(formatDecimal('1200'), '1200');
  });

  it('leave text that is not a number as it is', () => {
    assert.equal(formatDecimal('n/a'), 'n/a');
    assert.equal(formatDecimal(''), '');
  });

  it('take bigints whole', () => {
    assert.equal(formatDecimal(12345678901234567890n), '12345678901234567890');
  });
});
