import type { AnalyzedQuery } from '../../zoql/index.ts';
import type { CompiledQuery, SqlValue } from '../types.ts';
import { compileCondition } from './compile-conditions.ts';
import { type CompileContext, compileExpr, compileOutput, compileSortKey, param } from './compile-expr.ts';
import { JoinPlan } from './compile-joins.ts';
import type { TenantDialect } from './dialect.ts';

export interface CompileOptions {
  /** Epoch ms that relative literals (`'today - 30 days'`) count from. */
  now: number;
  /** Tenant zone: zone-less literals, bare dates and date functions are read in it. */
  timeZone: string;
  /** Prepend a first column: 1 for a deleted row, 0 for a live one. */
  deleted?: boolean;
  /** Rows with `_seq > afterSeq`, `_changed_at >= fromTime`, `_changed_at <= toTime` (each when given). */
  window?: { afterSeq?: number; fromTime?: number; toTime?: number };
  /**
   * - `none` (default): live rows only.
   * - `window`: live rows, plus rows deleted in the window that existed before it
   *   (`_created_seq <= afterSeq`; without `afterSeq`, created before `fromTime`).
   * - `all`: live and deleted rows.
   * Grouped queries always read live rows only, and their deleted column is 0.
   */
  includeDeleted?: 'none' | 'window' | 'all';
  /**
   * Only the base object's rows whose physical row number (the dialect's `rowId`) is `>= from` and
   * `< below` (each when given): one part of an export split into ranges. Stores without row numbers
   * refuse it.
   */
  rowRange?: { from?: number; below?: number };
}

/**
 * Compiles an analyzed query to SQL of `dialect` with bound parameters (`?` placeholders). Column
 * order is the query's `columns`, after the deleted flag when asked for. Values come out as the
 * SQLite store encodes them, on either store; exact `sum` of decimals and every `avg` come out as
 * decimal strings.
 * @example
 * compileQuery(analyze("select Name from Account where Name = 'x'", 'zoqlexport'), { now: Date.now(), timeZone: 'UTC' }, sqliteDialect)
 * // { sql: 'SELECT "t0"."Name" FROM "Account" AS "t0" WHERE ... ("t0"."Name" = ?) ...', params: ['x'] }
 */
export function compileQuery(q: AnalyzedQuery, opts: CompileOptions, dialect: TenantDialect): CompiledQuery {
  const params: SqlValue[] = [];
  const joins = new JoinPlan(q.object, q.relations);
  const ctx: CompileContext = { params, joins, now: opts.now, timeZone: opts.timeZone, dialect };
  const mode = q.grouped ? 'none' : (opts.includeDeleted ?? 'none');
  const columns: string[] = [];
  if (opts.deleted)
    columns.push(mode === 'none' ? '0' : 'CASE WHEN "t0"."_deleted_at" IS NULL THEN 0 ELSE 1 END');
  for (const e of q.select) columns.push(compileOutput(e, ctx));
  let sql = `SELECT ${columns.join(', ')} FROM ${joins.sql()}`;
  const where = [...rowFilters(q, opts, mode, ctx)];
  if (q.where) where.push(compileCondition(q.where, ctx));
  if (where.length > 0) sql += ` WHERE ${where.join(' AND ')}`;
  if (q.groupBy.length > 0) sql += ` GROUP BY ${q.groupBy.map((e) => compileExpr(e, ctx)).join(', ')}`;
  if (q.having) sql += ` HAVING ${compileCondition(q.having, ctx)}`;
  if (q.orderBy.length > 0) {
    const keys = q.orderBy.map((o) => `${compileSortKey(o.expr, ctx)}${dialect.order(o.descending)}`);
    sql += ` ORDER BY ${keys.join(', ')}`;
  }
  if (q.limit) sql += ` LIMIT ${param(ctx, q.limit.count)} OFFSET ${param(ctx, q.limit.offset)}`;
  return { sql, params };
}

/** Which rows of the data source take part: deleted or not, and inside the change window. */
function* rowFilters(
  q: AnalyzedQuery,
  opts: CompileOptions,
  mode: 'none' | 'window' | 'all',
  ctx: CompileContext,
): Generator<string> {
  const w = opts.window ?? {};
  if (mode === 'none') yield '"t0"."_deleted_at" IS NULL';
  else if (mode === 'window') {
    if (w.afterSeq !== undefined) {
      yield `("t0"."_deleted_at" IS NULL OR "t0"."_created_seq" <= ${param(ctx, w.afterSeq)})`;
    } else if (w.fromTime !== undefined && q.object.fields.some((f) => f.name === 'CreatedDate')) {
      yield `("t0"."_deleted_at" IS NULL OR "t0"."CreatedDate" < ${param(ctx, w.fromTime)})`;
    }
  }
  if (w.afterSeq !== undefined) yield `"t0"."_seq" > ${param(ctx, w.afterSeq)}`;
  if (w.fromTime !== undefined) yield `"t0"."_changed_at" >= ${param(ctx, w.fromTime)}`;
  if (w.toTime !== undefined) yield `"t0"."_changed_at" <= ${param(ctx, w.toTime)}`;
  if (opts.rowRange) {
    const rowId = ctx.dialect.rowId;
    if (rowId === undefined) throw new Error(`a ${ctx.dialect.name} table has no row numbers to split by`);
    const { from, below } = opts.rowRange;
    if (from !== undefined) yield `"t0".${rowId} >= ${param(ctx, from)}`;
    if (below !== undefined) yield `"t0".${rowId} < ${param(ctx, below)}`;
  }
}
