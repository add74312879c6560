import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RecordError } from '../../src/errors.ts';
import { getField, getObject } from '../../src/schema/index.ts';
import { encodeRecord, encodeValue } from '../../src/store/index.ts';

const account = getObject('Account')!;
const enc = (field: string, raw: unknown, object = account) =>
  encodeValue(object, getField(object, field)!, raw, 'UTC');

function refused(fn: () => unknown, code: RecordError['code'], message: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof RecordError);
    assert.equal(e.message, message);
    assert.equal(e.code, code);
    return true;
  });
}

describe('value encoding of each type', () => {
  it('Id: 32 lowercase hex characters', () => {
    assert.equal(enc('Id', '0123456789abcdef0123456789abcdef'), '0123456789abcdef0123456789abcdef');
    refused(
      () => enc('Id', '0123456789ABCDEF0123456789ABCDEF'),
      'INVALID_VALUE',
      "invalid Id '0123456789ABCDEF0123456789ABCDEF' for Account: expected 32 lowercase hexadecimal characters",
    );
    refused(
      () => enc('Id', 'abc'),
      'INVALID_VALUE',
      "invalid Id 'abc' for Account: expected 32 lowercase hexadecimal characters",
    );
    refused(() => enc('Id', 12), 'INVALID_TYPE', 'Account.Id takes an id string, not 12');
  });

  it('other ID fields: any text up to their length', () => {
    assert.equal(enc('ParentId', '2c92c0f8'), '2c92c0f8');
    refused(
      () => enc('ParentId', 'x'.repeat(33)),
      'INVALID_VALUE',
      'Account.ParentId is 33 characters long; at most 32 are allowed',
    );
  });

  it('string: text with commas, quotes, newlines and any script; length counted in characters', () => {
    const name = 'Café, "中文"\n😀';
    assert.equal(enc('Name', name), name);
    assert.equal(enc('Notes', '😀'.repeat(65)), '😀'.repeat(65));
    refused(
      () => enc('Notes', 'a'.repeat(66)),
      'INVALID_VALUE',
      'Account.Notes is 66 characters long; at most 65 are allowed',
    );
    refused(() => enc('Name', 'a\0b'), 'INVALID_VALUE', 'Account.Name may not contain a NUL character');
    assert.equal(enc('Name', 42), '42');
    refused(() => enc('Name', ['a']), 'INVALID_TYPE', 'Account.Name takes text, not ["a"]');
  });

  it('picklist: one of the values, case folded to the canonical spelling', () => {
    assert.equal(enc('Status', 'Active'), 'Active');
    assert.equal(enc('Status', 'canceled'), 'Canceled');
    refused(
      () => enc('Status', 'Closed'),
      'INVALID_VALUE',
      "invalid picklist 'Closed' for Account.Status: expected one of 'Draft', 'Active', 'Canceled'",
    );
  });

  it('picklist: lists the data model abbreviates or describes in prose are open', () => {
    const prpc = getObject('ProductRatePlanCharge')!;
    assert.equal(enc('ChargeModel', 'Delivery Pricing', prpc), 'Delivery Pricing');
    const pm = getObject('PaymentMethod')!;
    assert.equal(enc('BankCode', '12345', pm), '12345');
  });

  it('integer: whole numbers within the safe range', () => {
    assert.equal(enc('BillCycleDay', '1'), 1);
    assert.equal(enc('BillCycleDay', '-31'), -31);
    assert.equal(enc('BillCycleDay', 31), 31);
    refused(
      () => enc('BillCycleDay', '1.5'),
      'INVALID_VALUE',
      "invalid integer '1.5' for Account.BillCycleDay: expected a whole number such as 12",
    );
    refused(
      () => enc('BillCycleDay', 1.5),
      'INVALID_VALUE',
      "invalid integer '1.5' for Account.BillCycleDay: expected a whole number such as 12",
    );
    refused(
      () => enc('BillCycleDay', '9007199254740993'),
      'INVALID_VALUE',
      "invalid integer '9007199254740993' for Account.BillCycleDay: it is outside the range ±9007199254740991",
    );
    refused(
      () => enc('BillCycleDay', false),
      'INVALID_TYPE',
      'Account.BillCycleDay takes an integer, not false',
    );
  });

  it('boolean: true/false, text or 1/0, stored as 1/0', () => {
    for (const yes of [true, 'true', 'TRUE', 1, '1']) assert.equal(enc('AutoPay', yes), 1);
    for (const no of [false, 'false', 'False', 0, '0']) assert.equal(enc('AutoPay', no), 0);
    refused(
      () => enc('AutoPay', 'yes'),
      'INVALID_VALUE',
      "invalid boolean 'yes' for Account.AutoPay: expected true or false",
    );
    refused(() => enc('AutoPay', 2), 'INVALID_TYPE', 'Account.AutoPay takes true or false, not 2');
  });

  it('date: real calendar dates written YYYY-MM-DD', () => {
    assert.equal(enc('LastInvoiceDate', '2024-02-29'), '2024-02-29');
    for (const bad of [
      '2023-02-29',
      '2024-13-01',
      '2024-04-31',
      '2024-1-5',
      '2024-01-05T00:00:00',
      '0000-01-01',
    ]) {
      refused(
        () => enc('LastInvoiceDate', bad),
        'INVALID_VALUE',
        `invalid date '${bad}' for Account.LastInvoiceDate: expected a calendar date written YYYY-MM-DD`,
      );
    }
    refused(
      () => enc('LastInvoiceDate', 20240101),
      'INVALID_TYPE',
      "Account.LastInvoiceDate takes a date 'YYYY-MM-DD', not 20240101",
    );
  });

  it('every type reads empty text as null', () => {
    for (const f of [
      'Id',
      'Name',
      'Status',
      'Balance',
      'BillCycleDay',
      'AutoPay',
      'LastInvoiceDate',
      'CreatedDate',
    ]) {
      assert.equal(enc(f, ''), null, f);
    }
  });
});

describe('record encoding', () => {
  it('resolves names ignoring case, orders columns as the object does, keeps Id apart', () => {
    const rec = encodeRecord(
      account,
      { status: 'Active', ID: 'ab'.repeat(16), name: 'Acme', balance: '0', notes: undefined },
      'UTC',
    );
    assert.deepEqual(rec, {
      columns: ['Balance', 'Name', 'Status'],
      values: [0, 'Acme', 'Active'],
      id: 'ab'.repeat(16),
    });
  });

  it('refuses unknown fields and fields named twice', () => {
    refused(
      () => encodeRecord(account, { Nmae: 'x' }, 'UTC'),
      'INVALID_FIELD',
      "unknown field 'Nmae' on Account",
    );
    refused(
      () => encodeRecord(account, { Name: 'x', NAME: 'y' }, 'UTC'),
      'INVALID_FIELD',
      'field Account.Name is given twice',
    );
  });
});
