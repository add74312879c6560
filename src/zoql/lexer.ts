import { QueryError } from '../errors.ts';
import { LONE_SURROGATE } from '../text.ts';
import type { QueryLanguage } from './ast.ts';

/**
 * - `word`: a bare name or keyword (`text` as written, `lower` for keyword checks)
 * - `quoted`: a double-quoted name (`"Total"`), `text` without the quotes
 * - `string`: a single-quoted value, `text` unescaped
 * - `number`: an unquoted number, `text` as written
 * - `datetime`: an unquoted date or datetime (`2024-01-31T10:00:00Z`), `text` as written
 * - `op`: punctuation or a comparison operator
 */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'datetime' | 'op' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly lower: string;
  readonly line: number;
  readonly column: number;
}

enum C {
  Tab = 9,
  Newline = 10,
  Return = 13,
  Space = 32,
  Bang = 33,
  DoubleQuote = 34,
  Quote = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  Less = 60,
  Equals = 61,
  Greater = 62,
  Backslash = 92,
  Underscore = 95,
}

function isDigit(c: number): boolean {
  return c >= C.Zero && c <= C.Nine;
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === C.Underscore;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

const ZOQL_ESCAPES: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', n: '\n', t: '\t' };

/**
 * Splits query text into tokens. Strings follow the language's quoting: Export ZOQL doubles a
 * quote (`'O''Brien'`), ZOQL escapes with a backslash (`'O\'Brien'`).
 */
export function tokenize(text: string, language: QueryLanguage): Token[] {
  return new Lexer(text, language).run();
}

class Lexer {
  private readonly tokens: Token[] = [];
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(
    private readonly text: string,
    private readonly language: QueryLanguage,
  ) {}

  run(): Token[] {
    const text = this.text;
    const n = text.length;
    // Text is stored and compared as UTF-8 (PostgreSQL refuses anything else): half a surrogate pair
    // is not a character any value can hold.
    const lone = LONE_SURROGATE.exec(text);
    if (lone) this.fail('this is half of a UTF-16 surrogate pair, not a character', lone.index);
    while (this.i < n) {
      const i = this.i;
      const c = text.charCodeAt(i);
      if (c === C.Space || c === C.Tab || c === C.Return) {
        this.i++;
      } else if (c === C.Newline) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (isNameStart(c)) {
        let end = i + 1;
        while (end < n && isNamePart(text.charCodeAt(end))) end++;
        const word = text.slice(i, end);
        this.push('word', word, i, word.toLowerCase());
        this.i = end;
      } else if (isDigit(c) || ((c === C.Minus || c === C.Dot) && isDigit(text.charCodeAt(i + 1)))) {
        this.numberOrDate();
      } else if (c === C.Quote) {
        this.string();
      } else if (c === C.DoubleQuote) {
        this.quotedName();
      } else {
        this.operator();
      }
    }
    this.push('end', '', this.i, '');
    return this.tokens;
  }

  private fail(reason: string, at: number): never {
    throw new QueryError(reason, this.line, at - this.lineStart + 1);
  }

  private push(kind: TokenKind, value: string, start: number, lower: string = value): void {
    this.tokens.push({ kind, text: value, lower, line: this.line, column: start - this.lineStart + 1 });
  }

  /** A double-quoted name; a doubled quote inside stands for one. */
  private quotedName(): void {
    const text = this.text;
    const start = this.i;
    let i = start + 1;
    let name = '';
    for (;;) {
      const close = text.indexOf('"', i);
      if (close < 0) this.fail('a quoted name is not closed', start);
      name += text.slice(i, close);
      if (text.charCodeAt(close + 1) !== C.DoubleQuote) {
        i = close + 1;
        break;
      }
      name += '"';
      i = close + 2;
    }
    if (name.includes('\n')) this.fail('a quoted name is not closed on its line', start);
    this.push('quoted', name, start);
    this.i = i;
  }

  private numberOrDate(): void {
    const text = this.text;
    const start = this.i;
    let i = start;
    if (text.charCodeAt(i) === C.Minus) i++;
    while (isDigit(text.charCodeAt(i))) i++;
    // Four digits then '-digit' is a date; take every character a datetime may hold and check it later.
    if (i - start === 4 && text.charCodeAt(i) === C.Minus && isDigit(text.charCodeAt(i + 1))) {
      while (i < text.length) {
        const c = text.charCodeAt(i);
        if (isDigit(c) || c === C.Minus || c === C.Plus || c === C.Colon || c === C.Dot || isNameStart(c))
          i++;
        else break;
      }
      this.push('datetime', text.slice(start, i), start);
      this.i = i;
      return;
    }
    if (text.charCodeAt(i) === C.Dot) {
      i++;
      while (isDigit(text.charCodeAt(i))) i++;
    }
    this.push('number', text.slice(start, i), start);
    this.i = i;
  }

  private string(): void {
    const text = this.text;
    const start = this.i;
    const zoql = this.language === 'zoql';
    const line = this.line;
    const column = start - this.lineStart + 1;
    let i = start + 1;
    let value = '';
    let from = i;
    for (;;) {
      if (i >= text.length) throw new QueryError('a quoted value is not closed', line, column);
      const c = text.charCodeAt(i);
      // No stored value holds a NUL (records refuse it), and PostgreSQL text cannot: say so at once.
      if (c === 0) this.fail('a quoted value may not contain the NUL character', i);
      if (c === C.Quote) {
        if (!zoql && text.charCodeAt(i + 1) === C.Quote) {
          value += text.slice(from, i + 1);
          i += 2;
          from = i;
          continue;
        }
        value += text.slice(from, i);
        this.tokens.push({ kind: 'string', text: value, lower: value, line, column });
        this.i = i + 1;
        return;
      }
      if (c === C.Backslash && zoql) {
        const next = text[i + 1] ?? '';
        const replacement = ZOQL_ESCAPES[next];
        if (replacement === undefined) {
          this.fail(`'\\${next}' is not an escape ZOQL knows (use \\' \\" \\\\ \\n or \\t)`, i);
        }
        value += text.slice(from, i) + replacement;
        i += 2;
        from = i;
        continue;
      }
      if (c === C.Newline) {
        this.line++;
        this.lineStart = i + 1;
      }
      i++;
    }
  }

  private operator(): void {
    const text = this.text;
    const start = this.i;
    const c = text.charCodeAt(start);
    const next = text.charCodeAt(start + 1);
    let width = 0;
    switch (c) {
      case C.Comma:
      case C.Dot:
      case C.LParen:
      case C.RParen:
      case C.Star:
      case C.Equals:
        width = 1;
        break;
      case C.Less:
      case C.Greater:
        if (c === C.Less && next === C.Greater) this.fail("'<>' is not an operator here: write '!='", start);
        width = next === C.Equals ? 2 : 1;
        break;
      case C.Bang:
        if (next === C.Equals) width = 2;
        break;
    }
    if (width === 0) {
      this.fail(`unexpected character '${String.fromCodePoint(text.codePointAt(start) ?? 0)}'`, start);
    }
    this.push('op', text.slice(start, start + width), start);
    this.i = start + width;
  }
}
