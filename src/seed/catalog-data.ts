/** The demo product catalog (data only). */

/** One price tier: from `start` units (inclusive) to `end` (exclusive, null: no end) at `cents` per unit. */
export type Tier = readonly [start: number, end: number | null, cents: number];

export interface ChargeSpec {
  readonly name: string;
  readonly type: 'Recurring' | 'OneTime' | 'Usage';
  readonly model: string;
  /** Price per unit (or flat) in cents; for tiered charges the first tier's. */
  readonly cents: number;
  readonly tiers?: readonly Tier[];
  readonly uom?: string;
  readonly quantity?: number;
  readonly taxable: boolean;
}

export interface PlanSpec {
  readonly name: string;
  readonly charges: readonly ChargeSpec[];
}

export interface ProductSpec {
  readonly name: string;
  readonly sku: string;
  readonly category: string;
  readonly description: string | null;
  readonly plans: readonly PlanSpec[];
}

/** The demo product catalog: fixed, so every seed sells the same things (Ids differ by seed). */
export const CATALOG: readonly ProductSpec[] = [
  {
    name: 'Cloud Storage',
    sku: 'SKU-STOR',
    category: 'Base Products',
    description: 'Storage, billed monthly; usage "overage" by the GB',
    plans: [
      {
        name: 'Basic',
        charges: [
          {
            name: 'Basic Monthly Fee',
            type: 'Recurring',
            model: 'Flat Fee Pricing',
            cents: 999,
            taxable: true,
          },
          { name: 'Storage', type: 'Usage', model: 'Per Unit Pricing', cents: 10, uom: 'GB', taxable: false },
        ],
      },
      {
        name: 'Pro',
        charges: [
          {
            name: 'Pro Monthly Fee',
            type: 'Recurring',
            model: 'Flat Fee Pricing',
            cents: 7786,
            taxable: true,
          },
          {
            name: 'Storage, tiered',
            type: 'Usage',
            model: 'Volume Pricing',
            cents: 20,
            tiers: [
              [0, 100, 20],
              [100, 1000, 12],
              [1000, null, 8],
            ],
            uom: 'GB',
            taxable: true,
          },
        ],
      },
    ],
  },
  {
    name: 'Support',
    sku: 'SKU-SUP',
    category: 'Add On Services',
    description: null,
    plans: [
      {
        name: 'Standard Support',
        charges: [
          { name: 'Standard (free)', type: 'Recurring', model: 'Flat Fee Pricing', cents: 0, taxable: false },
        ],
      },
      {
        name: 'Premium, "24/7"',
        charges: [
          {
            name: 'Premium Support',
            type: 'Recurring',
            model: 'Flat Fee Pricing',
            cents: 19900,
            taxable: true,
          },
          {
            name: 'Onboarding, one-time',
            type: 'OneTime',
            model: 'Flat Fee Pricing',
            cents: 50000,
            taxable: true,
          },
        ],
      },
    ],
  },
  {
    name: 'Micro Services',
    sku: 'SKU-MICRO',
    category: 'Add On Services',
    description: 'Tiny prices that add up: 0.1 + 0.2',
    plans: [
      {
        name: 'Micro',
        charges: [
          {
            name: 'Micro A',
            type: 'Recurring',
            model: 'Per Unit Pricing',
            cents: 10,
            quantity: 1,
            uom: 'Each',
            taxable: false,
          },
          {
            name: 'Micro B',
            type: 'Recurring',
            model: 'Per Unit Pricing',
            cents: 20,
            quantity: 1,
            uom: 'Each',
            taxable: false,
          },
        ],
      },
    ],
  },
  {
    name: 'Discounts',
    sku: 'SKU-DISC',
    category: 'Miscellaneous Products',
    description: null,
    plans: [
      {
        name: 'Loyalty discount',
        charges: [
          {
            name: 'Loyalty credit',
            type: 'Recurring',
            model: 'Discount-Fixed Amount',
            cents: -500,
            taxable: false,
          },
        ],
      },
    ],
  },
  {
    name: 'Données & Analyse 📊',
    sku: 'SKU-DATA',
    category: 'Base Products',
    description: 'Analytique — 分析',
    plans: [
      {
        name: 'Analytics',
        charges: [
          {
            name: 'Analytics Platform',
            type: 'Recurring',
            model: 'Flat Fee Pricing',
            cents: 123456,
            taxable: true,
          },
          { name: 'Events', type: 'Usage', model: 'Per Unit Pricing', cents: 2, uom: 'Event', taxable: true },
        ],
      },
    ],
  },
];
