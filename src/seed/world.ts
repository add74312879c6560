import type { SqlValue } from '../store/types.ts';
import { IdMaker } from './prng.ts';

/** What the generators need from a store: the bulk path for rows already in store encoding. */
export interface BulkWriter {
  bulkInsert(object: string, columns: readonly string[], rows: Iterable<readonly SqlValue[]>): number;
}

export type Row = Record<string, SqlValue>;

/** The generated rows of one object, with the columns the generator fills (others stay null). */
export class Table {
  readonly rows: SqlValue[][] = [];
  private readonly byId = new Map<string, SqlValue[]>();
  private readonly index: Map<string, number>;
  private readonly ids: IdMaker;

  constructor(
    readonly object: string,
    readonly columns: readonly string[],
    seed: number,
    idPurpose = object,
  ) {
    this.index = new Map(columns.map((c, i) => [c, i]));
    this.ids = new IdMaker(seed, idPurpose);
  }

  /** The Id the next added row will get when it is added with it: for rows whose children come first. */
  reserve(): string {
    return this.ids.next();
  }

  /** Adds a row (with a new Id unless one was reserved) and returns it. Unknown columns are a bug: throw. */
  add(values: Row, reserved?: string): Row & { Id: string } {
    const Id = reserved ?? this.ids.next();
    const row: SqlValue[] = new Array(this.columns.length).fill(null);
    row[0] = Id;
    for (const [k, v] of Object.entries(values)) {
      const i = this.index.get(k);
      if (i === undefined) throw new Error(`seed: ${this.object} has no generated column ${k}`);
      row[i] = v;
    }
    this.rows.push(row);
    this.byId.set(Id, row);
    return { ...values, Id };
  }

  /** Changes a column of a row added earlier (totals known only after children are made). */
  set(id: string, column: string, value: SqlValue): void {
    const i = this.index.get(column);
    if (i === undefined) throw new Error(`seed: ${this.object} has no generated column ${column}`);
    const row = this.byId.get(id);
    if (!row) throw new Error(`seed: no ${this.object} ${id}`);
    row[i] = value;
  }

  /** Sets several columns of a row added earlier. */
  update(id: string, values: Row): void {
    for (const [k, v] of Object.entries(values)) this.set(id, k, v);
  }

  /** A column's value in a row added earlier. */
  get(id: string, column: string): SqlValue {
    const row = this.byId.get(id);
    const i = this.index.get(column);
    if (!row || i === undefined) throw new Error(`seed: no ${this.object} ${id} ${column}`);
    return row[i] ?? null;
  }
}

/** Declares a table whose first column is Id. */
export function table(object: string, columns: readonly string[], seed: number): Table {
  return new Table(object, ['Id', ...columns], seed);
}

/** Writes tables to the store; returns rows per object. */
export function writeTables(store: BulkWriter, tables: readonly Table[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tables)
    counts[t.object] = (counts[t.object] ?? 0) + store.bulkInsert(t.object, t.columns, t.rows);
  return counts;
}
