import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RecordError } from '../../src/errors.ts';
import { getField, getObject } from '../../src/schema/index.ts';
import { encodeValue } from '../../src/store/index.ts';

const account = getObject('Account')!;
const balance = getField(account, 'Balance')!;
const enc = (raw: unknown) => encodeValue(account, balance, raw, 'UTC');

function refused(raw: unknown, message: string, code: RecordError['code'] = 'INVALID_VALUE'): void {
  assert.throws(
    () => enc(raw),
    (e: unknown) => e instanceof RecordError && e.code === code && e.message === message,
  );
}

/** A number's shortest round-trip digits written without an exponent. */
function plain(n: number): string {
  const [mantissa, exp] = String(n).split('e') as [string, string | undefined];
  if (exp === undefined) return mantissa;
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const point = (mantissa.replace('-', '').indexOf('.') + 1 || digits.length + 1) - 1 + Number(exp);
  const body =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + body;
}

describe('decimal encoding', () => {
  it('accepts decimal text and numbers as the exact REAL', () => {
    assert.equal(enc('-11095'), -11095);
    assert.equal(enc('77.86'), 77.86);
    assert.equal(enc('0.1'), 0.1);
    assert.equal(enc('+5'), 5);
    assert.equal(enc('.5'), 0.5);
    assert.equal(enc('5.'), 5);
    assert.equal(enc('1e3'), 1000);
    assert.equal(enc('1.5E-2'), 0.015);
    assert.equal(enc('999999999999999'), 999999999999999);
    assert.equal(enc('0.000000000000001'), 1e-15);
    assert.equal(enc(0.2), 0.2);
    assert.equal(enc(-0), 0);
    assert.ok(Object.is(enc('-0'), 0));
  });

  it('reads empty text and null as null', () => {
    assert.equal(enc(''), null);
    assert.equal(enc(null), null);
  });

  it('refuses values that would not come back exactly', () => {
    refused(
      '1234567890123456',
      "invalid decimal '1234567890123456' for Account.Balance: it has 16 significant digits and at most 15 are kept exactly",
    );
    refused(
      0.1 + 0.2,
      "invalid decimal '0.30000000000000004' for Account.Balance: it has 17 significant digits and at most 15 are kept exactly",
    );
    refused(
      '1e20',
      "invalid decimal '1e20' for Account.Balance: it has 21 significant digits and at most 15 are kept exactly",
    );
  });

  it('refuses text that is not a number', () => {
    for (const raw of ['abc', '1,000', '12.3.4', '$5', ' 5', '1e', '.', '-', 'NaN', 'Infinity', '0x10']) {
      refused(
        raw,
        `invalid decimal '${raw}' for Account.Balance: expected a number written like -11095, 77.86 or 1.5e3`,
      );
    }
    refused(
      Number.NaN,
      "invalid decimal 'NaN' for Account.Balance: expected a number written like -11095, 77.86 or 1.5e3",
    );
    refused(true, 'Account.Balance takes a decimal, not true', 'INVALID_TYPE');
    refused({ v: 1 }, 'Account.Balance takes a decimal, not {"v":1}', 'INVALID_TYPE');
  });

  it('keeps every decimal of at most 15 digits exactly (its shortest text is the same decimal)', () => {
    const digits = fc.stringMatching(/^[1-9][0-9]{0,14}$/);
    fc.assert(
      fc.property(digits, fc.integer({ min: 0, max: 14 }), fc.boolean(), (d, scale, negative) => {
        const places = Math.min(scale, d.length);
        const int = d.slice(0, d.length - places) || '0';
        const frac = d.slice(d.length - places).replace(/0+$/, '');
        const text = `${negative ? '-' : ''}${int}${frac ? `.${frac}` : ''}`;
        assert.equal(plain(enc(text) as number), text);
      }),
      { numRuns: 300 },
    );
  });
});
