import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportableFields, getField, getJoin, getObject, objects } from '../../src/schema/index.ts';

describe('schema', () => {
  it('has the 35 objects of the data model', () => {
    assert.equal(objects.length, 35);
  });

  it('resolves object, field and join names case-insensitively to canonical names', () => {
    const account = getObject('account');
    assert.equal(account?.name, 'Account');
    assert.equal(getField(account!, 'MRR')?.name, 'Mrr');
    assert.equal(getJoin(account!, 'billtocontact')?.object, 'Contact');
    assert.equal(getObject('NoSuchThing'), undefined);
  });

  it('gives every object Id, CreatedDate and UpdatedDate', () => {
    for (const o of objects) {
      for (const f of ['Id', 'CreatedDate', 'UpdatedDate']) assert.ok(getField(o, f), `${o.name}.${f}`);
    }
  });

  it('knows the key path of InvoiceItem to BillToContact', () => {
    const join = getJoin(getObject('InvoiceItem')!, 'BillToContact')!;
    assert.deepEqual(
      join.hops.map((h) => `${h.from}.${h.field}->${h.to}`),
      ['InvoiceItem.InvoiceId->Invoice', 'Invoice.AccountId->Account', 'Account.BillToId->Contact'],
    );
    assert.equal(join.label, 'Bill To');
  });

  it('every join hop names a real key field and ends at the joined object', () => {
    for (const o of objects) {
      for (const j of o.joins) {
        let at = o.name;
        for (const h of j.hops) {
          assert.equal(h.from, at);
          assert.ok(getField(getObject(h.from)!, h.field), `${o.name} ${j.name}: ${h.from}.${h.field}`);
          at = h.to;
        }
        assert.equal(at, j.object);
      }
    }
  });

  it('marks snapshot and period objects as not supporting deleted records', () => {
    for (const n of ['AccountingCode', 'AccountingPeriod', 'ContactSnapshot']) {
      assert.equal(getObject(n)?.supportsDeleted, false, n);
    }
    assert.equal(getObject('Account')?.supportsDeleted, true);
  });

  it('lists labels, types and picklist values', () => {
    const account = getObject('Account')!;
    assert.equal(getField(account, 'Balance')?.label, 'Account Balance');
    assert.equal(getField(account, 'Balance')?.type, 'decimal');
    assert.equal(getField(account, 'CreatedDate')?.type, 'dateTime');
    const status = getField(account, 'Status')!;
    assert.equal(status.type, 'picklist');
    assert.ok(status.values?.includes('Active'));
    assert.ok(exportableFields(account).length > 20);
  });
});
