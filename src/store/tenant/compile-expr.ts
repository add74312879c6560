import type { Expr } from '../../zoql/index.ts';
import type { SqlValue } from '../types.ts';
import type { JoinPlan } from './compile-joins.ts';
import { quoteIdent } from './ddl.ts';
import type { TenantDialect } from './dialect.ts';

/** What compiling a query accumulates: bound parameters in text order, the joins, the clock and zone. */
export interface CompileContext {
  readonly params: SqlValue[];
  readonly joins: JoinPlan;
  readonly now: number;
  readonly timeZone: string;
  readonly dialect: TenantDialect;
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

/**
 * SQL for a field, date function or aggregate. An exact decimal aggregate comes in the dialect's
 * exact form (for comparing and sorting); compileOutput gives its text.
 */
export function compileExpr(e: Expr, ctx: CompileContext): string {
  const d = ctx.dialect;
  switch (e.kind) {
    case 'field':
      return `${quoteIdent(ctx.joins.alias(e.relation))}.${quoteIdent(e.field.name)}`;
    case 'dateFunction':
      return d.dateFunction(e.fn.toLowerCase(), compileExpr(e.arg, ctx), ctx.timeZone, (v) => param(ctx, v));
    case 'aggregate': {
      if (!e.arg) return 'COUNT(*)';
      const arg = compileExpr(e.arg, ctx);
      switch (e.fn) {
        case 'count':
          return e.distinct ? `COUNT(DISTINCT ${arg})` : `COUNT(${arg})`;
        case 'sum':
          return e.type === 'decimal' ? d.decimalSum(arg) : d.integerSum(arg);
        case 'avg':
          return d.decimalAvg(arg);
        case 'min':
          return `MIN(${arg})`;
        case 'max':
          return `MAX(${arg})`;
      }
    }
  }
}

/** SQL for a selected expression: its value as the row must carry it (exact decimals as text). */
export function compileOutput(e: Expr, ctx: CompileContext): string {
  const sql = compileExpr(e, ctx);
  if (yieldsDecimalText(e)) return ctx.dialect.decimalText(sql);
  return e.kind === 'dateFunction' ? sql : ctx.dialect.output(sql, e.type);
}

/** SQL for sorting by an expression: exact decimal strings sort as numbers. */
export function compileSortKey(e: Expr, ctx: CompileContext): string {
  const sql = compileExpr(e, ctx);
  return yieldsDecimalText(e) ? ctx.dialect.decimalSortKey(sql) : sql;
}
