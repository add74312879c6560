import { MAX_GROUP_BY_FIELDS } from '../limits.ts';
import type { FieldDef, JoinDef } from '../schema/index.ts';
import { exportableFields, getObject } from '../schema/index.ts';
import type { ExprNode, NamePart, Position, QueryLanguage, SelectItemNode, StarNode } from './ast.ts';
import { analyzeCondition } from './conditions.ts';
import { analyzeExpr, exprText, sameExpr } from './expressions.ts';
import type { AnalyzedQuery, Condition, Expr, FieldExpr, OrderItem, OutputColumn } from './model.ts';
import { parse } from './parser.ts';
import { failAt, Scope } from './scope.ts';

interface Placed {
  readonly expr: Expr;
  readonly at: Position;
}

/**
 * Parses and analyzes a query: resolves every name against the schema, types every expression,
 * and applies the rules of the language. Throws QueryError (code 90005, or 90020 for a distinct
 * outside count) with the line and column of the offending text.
 * @example
 * const q = analyze('select billtocontact.firstname, count(*) from Account group by BillToContact.FirstName', 'zoqlexport');
 * q.columns[0]; // { nameHeader: 'BillToContact.FirstName', labelHeader: 'Bill To: First Name', type: 'string' }
 * q.columns[1].nameHeader; // 'count(*)'
 */
export function analyze(text: string, language: QueryLanguage): AnalyzedQuery {
  const ast = parse(text, language);
  const scope = new Scope(ast.from, language);
  const select: Expr[] = [];
  const columns: OutputColumn[] = [];
  const placed: Placed[] = [];
  const aliases = new Map<string, Expr>();
  let hasAliases = false;
  for (const item of ast.select) {
    if (item.expr.kind === 'star') {
      for (const expr of expandStar(item.expr, scope)) {
        select.push(expr);
        columns.push(column(expr, scope));
        placed.push({ expr, at: item });
      }
      continue;
    }
    const expr = analyzeExpr(item.expr, scope, 'select');
    select.push(expr);
    placed.push({ expr, at: item });
    const col = column(expr, scope);
    const alias = effectiveAlias(item, col);
    if (alias) {
      const key = alias.text.toLowerCase();
      if (aliases.has(key)) failAt(alias, `the alias "${alias.text}" is used twice`);
      aliases.set(key, expr);
      hasAliases = true;
      columns.push({ nameHeader: alias.text, labelHeader: alias.text, type: col.type });
    } else {
      columns.push(col);
    }
  }
  let where = ast.where ? analyzeCondition(ast.where, scope, 'where', ignore) : undefined;
  if (language === 'zoql' && scope.object.name === 'RatePlan') where = withoutRemovedProducts(where);
  const groupBy = analyzeGroupBy(ast.groupBy, scope);
  const having = ast.having
    ? analyzeCondition(ast.having, scope, 'having', (expr, at) => placed.push({ expr, at }))
    : undefined;
  const orderBy: OrderItem[] = [];
  for (const item of ast.orderBy) {
    const expr = aliasTarget(item.expr, aliases) ?? analyzeExpr(item.expr, scope, 'orderBy');
    placed.push({ expr, at: item });
    orderBy.push({ expr, descending: item.descending });
  }
  const grouped = groupBy.length > 0 || having !== undefined || hasAggregate(placed);
  if (grouped) checkGrouping(placed, groupBy, scope);
  return {
    language,
    text,
    object: scope.object,
    columns,
    select,
    hasFunctions: scope.usesFunctions,
    hasAliases,
    grouped,
    where,
    groupBy,
    having,
    orderBy,
    limit: ast.limit ? { offset: ast.limit.offset, count: ast.limit.count } : undefined,
    relations: scope.relations,
  };
}

/** Visits nothing: where clauses need no grouping check. */
function ignore(): void {}

function hasAggregate(placed: readonly Placed[]): boolean {
  for (const p of placed) if (p.expr.kind === 'aggregate') return true;
  return false;
}

function expandStar(star: StarNode, scope: Scope): FieldExpr[] {
  const relation: JoinDef | undefined = star.qualifier ? scope.relation(star.qualifier) : undefined;
  const fields: FieldDef[] = exportableFields(relation ? scope.target(relation) : scope.object);
  return fields.map((field) => ({ kind: 'field', relation, field, type: field.type }));
}

function column(expr: Expr, scope: Scope): OutputColumn {
  const nameHeader = exprText(expr, scope);
  if (expr.kind !== 'field') return { nameHeader, labelHeader: nameHeader, type: expr.type };
  const owner = expr.relation ? expr.relation.label : scope.object.label;
  return { nameHeader, labelHeader: `${owner}: ${expr.field.label}`, type: expr.type };
}

/** An alias that changes the header: one equal to the column's own name is no alias at all. */
function effectiveAlias(item: SelectItemNode, col: OutputColumn): NamePart | undefined {
  const alias = item.alias;
  if (!alias || alias.text.toLowerCase() === col.nameHeader.toLowerCase()) return undefined;
  return alias;
}

function aliasTarget(node: ExprNode, aliases: Map<string, Expr>): Expr | undefined {
  return node.kind === 'name' && node.parts.length === 1
    ? aliases.get(node.parts[0].text.toLowerCase())
    : undefined;
}

function analyzeGroupBy(nodes: readonly ExprNode[], scope: Scope): Expr[] {
  const groups: Expr[] = [];
  for (const node of nodes) {
    if (groups.length === MAX_GROUP_BY_FIELDS)
      failAt(node, `group by may hold at most ${MAX_GROUP_BY_FIELDS} fields`);
    groups.push(analyzeExpr(node, scope, 'groupBy'));
  }
  return groups;
}

/** In a grouped query every expression outside an aggregate must be one of the groups. */
function checkGrouping(placed: readonly Placed[], groupBy: readonly Expr[], scope: Scope): void {
  const covered = (e: Expr): boolean =>
    e.kind === 'aggregate' ||
    groupBy.some((g) => sameExpr(g, e)) ||
    (e.kind === 'dateFunction' && groupBy.some((g) => sameExpr(g, e.arg)));
  for (const { expr, at } of placed) {
    if (!covered(expr)) {
      failAt(at, `${exprText(expr, scope)} must appear in group by or inside an aggregate function`);
    }
  }
}

/** ZOQL on RatePlan hides rate plans that an amendment removed. */
function withoutRemovedProducts(where: Condition | undefined): Condition {
  const ratePlan = getObject('RatePlan')!;
  const field = ratePlan.fields.find((f) => f.name === 'AmendmentType')!;
  const expr: FieldExpr = { kind: 'field', field, type: field.type };
  const visible: Condition = {
    kind: 'or',
    left: { kind: 'isNull', expr, negated: false },
    right: { kind: 'compare', op: '!=', left: expr, right: { kind: 'string', value: 'RemoveProduct' } },
  };
  return where ? { kind: 'and', left: where, right: visible } : visible;
}
