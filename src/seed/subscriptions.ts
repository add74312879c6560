import { type Catalog, type ChargeSpec, chargeCents } from './catalog.ts';
import type { Customer } from './customers.ts';
import type { Rng } from './prng.ts';
import { addMonths, dateOf, instantOf, money } from './time.ts';
import { type Table, table } from './world.ts';

/** A charge an account is billed for, from `startDay` on. */
export interface Billable {
  readonly chargeId: string;
  readonly chargeNumber: string;
  readonly subscriptionId: string;
  readonly subscriptionNumber: string;
  readonly productId: string;
  readonly productRatePlanChargeId: string;
  readonly spec: ChargeSpec;
  readonly startDay: number;
}

const BASE_PLANS = ['Basic', 'Pro', 'Analytics'];
const ADD_ONS: readonly [name: string, p: number][] = [
  ['Standard Support', 0.3],
  ['Premium, "24/7"', 0.2],
  ['Micro', 0.3],
  ['Loyalty discount', 0.15],
];

export class SubscriptionTables {
  readonly subscriptions: Table;
  readonly amendments: Table;
  readonly ratePlans: Table;
  readonly charges: Table;
  readonly tiers: Table;
  private chargeCount = 0;
  private subscriptionCount = 0;
  private amendmentCount = 0;

  constructor(
    seed: number,
    private readonly rng: Rng,
    private readonly catalog: Catalog,
  ) {
    this.subscriptions = table(
      'Subscription',
      [
        'AccountId',
        'InvoiceOwnerId',
        'CreatorAccountId',
        'CreatorInvoiceOwnerId',
        'Name',
        'Status',
        'TermType',
        'AutoRenew',
        'InitialTerm',
        'InitialTermPeriodType',
        'CurrentTerm',
        'CurrentTermPeriodType',
        'RenewalTerm',
        'RenewalTermPeriodType',
        'RenewalSetting',
        'ContractEffectiveDate',
        'ServiceActivationDate',
        'ContractAcceptanceDate',
        'SubscriptionStartDate',
        'SubscriptionEndDate',
        'TermStartDate',
        'TermEndDate',
        'CancelledDate',
        'Currency',
        'Version',
        'IsLatestVersion',
        'OriginalCreatedDate',
        'Notes',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.amendments = table(
      'Amendment',
      [
        'SubscriptionId',
        'Code',
        'Name',
        'Type',
        'Status',
        'Description',
        'EffectiveDate',
        'ContractEffectiveDate',
        'ServiceActivationDate',
        'CustomerAcceptanceDate',
        'TermType',
        'CurrentTerm',
        'CurrentTermPeriodType',
        'AutoRenew',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.ratePlans = table(
      'RatePlan',
      [
        'SubscriptionId',
        'ProductRatePlanId',
        'AmendmentId',
        'AmendmentType',
        'Name',
        'InvoiceOwnerId',
        'SubscriptionOwnerId',
        'OriginalRatePlanId',
        'SubscriptionRatePlanNumber',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.charges = table(
      'RatePlanCharge',
      [
        'RatePlanId',
        'SubscriptionId',
        'ProductRatePlanChargeId',
        'InvoiceOwnerId',
        'SubscriptionOwnerId',
        'Name',
        'ChargeNumber',
        'ChargeType',
        'ChargeModel',
        'BillingPeriod',
        'BillingTiming',
        'TriggerEvent',
        'EndDateCondition',
        'ListPriceBase',
        'Price',
        'Quantity',
        'MRR',
        'TCV',
        'UOM',
        'Segment',
        'Version',
        'IsLastSegment',
        'EffectiveStartDate',
        'EffectiveEndDate',
        'ChargedThroughDate',
        'Taxable',
        'TaxMode',
        'Description',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
    this.tiers = table(
      'RatePlanChargeTier',
      [
        'RatePlanChargeId',
        'Tier',
        'StartingUnit',
        'EndingUnit',
        'Price',
        'PriceFormat',
        'Currency',
        'IsOveragePrice',
        'CreatedDate',
        'UpdatedDate',
      ],
      seed,
    );
  }

  get tables(): Table[] {
    return [this.subscriptions, this.amendments, this.ratePlans, this.charges, this.tiers];
  }

  /** One to three subscriptions of a customer, with their plans, charges and tiers. */
  generate(c: Customer): Billable[] {
    const billables: Billable[] = [];
    for (let s = this.rng.int(1, 3); s > 0; s--) billables.push(...this.subscription(c));
    return billables;
  }

  private subscription(c: Customer): Billable[] {
    const rng = this.rng;
    const start = Math.min(c.day + rng.int(0, 20), 700);
    const created = instantOf(start, rng.int(0, 86_399));
    const evergreen = rng.chance(0.3);
    const cancelled = rng.chance(0.1);
    const number = `A-S${String(++this.subscriptionCount).padStart(8, '0')}`;
    const sub = this.subscriptions.add({
      AccountId: c.id,
      InvoiceOwnerId: c.id,
      CreatorAccountId: c.id,
      CreatorInvoiceOwnerId: c.id,
      Name: number,
      Status: cancelled ? 'Cancelled' : 'Active',
      TermType: evergreen ? 'EVERGREEN' : 'TERMED',
      AutoRenew: evergreen ? 0 : rng.chance(0.5) ? 1 : 0,
      InitialTerm: evergreen ? null : 12,
      InitialTermPeriodType: evergreen ? null : 'Month',
      CurrentTerm: evergreen ? null : 12,
      CurrentTermPeriodType: evergreen ? null : 'Month',
      RenewalTerm: evergreen ? null : 12,
      RenewalTermPeriodType: evergreen ? null : 'Month',
      RenewalSetting: evergreen ? null : 'RENEW_WITH_SPECIFIC_TERM',
      ContractEffectiveDate: dateOf(start),
      ServiceActivationDate: dateOf(start),
      ContractAcceptanceDate: rng.maybe(0.5, () => dateOf(start)),
      SubscriptionStartDate: dateOf(start),
      SubscriptionEndDate: evergreen ? null : dateOf(addMonths(start, 12)),
      TermStartDate: dateOf(start),
      TermEndDate: dateOf(addMonths(start, 12)),
      CancelledDate: cancelled ? dateOf(Math.min(start + 200, 730)) : null,
      Currency: c.currency,
      Version: 1,
      IsLatestVersion: 1,
      OriginalCreatedDate: created,
      Notes: rng.maybe(0.2, () => 'Signed at the "Summit", Zürich'),
      CreatedDate: created,
      UpdatedDate: created,
    });
    const plans = [this.plan(rng.pick(BASE_PLANS))];
    for (const [name, p] of ADD_ONS) if (rng.chance(p)) plans.push(this.plan(name));
    const billables: Billable[] = [];
    plans.forEach((plan) => {
      billables.push(...this.ratePlan(c, sub.Id, number, plan, start, created, null));
    });
    if (rng.chance(0.3)) {
      const day = Math.min(start + rng.int(30, 90), 720);
      const at = instantOf(day, rng.int(0, 86_399));
      const amendment = this.amendments.add({
        SubscriptionId: sub.Id,
        Code: `A-AM${String(++this.amendmentCount).padStart(8, '0')}`,
        Name: 'Add product, "mid-term"',
        Type: 'NewProduct',
        Status: 'Completed',
        Description: rng.maybe(0.5, () => 'Upsell\nagreed by phone'),
        EffectiveDate: dateOf(day),
        ContractEffectiveDate: dateOf(day),
        ServiceActivationDate: dateOf(day),
        CustomerAcceptanceDate: dateOf(day),
        TermType: evergreen ? 'EVERGREEN' : 'TERMED',
        CurrentTerm: evergreen ? null : 12,
        CurrentTermPeriodType: evergreen ? null : 'Month',
        AutoRenew: 0,
        CreatedDate: at,
        UpdatedDate: at,
      });
      const plan = this.plan(rng.pick(['Standard Support', 'Micro', 'Premium, "24/7"']));
      billables.push(...this.ratePlan(c, sub.Id, number, plan, day, at, amendment.Id));
    }
    return billables;
  }

  private plan(name: string): Catalog['plans'][number] {
    const plan = this.catalog.plans.find((p) => p.name === name);
    if (!plan) throw new Error(`seed: no catalog plan ${name}`);
    return plan;
  }

  private ratePlan(
    c: Customer,
    subscriptionId: string,
    subscriptionNumber: string,
    plan: Catalog['plans'][number],
    start: number,
    created: number,
    amendmentId: string | null,
  ): Billable[] {
    const rp = this.ratePlans.add({
      SubscriptionId: subscriptionId,
      ProductRatePlanId: plan.id,
      AmendmentId: amendmentId,
      AmendmentType: amendmentId ? 'NewProduct' : null,
      Name: plan.name,
      InvoiceOwnerId: c.id,
      SubscriptionOwnerId: c.id,
      OriginalRatePlanId: null,
      SubscriptionRatePlanNumber: null,
      CreatedDate: created,
      UpdatedDate: created,
    });
    this.ratePlans.set(rp.Id, 'OriginalRatePlanId', rp.Id);
    return plan.charges.map(({ id: prpcId, spec }) => {
      const number = `C-${String(++this.chargeCount).padStart(8, '0')}`;
      const recurring = spec.type === 'Recurring';
      const monthly = recurring ? chargeCents(spec, spec.quantity ?? 1) : null;
      const rpc = this.charges.add({
        RatePlanId: rp.Id,
        SubscriptionId: subscriptionId,
        ProductRatePlanChargeId: prpcId,
        InvoiceOwnerId: c.id,
        SubscriptionOwnerId: c.id,
        Name: spec.name,
        ChargeNumber: number,
        ChargeType: spec.type,
        ChargeModel: spec.model,
        BillingPeriod: 'Month',
        BillingTiming: spec.type === 'Usage' ? 'In Arrears' : 'In Advance',
        TriggerEvent: 'ContractEffective',
        EndDateCondition: 'SubscriptionEnd',
        ListPriceBase: recurring ? 'Per Billing Period' : null,
        Price: spec.tiers ? null : money(spec.cents),
        Quantity: spec.quantity ?? (spec.type === 'Usage' ? null : 1),
        MRR: monthly === null ? null : money(monthly),
        TCV: monthly === null ? (spec.type === 'OneTime' ? money(spec.cents) : null) : money(monthly * 12),
        UOM: spec.uom ?? null,
        Segment: 1,
        Version: 1,
        IsLastSegment: 1,
        EffectiveStartDate: dateOf(start),
        EffectiveEndDate: dateOf(addMonths(start, 12)),
        ChargedThroughDate: null,
        Taxable: spec.taxable ? 1 : 0,
        TaxMode: spec.taxable ? 'TaxInclusive' : null,
        Description: null,
        CreatedDate: created,
        UpdatedDate: created,
      });
      (spec.tiers ?? []).forEach(([from, to, cents], i) => {
        this.tiers.add({
          RatePlanChargeId: rpc.Id,
          Tier: i + 1,
          StartingUnit: from,
          EndingUnit: to,
          Price: money(cents),
          PriceFormat: 'Per Unit',
          Currency: c.currency,
          IsOveragePrice: 0,
          CreatedDate: created,
          UpdatedDate: created,
        });
      });
      return {
        chargeId: rpc.Id,
        chargeNumber: number,
        subscriptionId,
        subscriptionNumber,
        productId: plan.productId,
        productRatePlanChargeId: prpcId,
        spec,
        startDay: start,
      };
    });
  }
}
