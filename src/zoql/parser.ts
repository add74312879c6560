import { QueryError } from '../errors.ts';
import { MAX_NESTING_DEPTH, MAX_QUERY_LENGTH, MAX_ZOQL_CONDITIONS } from '../limits.ts';
import type {
  ComparisonOp,
  ConditionNode,
  ExprNode,
  LimitNode,
  LiteralNode,
  NameNode,
  NamePart,
  OperandNode,
  OrderItemNode,
  Position,
  QueryLanguage,
  QueryNode,
  SelectItemNode,
  StarNode,
} from './ast.ts';
import { type Token, tokenize } from './lexer.ts';

/** Words that end a clause or build a condition, so never taken as a name. */
const RESERVED = new Set([
  'select',
  'from',
  'where',
  'group',
  'by',
  'having',
  'order',
  'limit',
  'and',
  'or',
  'not',
  'as',
  'is',
  'null',
  'like',
  'true',
  'false',
  'distinct',
]);

const COMPARISONS = new Set(['=', '!=', '<', '>', '<=', '>=']);

/**
 * Parses ZOQL or Export ZOQL text into a syntax tree, without consulting the schema. Throws
 * QueryError with the position of the first thing that does not fit the grammar.
 * @example
 * parse('select Name from Account limit 5', 'zoqlexport').limit; // { offset: 0, count: 5, line: 1, column: 26 }
 */
export function parse(text: string, language: QueryLanguage): QueryNode {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new QueryError(
      `a query may hold at most ${MAX_QUERY_LENGTH} characters, this one has ${text.length}`,
      1,
      1,
    );
  }
  return new Parser(tokenize(text, language), language).query();
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end of the query';
    case 'string':
      return `'${t.text}'`;
    case 'quoted':
      return `"${t.text}"`;
    default:
      return `'${t.text}'`;
  }
}

/**
 * The operands `lo..hi` of an and/or chain as a balanced tree: `ops[j]` stands between operands j
 * and j + 1. And and or are associative (in SQL's three-valued logic too), so the shape changes no
 * result, and a chain of n conditions nests log2(n) deep, not n.
 */
function balanced(
  kind: 'and' | 'or',
  operands: readonly ConditionNode[],
  ops: readonly Token[],
  lo: number,
  hi: number,
): ConditionNode {
  if (lo === hi) return operands[lo]!;
  const mid = (lo + hi) >>> 1;
  const op = ops[mid]!;
  return {
    kind,
    left: balanced(kind, operands, ops, lo, mid),
    right: balanced(kind, operands, ops, mid + 1, hi),
    line: op.line,
    column: op.column,
  };
}

class Parser {
  private i = 0;
  private conditions = 0;
  /** Parentheses and `not`s of a condition open around the current token. */
  private depth = 0;
  /** Function calls open around the current token. */
  private callDepth = 0;
  private readonly zoql: boolean;

  constructor(
    private readonly tokens: Token[],
    private readonly language: QueryLanguage,
  ) {
    this.zoql = language === 'zoql';
  }

  private get t(): Token {
    return this.tokens[this.i]!;
  }

  private peek(ahead = 1): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)]!;
  }

  private fail(reason: string, at: Position = this.t): never {
    throw new QueryError(reason, at.line, at.column);
  }

  /**
   * Refuses a level of nesting past the limit, at the token `at` that opens it. This keeps the
   * recursion of this parser, of the analyzer and of the compiled SQL shallow, whatever the input.
   */
  private checkDepth(depth: number, at: Token, what: 'conditions' | 'function calls'): void {
    if (depth > MAX_NESTING_DEPTH) {
      this.fail(`${what} are nested more than ${MAX_NESTING_DEPTH} levels deep`, at);
    }
  }

  private isWord(word: string, t: Token = this.t): boolean {
    return t.kind === 'word' && t.lower === word;
  }

  private isOp(op: string, t: Token = this.t): boolean {
    return t.kind === 'op' && t.text === op;
  }

  private acceptWord(word: string): Token | undefined {
    if (!this.isWord(word)) return undefined;
    return this.tokens[this.i++];
  }

  private acceptOp(op: string): Token | undefined {
    if (!this.isOp(op)) return undefined;
    return this.tokens[this.i++];
  }

  private expectWord(word: string): Token {
    return this.acceptWord(word) ?? this.fail(`expected '${word}' but found ${describe(this.t)}`);
  }

  private expectOp(op: string): Token {
    return this.acceptOp(op) ?? this.fail(`expected '${op}' but found ${describe(this.t)}`);
  }

  query(): QueryNode {
    this.expectWord('select');
    const select = this.selectList();
    this.expectWord('from');
    const from = this.namePart('an object name');
    const where = this.acceptWord('where') ? this.condition() : undefined;
    if (this.zoql) {
      this.rejectZoqlClause();
      this.end();
      return { language: this.language, select, from, where, groupBy: [], orderBy: [] };
    }
    let groupBy: ExprNode[] = [];
    if (this.acceptWord('group')) {
      this.expectWord('by');
      groupBy = [this.expr()];
      while (this.acceptOp(',')) groupBy.push(this.expr());
    }
    const having = this.acceptWord('having') ? this.condition() : undefined;
    let orderBy: OrderItemNode[] = [];
    if (this.acceptWord('order')) {
      this.expectWord('by');
      orderBy = [this.orderItem()];
      while (this.acceptOp(',')) orderBy.push(this.orderItem());
    }
    const limit = this.isWord('limit') ? this.limit() : undefined;
    this.end();
    return { language: this.language, select, from, where, groupBy, having, orderBy, limit };
  }

  private end(): void {
    if (this.t.kind !== 'end') {
      const expected = this.zoql ? "'where' or the end of the query" : 'a clause or the end of the query';
      this.fail(`expected ${expected} but found ${describe(this.t)}`);
    }
  }

  private rejectZoqlClause(): void {
    for (const clause of ['group', 'having', 'order', 'limit']) {
      if (this.isWord(clause)) {
        const name = clause === 'group' || clause === 'order' ? `${clause} by` : clause;
        this.fail(`ZOQL has no '${name}'; Export ZOQL (zoqlexport) does`);
      }
    }
  }

  private selectList(): SelectItemNode[] {
    const items = [this.selectItem()];
    while (this.acceptOp(',')) items.push(this.selectItem());
    return items;
  }

  private selectItem(): SelectItemNode {
    const start = this.t;
    if (this.isOp('*')) {
      if (this.zoql) this.fail("ZOQL has no '*': name the fields");
      this.i++;
      return {
        line: start.line,
        column: start.column,
        expr: { kind: 'star', line: start.line, column: start.column },
      };
    }
    if (this.isOp('.', this.peek()) && this.isOp('*', this.peek(2)) && !this.zoql) {
      const qualifier = this.namePart('a field name');
      this.i += 2;
      const star: StarNode = { kind: 'star', qualifier, line: start.line, column: start.column };
      return { line: start.line, column: start.column, expr: star };
    }
    const expr = this.expr();
    let alias: NamePart | undefined;
    if (this.acceptWord('as')) {
      if (this.zoql) this.fail('ZOQL has no aliases', this.tokens[this.i - 1]);
      alias = this.aliasName();
    }
    return { line: start.line, column: start.column, expr, alias };
  }

  private aliasName(): NamePart {
    const t = this.t;
    if (t.kind === 'quoted' || t.kind === 'string' || (t.kind === 'word' && !RESERVED.has(t.lower))) {
      if (t.text.trim() === '') this.fail('an alias may not be empty');
      this.i++;
      return { text: t.text, line: t.line, column: t.column };
    }
    return this.fail(`expected an alias after 'as' but found ${describe(t)}`);
  }

  private namePart(what: string): NamePart {
    const t = this.t;
    if (t.kind === 'quoted' || (t.kind === 'word' && !RESERVED.has(t.lower))) {
      this.i++;
      return { text: t.text, line: t.line, column: t.column };
    }
    return this.fail(`expected ${what} but found ${describe(t)}`);
  }

  /** A field name, `Relation.Field`, or a function call. */
  private expr(): ExprNode {
    const t = this.t;
    if (t.kind === 'word' && !RESERVED.has(t.lower) && this.isOp('(', this.peek())) {
      if (this.zoql) this.fail('ZOQL has no functions');
      this.checkDepth(++this.callDepth, t, 'function calls');
      this.i += 2;
      const distinctToken = this.acceptWord('distinct');
      const distinct = distinctToken ? { line: distinctToken.line, column: distinctToken.column } : undefined;
      let arg: ExprNode | StarNode;
      if (this.isOp('*')) {
        arg = { kind: 'star', line: this.t.line, column: this.t.column };
        this.i++;
      } else {
        arg = this.expr();
      }
      this.expectOp(')');
      this.callDepth--;
      return { kind: 'call', name: t.text, distinct, arg, line: t.line, column: t.column };
    }
    return this.name();
  }

  private name(): NameNode {
    const first = this.namePart('a field name');
    if (!this.acceptOp('.')) return { kind: 'name', parts: [first], line: first.line, column: first.column };
    const second = this.namePart('a field name after the dot');
    if (this.isOp('.')) this.fail('a name has at most two parts: Relation.Field');
    return { kind: 'name', parts: [first, second], line: first.line, column: first.column };
  }

  private orderItem(): OrderItemNode {
    const start = this.t;
    const expr = this.expr();
    let descending = false;
    if (this.acceptWord('desc')) descending = true;
    else this.acceptWord('asc');
    return { expr, descending, line: start.line, column: start.column };
  }

  private limit(): LimitNode {
    const start = this.expectWord('limit');
    const first = this.count();
    if (!this.acceptOp(',')) return { offset: 0, count: first, line: start.line, column: start.column };
    const second = this.count();
    return { offset: first, count: second, line: start.line, column: start.column };
  }

  private count(): number {
    const t = this.t;
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) {
      this.fail(`expected a whole number but found ${describe(t)}`);
    }
    const n = Number(t.text);
    if (!Number.isSafeInteger(n)) this.fail(`${t.text} is too large for a limit`);
    this.i++;
    return n;
  }

  private condition(): ConditionNode {
    return this.chain('or', () => this.conjunction());
  }

  private conjunction(): ConditionNode {
    return this.chain('and', () => this.negation());
  }

  /** `a or b or c ...` (or and): read in a loop, held as a balanced tree. */
  private chain(kind: 'and' | 'or', operand: () => ConditionNode): ConditionNode {
    const operands = [operand()];
    const ops: Token[] = [];
    while (this.isWord(kind)) {
      ops.push(this.tokens[this.i++]!);
      operands.push(operand());
    }
    return balanced(kind, operands, ops, 0, operands.length - 1);
  }

  private negation(): ConditionNode {
    const t = this.t;
    if (this.isWord('not')) {
      if (this.zoql) this.fail("ZOQL has no 'not': use '!=' or reverse the comparison");
      this.checkDepth(++this.depth, t, 'conditions');
      this.i++;
      const operand = this.negation();
      this.depth--;
      return { kind: 'not', operand, line: t.line, column: t.column };
    }
    if (this.isOp('(')) {
      if (this.zoql) this.fail('ZOQL has no parentheses in a where clause; and binds tighter than or');
      this.checkDepth(++this.depth, t, 'conditions');
      this.i++;
      const inner = this.condition();
      this.expectOp(')');
      this.depth--;
      return inner;
    }
    return this.predicate();
  }

  private predicate(): ConditionNode {
    const start = this.t;
    if (this.zoql && ++this.conditions > MAX_ZOQL_CONDITIONS) {
      this.fail(`a ZOQL where clause may hold at most ${MAX_ZOQL_CONDITIONS} conditions`);
    }
    const left = this.operand();
    const t = this.t;
    if (t.kind === 'op' && COMPARISONS.has(t.text)) {
      this.i++;
      const right = this.operand();
      return {
        kind: 'compare',
        op: t.text as ComparisonOp,
        left,
        right,
        line: start.line,
        column: start.column,
      };
    }
    if (left.kind === 'literal') this.fail(`expected a comparison operator but found ${describe(t)}`);
    if (this.isWord('is')) {
      if (this.zoql) this.fail("ZOQL tests for null with '= null' or '!= null'");
      this.i++;
      const negated = this.acceptWord('not') !== undefined;
      this.expectWord('null');
      return { kind: 'isNull', operand: left, negated, line: start.line, column: start.column };
    }
    let negated = false;
    if (this.isWord('not') && this.isWord('like', this.peek()) && !this.zoql) {
      this.i++;
      negated = true;
    }
    if (this.acceptWord('like')) {
      const p = this.t;
      if (p.kind !== 'string') this.fail(`expected a quoted pattern after 'like' but found ${describe(p)}`);
      this.i++;
      const pattern: LiteralNode = {
        kind: 'literal',
        type: 'string',
        text: p.text,
        line: p.line,
        column: p.column,
      };
      return { kind: 'like', operand: left, pattern, negated, line: start.line, column: start.column };
    }
    return this.fail(`expected a comparison operator, 'is' or 'like' but found ${describe(t)}`);
  }

  private operand(): OperandNode {
    const t = this.t;
    const at = { line: t.line, column: t.column };
    switch (t.kind) {
      case 'string':
        this.i++;
        return { kind: 'literal', type: 'string', text: t.text, ...at };
      case 'number':
        this.i++;
        return { kind: 'literal', type: 'number', text: t.text, ...at };
      case 'datetime':
        this.i++;
        return { kind: 'literal', type: 'datetime', text: t.text, ...at };
      case 'word':
        if (t.lower === 'null') {
          this.i++;
          return { kind: 'literal', type: 'null', text: 'null', ...at };
        }
        if (t.lower === 'true' || t.lower === 'false') {
          this.i++;
          return { kind: 'literal', type: 'boolean', text: t.lower, ...at };
        }
        break;
    }
    if (t.kind === 'word' || t.kind === 'quoted') return this.expr();
    return this.fail(`expected a field or a value but found ${describe(t)}`);
  }
}
