/**
 * The analyzed form of a query: every name resolved to the schema, every expression typed, every
 * value checked against the type it is compared with. This is what a compiler walks.
 */
import type { FieldDef, FieldType, JoinDef, ObjectDef } from '../schema/index.ts';
import type { ComparisonOp, QueryLanguage } from './ast.ts';

/** A field of the data source (`relation` absent) or of a joined object. */
export interface FieldExpr {
  readonly kind: 'field';
  readonly relation?: JoinDef;
  readonly field: FieldDef;
  readonly type: FieldType;
}

export type DateFunctionName = 'DATE' | 'YEAR' | 'MONTH' | 'WEEK' | 'WEEKOFYEAR' | 'QUARTER';

/** A date part of a date or dateTime field, read in the tenant zone. */
export interface DateFunctionExpr {
  readonly kind: 'dateFunction';
  readonly fn: DateFunctionName;
  readonly arg: FieldExpr;
  readonly type: FieldType;
}

export type AggregateName = 'count' | 'sum' | 'avg' | 'min' | 'max';

export interface AggregateExpr {
  readonly kind: 'aggregate';
  readonly fn: AggregateName;
  readonly distinct: boolean;
  /** Absent for `count(*)`. */
  readonly arg?: FieldExpr;
  readonly type: FieldType;
}

export type Expr = FieldExpr | DateFunctionExpr | AggregateExpr;

/** A fixed UTC offset (`-08:00`) or an IANA zone name. */
export type ZoneSpec = { readonly offsetMinutes: number } | { readonly name: string };

/** Wall-clock time; `ms` is the millisecond part. */
export interface WallTime {
  readonly y: number;
  readonly m: number;
  readonly d: number;
  readonly h: number;
  readonly mi: number;
  readonly s: number;
  readonly ms: number;
}

export type RelativeUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/**
 * A value from the query text, typed for the expression it meets. Dates and times stay symbolic:
 * zone-less ones take the tenant zone and relative ones the current time when compiled.
 */
export type Value =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** A calendar day; compared with a dateTime it covers the whole day in `zone` (or the tenant zone). */
  | {
      readonly kind: 'date';
      readonly y: number;
      readonly m: number;
      readonly d: number;
      readonly zone?: ZoneSpec;
    }
  /** A moment given as wall-clock time in `zone` (or the tenant zone). */
  | { readonly kind: 'instant'; readonly wall: WallTime; readonly zone?: ZoneSpec }
  /** `now ± n unit` or `today ± n unit`, in `zone` (or the tenant zone). */
  | {
      readonly kind: 'relative';
      readonly base: 'now' | 'today';
      readonly amount: number;
      readonly unit: RelativeUnit;
      readonly zone?: ZoneSpec;
    };

export interface CompareCondition {
  readonly kind: 'compare';
  readonly op: ComparisonOp;
  readonly left: Expr;
  readonly right: Expr | Value;
}

export interface NullCondition {
  readonly kind: 'isNull';
  readonly expr: Expr;
  readonly negated: boolean;
}

/** `pattern` uses `%` only at its ends and `_` for any one character; matching is case-sensitive. */
export interface LikeCondition {
  readonly kind: 'like';
  readonly expr: Expr;
  readonly pattern: string;
  readonly negated: boolean;
}

/**
 * Two conditions joined by and or by or. A chain `a or b or c ...` keeps the balanced shape the
 * parser gives it, so SQL compiled from it nests log2(n) deep, not n.
 */
export interface LogicalCondition {
  readonly kind: 'and' | 'or';
  readonly left: Condition;
  readonly right: Condition;
}

export interface NotCondition {
  readonly kind: 'not';
  readonly operand: Condition;
}

export type Condition = CompareCondition | NullCondition | LikeCondition | LogicalCondition | NotCondition;

/** One column of the result file. */
export interface OutputColumn {
  /** Header when `useQueryLabels` is true: `Account.Name`, `BillToContact.FirstName`, `count(*)`. */
  readonly nameHeader: string;
  /** Header otherwise: `Account: Name`, `Bill To: First Name`. */
  readonly labelHeader: string;
  readonly type: FieldType;
}

export interface OrderItem {
  readonly expr: Expr;
  readonly descending: boolean;
}

export interface AnalyzedQuery {
  readonly language: QueryLanguage;
  readonly text: string;
  /** The FROM data source. */
  readonly object: ObjectDef;
  readonly columns: readonly OutputColumn[];
  /** What each column computes, aligned with `columns`. */
  readonly select: readonly Expr[];
  /** Any aggregate or date function anywhere in the query. */
  readonly hasFunctions: boolean;
  /** Any alias that changes a header. */
  readonly hasAliases: boolean;
  /** Rows are grouped: a group by, or an aggregate in select, having or order by. */
  readonly grouped: boolean;
  readonly where?: Condition;
  readonly groupBy: readonly Expr[];
  readonly having?: Condition;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: { readonly offset: number; readonly count: number };
  /** Joined objects the query reads, in order of first use. */
  readonly relations: readonly JoinDef[];
}
