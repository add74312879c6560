import type { SqlValue } from '../store/types.ts';
import { hash32, IdMaker, Rng, stream } from './prng.ts';
import { addMonths, dateOf, instantOf, money } from './time.ts';
import { COMPANY_NAMES, CURRENCIES, person } from './values.ts';
import type { BulkWriter } from './world.ts';

export interface SeedInvoiceItemsOptions {
  /** Invoice items to write; invoices, accounts and contacts scale with it. */
  readonly items: number;
  readonly seed: number;
}

/** Items per invoice and invoices per account of the benchmark world. */
const ITEMS_PER_INVOICE = 10;
const INVOICES_PER_ACCOUNT = 10;
const CHARGES = ['Monthly Fee', 'Usage, "overage"', 'Support — Premium', 'Storage 📦', 'Seats'];

function ids(seed: number, object: string, n: number): string[] {
  const maker = new IdMaker(seed, `bulk:${object}`);
  return Array.from({ length: n }, () => maker.next());
}

/** Item amounts of invoice `j`, in cents: a pure function of (seed, j), so invoices and items agree. */
function itemCents(seed: number, j: number, count: number): number[] {
  const rng = new Rng(hash32(`${seed}:bulk-invoice:${j}`));
  return Array.from({ length: count }, () => {
    const r = rng.next();
    if (r < 0.05) return 0;
    if (r < 0.1) return -rng.int(1, 5000);
    if (r < 0.15) return rng.pick([10, 20, 7786]);
    return rng.int(1, 2_000_000);
  });
}

/**
 * A benchmark world: `items` InvoiceItems over items/10 Invoices, items/100 Accounts and two Contacts
 * per account, so an export of InvoiceItem with Invoice.*, Account.* and BillToContact.* fields has
 * real parents. Rows stream into the store (memory stays flat); invoice Amount is the exact sum of
 * its items. Returns rows per object.
 * @example seedInvoiceItems(store, { items: 1000, seed: 7 }).Invoice === 100
 */
export function seedInvoiceItems(store: BulkWriter, opts: SeedInvoiceItemsOptions): Record<string, number> {
  const { seed, items } = opts;
  const invoiceCount = Math.ceil(items / ITEMS_PER_INVOICE);
  const accountCount = Math.ceil(invoiceCount / INVOICES_PER_ACCOUNT);
  const accountIds = ids(seed, 'Account', accountCount);
  const contactIds = ids(seed, 'Contact', accountCount * 2);
  const invoiceIds = ids(seed, 'Invoice', invoiceCount);
  const rng = stream(seed, 'bulk:values');
  const counts: Record<string, number> = {};
  const created = (i: number) => instantOf(i % 700, (i * 7919) % 86_400);

  counts.Contact = store.bulkInsert(
    'Contact',
    [
      'Id',
      'AccountId',
      'FirstName',
      'LastName',
      'Address1',
      'City',
      'State',
      'Country',
      'PostalCode',
      'WorkEmail',
      'CreatedDate',
      'UpdatedDate',
    ],
    (function* () {
      for (let i = 0; i < contactIds.length; i++) {
        const p = person(rng);
        const [city, state, country, postal] = p.city;
        yield [
          contactIds[i]!,
          accountIds[i >> 1]!,
          p.first,
          p.last,
          p.street,
          city,
          state,
          country,
          postal,
          `c${i}@example.com`,
          created(i),
          created(i),
        ];
      }
    })(),
  );
  const currencies = accountIds.map(() => rng.pick(CURRENCIES));
  counts.Account = store.bulkInsert(
    'Account',
    [
      'Id',
      'AccountNumber',
      'Name',
      'Status',
      'Currency',
      'BillCycleDay',
      'BillToId',
      'SoldToId',
      'AutoPay',
      'CreatedDate',
      'UpdatedDate',
    ],
    (function* () {
      for (let i = 0; i < accountCount; i++) {
        yield [
          accountIds[i]!,
          `B${String(i + 1).padStart(9, '0')}`,
          `${COMPANY_NAMES[i % COMPANY_NAMES.length]} #${i}`,
          'Active',
          currencies[i]!,
          (i % 28) + 1,
          contactIds[2 * i]!,
          contactIds[2 * i + 1]!,
          i % 2,
          created(i),
          created(i),
        ];
      }
    })(),
  );
  const itemsOf = (j: number) => Math.min(ITEMS_PER_INVOICE, items - j * ITEMS_PER_INVOICE);
  // Invoices are dated in the order they are written (and spread over accounts), as a real tenant's
  // are: times then ascend with Ids, which keeps the UpdatedDate index append-only.
  const dayOf = (j: number) => Math.floor((j * 700) / invoiceCount);
  const accountOf = (j: number) => (j * 7919) % accountCount;
  counts.Invoice = store.bulkInsert(
    'Invoice',
    [
      'Id',
      'AccountId',
      'InvoiceNumber',
      'InvoiceDate',
      'DueDate',
      'Status',
      'Amount',
      'AmountWithoutTax',
      'TaxAmount',
      'Balance',
      'PaymentAmount',
      'Currency',
      'CreatedDate',
      'UpdatedDate',
    ],
    (function* () {
      for (let j = 0; j < invoiceCount; j++) {
        const cents = itemCents(seed, j, itemsOf(j)).reduce((a, b) => a + b, 0);
        const a = accountOf(j);
        const day = dayOf(j);
        yield [
          invoiceIds[j]!,
          accountIds[a]!,
          `BINV${String(j + 1).padStart(9, '0')}`,
          dateOf(day),
          dateOf(day + 30),
          'Posted',
          money(cents),
          money(cents),
          0,
          money(cents),
          0,
          currencies[a]!,
          instantOf(day, 3600),
          instantOf(day, 3600),
        ];
      }
    })(),
  );
  const itemIds = new IdMaker(seed, 'bulk:InvoiceItem');
  counts.InvoiceItem = store.bulkInsert(
    'InvoiceItem',
    [
      'Id',
      'InvoiceId',
      'ChargeName',
      'ChargeNumber',
      'ChargeAmount',
      'ChargeDate',
      'Quantity',
      'UnitPrice',
      'UOM',
      'ServiceStartDate',
      'ServiceEndDate',
      'SubscriptionNumber',
      'SKU',
      'ProductName',
      'TaxAmount',
      'TaxMode',
      'ProcessingType',
      'SourceItemType',
      'AccountingCode',
      'Balance',
      'CreatedDate',
      'UpdatedDate',
    ],
    (function* (): Generator<SqlValue[]> {
      let n = 0;
      for (let j = 0; j < invoiceCount; j++) {
        const a = accountOf(j);
        const day = dayOf(j);
        const start = dateOf(day);
        const end = dateOf(addMonths(day, 1) - 1);
        const at = instantOf(day, 3600);
        for (const cents of itemCents(seed, j, itemsOf(j))) {
          n++;
          const amount = money(cents);
          yield [
            itemIds.next(),
            invoiceIds[j]!,
            CHARGES[n % CHARGES.length]!,
            `C-${String(n).padStart(9, '0')}`,
            amount,
            at,
            1,
            amount,
            'Each',
            start,
            end,
            `A-S${String(a + 1).padStart(8, '0')}`,
            'SKU-BULK',
            'Bulk Product, "B"',
            0,
            'TaxExclusive',
            cents < 0 ? 1 : 0,
            'SubscriptionComponent',
            'Sales Revenue',
            amount,
            at,
            at,
          ];
        }
      }
    })(),
  );
  return counts;
}
