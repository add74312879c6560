import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { objects } from '../../src/schema/index.ts';
import { seedTenant } from '../../src/seed/index.ts';
import { tempStore } from '../store/temp-store.ts';
import { cents, dump, type Rows } from './dump.ts';

let tables: Map<string, Rows>;
let cleanup: () => void;

function rows(object: string): Record<string, unknown>[] {
  return [...tables.get(object)!.values()];
}

function sumBy(object: string, key: string, amount: string): Map<unknown, bigint> {
  const out = new Map<unknown, bigint>();
  for (const r of rows(object)) out.set(r[key], (out.get(r[key]) ?? 0n) + cents(r[amount]));
  return out;
}

describe('demo tenant coherence', () => {
  before(() => {
    const t = tempStore();
    cleanup = t.done;
    seedTenant(t.store, { accounts: 120, seed: 11 });
    tables = dump(t.store);
  });
  after(() => cleanup());

  it('resolves every key of every join hop of every row to a real parent', () => {
    const targets = new Map<string, Set<string>>();
    for (const o of objects) {
      for (const j of o.joins) {
        for (const h of j.hops) {
          const key = `${h.from}.${h.field}`;
          if (!targets.has(key)) targets.set(key, new Set());
          targets.get(key)!.add(h.to);
        }
      }
    }
    let checked = 0;
    for (const [key, tos] of targets) {
      const [from, field] = key.split('.') as [string, string];
      for (const r of rows(from)) {
        const v = r[field];
        if (v === null) continue;
        checked++;
        assert.ok(
          [...tos].some((to) => tables.get(to)!.has(v as string)),
          `${key} = ${String(v)} on ${String(r.Id)} points at no ${[...tos].join(' or ')}`,
        );
      }
    }
    assert.ok(checked > 5000, `checked ${checked} keys`);
  });

  it('fills the keys a record cannot be without', () => {
    const required = [
      'Account.BillToId',
      'Account.SoldToId',
      'Account.DefaultPaymentMethodId',
      'Invoice.AccountId',
      'Invoice.BillToContactSnapshotId',
      'InvoiceItem.InvoiceId',
      'InvoiceItem.RatePlanChargeId',
      'InvoiceItem.SubscriptionId',
      'InvoiceItem.ProductId',
      'Subscription.AccountId',
      'RatePlan.SubscriptionId',
      'RatePlan.ProductRatePlanId',
      'RatePlanCharge.RatePlanId',
      'RatePlanCharge.ProductRatePlanChargeId',
      'Payment.AccountId',
      'Payment.PaymentMethodId',
      'InvoicePayment.InvoiceId',
      'InvoicePayment.PaymentId',
      'RefundInvoicePayment.InvoicePaymentId',
      'TaxationItem.InvoiceItemId',
      'Usage.ChargeId',
      'JournalEntryItem.AccountingCodeId',
      'RevenueScheduleItem.RevenueScheduleId',
    ];
    for (const key of required) {
      const [object, field] = key.split('.') as [string, string];
      assert.ok(rows(object).length > 0, object);
      for (const r of rows(object)) assert.notEqual(r[field], null, `${key} of ${String(r.Id)}`);
    }
    assert.ok(rows('Account').some((a) => a.ParentId !== null));
    assert.ok(rows('RatePlan').some((r) => r.AmendmentId !== null));
  });

  it('points polymorphic keys at the object their type names', () => {
    for (const r of rows('InvoiceItemAdjustment')) {
      const target = r.SourceType === 'Tax' ? 'TaxationItem' : 'InvoiceItem';
      assert.ok(tables.get(target)!.has(r.SourceId as string));
    }
    for (const r of rows('CreditBalanceAdjustment')) {
      assert.ok(tables.get(r.SourceTransactionType as string)!.has(r.SourceTransactionId as string));
    }
    for (const r of rows('RefundInvoicePayment')) {
      assert.equal(tables.get('InvoicePayment')!.get(r.InvoicePaymentId as string)!.InvoiceId, r.InvoiceId);
    }
  });

  it('makes each invoice Amount the exact sum of its items, and splits it into tax and the rest', () => {
    const items = sumBy('InvoiceItem', 'InvoiceId', 'ChargeAmount');
    const taxes = sumBy('TaxationItem', 'InvoiceId', 'TaxAmount');
    for (const inv of rows('Invoice')) {
      assert.equal(cents(inv.Amount), items.get(inv.Id) ?? 0n, `Amount of ${String(inv.InvoiceNumber)}`);
      assert.equal(cents(inv.TaxAmount), taxes.get(inv.Id) ?? 0n);
      assert.equal(cents(inv.AmountWithoutTax) + cents(inv.TaxAmount), cents(inv.Amount));
    }
  });

  it('keeps balances consistent with payments, refunds and adjustments', () => {
    const paid = sumBy('InvoicePayment', 'InvoiceId', 'Amount');
    const refunded = sumBy('RefundInvoicePayment', 'InvoiceId', 'RefundAmount');
    const adjusted = sumBy('InvoiceAdjustment', 'InvoiceId', 'Amount');
    for (const [k, v] of sumBy('InvoiceItemAdjustment', 'InvoiceId', 'Amount'))
      adjusted.set(k, (adjusted.get(k) ?? 0n) + v);
    const posted = new Map<unknown, bigint>();
    for (const inv of rows('Invoice')) {
      const id = inv.Id;
      assert.equal(cents(inv.PaymentAmount), paid.get(id) ?? 0n);
      assert.equal(cents(inv.RefundAmount), refunded.get(id) ?? 0n);
      assert.equal(cents(inv.AdjustmentAmount), -(adjusted.get(id) ?? 0n));
      const balance =
        cents(inv.Amount) + cents(inv.AdjustmentAmount) - cents(inv.PaymentAmount) + cents(inv.RefundAmount);
      assert.equal(cents(inv.Balance), balance);
      assert.ok(balance >= 0n || cents(inv.Amount) < 0n);
      if (inv.Status === 'Posted') posted.set(inv.AccountId, (posted.get(inv.AccountId) ?? 0n) + balance);
    }
    const credit = sumBy('CreditBalanceAdjustment', 'AccountId', 'Amount');
    for (const a of rows('Account')) {
      assert.equal(cents(a.Balance), posted.get(a.Id) ?? 0n);
      assert.equal(cents(a.CreditBalance), credit.get(a.Id) ?? 0n);
    }
    for (const p of rows('Payment')) {
      assert.equal(cents(p.Amount), cents(p.AppliedInvoiceAmount));
      assert.ok(cents(p.RefundAmount) <= cents(p.Amount));
    }
  });

  it('balances journal entries and splits revenue schedules exactly', () => {
    const byEntry = new Map<unknown, bigint>();
    for (const line of rows('JournalEntryItem')) {
      const sign = line.Type === 'Debit' ? 1n : -1n;
      byEntry.set(line.JournalEntryId, (byEntry.get(line.JournalEntryId) ?? 0n) + sign * cents(line.Amount));
    }
    for (const total of byEntry.values()) assert.equal(total, 0n);
    const scheduled = sumBy('RevenueScheduleItem', 'RevenueScheduleId', 'Amount');
    for (const rs of rows('RevenueSchedule')) {
      assert.equal(scheduled.get(rs.Id), cents(rs.Amount));
      assert.equal(
        cents(tables.get('InvoiceItem')!.get(rs.LinkedTransactionId as string)!.ChargeAmount),
        cents(rs.Amount),
      );
    }
  });
});
