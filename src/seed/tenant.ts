import { generateCatalog } from './catalog.ts';
import { generateCustomers } from './customers.ts';
import { generateFinance } from './finance.ts';
import { type InvoiceInfo, InvoiceTables } from './invoices.ts';
import { stream } from './prng.ts';
import { generateReference } from './reference.ts';
import { SettlementTables } from './settlements.ts';
import { SubscriptionTables } from './subscriptions.ts';
import { dateOf, money } from './time.ts';
import { type BulkWriter, type Table, writeTables } from './world.ts';

export interface SeedTenantOptions {
  /** Accounts to create; every other object scales with it. */
  readonly accounts: number;
  /** The same seed gives the same rows, Ids included. */
  readonly seed: number;
}

/**
 * Every table of a demo tenant, generated in memory (deterministic: no clock, no global random).
 * @example generateTenant({ accounts: 10, seed: 1 }).find((t) => t.object === 'Account')?.rows.length === 10
 */
export function generateTenant(opts: SeedTenantOptions): Table[] {
  const { seed } = opts;
  const rng = stream(seed, 'values');
  const reference = generateReference(seed);
  const catalog = generateCatalog(seed, rng);
  const customers = generateCustomers(seed, rng, opts.accounts);
  const subs = new SubscriptionTables(seed, rng, catalog);
  const bills = new InvoiceTables(seed, rng, catalog.productName, catalog.productSku);
  const settlements = new SettlementTables(seed, rng);
  const [accounts] = customers.tables;
  const allInvoices: InvoiceInfo[] = [];
  for (const c of customers.customers) {
    const billables = subs.generate(c);
    const invoices = bills.generate(c, billables);
    const firstPayment = settlements.paid.length;
    let balance = 0;
    for (const inv of invoices) {
      const b = settlements.settle(inv, bills.invoices);
      if (inv.posted) balance += b;
    }
    const credit = settlements.creditBalance(c, invoices, settlements.paid.slice(firstPayment));
    const mrr = billables
      .filter((b) => b.spec.type === 'Recurring')
      .reduce((s, b) => s + b.spec.cents * (b.spec.quantity ?? 1), 0);
    const lastInvoice = invoices.at(-1);
    accounts!.update(c.id, {
      Balance: money(balance),
      TotalInvoiceBalance: money(balance),
      CreditBalance: money(credit),
      Mrr: money(mrr),
      LastInvoiceDate: lastInvoice ? dateOf(lastInvoice.day) : null,
    });
    allInvoices.push(...invoices);
  }
  const finance = generateFinance(
    seed,
    rng,
    allInvoices,
    settlements.paid,
    reference.accountingCodes,
    bills.invoices,
  );
  return [
    ...reference.tables,
    ...catalog.tables,
    ...customers.tables,
    ...subs.tables,
    ...bills.tables,
    ...settlements.tables,
    ...finance,
  ];
}

/**
 * Writes a coherent demo billing world into a store: contacts, accounts, payment methods, catalog,
 * subscriptions, amendments, invoices with items and taxes, payments, refunds, adjustments, usage,
 * accounting and revenue data. Returns rows per object.
 * @example seedTenant(store, { accounts: 100, seed: 42 }).Account === 100
 */
export function seedTenant(store: BulkWriter, opts: SeedTenantOptions): Record<string, number> {
  return writeTables(store, generateTenant(opts));
}
