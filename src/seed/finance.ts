import type { InvoiceInfo } from './invoices.ts';
import type { Rng } from './prng.ts';
import type { PaymentInfo } from './settlements.ts';
import { dateOf, instantOf, money, monthStart } from './time.ts';
import { type Table, table } from './world.ts';

/** Codes by position in generateReference: receivable, cash, revenue, discounts, tax, deferred. */
type Codes = readonly string[];

/** Bill runs per month, journal runs per quarter with balanced entries, revenue schedules of some items. */
export function generateFinance(
  seed: number,
  rng: Rng,
  invoices: readonly InvoiceInfo[],
  payments: readonly PaymentInfo[],
  codes: Codes,
  invoiceTable: Table,
): Table[] {
  const runs = table(
    'BillingRun',
    [
      'BillingRunNumber',
      'Name',
      'BillingRunType',
      'Status',
      'TargetType',
      'InvoiceDate',
      'TargetDate',
      'StartDate',
      'EndDate',
      'ExecutedDate',
      'PostedDate',
      'NumberOfAccounts',
      'NumberOfInvoices',
      'NumberOfCreditMemos',
      'TotalTime',
      'ErrorMessage',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  for (let m = 0; m < 24; m++) {
    const from = monthStart(m);
    const to = monthStart(m + 1);
    const inMonth = invoices.filter((i) => i.day >= from && i.day < to);
    const at = instantOf(from, 3600 * 2);
    const run = runs.add({
      BillingRunNumber: `BR-${String(m + 1).padStart(8, '0')}`,
      Name: `Monthly run ${dateOf(from).slice(0, 7)}`,
      BillingRunType: 'Regular',
      Status: 'Completed',
      TargetType: 'AllAccounts',
      InvoiceDate: dateOf(from),
      TargetDate: dateOf(from),
      StartDate: at,
      EndDate: at + 600_000,
      ExecutedDate: at,
      PostedDate: at + 3_600_000,
      NumberOfAccounts: new Set(inMonth.map((i) => i.customer.id)).size,
      NumberOfInvoices: inMonth.length,
      NumberOfCreditMemos: 0,
      TotalTime: 600,
      ErrorMessage: null,
      CreatedDate: at,
      UpdatedDate: at,
    });
    for (const inv of inMonth) invoiceTable.set(inv.id, 'BillRunId', run.Id);
  }

  const journalRuns = table(
    'JournalRun',
    [
      'Number',
      'Status',
      'TargetDateType',
      'TargetStartDate',
      'TargetEndDate',
      'ProcessStartDateTime',
      'ProcessEndDateTime',
      'TotalJournalEntryCount',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const entries = table(
    'JournalEntry',
    [
      'JournalRunId',
      'Number',
      'JournalEntryDate',
      'Currency',
      'Status',
      'TransactionType',
      'TransactionCount',
      'TransferredToAccounting',
      'Notes',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const lines = table(
    'JournalEntryItem',
    ['JournalEntryId', 'AccountingCodeId', 'Amount', 'Currency', 'Type', 'CreatedDate', 'UpdatedDate'],
    seed,
  );
  let entryCount = 0;
  for (let q = 0; q < 8; q++) {
    const from = monthStart(q * 3);
    const to = monthStart(q * 3 + 3);
    const at = instantOf(to, 3600 * 5);
    const qInvoices = invoices.filter((i) => i.posted && i.day >= from && i.day < to);
    const qPayments = payments.filter((p) => p.day >= from && p.day < to);
    const sums: [type: string, count: number, cents: number, debit: string, credit: string][] = [
      ['Invoice Item', qInvoices.length, qInvoices.reduce((s, i) => s + i.cents, 0), codes[0]!, codes[2]!],
      ['Payment', qPayments.length, qPayments.reduce((s, p) => s + p.cents, 0), codes[1]!, codes[0]!],
    ];
    const run = journalRuns.add({
      Number: `JR-${String(q + 1).padStart(8, '0')}`,
      Status: 'Completed',
      TargetDateType: 'Accounting Period',
      TargetStartDate: dateOf(from),
      TargetEndDate: dateOf(to - 1),
      ProcessStartDateTime: at,
      ProcessEndDateTime: at + 120_000,
      TotalJournalEntryCount: sums.length,
      CreatedDate: at,
      UpdatedDate: at,
    });
    for (const [type, count, cents, debit, credit] of sums) {
      const entry = entries.add({
        JournalRunId: run.Id,
        Number: `JE-${String(++entryCount).padStart(8, '0')}`,
        JournalEntryDate: dateOf(to - 1),
        Currency: 'USD',
        Status: 'Approved',
        TransactionType: type,
        TransactionCount: count,
        TransferredToAccounting: 'No',
        Notes: rng.maybe(0.3, () => 'Reviewed, "Q close"'),
        CreatedDate: at,
        UpdatedDate: at,
      });
      lines.add({
        JournalEntryId: entry.Id,
        AccountingCodeId: debit,
        Amount: money(cents),
        Currency: 'USD',
        Type: 'Debit',
        CreatedDate: at,
        UpdatedDate: at,
      });
      lines.add({
        JournalEntryId: entry.Id,
        AccountingCodeId: credit,
        Amount: money(cents),
        Currency: 'USD',
        Type: 'Credit',
        CreatedDate: at,
        UpdatedDate: at,
      });
    }
  }

  const schedules = table(
    'RevenueSchedule',
    [
      'Amount',
      'Currency',
      'LinkedTransactionId',
      'LinkedTransactionNumber',
      'LinkedTransactionType',
      'LinkedTransactionDate',
      'RevenueScheduleNumber',
      'RevenueScheduleDate',
      'RecognitionStart',
      'RecognitionEnd',
      'RecognitionRuleName',
      'UndistributedUnrecognizedRevenue',
      'ExchangeRateDate',
      'Notes',
      'ReferenceId',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const scheduleItems = table(
    'RevenueScheduleItem',
    ['RevenueScheduleId', 'Amount', 'Currency', 'CreatedDate', 'UpdatedDate'],
    seed,
  );
  let scheduleCount = 0;
  for (const inv of invoices) {
    for (const item of inv.items) {
      if (!inv.posted || !item.recurring || item.cents <= 0 || !rng.chance(0.2)) continue;
      const at = instantOf(inv.day, 3600 * 6);
      const currency = inv.customer.currency;
      const rs = schedules.add({
        Amount: money(item.cents),
        Currency: currency,
        LinkedTransactionId: item.id,
        LinkedTransactionNumber: inv.number,
        LinkedTransactionType: 'Invoice Item',
        LinkedTransactionDate: dateOf(inv.day),
        RevenueScheduleNumber: `RS-${String(++scheduleCount).padStart(8, '0')}`,
        RevenueScheduleDate: dateOf(inv.day),
        RecognitionStart: dateOf(item.serviceStart),
        RecognitionEnd: dateOf(item.serviceEnd),
        RecognitionRuleName: 'Recognize daily over time',
        UndistributedUnrecognizedRevenue: 0,
        ExchangeRateDate: null,
        Notes: null,
        ReferenceId: null,
        CreatedDate: at,
        UpdatedDate: at,
      });
      // Three parts that add up to the schedule exactly: the last one takes the remainder.
      const part = Math.floor(item.cents / 3);
      for (const cents of [part, part, item.cents - 2 * part]) {
        scheduleItems.add({
          RevenueScheduleId: rs.Id,
          Amount: money(cents),
          Currency: currency,
          CreatedDate: at,
          UpdatedDate: at,
        });
      }
    }
  }
  return [runs, journalRuns, entries, lines, schedules, scheduleItems];
}
