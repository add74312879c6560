import type { Customer } from './customers.ts';
import type { InvoiceInfo } from './invoices.ts';
import type { Rng } from './prng.ts';
import { DST_EDGES, dateOf, instantOf, money } from './time.ts';
import { type Table, table } from './world.ts';

export interface PaymentInfo {
  readonly id: string;
  readonly day: number;
  readonly cents: number;
  readonly refundId: string | null;
}

/**
 * Adjustments, payments, refunds and credit balance adjustments, and the totals they leave on
 * invoices and accounts: Balance = Amount + AdjustmentAmount - PaymentAmount + RefundAmount, exactly.
 */
export class SettlementTables {
  readonly invoiceAdjustments: Table;
  readonly itemAdjustments: Table;
  readonly payments: Table;
  readonly invoicePayments: Table;
  readonly refunds: Table;
  readonly refundInvoicePayments: Table;
  readonly creditBalanceAdjustments: Table;
  readonly paid: PaymentInfo[] = [];
  private counts = { adjustment: 0, payment: 0, refund: 0, cba: 0 };

  constructor(
    seed: number,
    private readonly rng: Rng,
  ) {
    this.invoiceAdjustments = table(
      'InvoiceAdjustment',
      [
        'AccountId',
        'InvoiceId',
        'InvoiceNumber',
        'AdjustmentNumber',
        'AdjustmentDate',
        'Amount',
        'ImpactAmount',
        'Type',
        'Status',
        'ReasonCode',
        'Comments',
        'CustomerName',
        'CustomerNumber',
        'TransferredToAccounting',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.itemAdjustments = table(
      'InvoiceItemAdjustment',
      [
        'AccountId',
        'InvoiceId',
        'InvoiceNumber',
        'SourceId',
        'SourceType',
        'AdjustmentNumber',
        'AdjustmentDate',
        'Amount',
        'Type',
        'Status',
        'ReasonCode',
        'Comment',
        'CustomerName',
        'CustomerNumber',
        'ServiceStartDate',
        'ServiceEndDate',
        'TransferredToAccounting',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.payments = table(
      'Payment',
      [
        'AccountId',
        'PaymentMethodId',
        'PaymentMethodSnapshotId',
        'InvoiceId',
        'InvoiceNumber',
        'PaymentNumber',
        'Amount',
        'AppliedAmount',
        'AppliedInvoiceAmount',
        'AppliedCreditBalanceAmount',
        'UnappliedAmount',
        'RefundAmount',
        'EffectiveDate',
        'Status',
        'Type',
        'Source',
        'Gateway',
        'GatewayResponse',
        'Comment',
        'Currency',
        'SettledOn',
        'SubmittedOn',
        'TransferredToAccounting',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.invoicePayments = table(
      'InvoicePayment',
      ['InvoiceId', 'PaymentId', 'Amount', 'RefundAmount', 'CreatedDate', 'UpdatedDate'],
      seed,
    );
    this.refunds = table(
      'Refund',
      [
        'AccountId',
        'PaymentId',
        'PaymentMethodId',
        'PaymentMethodSnapshotId',
        'RefundNumber',
        'Amount',
        'RefundDate',
        'RefundTransactionTime',
        'SourceType',
        'Status',
        'Type',
        'ReasonCode',
        'Comment',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.refundInvoicePayments = table(
      'RefundInvoicePayment',
      ['RefundId', 'InvoicePaymentId', 'InvoiceId', 'RefundAmount', 'CreatedDate', 'UpdatedDate'],
      seed,
    );
    this.creditBalanceAdjustments = table(
      'CreditBalanceAdjustment',
      [
        'AccountId',
        'SourceTransactionId',
        'SourceTransactionType',
        'SourceTransactionNumber',
        'Number',
        'Amount',
        'Type',
        'Status',
        'AdjustmentDate',
        'ReasonCode',
        'Comment',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
  }

  get tables(): Table[] {
    return [
      this.invoiceAdjustments,
      this.itemAdjustments,
      this.payments,
      this.invoicePayments,
      this.refunds,
      this.refundInvoicePayments,
      this.creditBalanceAdjustments,
    ];
  }

  /** Settles one invoice; returns its balance in cents. */
  settle(inv: InvoiceInfo, invoices: Table): number {
    const rng = this.rng;
    const c = inv.customer;
    let adjusted = 0;
    if (inv.posted && inv.cents > 0 && rng.chance(0.1)) {
      const cents = Math.min(500, inv.cents);
      adjusted += cents;
      const at = instantOf(inv.day + 2, rng.int(0, 86_399));
      this.invoiceAdjustments.add({
        AccountId: c.id,
        InvoiceId: inv.id,
        InvoiceNumber: inv.number,
        AdjustmentNumber: `IA-${String(++this.counts.adjustment).padStart(8, '0')}`,
        AdjustmentDate: dateOf(inv.day + 2),
        Amount: money(cents),
        ImpactAmount: money(-cents),
        Type: 'Credit',
        Status: 'Processed',
        ReasonCode: 'Customer Satisfaction',
        Comments: rng.maybe(0.5, () => 'Goodwill credit, "one time"'),
        CustomerName: c.name.slice(0, 50),
        CustomerNumber: c.number,
        TransferredToAccounting: 'Processing',
        CreatedDate: at,
        UpdatedDate: at,
      });
    }
    const candidates = inv.items.filter((i) => i.cents > 100);
    if (inv.posted && candidates.length > 0 && inv.cents - adjusted >= 100 && rng.chance(0.1)) {
      const item = rng.pick(candidates);
      const onTax = item.taxId !== null && item.taxCents > 0 && rng.chance(0.3);
      const cents = onTax ? Math.min(item.taxCents, inv.cents - adjusted) : 100;
      adjusted += cents;
      const at = instantOf(inv.day + 3, rng.int(0, 86_399));
      this.itemAdjustments.add({
        AccountId: c.id,
        InvoiceId: inv.id,
        InvoiceNumber: inv.number,
        SourceId: onTax ? item.taxId : item.id,
        SourceType: onTax ? 'Tax' : 'InvoiceDetail',
        AdjustmentNumber: `IIA-${String(++this.counts.adjustment).padStart(8, '0')}`,
        AdjustmentDate: dateOf(inv.day + 3),
        Amount: money(cents),
        Type: 'Credit',
        Status: 'Processed',
        ReasonCode: 'Standard Adjustment',
        Comment: null,
        CustomerName: c.name.slice(0, 50),
        CustomerNumber: c.number,
        ServiceStartDate: dateOf(item.serviceStart),
        ServiceEndDate: dateOf(item.serviceEnd),
        TransferredToAccounting: 'Processing',
        CreatedDate: at,
        UpdatedDate: at,
      });
    }
    const due = inv.cents - adjusted;
    let paid = 0;
    let refunded = 0;
    if (inv.posted && due > 0 && rng.chance(0.75)) {
      paid = rng.chance(0.85) ? due : Math.floor(due / 2);
      refunded = paid > 0 ? this.payment(inv, paid) : 0;
    }
    const balance = inv.cents - adjusted - paid + refunded;
    invoices.update(inv.id, {
      AdjustmentAmount: money(-adjusted),
      PaymentAmount: money(paid),
      RefundAmount: money(refunded),
      Balance: money(balance),
    });
    return balance;
  }

  /** A payment of one invoice, sometimes partly refunded; returns the refunded cents. */
  private payment(inv: InvoiceInfo, cents: number): number {
    const rng = this.rng;
    const c = inv.customer;
    const day = Math.min(inv.day + rng.int(0, 20), 730);
    const at = DST_EDGES[this.counts.payment] ?? instantOf(day, rng.int(0, 86_399));
    const number = `P-${String(++this.counts.payment).padStart(8, '0')}`;
    const refund = rng.chance(0.12) ? Math.min(cents, 1000) : 0;
    const payment = this.payments.add({
      AccountId: c.id,
      PaymentMethodId: c.paymentMethodId,
      PaymentMethodSnapshotId: c.paymentMethodSnapshotId,
      InvoiceId: inv.id,
      InvoiceNumber: inv.number,
      PaymentNumber: number,
      Amount: money(cents),
      AppliedAmount: money(cents),
      AppliedInvoiceAmount: money(cents),
      AppliedCreditBalanceAmount: 0,
      UnappliedAmount: 0,
      RefundAmount: money(refund),
      EffectiveDate: dateOf(day),
      Status: 'Processed',
      Type: rng.pick(['Electronic', 'External']),
      Source: rng.pick(['PaymentRun', 'API', 'Manually']),
      Gateway: 'Test Gateway',
      GatewayResponse: rng.maybe(0.3, () => 'Approved, "OK"'),
      Comment: rng.maybe(0.1, () => 'Paid by wire\nref 42'),
      Currency: c.currency,
      SettledOn: at + 86_400_000,
      SubmittedOn: at,
      TransferredToAccounting: 'Yes',
      CreatedDate: at,
      UpdatedDate: at,
    });
    const ip = this.invoicePayments.add({
      InvoiceId: inv.id,
      PaymentId: payment.Id,
      Amount: money(cents),
      RefundAmount: money(refund),
      CreatedDate: at,
      UpdatedDate: at,
    });
    let refundId: string | null = null;
    if (refund > 0) {
      const rday = Math.min(day + 5, 730);
      const rat = instantOf(rday, rng.int(0, 86_399));
      refundId = this.refunds.add({
        AccountId: c.id,
        PaymentId: payment.Id,
        PaymentMethodId: c.paymentMethodId,
        PaymentMethodSnapshotId: c.paymentMethodSnapshotId,
        RefundNumber: `R-${String(++this.counts.refund).padStart(8, '0')}`,
        Amount: money(refund),
        RefundDate: dateOf(rday),
        RefundTransactionTime: rat,
        SourceType: 'Payment',
        Status: 'Processed',
        Type: 'Electronic',
        ReasonCode: 'Standard Refund',
        Comment: rng.maybe(0.5, () => 'Refund, "partial" — remboursement'),
        CreatedDate: rat,
        UpdatedDate: rat,
      }).Id;
      this.refundInvoicePayments.add({
        RefundId: refundId,
        InvoicePaymentId: ip.Id,
        InvoiceId: inv.id,
        RefundAmount: money(refund),
        CreatedDate: rat,
        UpdatedDate: rat,
      });
    }
    this.paid.push({ id: payment.Id, day, cents, refundId });
    return refund;
  }

  /** Credit balance adjustments of a customer, sourced from its invoices, payments or refunds; returns cents. */
  creditBalance(c: Customer, invoices: readonly InvoiceInfo[], payments: readonly PaymentInfo[]): number {
    const rng = this.rng;
    if (!rng.chance(0.1)) return 0;
    const sources: [string, 'Invoice' | 'Payment' | 'Refund', number][] = [
      ...invoices.map((i) => [i.id, 'Invoice', i.day] as [string, 'Invoice', number]),
      ...payments.map((p) => [p.id, 'Payment', p.day] as [string, 'Payment', number]),
      ...payments
        .filter((p) => p.refundId !== null)
        .map((p) => [p.refundId!, 'Refund', p.day] as [string, 'Refund', number]),
    ];
    if (sources.length === 0) return 0;
    const [id, type, day] = rng.pick(sources);
    const at = instantOf(Math.min(day + 1, 730), rng.int(0, 86_399));
    this.creditBalanceAdjustments.add({
      AccountId: c.id,
      SourceTransactionId: id,
      SourceTransactionType: type,
      SourceTransactionNumber: null,
      Number: `CBA-${String(++this.counts.cba).padStart(8, '0')}`,
      Amount: money(250),
      Type: 'Increase',
      Status: 'Processed',
      AdjustmentDate: dateOf(Math.min(day + 1, 730)),
      ReasonCode: 'Standard Adjustment',
      Comment: null,
      CreatedDate: at,
      UpdatedDate: at,
    });
    return 250;
  }
}
