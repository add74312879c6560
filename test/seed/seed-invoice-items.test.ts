import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedInvoiceItems } from '../../src/seed/index.ts';
import { query, tempStore } from '../store/temp-store.ts';
import { cents, dump } from './dump.ts';

describe('InvoiceItem benchmark world', () => {
  it('writes items over proportional invoices, accounts and contacts, every parent real', () => {
    const { store, done } = tempStore();
    try {
      assert.deepEqual(seedInvoiceItems(store, { items: 1234, seed: 9 }), {
        Contact: 26,
        Account: 13,
        Invoice: 124,
        InvoiceItem: 1234,
      });
      // The three hops of InvoiceItem -> BillToContact, as an export joins them.
      assert.deepEqual(
        query(
          store,
          `SELECT count(*), count(i."Id"), count(a."Id"), count(c."Id"), count(s."Id")
           FROM "InvoiceItem" ii
           LEFT JOIN "Invoice" i ON i."Id" = ii."InvoiceId"
           LEFT JOIN "Account" a ON a."Id" = i."AccountId"
           LEFT JOIN "Contact" c ON c."Id" = a."BillToId"
           LEFT JOIN "Contact" s ON s."Id" = a."SoldToId"`,
        ),
        [[1234, 1234, 1234, 1234, 1234]],
      );
      const tables = dump(store);
      const sums = new Map<unknown, bigint>();
      for (const item of tables.get('InvoiceItem')!.values()) {
        sums.set(item.InvoiceId, (sums.get(item.InvoiceId) ?? 0n) + cents(item.ChargeAmount));
      }
      for (const inv of tables.get('Invoice')!.values()) assert.equal(cents(inv.Amount), sums.get(inv.Id));
      const accounts = new Set([...tables.get('Invoice')!.values()].map((i) => i.AccountId));
      assert.equal(accounts.size, 13);
    } finally {
      done();
    }
  });

  it('is deterministic for a seed', () => {
    const run = (seed: number) => {
      const { store, done } = tempStore();
      try {
        seedInvoiceItems(store, { items: 300, seed });
        return JSON.stringify(
          query(
            store,
            'SELECT "Id", "InvoiceId", CAST("ChargeAmount" AS DOUBLE PRECISION), "ChargeDate" FROM "InvoiceItem" ORDER BY "Id"',
          ),
        );
      } finally {
        done();
      }
    };
    assert.equal(run(4), run(4));
    assert.notEqual(run(4), run(5));
  });
});
