import type { FieldType } from '../../schema/index.ts';
import type { ComparisonOp } from '../../zoql/index.ts';
import type { Dialect } from '../db.ts';

/**
 * What differs between the SQLite and PostgreSQL tenant stores, kept small: column types, the SQL
 * functions compiled queries call, and a few query forms. Everything else (tables, change tracking,
 * writes, loads, the ZOQL compiler) is written once over `SyncDb` and asks its dialect here.
 * Implementations: sqlite/dialect.ts and postgres/dialect.ts.
 *
 * Compiled SQL uses `?` placeholders on both stores (the PostgreSQL adapter numbers them); a dialect
 * adds casts where PostgreSQL could not infer a parameter's type.
 */
export interface TenantDialect {
  readonly name: Dialect;

  /** The column type of a field of `type`. */
  columnType(type: FieldType): string;
  /** The type of the tracking and counter columns (epoch ms and sequence numbers). */
  readonly integerType: string;
  /** Appended to CREATE TABLE (SQLite: STRICT). */
  readonly tableOptions: string;
  /** Statements of the first schema version besides the tables: the functions queries call, if stored. */
  functionDdl(): string[];
  /** The TEMP table a streamed load stages its records in (columns k INTEGER, v TEXT, and an order). */
  stageTableSql(name: string): string;
  /** The staging table's name qualified with the temporary schema. */
  stageTable(name: string): string;
  /** The staging table's order column (SQLite: rowid). */
  readonly stageOrder: string;
  /**
   * A table's physical row number, an integer whose ranges split an export into parts (SQLite:
   * rowid); absent where tables have none.
   */
  readonly rowId?: string;

  /** `expr like pattern` (ZOQL pattern, case-sensitive, `%` and `_` wildcards); `bind` binds a value. */
  like(expr: string, pattern: string, bind: (v: string) => string): string;
  /**
   * A date function of a date or dateTime column read in `zone` (a valid IANA name). The same call
   * must compile to the same text each time: PostgreSQL matches GROUP BY expressions by their text.
   */
  dateFunction(fn: string, arg: string, zone: string, bind: (v: string) => string): string;
  /** A bound number standing where the other side's type may differ (an integer column, an aggregate). */
  number(placeholder: string): string;
  /** The exact sum of a decimal column, in the form `decimalCompare` and `decimalSortKey` take. */
  decimalSum(arg: string): string;
  /** The exact average of a decimal or integer column, rounded as tenant/decimal.ts `averageText`. */
  decimalAvg(arg: string): string;
  /** The output (plain decimal text) of a `decimalSum` or `decimalAvg`. */
  decimalText(exact: string): string;
  /** Compares two exact decimals (either may be a `decimalSum`/`decimalAvg` or a number). */
  decimalCompare(left: string, op: ComparisonOp, right: string): string;
  /** The sort key of an exact decimal. */
  decimalSortKey(exact: string): string;
  /** The sum of an integer column, an integer (failing on overflow, as SQLite does). */
  integerSum(arg: string): string;
  /** A selected value of `type`, as the row values must come out alike on both stores. */
  output(sql: string, type: FieldType): string;
  /** ORDER BY direction with nulls first ascending and last descending, as SQLite sorts them. */
  order(descending: boolean): string;
}
