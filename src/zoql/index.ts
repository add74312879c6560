/**
 * ZOQL and Export ZOQL: parse, resolve against the schema, type-check.
 *
 * @example
 * const q = analyze('select Name, BillToContact.FirstName from Account where Balance > 0', 'zoqlexport');
 * q.columns.map((c) => c.nameHeader); // ['Account.Name', 'BillToContact.FirstName']
 */
export { analyze } from './analyzer.ts';
export type {
  ComparisonOp,
  ConditionNode,
  ExprNode,
  Position,
  QueryLanguage,
  QueryNode,
} from './ast.ts';
export type {
  AggregateExpr,
  AggregateName,
  AnalyzedQuery,
  CompareCondition,
  Condition,
  DateFunctionExpr,
  DateFunctionName,
  Expr,
  FieldExpr,
  LikeCondition,
  LogicalCondition,
  NotCondition,
  NullCondition,
  OrderItem,
  OutputColumn,
  RelativeUnit,
  Value,
  WallTime,
  ZoneSpec,
} from './model.ts';
export { parse } from './parser.ts';
