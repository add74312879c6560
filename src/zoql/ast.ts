/**
 * The syntax tree of a query as written, before any name is resolved. Every node is immutable
 * and carries the 1-based position of its first character.
 */

export type QueryLanguage = 'zoql' | 'zoqlexport';

export interface Position {
  readonly line: number;
  readonly column: number;
}

/** One part of a dotted name, bare (`Name`) or double-quoted (`"Name"`). */
export interface NamePart extends Position {
  readonly text: string;
}

/** `Name` or `Relation.Name`. */
export interface NameNode extends Position {
  readonly kind: 'name';
  readonly parts: readonly [NamePart] | readonly [NamePart, NamePart];
}

/** `*` or `Relation.*`. */
export interface StarNode extends Position {
  readonly kind: 'star';
  readonly qualifier?: NamePart;
}

/** `fn(arg)`, `count(*)`, `count(distinct arg)`. */
export interface CallNode extends Position {
  readonly kind: 'call';
  /** As written. */
  readonly name: string;
  readonly distinct?: Position;
  readonly arg: ExprNode | StarNode;
}

export type LiteralType = 'string' | 'number' | 'boolean' | 'null' | 'datetime';

/** A value written in the query: `'x'`, `12.5`, `true`, `null`, `2024-01-01T00:00:00Z`. */
export interface LiteralNode extends Position {
  readonly kind: 'literal';
  readonly type: LiteralType;
  /** The value as written (strings unescaped, without quotes). */
  readonly text: string;
}

export type ExprNode = NameNode | CallNode;
export type OperandNode = ExprNode | LiteralNode;

export type ComparisonOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export interface CompareNode extends Position {
  readonly kind: 'compare';
  readonly op: ComparisonOp;
  readonly left: OperandNode;
  readonly right: OperandNode;
}

/** `x is null`, `x is not null`. */
export interface IsNullNode extends Position {
  readonly kind: 'isNull';
  readonly operand: ExprNode;
  readonly negated: boolean;
}

/** `x like 'ab%'`, `x not like 'ab%'`. */
export interface LikeNode extends Position {
  readonly kind: 'like';
  readonly operand: ExprNode;
  readonly pattern: LiteralNode;
  readonly negated: boolean;
}

/**
 * `left and right`, `left or right`, at the position of the operator. A chain `a or b or c ...` is
 * held balanced: it nests log2(n) deep, not n.
 */
export interface LogicalNode extends Position {
  readonly kind: 'and' | 'or';
  readonly left: ConditionNode;
  readonly right: ConditionNode;
}

export interface NotNode extends Position {
  readonly kind: 'not';
  readonly operand: ConditionNode;
}

export type ConditionNode = CompareNode | IsNullNode | LikeNode | LogicalNode | NotNode;

export interface SelectItemNode extends Position {
  readonly expr: ExprNode | StarNode;
  readonly alias?: NamePart;
}

export interface OrderItemNode extends Position {
  readonly expr: ExprNode;
  readonly descending: boolean;
}

export interface LimitNode extends Position {
  readonly offset: number;
  readonly count: number;
}

export interface QueryNode {
  readonly language: QueryLanguage;
  readonly select: readonly SelectItemNode[];
  readonly from: NamePart;
  readonly where?: ConditionNode;
  readonly groupBy: readonly ExprNode[];
  readonly having?: ConditionNode;
  readonly orderBy: readonly OrderItemNode[];
  readonly limit?: LimitNode;
}
