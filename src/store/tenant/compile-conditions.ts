import type { CompareCondition, ComparisonOp, Condition, Expr, Value } from '../../zoql/index.ts';
import { type CompileContext, compileExpr, param, yieldsDecimalText } from './compile-expr.ts';
import { dayOf, dayRange, isoDate, resolveTime } from './compile-time.ts';

const SQL_OPS: Record<ComparisonOp, string> = {
  '=': '=',
  '!=': '<>',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

/** SQL for a where or having condition; every value becomes a parameter. */
export function compileCondition(c: Condition, ctx: CompileContext): string {
  switch (c.kind) {
    case 'and':
      return `(${compileCondition(c.left, ctx)} AND ${compileCondition(c.right, ctx)})`;
    case 'or':
      return `(${compileCondition(c.left, ctx)} OR ${compileCondition(c.right, ctx)})`;
    case 'not':
      return `(NOT ${compileCondition(c.operand, ctx)})`;
    case 'isNull':
      return `(${compileExpr(c.expr, ctx)} IS ${c.negated ? 'NOT ' : ''}NULL)`;
    case 'like': {
      const test = ctx.dialect.like(compileExpr(c.expr, ctx), c.pattern, (v) => param(ctx, v));
      return c.negated ? `(NOT (${test}))` : `(${test})`;
    }
    case 'compare':
      return compileComparison(c, ctx);
  }
}

function binary(left: string, op: ComparisonOp, right: string): string {
  return `(${left} ${SQL_OPS[op]} ${right})`;
}

function compileComparison(c: CompareCondition, ctx: CompileContext): string {
  const { left, op, right } = c;
  if (right.kind === 'field' || right.kind === 'dateFunction' || right.kind === 'aggregate') {
    const l = compileExpr(left, ctx);
    const r = compileExpr(right, ctx);
    if (yieldsDecimalText(left) || yieldsDecimalText(right)) return ctx.dialect.decimalCompare(l, op, r);
    return binary(l, op, r);
  }
  return compareWithValue(left, op, right, ctx);
}

function compareWithValue(left: Expr, op: ComparisonOp, v: Value, ctx: CompileContext): string {
  const l = compileExpr(left, ctx);
  switch (v.kind) {
    case 'string':
      return binary(l, op, param(ctx, v.value));
    case 'number': {
      const n = ctx.dialect.number(param(ctx, v.value));
      return yieldsDecimalText(left) ? ctx.dialect.decimalCompare(l, op, n) : binary(l, op, n);
    }
    case 'boolean':
      return binary(l, op, param(ctx, v.value ? 1 : 0));
    default:
      return left.type === 'date' ? dateComparison(l, op, v, ctx) : dateTimeComparison(l, op, v, ctx);
  }
}

type TimeValue = Extract<Value, { kind: 'date' | 'instant' | 'relative' }>;

/** A dateTime against a moment, or against a day that it must fall in, before or after. */
function dateTimeComparison(l: string, op: ComparisonOp, v: TimeValue, ctx: CompileContext): string {
  const t = resolveTime(v, ctx.now, ctx.timeZone);
  if (t.kind === 'instant') return binary(l, op, param(ctx, t.ms));
  const { start, end } = dayRange(t);
  switch (op) {
    case '=':
      return `(${l} >= ${param(ctx, start)} AND ${l} < ${param(ctx, end)})`;
    case '!=':
      return `(${l} < ${param(ctx, start)} OR ${l} >= ${param(ctx, end)})`;
    case '<':
      return `(${l} < ${param(ctx, start)})`;
    case '<=':
      return `(${l} < ${param(ctx, end)})`;
    case '>':
      return `(${l} >= ${param(ctx, end)})`;
    case '>=':
      return `(${l} >= ${param(ctx, start)})`;
  }
}

/**
 * A date against a day compares the days; against a moment, the date stands for its first moment
 * in the tenant zone, so `d >= T` holds for the day of T only when T is that day's midnight.
 */
function dateComparison(l: string, op: ComparisonOp, v: TimeValue, ctx: CompileContext): string {
  const t = resolveTime(v, ctx.now, ctx.timeZone);
  if (t.kind === 'day') return binary(l, op, param(ctx, isoDate(t.y, t.m, t.d)));
  const { date, exact } = dayOf(t.ms, ctx.timeZone);
  if (exact) return binary(l, op, param(ctx, date));
  switch (op) {
    // Never equal, never unequal-and-null: false for a date, null for a null, as SQL compares.
    case '=':
      return `(${l} <> ${l})`;
    case '!=':
      return `(${l} = ${l})`;
    case '<':
    case '<=':
      return binary(l, '<=', param(ctx, date));
    case '>':
    case '>=':
      return binary(l, '>', param(ctx, date));
  }
}
