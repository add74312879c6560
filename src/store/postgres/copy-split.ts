import { closingQuote } from './placeholders.ts';

/**
 * Splitting one export query into parts over disjoint ranges of its base table's physical rows, each
 * part a COPY of its own on a connection of its own (PostgreSQL runs one query on one core).
 *
 * The query is one the tenant compiler made (`SELECT ... FROM "<Object>" AS "t0" LEFT JOIN ... WHERE
 * ...`), parameters written in. Every row of its result comes from exactly one row of "t0", so a range
 * of "t0"'s tuple ids (`ctid`, block then line) picks a part of the rows, and ranges that cover the
 * table pick each row once. That holds only while nothing combines rows across the table: a query
 * with GROUP BY, HAVING, an aggregate, DISTINCT, ORDER BY, LIMIT or OFFSET (or anything not
 * recognised) is never split.
 */

/** The base table of a query that can be split, as the query names it (a quoted identifier). */
export interface SplittableQuery {
  readonly table: string;
}

/** Clauses and calls that combine or order rows across the whole table. */
const ACROSS_ROWS =
  /\b(GROUP\s+BY|HAVING|ORDER\s+BY|LIMIT|OFFSET|FETCH|DISTINCT|UNION|INTERSECT|EXCEPT|WINDOW|OVER|FOR\s+(UPDATE|SHARE|NO\s+KEY|KEY))\b|\b(COUNT|SUM|MIN|MAX|AVG|[A-Z_]*AGG|EVERY|BOOL_AND|BOOL_OR|BIT_AND|BIT_OR|STDDEV[A-Z_]*|VAR[A-Z_]*|PERCENTILE[A-Z_]*|MODE|RANK|DENSE_RANK|ROW_NUMBER)\s*\(/i;

/**
 * The SQL with the inside of every string literal and quoted name blanked (same length, quotes kept),
 * so that keywords are found only where they are keywords; undefined when it holds a comment.
 */
function skeleton(sql: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closingQuote(sql, i, c);
      out += c + ' '.repeat(Math.max(0, end - i - 2)) + (end - i >= 2 ? c : '');
      i = end;
    } else if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '*')) return undefined;
    else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Where keyword `word` (any case, a whole word) occurs outside parentheses. */
function topLevel(skel: string, word: string): number[] {
  const re = new RegExp(`${word}(?![A-Za-z0-9_$])`, 'iy');
  const at: number[] = [];
  let depth = 0;
  for (let i = 0; i < skel.length; i++) {
    const c = skel[i]!;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && (i === 0 || !/[A-Za-z0-9_$]/.test(skel[i - 1]!))) {
      re.lastIndex = i;
      if (re.test(skel)) at.push(i);
    }
  }
  return at;
}

/** The query's own FROM: its base table named and aliased "t0". */
const BASE = /FROM\s+("(?:[^"]|"")+")\s+AS\s+"t0"(?![A-Za-z0-9_$])/iy;

/**
 * Whether the rows of `sql` (a compiled export query without placeholders) can be read in parts over
 * ranges of its base table "t0", and which table that is.
 * @example splittableQuery('SELECT "t0"."Id" FROM "Account" AS "t0" WHERE "t0"."_deleted_at" IS NULL') // { table: '"Account"' }
 */
export function splittableQuery(sql: string): SplittableQuery | undefined {
  const source = sql.trim();
  const skel = skeleton(source);
  if (skel === undefined || ACROSS_ROWS.test(skel) || skel.includes(';')) return undefined;
  const select = topLevel(skel, 'SELECT');
  const from = topLevel(skel, 'FROM');
  if (select.length !== 1 || select[0] !== 0 || from.length !== 1) return undefined;
  if (topLevel(skel, 'WHERE').length > 1) return undefined;
  BASE.lastIndex = from[0]!;
  const m = BASE.exec(source);
  return m ? { table: m[1]! } : undefined;
}

/** A tuple id literal: the first tuple of `block`. */
function tid(block: number): string {
  return `'(${block},0)'::tid`;
}

/**
 * The query restricted to the rows of "t0" in blocks `from` (inclusive) to `below` (exclusive), each
 * bound left out when undefined. The query must be one `splittableQuery` accepts: its WHERE, if any,
 * is its last clause.
 * @example
 * withBlockRange('SELECT "t0"."Id" FROM "Account" AS "t0" WHERE a OR b', 10, undefined)
 * // 'SELECT "t0"."Id" FROM "Account" AS "t0" WHERE (a OR b) AND "t0".ctid >= \'(10,0)\'::tid'
 */
export function withBlockRange(sql: string, from: number | undefined, below: number | undefined): string {
  const range = [
    ...(from === undefined ? [] : [`"t0".ctid >= ${tid(from)}`]),
    ...(below === undefined ? [] : [`"t0".ctid < ${tid(below)}`]),
  ].join(' AND ');
  const source = sql.trim();
  if (range === '') return source;
  const skel = skeleton(source);
  const where = skel === undefined ? [] : topLevel(skel, 'WHERE');
  if (where.length === 0) return `${source} WHERE ${range}`;
  const at = where[0]!;
  return `${source.slice(0, at)}WHERE (${source.slice(at + 5).trim()}) AND ${range}`;
}
