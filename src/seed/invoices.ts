import { chargeCents, unitCents } from './catalog.ts';
import type { Customer } from './customers.ts';
import type { Rng } from './prng.ts';
import type { Billable } from './subscriptions.ts';
import { addMonths, DST_EDGES, dateOf, instantOf, money } from './time.ts';
import { type Table, table } from './world.ts';

export interface InvoiceItemInfo {
  readonly id: string;
  readonly cents: number;
  readonly recurring: boolean;
  readonly taxId: string | null;
  readonly taxCents: number;
  readonly serviceStart: number;
  readonly serviceEnd: number;
}

export interface InvoiceInfo {
  readonly id: string;
  readonly number: string;
  readonly customer: Customer;
  readonly day: number;
  readonly posted: boolean;
  readonly cents: number;
  readonly items: readonly InvoiceItemInfo[];
}

/** Tax rate of the demo (inclusive): 8.25 %. */
const TAX_RATE = 0.0825;

export class InvoiceTables {
  readonly invoices: Table;
  readonly items: Table;
  readonly usage: Table;
  readonly taxes: Table;
  readonly taxSnapshots: Table;
  private invoiceCount = 0;
  private usageCount = 0;

  constructor(
    seed: number,
    private readonly rng: Rng,
    private readonly productName: ReadonlyMap<string, string>,
    private readonly productSku: ReadonlyMap<string, string>,
  ) {
    this.invoices = table(
      'Invoice',
      [
        'AccountId',
        'InvoiceNumber',
        'InvoiceDate',
        'TargetDate',
        'DueDate',
        'Status',
        'Amount',
        'AmountWithoutTax',
        'TaxAmount',
        'TaxExemptAmount',
        'Balance',
        'PaymentAmount',
        'RefundAmount',
        'AdjustmentAmount',
        'CreditBalanceAdjustmentAmount',
        'CreditMemoAmount',
        'Currency',
        'BillToContactSnapshotId',
        'SoldToContactSnapshotId',
        'BillRunId',
        'Source',
        'SourceType',
        'IncludesOneTime',
        'IncludesRecurring',
        'IncludesUsage',
        'AutoPay',
        'Comments',
        'PostedDate',
        'TransferredToAccounting',
        'Reversed',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.items = table(
      'InvoiceItem',
      [
        'InvoiceId',
        'SubscriptionId',
        'SubscriptionNumber',
        'RatePlanChargeId',
        'ChargeId',
        'ProductId',
        'ProductRatePlanChargeId',
        'ChargeName',
        'ChargeNumber',
        'ChargeAmount',
        'ChargeDate',
        'Quantity',
        'UnitPrice',
        'UOM',
        'ServiceStartDate',
        'ServiceEndDate',
        'ProductName',
        'SKU',
        'TaxAmount',
        'TaxExemptAmount',
        'TaxMode',
        'Balance',
        'ProcessingType',
        'SourceItemType',
        'AccountingCode',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.usage = table(
      'Usage',
      [
        'AccountId',
        'AccountNumber',
        'ChargeId',
        'ChargeNumber',
        'SubscriptionId',
        'SubscriptionNumber',
        'InvoiceId',
        'InvoiceNumber',
        'Quantity',
        'UOM',
        'StartDateTime',
        'EndDateTime',
        'SubmissionDateTime',
        'Description',
        'SourceType',
        'RbeStatus',
        'UniqueKey',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.taxes = table(
      'TaxationItem',
      [
        'InvoiceId',
        'InvoiceItemId',
        'Name',
        'Jurisdiction',
        'LocationCode',
        'TaxAmount',
        'TaxRate',
        'TaxRateType',
        'TaxRateDescription',
        'TaxCode',
        'TaxCodeDescription',
        'TaxDate',
        'ExemptAmount',
        'AccountingCode',
        'Balance',
        'CreditAmount',
        'PaymentAmount',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.taxSnapshots = table(
      'TaxableItemSnapshot',
      [
        'TaxableItemId',
        'ItemType',
        'TaxDate',
        'TaxCodeName',
        'TaxMode',
        'DestAddressCountry',
        'DestAddressCity',
        'DestAddressLine1',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
  }

  get tables(): Table[] {
    return [this.invoices, this.items, this.usage, this.taxes, this.taxSnapshots];
  }

  /** Monthly invoices of a customer from its first subscription on (one to four of them). */
  generate(c: Customer, billables: readonly Billable[]): InvoiceInfo[] {
    if (billables.length === 0) return [];
    const first = Math.min(...billables.map((b) => b.startDay));
    const count = this.rng.int(1, 4);
    const out: InvoiceInfo[] = [];
    for (let k = 0; k < count; k++) {
      const day = addMonths(first, k);
      if (day > 725) break;
      const lines = billables.filter(
        (b) => b.startDay <= day && (b.spec.type !== 'OneTime' || addMonths(b.startDay, 1) > day),
      );
      if (lines.length === 0) continue;
      out.push(this.invoice(c, day, lines, k === count - 1));
    }
    return out;
  }

  private invoice(c: Customer, day: number, lines: readonly Billable[], last: boolean): InvoiceInfo {
    const rng = this.rng;
    const number = `INV${String(++this.invoiceCount).padStart(8, '0')}`;
    const created = instantOf(day, rng.int(0, 86_399));
    const id = this.invoices.reserve();
    const items: InvoiceItemInfo[] = [];
    const periodEnd = addMonths(day, 1) - 1;
    for (const b of lines) {
      let quantity = b.spec.quantity ?? 1;
      if (b.spec.type === 'Usage') quantity = this.usageOf(c, b, id, number, day);
      const cents = chargeCents(b.spec, quantity);
      const itemId = this.items.reserve();
      let taxId: string | null = null;
      let taxCents = 0;
      if (b.spec.taxable && cents > 0 && rng.chance(0.6)) {
        taxCents = Math.round((cents * TAX_RATE) / (1 + TAX_RATE));
        taxId = this.taxes.add({
          InvoiceId: id,
          InvoiceItemId: itemId,
          Name: 'State tax, "CA"',
          Jurisdiction: rng.pick(['CALIFORNIA', 'NEW YORK', 'ÎLE-DE-FRANCE']),
          LocationCode: '06-000-00000',
          TaxAmount: money(taxCents),
          TaxRate: TAX_RATE,
          TaxRateType: 'Percentage',
          TaxRateDescription: 'Sales tax 8.25%',
          TaxCode: 'STD',
          TaxCodeDescription: null,
          TaxDate: dateOf(day),
          ExemptAmount: 0,
          AccountingCode: 'Sales Tax Payable',
          Balance: money(taxCents),
          CreditAmount: 0,
          PaymentAmount: 0,
          CreatedDate: created,
          UpdatedDate: created,
        }).Id;
        this.taxSnapshots.add({
          TaxableItemId: taxId,
          ItemType: 'Invoice',
          TaxDate: created,
          TaxCodeName: 'STD',
          TaxMode: 'TaxInclusive',
          DestAddressCountry: 'United States',
          DestAddressCity: 'San Francisco',
          DestAddressLine1: '123 Main St, Suite 5',
          CreatedDate: created,
          UpdatedDate: created,
        });
      }
      const unit = unitCents(b.spec, quantity);
      this.items.add(
        {
          InvoiceId: id,
          SubscriptionId: b.subscriptionId,
          SubscriptionNumber: b.subscriptionNumber,
          RatePlanChargeId: b.chargeId,
          ChargeId: b.chargeId,
          ProductId: b.productId,
          ProductRatePlanChargeId: b.productRatePlanChargeId,
          ChargeName: b.spec.name,
          ChargeNumber: b.chargeNumber,
          ChargeAmount: money(cents),
          ChargeDate: created,
          Quantity: quantity,
          UnitPrice: money(unit),
          UOM: b.spec.uom ?? null,
          ServiceStartDate: dateOf(day),
          ServiceEndDate: dateOf(periodEnd),
          ProductName: this.productName.get(b.productId) ?? null,
          SKU: this.productSku.get(b.productId) ?? null,
          TaxAmount: money(taxCents),
          TaxExemptAmount: 0,
          TaxMode: b.spec.taxable ? 'TaxInclusive' : null,
          Balance: money(cents),
          ProcessingType: b.spec.cents < 0 ? 1 : 0,
          SourceItemType: 'SubscriptionComponent',
          AccountingCode: b.spec.cents < 0 ? 'Discounts' : 'Sales Revenue',
          CreatedDate: created,
          UpdatedDate: created,
        },
        itemId,
      );
      items.push({
        id: itemId,
        cents,
        recurring: b.spec.type === 'Recurring',
        taxId,
        taxCents,
        serviceStart: day,
        serviceEnd: periodEnd,
      });
    }
    const cents = items.reduce((s, i) => s + i.cents, 0);
    const tax = items.reduce((s, i) => s + i.taxCents, 0);
    const posted = !(last && rng.chance(0.2));
    this.invoices.add(
      {
        AccountId: c.id,
        InvoiceNumber: number,
        InvoiceDate: dateOf(day),
        TargetDate: dateOf(day),
        DueDate: dateOf(day + 30),
        Status: posted ? 'Posted' : 'Draft',
        Amount: money(cents),
        AmountWithoutTax: money(cents - tax),
        TaxAmount: money(tax),
        TaxExemptAmount: 0,
        Balance: money(cents),
        PaymentAmount: 0,
        RefundAmount: 0,
        AdjustmentAmount: 0,
        CreditBalanceAdjustmentAmount: 0,
        CreditMemoAmount: 0,
        Currency: c.currency,
        BillToContactSnapshotId: c.billToSnapshotId,
        SoldToContactSnapshotId: c.soldToSnapshotId,
        BillRunId: null,
        Source: 'BillRun',
        SourceType: 'Subscription',
        IncludesOneTime: lines.some((b) => b.spec.type === 'OneTime') ? 1 : 0,
        IncludesRecurring: lines.some((b) => b.spec.type === 'Recurring') ? 1 : 0,
        IncludesUsage: lines.some((b) => b.spec.type === 'Usage') ? 1 : 0,
        AutoPay: 0,
        Comments: rng.maybe(0.1, () => 'Thank you!\nMerci — 谢谢 🙏'),
        PostedDate: posted ? created + 3_600_000 : null,
        TransferredToAccounting: posted ? 'Yes' : 'Processing',
        Reversed: 0,
        CreatedDate: created,
        UpdatedDate: created,
      },
      id,
    );
    return { id, number, customer: c, day, posted, cents, items };
  }

  /** One or two usage records of a usage charge for the month before an invoice; returns their total. */
  private usageOf(c: Customer, b: Billable, invoiceId: string, invoiceNumber: string, day: number): number {
    const rng = this.rng;
    let total = 0;
    for (let n = rng.int(1, 2); n > 0; n--) {
      const quantity = rng.int(1, 600) / 2;
      total += quantity;
      const edge = DST_EDGES[this.usageCount];
      const start = edge ?? instantOf(Math.max(day - rng.int(1, 28), 0), rng.int(0, 86_399));
      this.usageCount++;
      this.usage.add({
        AccountId: c.id,
        AccountNumber: c.number,
        ChargeId: b.chargeId,
        ChargeNumber: b.chargeNumber,
        SubscriptionId: b.subscriptionId,
        SubscriptionNumber: b.subscriptionNumber,
        InvoiceId: invoiceId,
        InvoiceNumber: invoiceNumber,
        Quantity: quantity,
        UOM: b.spec.uom ?? 'Each',
        StartDateTime: start,
        EndDateTime: start + 3_600_000,
        SubmissionDateTime: start + 7_200_000,
        Description: rng.maybe(0.3, () => 'Import, batch "nightly"'),
        SourceType: 'Import',
        RbeStatus: 'Processed',
        UniqueKey: `U-${this.usageCount}`,
        CreatedDate: start + 7_200_000,
        UpdatedDate: start + 7_200_000,
      });
    }
    return total;
  }
}
