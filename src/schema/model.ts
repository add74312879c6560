import raw from './objects.json' with { type: 'json' };

/** The field types of Zuora's object model. */
export type FieldType =
  | 'ID'
  | 'string'
  | 'picklist'
  | 'decimal'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'dateTime';

export interface FieldDef {
  /** Canonical API name, e.g. `AccountNumber`. */
  readonly name: string;
  /** Export label, e.g. `Account Number`. */
  readonly label: string;
  readonly type: FieldType;
  /** May be selected in Export ZOQL (`export` context in describe). */
  readonly exportable: boolean;
  /** May be selected in ZOQL (`soap` context in describe). */
  readonly selectable: boolean;
  /** May be used in a ZOQL where clause. */
  readonly filterable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly required: boolean;
  readonly maxLength?: number;
  /** Allowed values of a picklist. */
  readonly values?: readonly string[];
}

/** One step of a join: `from.field -> to.Id`. */
export interface JoinHop {
  readonly from: string;
  readonly field: string;
  readonly to: string;
}

/** An Export ZOQL joined object of a data source, reached through to-one keys. */
export interface JoinDef {
  /** Relation name used in queries and headers, e.g. `BillToContact`. */
  readonly name: string;
  /** The object it points at, e.g. `Contact`. */
  readonly object: string;
  /** Label used in label-mode headers, e.g. `Bill To`. */
  readonly label: string;
  readonly hops: readonly JoinHop[];
}

export interface ObjectDef {
  readonly name: string;
  readonly label: string;
  /** False for snapshot and log objects: deleted records cannot be exported (90017). */
  readonly supportsDeleted: boolean;
  /** Every column of the object's table, in describe order. */
  readonly fields: readonly FieldDef[];
  readonly joins: readonly JoinDef[];
}

/** The 35 objects, in catalogue order. */
export const objects: readonly ObjectDef[] = raw as unknown as ObjectDef[];

const objectsByLower = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
const fieldIndex = new Map(
  objects.map((o) => [o.name, new Map(o.fields.map((f) => [f.name.toLowerCase(), f]))]),
);
const joinIndex = new Map(
  objects.map((o) => [o.name, new Map(o.joins.map((j) => [j.name.toLowerCase(), j]))]),
);

/**
 * Finds an object by name, ignoring case.
 * @example getObject('invoiceitem')?.name === 'InvoiceItem'
 */
export function getObject(name: string): ObjectDef | undefined {
  return objectsByLower.get(name.toLowerCase());
}

/**
 * Finds a field of an object by name, ignoring case.
 * @example getField(getObject('Account')!, 'mrr')?.name === 'Mrr'
 */
export function getField(object: ObjectDef, name: string): FieldDef | undefined {
  return fieldIndex.get(object.name)?.get(name.toLowerCase());
}

/**
 * Finds a joined object of a data source by relation name, ignoring case.
 * @example getJoin(getObject('InvoiceItem')!, 'billtocontact')?.object === 'Contact'
 */
export function getJoin(object: ObjectDef, name: string): JoinDef | undefined {
  return joinIndex.get(object.name)?.get(name.toLowerCase());
}

/** Exportable fields of an object, in describe order: what `*` stands for. */
export function exportableFields(object: ObjectDef): FieldDef[] {
  return object.fields.filter((f) => f.exportable);
}
