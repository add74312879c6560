import type { FieldType } from '../schema/index.ts';
import type { CallNode, ExprNode } from './ast.ts';
import { typeWords } from './literals.ts';
import type { AggregateName, DateFunctionName, Expr, FieldExpr } from './model.ts';
import { type Clause, failAt, type Scope } from './scope.ts';

/** The clause an expression stands in, for the rules on where functions may appear. */
export type Place = 'select' | 'where' | 'groupBy' | 'having' | 'orderBy';

const DATE_FUNCTIONS: Record<string, DateFunctionName> = {
  date: 'DATE',
  year: 'YEAR',
  month: 'MONTH',
  week: 'WEEK',
  weekofyear: 'WEEKOFYEAR',
  quarter: 'QUARTER',
};

const AGGREGATES = new Set<string>(['count', 'sum', 'avg', 'min', 'max']);

const CLAUSE_OF: Record<Place, Clause> = {
  select: 'select',
  where: 'where',
  groupBy: 'other',
  having: 'other',
  orderBy: 'other',
};

/** Resolves and types a field or function call. Marks `scope.usesFunctions` when it meets a function. */
export function analyzeExpr(node: ExprNode, scope: Scope, place: Place): Expr {
  if (node.kind === 'name') return scope.field(node, CLAUSE_OF[place]);
  scope.usesFunctions = true;
  const lower = node.name.toLowerCase();
  const dateFn = DATE_FUNCTIONS[lower];
  if (!dateFn && !AGGREGATES.has(lower)) failAt(node, `unknown function '${node.name}'`);
  if (node.distinct && lower !== 'count') {
    failAt(node.distinct, `distinct may only be used inside count(), not inside ${node.name}()`, '90020');
  }
  if (place === 'where') {
    failAt(
      node,
      dateFn
        ? `date functions such as ${dateFn}() cannot be used in a where clause`
        : `aggregate functions such as ${lower}() cannot be used in a where clause; use having`,
    );
  }
  if (node.arg.kind === 'call') failAt(node.arg, 'functions cannot be nested');
  if (node.arg.kind === 'star') {
    if (lower !== 'count') failAt(node.arg, `only count() accepts '*'`);
    if (node.distinct) failAt(node.arg, 'count(distinct ...) needs a field, not *');
    if (place === 'groupBy') failAt(node, 'group by cannot hold an aggregate function');
    return { kind: 'aggregate', fn: 'count', distinct: false, type: 'integer' };
  }
  const arg = scope.field(node.arg, CLAUSE_OF[place]);
  if (dateFn) return dateFunction(node, dateFn, arg, scope);
  if (place === 'groupBy') failAt(node, 'group by cannot hold an aggregate function');
  return aggregate(node, lower as AggregateName, arg, scope);
}

function dateFunction(node: CallNode, fn: DateFunctionName, arg: FieldExpr, scope: Scope): Expr {
  if (arg.type !== 'date' && arg.type !== 'dateTime') {
    failAt(
      node.arg,
      `${fn}() needs a date or dateTime field; ${exprText(arg, scope)} is ${typeWords(arg.type)} field`,
    );
  }
  return { kind: 'dateFunction', fn, arg, type: fn === 'DATE' ? 'date' : 'integer' };
}

function aggregate(node: CallNode, fn: AggregateName, arg: FieldExpr, scope: Scope): Expr {
  let type: FieldType = arg.type;
  if (fn === 'count') type = 'integer';
  else if (fn === 'sum' || fn === 'avg') {
    if (arg.type !== 'decimal' && arg.type !== 'integer') {
      failAt(
        node.arg,
        `${fn}() needs a number field; ${exprText(arg, scope)} is ${typeWords(arg.type)} field`,
      );
    }
    type = fn === 'avg' ? 'decimal' : arg.type;
  }
  return { kind: 'aggregate', fn, distinct: node.distinct !== undefined, arg, type };
}

/**
 * The canonical text of an expression, as headers show it: `Account.Name`, `BillToContact.FirstName`,
 * `count(distinct Account.Id)`, `YEAR(Account.CreatedDate)`.
 */
export function exprText(e: Expr, scope: { readonly object: { readonly name: string } }): string {
  switch (e.kind) {
    case 'field':
      return `${e.relation ? e.relation.name : scope.object.name}.${e.field.name}`;
    case 'dateFunction':
      return `${e.fn}(${exprText(e.arg, scope)})`;
    case 'aggregate':
      return `${e.fn}(${e.distinct ? 'distinct ' : ''}${e.arg ? exprText(e.arg, scope) : '*'})`;
  }
}

/** Whether two expressions compute the same thing. */
export function sameExpr(a: Expr, b: Expr): boolean {
  if (a.kind === 'field' && b.kind === 'field') return a.field === b.field && a.relation === b.relation;
  if (a.kind === 'dateFunction' && b.kind === 'dateFunction') return a.fn === b.fn && sameExpr(a.arg, b.arg);
  if (a.kind === 'aggregate' && b.kind === 'aggregate') {
    if (a.fn !== b.fn || a.distinct !== b.distinct) return false;
    return a.arg === undefined || b.arg === undefined ? a.arg === b.arg : sameExpr(a.arg, b.arg);
  }
  return false;
}
