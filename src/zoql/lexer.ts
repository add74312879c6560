import { QueryError } from '../errors.ts';
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
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (reason: string, at: number): never => {
    throw new QueryError(reason, line, at - lineStart + 1);
  };
  const push = (kind: TokenKind, value: string, start: number, lower = value) => {
    tokens.push({ kind, text: value, lower, line, column: start - lineStart + 1 });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === C.Space || c === C.Tab || c === C.Return) {
      i++;
    } else if (c === C.Newline) {
      i++;
      line++;
      lineStart = i;
    } else if (isNameStart(c)) {
      const start = i;
      while (i < n && isNamePart(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      push('word', word, start, word.toLowerCase());
    } else if (isDigit(c) || ((c === C.Minus || c === C.Dot) && isDigit(text.charCodeAt(i + 1)))) {
      i = scanNumberOrDate(text, i, push);
    } else if (c === C.Quote) {
      i = scanString(text, i, language, push, fail);
    } else if (c === C.DoubleQuote) {
      const start = i;
      const close = text.indexOf('"', i + 1);
      if (close < 0) fail('a quoted name is not closed', start);
      const name = text.slice(i + 1, close);
      if (name.includes('\n')) fail('a quoted name is not closed on its line', start);
      push('quoted', name, start);
      i = close + 1;
    } else {
      i = scanOperator(text, i, push, fail);
    }
  }
  push('end', '', i, '');
  return tokens;
}

type Push = (kind: TokenKind, value: string, start: number, lower?: string) => void;
type Fail = (reason: string, at: number) => never;

function scanNumberOrDate(text: string, start: number, push: Push): number {
  let i = start;
  if (text.charCodeAt(i) === C.Minus) i++;
  while (isDigit(text.charCodeAt(i))) i++;
  // Four digits then '-digit' is a date; take every character a datetime may hold and check it later.
  if (i - start === 4 && text.charCodeAt(i) === C.Minus && isDigit(text.charCodeAt(i + 1))) {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (isDigit(c) || c === C.Minus || c === C.Plus || c === C.Colon || c === C.Dot || isNameStart(c)) i++;
      else break;
    }
    push('datetime', text.slice(start, i), start);
    return i;
  }
  if (text.charCodeAt(i) === C.Dot) {
    i++;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  push('number', text.slice(start, i), start);
  return i;
}

function scanString(text: string, start: number, language: QueryLanguage, push: Push, fail: Fail): number {
  let i = start + 1;
  let value = '';
  let from = i;
  for (;;) {
    if (i >= text.length) fail('a quoted value is not closed', start);
    const c = text.charCodeAt(i);
    if (c === C.Quote) {
      if (language === 'zoqlexport' && text.charCodeAt(i + 1) === C.Quote) {
        value += text.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      value += text.slice(from, i);
      push('string', value, start);
      return i + 1;
    }
    if (c === C.Backslash && language === 'zoql') {
      const next = text[i + 1] ?? '';
      const replacement = ZOQL_ESCAPES[next];
      if (replacement === undefined)
        fail(`'\\${next}' is not an escape ZOQL knows (use \\' \\" \\\\ \\n or \\t)`, i);
      value += text.slice(from, i) + replacement;
      i += 2;
      from = i;
      continue;
    }
    i++;
  }
}

function scanOperator(text: string, start: number, push: Push, fail: Fail): number {
  const c = text.charCodeAt(start);
  const next = text.charCodeAt(start + 1);
  switch (c) {
    case C.Comma:
    case C.Dot:
    case C.LParen:
    case C.RParen:
    case C.Star:
    case C.Equals:
      push('op', text[start]!, start);
      return start + 1;
    case C.Less:
    case C.Greater:
      if (next === C.Equals) {
        push('op', text.slice(start, start + 2), start);
        return start + 2;
      }
      if (c === C.Less && next === C.Greater) fail("'<>' is not an operator here: write '!='", start);
      push('op', text[start]!, start);
      return start + 1;
    case C.Bang:
      if (next === C.Equals) {
        push('op', '!=', start);
        return start + 2;
      }
      break;
  }
  const ch = String.fromCodePoint(text.codePointAt(start) ?? 0);
  return fail(`unexpected character '${ch}'`, start);
}
