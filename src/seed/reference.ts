import { instantOf } from './time.ts';
import { type Table, table } from './world.ts';

/** Accounting codes, periods and entities: the tenant's fixed reference data. */
export function generateReference(seed: number): { tables: Table[]; accountingCodes: string[] } {
  const codes = table(
    'AccountingCode',
    [
      'Name',
      'Type',
      'Category',
      'Status',
      'GLAccountName',
      'GLAccountNumber',
      'Notes',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const accountingCodes: string[] = [];
  for (const [name, type, gl] of [
    ['Accounts Receivable', 'AccountsReceivable', '1200'],
    ['Cash', 'Cash', '1000'],
    ['Sales Revenue', 'SalesRevenue', '4000'],
    ['Discounts', 'SalesDiscounts', '4100'],
    ['Sales Tax Payable', 'SalesTaxPayable', '2200'],
    ['Deferred Revenue, "unearned"', 'DeferredRevenue', '2400'],
  ] as const) {
    accountingCodes.push(
      codes.add({
        Name: name,
        Type: type,
        Category: null,
        Status: 'Active',
        GLAccountName: name,
        GLAccountNumber: gl,
        Notes: null,
        CreatedDate: instantOf(0),
        UpdatedDate: instantOf(0),
      }).Id,
    );
  }
  const periods = table(
    'AccountingPeriod',
    [
      'Name',
      'StartDate',
      'EndDate',
      'FiscalYear',
      'FiscalQuarter',
      'Status',
      'Notes',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  for (let m = 0; m < 24; m++) {
    const start = Date.UTC(2023, m, 1);
    const end = Date.UTC(2023, m + 1, 0);
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    periods.add({
      Name: new Date(start).toLocaleString('en-US', { month: 'short', year: 'numeric', timeZone: 'UTC' }),
      StartDate: iso(start),
      EndDate: iso(end),
      FiscalYear: 2023 + Math.floor(m / 12),
      FiscalQuarter: Math.floor((m % 12) / 3) + 1,
      Status: m < 20 ? 'Closed' : 'Open',
      Notes: null,
      CreatedDate: instantOf(0),
      UpdatedDate: start,
    });
  }
  const entities = table(
    'Entity',
    [
      'Name',
      'DisplayName',
      'Address1',
      'City',
      'Country',
      'PostalCode',
      'Email',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  entities.add({
    Name: 'Global',
    DisplayName: 'Demo Global, Inc.',
    Address1: '1 Market St',
    City: 'San Francisco',
    Country: 'United States',
    PostalCode: '94105',
    Email: 'billing@example.com',
    CreatedDate: instantOf(0),
    UpdatedDate: instantOf(0),
  });
  entities.add({
    Name: 'EU',
    DisplayName: 'Démo Europe SAS',
    Address1: "5 Rue de l'Église",
    City: 'Paris',
    Country: 'France',
    PostalCode: '75001',
    Email: 'facturation@example.com',
    CreatedDate: instantOf(0),
    UpdatedDate: instantOf(0),
  });
  return { tables: [codes, periods, entities], accountingCodes };
}
