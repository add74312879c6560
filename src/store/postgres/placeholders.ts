/** SQL text with `$n` placeholders, and how to build its parameter list from a call's arguments. */
export interface Rewritten {
  readonly text: string;
  /** Named placeholders in `$n` order; empty when the SQL uses `?`. */
  readonly names: readonly string[];
  /** How many `$n` the text holds. */
  readonly count: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/**
 * Rewrites `?` and `@name` placeholders to PostgreSQL's `$n`, leaving string literals, quoted identifiers
 * and comments alone. One SQL text uses one style; every `@name` occurrence of a name shares its `$n`.
 * @example rewritePlaceholders("SELECT * FROM t WHERE a = ? AND b = '?'").text === "SELECT * FROM t WHERE a = $1 AND b = '?'"
 */
export function rewritePlaceholders(sql: string): Rewritten {
  let out = '';
  let positional = 0;
  const names: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      const end = nl < 0 ? sql.length : nl;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close < 0 ? sql.length : close + 2;
      out += sql.slice(i, end);
      i = end;
    } else if (c === '?') {
      positional++;
      out += `$${positional}`;
      i++;
    } else if (c === '@' && IDENT_START.test(sql[i + 1] ?? '')) {
      let j = i + 1;
      while (j < sql.length && IDENT_PART.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      let k = names.indexOf(name);
      if (k < 0) k = names.push(name) - 1;
      out += `$${k + 1}`;
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  if (positional > 0 && names.length > 0) throw new Error(`SQL mixes ? and @name placeholders: ${sql}`);
  return { text: out, names, count: positional + names.length };
}

/** Where a quoted literal or name opened at `start` ends (just past its closing quote; doubled quotes stay inside). */
export function closingQuote(sql: string, start: number, q: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === q) {
      if (sql[i + 1] === q) i += 2;
      else return i + 1;
    } else i++;
  }
  return sql.length;
}
