import type { Rng } from './prng.ts';

/** Demo values, the awkward ones on purpose: commas, quotes, newlines, accents, CJK, emoji. */

export const COMPANY_NAMES = [
  'Acme Corporation',
  'Acme, Inc.',
  'The "Best" Widgets Co.',
  "O'Brien & Sons",
  'Multi-line\nHoldings Ltd',
  'Café Crème SARL',
  'Zoë Ångström GmbH',
  '北京科技有限公司',
  '株式会社テスト',
  'Rocket 🚀 Labs',
  'Globex',
  'Initech',
  'Umbrella, "Pharma", Ltd',
  'Søren & Åse AS',
  'Niño Güell S.L.',
];

export const FIRST_NAMES = [
  'Ana',
  'José',
  'Zoë',
  'Li',
  '明',
  'Anne "Annie"',
  "D'Arcy",
  'Chloé',
  'Björn',
  'Sam',
  'Priya',
];
export const LAST_NAMES = [
  'Smith',
  'García',
  "O'Neil",
  'Müller',
  '王',
  'Nguyễn',
  'Smith, Jr.',
  'Dubois',
  'Kowalski',
  'Øster',
];

export const STREETS = [
  '123 Main St, Suite 5',
  '1 Infinite Loop',
  "5 Rue de l'Église",
  'Line one\nLine two',
  '北京市朝阳区建国路88号',
  '742 "Evergreen" Terrace',
  'Calle Mayor, 7',
];

export const CITIES: readonly [city: string, state: string | null, country: string, postal: string][] = [
  ['San Francisco', 'CA', 'United States', '94105'],
  ['New York', 'NY', 'United States', '10001'],
  ['Paris', null, 'France', '75001'],
  ['Zürich', null, 'Switzerland', '8001'],
  ['北京', null, 'China', '100020'],
  ['São Paulo', 'SP', 'Brazil', '01310-100'],
  ['Montréal', 'QC', 'Canada', 'H2X 1Y4'],
];

export const CURRENCIES = ['USD', 'USD', 'USD', 'EUR', 'GBP', 'JPY'];

export const NOTES = [
  'Prefers email, not calls',
  'Key account; see "renewal" notes',
  'Migrated from legacy\nbilling system',
  'Remarque : paiement à 30 jours',
  '重要客户',
  'VIP ⭐',
];

/** A person's name and address fields (fits Contact's lengths). */
export function person(rng: Rng): {
  first: string;
  last: string;
  street: string;
  city: (typeof CITIES)[number];
} {
  return {
    first: rng.pick(FIRST_NAMES),
    last: rng.pick(LAST_NAMES),
    street: rng.pick(STREETS),
    city: rng.pick(CITIES),
  };
}
