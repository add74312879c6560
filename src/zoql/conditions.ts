import type { FieldType } from '../schema/index.ts';
import type { CompareNode, ComparisonOp, ConditionNode, LiteralNode, OperandNode, Position } from './ast.ts';
import { analyzeExpr, exprText } from './expressions.ts';
import { misplacedPercent, typedValue, typeWords } from './literals.ts';
import type { Condition, Expr } from './model.ts';
import { failAt, type Scope } from './scope.ts';

/** Called for every expression a condition reads, with where it was written (grouping checks). */
export type ExprVisitor = (expr: Expr, at: Position) => void;

const FLIPPED: Record<ComparisonOp, ComparisonOp> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '>': '<',
  '<=': '>=',
  '>=': '<=',
};

type Category = 'text' | 'number' | 'boolean' | 'date' | 'dateTime';

function category(type: FieldType): Category {
  switch (type) {
    case 'ID':
    case 'string':
    case 'picklist':
      return 'text';
    case 'decimal':
    case 'integer':
      return 'number';
    default:
      return type;
  }
}

/** Resolves and types a where or having condition. */
export function analyzeCondition(
  node: ConditionNode,
  scope: Scope,
  place: 'where' | 'having',
  visit: ExprVisitor,
): Condition {
  switch (node.kind) {
    case 'and':
    case 'or':
      return {
        kind: node.kind,
        left: analyzeCondition(node.left, scope, place, visit),
        right: analyzeCondition(node.right, scope, place, visit),
      };
    case 'not':
      return { kind: 'not', operand: analyzeCondition(node.operand, scope, place, visit) };
    case 'isNull': {
      const expr = analyzeExpr(node.operand, scope, place);
      visit(expr, node.operand);
      return { kind: 'isNull', expr, negated: node.negated };
    }
    case 'like': {
      const expr = analyzeExpr(node.operand, scope, place);
      visit(expr, node.operand);
      if (category(expr.type) !== 'text') {
        failAt(
          node,
          `like applies to text fields; ${exprText(expr, scope)} is ${typeWords(expr.type)} field`,
        );
      }
      const bad = misplacedPercent(node.pattern.text);
      if (bad >= 0)
        failAt(
          percentPosition(node.pattern, bad),
          "'%' may only stand at the start or end of a like pattern",
        );
      return { kind: 'like', expr, pattern: node.pattern.text, negated: node.negated };
    }
    case 'compare':
      return comparison(node, scope, place, visit);
  }
}

/** The position of a pattern character, when the pattern was written without escapes before it. */
function percentPosition(pattern: LiteralNode, index: number): Position {
  const before = pattern.text.slice(0, index);
  if (/['"\\\n\t]/.test(before)) return pattern;
  return { line: pattern.line, column: pattern.column + 1 + index };
}

function comparison(
  node: CompareNode,
  scope: Scope,
  place: 'where' | 'having',
  visit: ExprVisitor,
): Condition {
  let { left, right, op } = node;
  if (left.kind === 'literal') {
    if (right.kind === 'literal') failAt(node, 'a comparison needs a field on at least one side');
    [left, right] = [right, left];
    op = FLIPPED[op];
  }
  const expr = analyzeExpr(left, scope, place);
  visit(expr, left);
  if (right.kind === 'literal' && right.type === 'null') {
    if (op !== '=' && op !== '!=') failAt(node, `null can only be compared with '=' or '!='`);
    return { kind: 'isNull', expr, negated: op === '!=' };
  }
  const cat = category(expr.type);
  if (cat === 'boolean' && op !== '=' && op !== '!=') {
    failAt(node, `${exprText(expr, scope)} is a boolean field: compare it only with '=' or '!='`);
  }
  if (right.kind === 'literal') {
    return { kind: 'compare', op, left: expr, right: typedValue(right, expr.type, exprText(expr, scope)) };
  }
  return { kind: 'compare', op, left: expr, right: otherSide(node, expr, right, scope, place, visit) };
}

function otherSide(
  node: CompareNode,
  left: Expr,
  right: Exclude<OperandNode, LiteralNode>,
  scope: Scope,
  place: 'where' | 'having',
  visit: ExprVisitor,
): Expr {
  if (scope.language === 'zoql') failAt(right, 'ZOQL cannot compare a field with another field');
  const expr = analyzeExpr(right, scope, place);
  visit(expr, right);
  if (category(left.type) !== category(expr.type)) {
    failAt(
      node,
      `cannot compare ${exprText(left, scope)}, ${typeWords(left.type)} field, with ${exprText(expr, scope)}, ${typeWords(expr.type)} field`,
    );
  }
  return expr;
}
