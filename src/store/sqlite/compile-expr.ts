import type { Expr } from '../../zoql/index.ts';
import type { SqlValue } from '../types.ts';
import type { JoinPlan } from './compile-joins.ts';
import { quoteIdent } from './ddl.ts';

/** What compiling a query accumulates: bound parameters in text order, the joins, the clock and zone. */
export interface CompileContext {
  readonly params: SqlValue[];
  readonly joins: JoinPlan;
  readonly now: number;
  readonly timeZone: string;
}

/** Binds a value and returns its placeholder. */
export function param(ctx: CompileContext, value: SqlValue): string {
  ctx.params.push(value);
  return '?';
}

/** Whether an expression yields an exact decimal string (compare and sort it as a number). */
export function yieldsDecimalText(e: Expr): boolean {
  return e.kind === 'aggregate' && ((e.fn === 'sum' && e.type === 'decimal') || e.fn === 'avg');
}

/** SQL for a field, date function or aggregate. */
export function compileExpr(e: Expr, ctx: CompileContext): string {
  switch (e.kind) {
    case 'field':
      return `${quoteIdent(ctx.joins.alias(e.relation))}.${quoteIdent(e.field.name)}`;
    case 'dateFunction':
      return `aqua_${e.fn.toLowerCase()}(${compileExpr(e.arg, ctx)}, ${param(ctx, ctx.timeZone)})`;
    case 'aggregate': {
      if (!e.arg) return 'COUNT(*)';
      const arg = compileExpr(e.arg, ctx);
      switch (e.fn) {
        case 'count':
          return e.distinct ? `COUNT(DISTINCT ${arg})` : `COUNT(${arg})`;
        case 'sum':
          // SQLite sums integers exactly (and fails on overflow); decimals need exact arithmetic.
          return e.type === 'decimal' ? `aqua_sum(${arg})` : `SUM(${arg})`;
        case 'avg':
          return `aqua_avg(${arg})`;
        case 'min':
          return `MIN(${arg})`;
        case 'max':
          return `MAX(${arg})`;
      }
    }
  }
}

/** SQL for sorting by an expression: exact decimal strings sort as numbers. */
export function compileSortKey(e: Expr, ctx: CompileContext): string {
  const sql = compileExpr(e, ctx);
  return yieldsDecimalText(e) ? `CAST(${sql} AS REAL)` : sql;
}
