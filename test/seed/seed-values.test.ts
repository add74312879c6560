import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getObject } from '../../src/schema/index.ts';
import { seedTenant } from '../../src/seed/index.ts';
import { encodeValue } from '../../src/store/index.ts';
import { tempStore } from '../store/temp-store.ts';
import { dump, type Rows } from './dump.ts';

let tables: Map<string, Rows>;
let cleanup: () => void;

function values(object: string, field: string): unknown[] {
  return [...tables.get(object)!.values()].map((r) => r[field]);
}

describe('demo tenant values', () => {
  before(() => {
    const t = tempStore();
    cleanup = t.done;
    seedTenant(t.store, { accounts: 60, seed: 5 });
    tables = dump(t.store);
  });
  after(() => cleanup());

  it('are all values the store would accept, in its encoding (types, lengths, picklists)', () => {
    let checked = 0;
    for (const [name, rows] of tables) {
      const object = getObject(name)!;
      for (const row of rows.values()) {
        for (const field of object.fields) {
          const v = row[field.name];
          if (v === null) continue;
          assert.equal(encodeValue(object, field, v, 'UTC'), v, `${name}.${field.name}`);
          checked++;
        }
      }
    }
    assert.ok(checked > 20_000, `checked ${checked}`);
  });

  it('include text that needs quoting in CSV and text beyond ASCII', () => {
    const names = [
      ...values('Account', 'Name'),
      ...values('Contact', 'Address1'),
      ...values('Contact', 'FirstName'),
    ];
    const has = (re: RegExp) => names.some((n) => typeof n === 'string' && re.test(n));
    assert.ok(has(/,/), 'a comma');
    assert.ok(has(/"/), 'a double quote');
    assert.ok(has(/\n/), 'a newline');
    assert.ok(has(/é/), 'an accent');
    assert.ok(has(/[\u4e00-\u9fff]/), 'CJK');
    assert.ok(has(/\p{Extended_Pictographic}/u), 'an emoji');
  });

  it('include nulls, zero and negative amounts, and 0.1 + 0.2 on one invoice', () => {
    assert.ok(values('Contact', 'Address2').includes(null));
    const amounts = values('InvoiceItem', 'ChargeAmount');
    assert.ok(amounts.includes(0));
    assert.ok(amounts.some((a) => (a as number) < 0));
    assert.ok(amounts.includes(77.86));
    const byInvoice = new Map<unknown, unknown[]>();
    for (const r of tables.get('InvoiceItem')!.values()) {
      byInvoice.set(r.InvoiceId, [...(byInvoice.get(r.InvoiceId) ?? []), r.ChargeAmount]);
    }
    assert.ok([...byInvoice.values()].some((a) => a.includes(0.1) && a.includes(0.2)));
  });

  it('include times on both sides of DST changes', () => {
    const times = new Set([
      ...values('Account', 'CreatedDate'),
      ...values('Payment', 'CreatedDate'),
      ...values('Usage', 'StartDateTime'),
    ]);
    for (const t of [
      Date.UTC(2023, 2, 12, 9, 59, 59),
      Date.UTC(2023, 2, 12, 10),
      Date.UTC(2024, 10, 3, 8, 30),
      Date.UTC(2024, 10, 3, 9, 30),
    ]) {
      assert.ok(times.has(t), new Date(t).toISOString());
    }
  });
});
