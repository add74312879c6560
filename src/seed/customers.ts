import type { Rng } from './prng.ts';
import { DST_EDGES_2023, dateOf, dayOf, instantOf } from './time.ts';
import { COMPANY_NAMES, CURRENCIES, NOTES, person } from './values.ts';
import { type Table, table } from './world.ts';

export interface Customer {
  readonly id: string;
  readonly number: string;
  readonly name: string;
  readonly currency: string;
  /** Day the account was created. */
  readonly day: number;
  readonly billToSnapshotId: string;
  readonly soldToSnapshotId: string;
  readonly paymentMethodId: string;
  readonly paymentMethodSnapshotId: string;
  readonly billCycleDay: number;
}

const CONTACT_COLUMNS = [
  'AccountId',
  'FirstName',
  'LastName',
  'NickName',
  'Address1',
  'Address2',
  'City',
  'State',
  'Country',
  'PostalCode',
  'County',
  'WorkEmail',
  'PersonalEmail',
  'WorkPhone',
  'OtherPhoneType',
  'TaxRegion',
  'Description',
  'CreatedDate',
  'UpdatedDate',
];

/** Accounts with their bill-to and sold-to contacts (and snapshots), payment methods (and snapshots). */
export function generateCustomers(
  seed: number,
  rng: Rng,
  count: number,
): { tables: Table[]; customers: Customer[] } {
  const accounts = table(
    'Account',
    [
      'AccountNumber',
      'Name',
      'Status',
      'Currency',
      'BillCycleDay',
      'BcdSettingOption',
      'PaymentTerm',
      'BillToId',
      'SoldToId',
      'DefaultPaymentMethodId',
      'ParentId',
      'AutoPay',
      'AllowInvoiceEdit',
      'InvoiceDeliveryPrefsEmail',
      'InvoiceDeliveryPrefsPrint',
      'Batch',
      'CrmId',
      'Notes',
      'SalesRepName',
      'TaxExemptStatus',
      'PurchaseOrderNumber',
      'Balance',
      'CreditBalance',
      'TotalInvoiceBalance',
      'Mrr',
      'LastInvoiceDate',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const contacts = table('Contact', CONTACT_COLUMNS, seed);
  const snapshots = table('ContactSnapshot', ['ContactId', ...CONTACT_COLUMNS], seed);
  const methods = table(
    'PaymentMethod',
    [
      'AccountId',
      'Type',
      'Active',
      'CreditCardType',
      'CreditCardHolderName',
      'CreditCardMaskNumber',
      'CreditCardExpirationMonth',
      'CreditCardExpirationYear',
      'AchBankName',
      'AchAccountName',
      'AchAccountNumberMask',
      'PaypalEmail',
      'PaypalType',
      'PaymentMethodStatus',
      'NumConsecutiveFailures',
      'TotalNumberOfProcessedPayments',
      'TotalNumberOfErrorPayments',
      'UseDefaultRetryRule',
      'LastTransactionDateTime',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const methodSnapshots = table(
    'PaymentMethodSnapshot',
    [
      'PaymentMethodId',
      'AccountId',
      'Type',
      'CreditCardType',
      'CreditCardHolderName',
      'CreditCardMaskNumber',
      'PaypalEmail',
      'UseDefaultRetryRule',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const customers: Customer[] = [];
  for (let i = 0; i < count; i++) {
    // A few accounts are created right at a DST change, to make their times awkward.
    const edge = DST_EDGES_2023[i];
    const created = edge ?? instantOf(rng.int(0, 600), rng.int(0, 86_399));
    const day = dayOf(created);
    const updated = created + rng.int(0, 30) * 86_400_000;
    const accountId = accounts.reserve();
    const contactFor = (): { id: string; snapshotId: string; name: string } => {
      const p = person(rng);
      const [city, state, country, postal] = p.city;
      const values = {
        AccountId: accountId,
        FirstName: p.first,
        LastName: p.last,
        NickName: rng.maybe(0.2, () => `${p.first} 😀`),
        Address1: p.street,
        Address2: rng.maybe(0.3, () => 'Floor 2, "Annex"'),
        City: city,
        State: state,
        Country: country,
        PostalCode: postal,
        County: null,
        WorkEmail: rng.maybe(0.9, () => `contact${i}@example.com`),
        PersonalEmail: null,
        WorkPhone: rng.maybe(0.7, () => `+1 (555) 01${String(i % 100).padStart(2, '0')}`),
        OtherPhoneType: rng.maybe(0.3, () => rng.pick(['Work', 'Mobile', 'Home', 'Other'])),
        TaxRegion: null,
        Description: rng.maybe(0.2, () => rng.pick(NOTES)),
        CreatedDate: created,
        UpdatedDate: updated,
      };
      const c = contacts.add(values);
      const s = snapshots.add({ ContactId: c.Id, ...values });
      return { id: c.Id, snapshotId: s.Id, name: `${p.first} ${p.last}` };
    };
    const billTo = contactFor();
    const soldTo = rng.chance(0.7) ? contactFor() : billTo;
    let defaultMethod = '';
    let defaultSnapshot = '';
    for (let m = rng.int(1, 2); m > 0; m--) {
      const type = rng.pick(['CreditCard', 'CreditCard', 'ACH', 'PayPal', 'Check'] as const);
      const card = type === 'CreditCard';
      const cardType = card ? rng.pick(['Visa', 'MasterCard', 'AmericanExpress', 'Discover']) : null;
      const mask = card ? `************${String(rng.int(0, 9999)).padStart(4, '0')}` : null;
      const paypal = type === 'PayPal' ? `payer${i}@example.com` : null;
      const pm = methods.add({
        AccountId: accountId,
        Type: type,
        Active: 1,
        CreditCardType: cardType,
        CreditCardHolderName: card ? billTo.name.slice(0, 50) : null,
        CreditCardMaskNumber: mask,
        CreditCardExpirationMonth: card ? rng.int(1, 12) : null,
        CreditCardExpirationYear: card ? rng.int(2025, 2030) : null,
        AchBankName: type === 'ACH' ? 'Banco Ñandú' : null,
        AchAccountName: type === 'ACH' ? billTo.name.slice(0, 70) : null,
        AchAccountNumberMask: type === 'ACH' ? '*****6789' : null,
        PaypalEmail: paypal,
        PaypalType: paypal ? 'ExpressCheckout' : null,
        PaymentMethodStatus: 'Active',
        NumConsecutiveFailures: 0,
        TotalNumberOfProcessedPayments: 0,
        TotalNumberOfErrorPayments: 0,
        UseDefaultRetryRule: 1,
        LastTransactionDateTime: null,
        CreatedDate: dateOf(day),
        UpdatedDate: dateOf(day),
      });
      const snap = methodSnapshots.add({
        PaymentMethodId: pm.Id,
        AccountId: accountId,
        Type: type,
        CreditCardType: cardType,
        CreditCardHolderName: card ? billTo.name.slice(0, 50) : null,
        CreditCardMaskNumber: mask,
        PaypalEmail: paypal,
        UseDefaultRetryRule: 1,
        CreatedDate: created,
        UpdatedDate: created,
      });
      if (!defaultMethod) {
        defaultMethod = pm.Id;
        defaultSnapshot = snap.Id;
      }
    }
    const name = i < COMPANY_NAMES.length ? COMPANY_NAMES[i]! : `${rng.pick(COMPANY_NAMES)} #${i}`;
    const currency = rng.pick(CURRENCIES);
    const billCycleDay = rng.int(1, 28);
    const number = `A${String(i + 1).padStart(8, '0')}`;
    const parent = i > 0 && rng.chance(0.1) ? customers[rng.int(0, i - 1)]!.id : null;
    const status = rng.chance(0.9) ? 'Active' : rng.pick(['Draft', 'Canceled']);
    accounts.add(
      {
        AccountNumber: number,
        Name: name,
        Status: status,
        Currency: currency,
        BillCycleDay: billCycleDay,
        BcdSettingOption: rng.pick(['AutoSet', 'ManualSet']),
        PaymentTerm: rng.pick(['Due Upon Receipt', 'Net 30', 'Net 60']),
        BillToId: billTo.id,
        SoldToId: soldTo.id,
        DefaultPaymentMethodId: defaultMethod,
        ParentId: parent,
        AutoPay: rng.chance(0.6) ? 1 : 0,
        AllowInvoiceEdit: 0,
        InvoiceDeliveryPrefsEmail: 1,
        InvoiceDeliveryPrefsPrint: rng.chance(0.1) ? 1 : 0,
        Batch: `Batch${rng.int(1, 5)}`,
        CrmId: rng.maybe(0.5, () => `0015${rng.hex(11)}`),
        Notes: rng.maybe(0.3, () => rng.pick(NOTES)),
        SalesRepName: rng.maybe(0.5, () => rng.pick(['Zoë', 'Jean-Luc', '佐藤', 'Pat'])),
        TaxExemptStatus: rng.pick(['No', 'No', 'No', 'Yes', 'PendingVerification']),
        PurchaseOrderNumber: rng.maybe(0.3, () => `PO-${rng.int(1000, 9999)}, rev "B"`),
        Balance: 0,
        CreditBalance: 0,
        TotalInvoiceBalance: 0,
        Mrr: 0,
        LastInvoiceDate: null,
        CreatedDate: created,
        UpdatedDate: updated,
      },
      accountId,
    );
    customers.push({
      id: accountId,
      number,
      name,
      currency,
      day,
      billToSnapshotId: billTo.snapshotId,
      soldToSnapshotId: soldTo.snapshotId,
      paymentMethodId: defaultMethod,
      paymentMethodSnapshotId: defaultSnapshot,
      billCycleDay,
    });
  }
  return { tables: [accounts, contacts, snapshots, methods, methodSnapshots], customers };
}
