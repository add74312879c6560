import { CATALOG, type ChargeSpec, type Tier } from './catalog-data.ts';
import type { Rng } from './prng.ts';
import { instantOf, money } from './time.ts';
import { type Table, table } from './world.ts';

export type { ChargeSpec };

export interface CatalogPlan {
  readonly id: string;
  readonly productId: string;
  readonly name: string;
  readonly charges: readonly { readonly id: string; readonly spec: ChargeSpec }[];
}

export interface Catalog {
  readonly tables: Table[];
  /** Plans by position: base plans first, add-ons after. */
  readonly plans: readonly CatalogPlan[];
  readonly productName: ReadonlyMap<string, string>;
  readonly productSku: ReadonlyMap<string, string>;
}

/** The unit price in cents for `quantity` units (volume pricing: all units at the tier reached). */
export function unitCents(spec: ChargeSpec, quantity: number): number {
  let unit = spec.cents;
  for (const [start, end, cents] of spec.tiers ?? [])
    if (quantity >= start && (end === null || quantity < end)) unit = cents;
  return unit;
}

/** The price in cents of `quantity` units of a charge. */
export function chargeCents(spec: ChargeSpec, quantity: number): number {
  if (spec.type !== 'Usage' && spec.model === 'Flat Fee Pricing') return spec.cents;
  if (spec.model === 'Discount-Fixed Amount') return spec.cents;
  return Math.round(unitCents(spec, quantity) * quantity);
}

export function generateCatalog(seed: number, rng: Rng): Catalog {
  const product = table(
    'Product',
    [
      'Name',
      'SKU',
      'Category',
      'Description',
      'ProductNumber',
      'EffectiveStartDate',
      'EffectiveEndDate',
      'AllowFeatureChanges',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const plan = table(
    'ProductRatePlan',
    [
      'ProductId',
      'Name',
      'Description',
      'ProductRatePlanNumber',
      'EffectiveStartDate',
      'EffectiveEndDate',
      'ActiveCurrencies',
      'Grade',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const charge = table(
    'ProductRatePlanCharge',
    [
      'ProductRatePlanId',
      'Name',
      'ChargeType',
      'ChargeModel',
      'BillingPeriod',
      'BillCycleType',
      'BillingTiming',
      'TriggerEvent',
      'UseDiscountSpecificAccountingCode',
      'Taxable',
      'TaxMode',
      'UOM',
      'DefaultQuantity',
      'ProductRatePlanChargeNumber',
      'AccountingCode',
      'Description',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const tier = table(
    'ProductRatePlanChargeTier',
    [
      'ProductRatePlanChargeId',
      'Tier',
      'StartingUnit',
      'EndingUnit',
      'Price',
      'PriceFormat',
      'Currency',
      'Active',
      'IsOveragePrice',
      'CreatedDate',
      'UpdatedDate',
    ],
    seed,
  );
  const plans: CatalogPlan[] = [];
  const productName = new Map<string, string>();
  const productSku = new Map<string, string>();
  let n = 0;
  CATALOG.forEach((p, pi) => {
    const created = instantOf(pi, rng.int(0, 86_399));
    const prod = product.add({
      Name: p.name,
      SKU: p.sku,
      Category: p.category,
      Description: p.description,
      ProductNumber: `PC-${String(pi + 1).padStart(8, '0')}`,
      EffectiveStartDate: '2020-01-01',
      EffectiveEndDate: '2030-12-31',
      AllowFeatureChanges: pi % 2,
      CreatedDate: created,
      UpdatedDate: created,
    });
    productName.set(prod.Id, p.name);
    productSku.set(prod.Id, p.sku);
    for (const pl of p.plans) {
      const prp = plan.add({
        ProductId: prod.Id,
        Name: pl.name,
        Description: rng.maybe(0.5, () => `${pl.name} plan`),
        ProductRatePlanNumber: `PRP-${String(plans.length + 1).padStart(8, '0')}`,
        EffectiveStartDate: '2020-01-01',
        EffectiveEndDate: '2030-12-31',
        ActiveCurrencies: 'USD,EUR',
        Grade: null,
        CreatedDate: created,
        UpdatedDate: created,
      });
      const charges: { id: string; spec: ChargeSpec }[] = [];
      for (const c of pl.charges) {
        n++;
        const prpc = charge.add({
          ProductRatePlanId: prp.Id,
          Name: c.name,
          ChargeType: c.type,
          ChargeModel: c.model,
          BillingPeriod: 'Month',
          BillCycleType: 'DefaultFromCustomer',
          BillingTiming: c.type === 'Usage' ? 'In Arrears' : 'In Advance',
          TriggerEvent: 'ContractEffective',
          UseDiscountSpecificAccountingCode: 0,
          Taxable: c.taxable ? 1 : 0,
          TaxMode: c.taxable ? 'TaxInclusive' : null,
          UOM: c.uom ?? null,
          DefaultQuantity: c.quantity ?? null,
          ProductRatePlanChargeNumber: `PRPC-${String(n).padStart(8, '0')}`,
          AccountingCode: c.cents < 0 ? 'Discounts' : 'Sales Revenue',
          Description: null,
          CreatedDate: created,
          UpdatedDate: created,
        });
        const tiers = c.tiers ?? [[0, null, c.cents] as Tier];
        tiers.forEach(([start, end, cents], ti) => {
          tier.add({
            ProductRatePlanChargeId: prpc.Id,
            Tier: ti + 1,
            StartingUnit: start,
            EndingUnit: end,
            Price: money(cents),
            PriceFormat: c.model === 'Flat Fee Pricing' ? 'Flat Fee' : 'Per Unit',
            Currency: 'USD',
            Active: 1,
            IsOveragePrice: 0,
            CreatedDate: created,
            UpdatedDate: created,
          });
        });
        charges.push({ id: prpc.Id, spec: c });
      }
      plans.push({ id: prp.Id, productId: prod.Id, name: pl.name, charges });
    }
  });
  return { tables: [product, plan, charge, tier], plans, productName, productSku };
}
