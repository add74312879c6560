/**
 * Regenerates src/schema/objects.json from the research data model.
 * Usage: npx tsx tools/generate-schema.ts path/to/datamodel.json
 * The output is committed: the server never reads the research file at run time.
 */
import { readFileSync, writeFileSync } from 'node:fs';

// biome-ignore lint/suspicious/noExplicitAny: untyped research data, checked as it is read
type Raw = Record<string, any>;
const src = process.argv[2];
if (!src) {
  console.error('usage: generate-schema <datamodel.json>');
  process.exit(2);
}
const model = JSON.parse(readFileSync(src, 'utf8')) as Raw;
const rawObjects = model.objects as Record<string, Raw>;

const NO_DELETED = new Set([
  'AccountingCode',
  'AccountingPeriod',
  'ContactSnapshot',
  'PaymentMethodSnapshot',
  'TaxableItemSnapshot',
]);
const JOIN_LABELS: Record<string, string> = {
  BillToContact: 'Bill To',
  SoldToContact: 'Sold To',
  BillToContactSnapshot: 'Bill To Contact Snapshot',
  SoldToContactSnapshot: 'Sold To Contact Snapshot',
  DefaultPaymentMethod: 'Default Payment Method',
  ParentAccount: 'Parent Account',
};
const TYPES = new Set(['ID', 'string', 'picklist', 'decimal', 'integer', 'boolean', 'date', 'dateTime']);

function words(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .trim();
}

function normType(t: string | null | undefined, enums: unknown): string {
  let type = t && TYPES.has(t) ? t : 'string';
  if (type === 'string' && Array.isArray(enums) && enums.length > 0) type = 'picklist';
  return type;
}

interface Field {
  name: string;
  label: string;
  type: string;
  exportable: boolean;
  selectable: boolean;
  filterable: boolean;
  createable: boolean;
  updateable: boolean;
  required: boolean;
  maxLength?: number;
  values?: string[];
}

const objects: Raw[] = [];
for (const [name, o] of Object.entries(rawObjects)) {
  const fields: Field[] = [];
  const seen = new Set<string>();
  for (const f of o.fields as Raw[]) {
    if (seen.has(f.name.toLowerCase())) continue;
    seen.add(f.name.toLowerCase());
    const ops = String(f.soapOperations ?? '');
    const enums = Array.isArray(f.enumValues) && f.enumValues.length > 0 ? f.enumValues : undefined;
    const field: Field = {
      name: f.name,
      label: f.exportLabel ?? words(f.name),
      type: normType(f.type, enums),
      exportable: f.inExportDataSourceList !== false,
      selectable: f.zoqlQueryable !== false,
      filterable: f.zoqlFilterable !== false,
      createable: /Create/.test(ops),
      updateable: /Update/.test(ops),
      required: f.requiredOnCreate === 'required',
    };
    if (typeof f.charLimit === 'number') field.maxLength = f.charLimit;
    if (enums && field.type === 'picklist') field.values = enums.map(String);
    fields.push(field);
  }
  for (const f of (o.exportOnlyFields ?? []) as Raw[]) {
    const fname = f.inferredName as string;
    if (!fname || seen.has(fname.toLowerCase())) continue;
    seen.add(fname.toLowerCase());
    fields.push({
      name: fname,
      label: f.label ?? words(fname),
      type: normType(f.inferredType, null),
      exportable: true,
      selectable: false,
      filterable: true,
      createable: true,
      updateable: true,
      required: false,
    });
  }
  const system: [string, string, string][] = [
    ['Id', 'ID', 'ID'],
    ['CreatedById', 'Created By ID', 'ID'],
    ['CreatedDate', 'Created Date', 'dateTime'],
    ['UpdatedById', 'Updated By ID', 'ID'],
    ['UpdatedDate', 'Updated Date', 'dateTime'],
  ];
  for (const [fname, label, type] of system) {
    if (seen.has(fname.toLowerCase())) continue;
    seen.add(fname.toLowerCase());
    fields.push({
      name: fname,
      label,
      type,
      exportable: true,
      selectable: true,
      filterable: true,
      createable: false,
      updateable: false,
      required: false,
    });
  }
  const ds = o.exportDataSource as Raw | null;
  objects.push({
    name,
    label: ds?.dataSourceName ?? words(name),
    supportsDeleted: !NO_DELETED.has(name),
    fields,
    rawJoins: (ds?.joinedObjects ?? []) as Raw[],
  });
}

const byName = new Map(objects.map((o) => [o.name as string, o]));
const HOP = /^\s*([A-Za-z]+)\.([A-Za-z]+)(?:\s*\([^)]*\))?\s*->\s*([A-Za-z]+)\.Id\b/;
let dropped = 0;
for (const o of objects) {
  const joins: Raw[] = [];
  for (const j of o.rawJoins as Raw[]) {
    const via = j.via as string[] | null;
    if (!via || !byName.has(j.objectType)) {
      dropped++;
      continue;
    }
    const hops: Raw[] = [];
    let ok = true;
    let at = o.name as string;
    for (const step of via) {
      const m = HOP.exec(step);
      if (!m || m[1] !== at || !byName.has(m[3]!)) {
        ok = false;
        break;
      }
      const from = byName.get(m[1]!)!;
      const fields = from.fields as Field[];
      if (!fields.some((f) => f.name.toLowerCase() === m[2]!.toLowerCase())) {
        // A key column the public field lists do not name: keep it as a hidden key.
        fields.push({
          name: m[2]!,
          label: words(m[2]!),
          type: 'ID',
          exportable: false,
          selectable: false,
          filterable: false,
          createable: true,
          updateable: true,
          required: false,
        });
      }
      hops.push({ from: m[1], field: m[2], to: m[3] });
      at = m[3]!;
    }
    if (!ok || at !== j.objectType) {
      dropped++;
      continue;
    }
    const target = byName.get(j.objectType)!;
    joins.push({
      name: j.name,
      object: j.objectType,
      label: JOIN_LABELS[j.name] ?? (j.name === j.objectType ? target.label : words(j.name)),
      hops,
    });
  }
  o.joins = joins;
  delete o.rawJoins;
}

writeFileSync(
  new URL('../src/schema/objects.json', import.meta.url),
  `${JSON.stringify(objects, null, 1)}\n`,
);
console.log(
  `${objects.length} objects, ${objects.reduce((n, o) => n + o.joins.length, 0)} joins, ${dropped} joins dropped`,
);
