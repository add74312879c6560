import type { ExportOptions } from '../../export/row-formatter.ts';
import type { FieldType } from '../../schema/index.ts';
import type { SqlValue } from '../types.ts';
import { closingQuote } from './placeholders.ts';

/**
 * The SQL of an export whose CSV PostgreSQL writes itself: `COPY (SELECT <fields> FROM (<query>) ...)
 * TO STDOUT (FORMAT csv)`, every field rendered in SQL to the very bytes the row formatter
 * (export/row-formatter.ts, cells.ts) writes for the value the cursor path would read.
 *
 * - Which SQL renders a column depends on its field type and on the PostgreSQL type the query gives it
 *   (the value the cursor path reads: int8 and floats become numbers, numeric stays text, bool 0/1).
 *   Pairs without an exact rendering make the export use the cursor path.
 * - Quoting is COPY's, which is ours (a field holding `,` `"` CR or LF is quoted, quotes doubled) with
 *   two exceptions, both avoided: COPY quotes a value equal to its NULL marker (''), so an empty
 *   value is passed as NULL, which COPY writes as an empty field; and it quotes a lone `\.` when a
 *   line has one field, so one-column exports of free text use the cursor path.
 * - Datetimes: from 1973 on (no zone has an offset with seconds since Monrovia's change in 1972) one
 *   `to_char` in the session's time zone, which the caller sets to the tenant zone. Earlier instants
 *   take the formatter's own arithmetic: the zone's offset rounded to whole minutes, the wall time
 *   from that offset, years before 1000 padded and 1 BC written as year 0.
 * - Every field is computed for every row, which is most of the COPY's time: a field tests for NULL
 *   only where its rendering would not give NULL for NULL by itself (or a null replacement is set),
 *   and after the common case where one comes first (a datetime from 1973 on, a double in plain form).
 */

/** Type OIDs of the values compiled queries select. */
const BOOL = 16;
const INTEGERS = new Set([20, 21, 23]);
const FLOAT4 = 700;
const FLOAT8 = 701;
const FLOATS = new Set([FLOAT4, FLOAT8]);
const TEXTS = new Set([25, 1043]);
const DATE = 1082;
const NUMERIC = 1700;

/** Epoch ms of 1973-01-01T00:00:00Z: from here on every zone's offset is whole minutes. */
export const WHOLE_MINUTE_OFFSETS_FROM = 94_694_400_000;

/**
 * What JS `String.prototype.trim` removes (WhiteSpace and LineTerminator), for decimal text.
 */
const JS_SPACE =
  '\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';

/** A decimal in the plain or exponent notation export/decimal.ts normalises (ASCII digits only). */
const DECIMAL_TEXT = '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$';

/** A string literal (standard_conforming_strings on: only quotes are doubled). */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A bound value as a literal of unknown type, resolved by its context as a parameter would be. */
function valueLiteral(v: SqlValue): string {
  if (v === null) return 'NULL';
  return sqlLiteral(typeof v === 'string' ? v : String(v));
}

/**
 * The SQL with each `?` placeholder replaced by its value as a literal (COPY takes no parameters).
 * String literals, quoted names and comments are left as they are.
 * @example inlineParams('SELECT "a?" FROM t WHERE b = ?', ["o'k"]) === `SELECT "a?" FROM t WHERE b = 'o''k'`
 */
export function inlineParams(sql: string, params: readonly SqlValue[]): string {
  let out = '';
  let k = 0;
  let i = 0;
  let from = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') i = closingQuote(sql, i, c);
    else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? sql.length : nl;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
    } else if (c === '?') {
      if (k >= params.length) throw new Error(`SQL needs more than ${params.length} values: ${sql}`);
      out += sql.slice(from, i) + valueLiteral(params[k++]!);
      i++;
      from = i;
    } else i++;
  }
  if (k !== params.length) throw new Error(`SQL needs ${k} values, got ${params.length}: ${sql}`);
  return out + sql.slice(from);
}

/** One column's rendering. */
interface Cell {
  /**
   * SQL of the column's field, `ifNull` (`NULL` or a literal) when the value is null. COPY writes a
   * NULL as an empty field, so an empty text must come out as NULL too.
   */
  field(ifNull: string): string;
  /** The text may be anything, the empty string and `\.` included. */
  readonly free: boolean;
  /** Needs the session time zone set to the tenant zone. */
  readonly zoned?: boolean;
}

/**
 * A rendering `sql` of column `c` that is NULL when `c` is (every function in it strict), so that
 * only a null replacement needs a test for NULL; free text that is empty becomes NULL.
 */
function strict(c: string, sql: string, free: boolean): Cell {
  const value = free ? `NULLIF(${sql}, '')` : sql;
  return {
    field: (ifNull) =>
      ifNull === 'NULL' ? value : `CASE WHEN ${c} IS NULL THEN ${ifNull} ELSE ${value} END`,
    free,
  };
}

/** A rendering `sql` of column `c` that is evaluated only for a value (it is costly, or not NULL for NULL). */
function guarded(c: string, sql: string, free: boolean): Cell {
  const value = free ? `NULLIF(${sql}, '')` : sql;
  return { field: (ifNull) => `CASE WHEN ${c} IS NULL THEN ${ifNull} ELSE ${value} END`, free };
}

/** `c` is 1, true, '1' or 'true', as cells.ts decides a boolean and the deleted flag. */
function truthy(c: string, oid: number): string | undefined {
  if (oid === BOOL) return c;
  if (INTEGERS.has(oid) || FLOATS.has(oid)) return `${c} = 1`;
  if (oid === NUMERIC || TEXTS.has(oid)) return `${c}::text IN ('1', 'true')`;
  return undefined;
}

function choice(cond: string, yes: string, no: string): string {
  return `CASE WHEN ${cond} THEN '${yes}' ELSE '${no}' END`;
}

/** `yes` or `no` by `cond` (NULL only when column `c` is), `ifNull` for a null. */
function nullableChoice(c: string, cond: string, yes: string, no: string): Cell {
  return {
    field: (ifNull) => `CASE WHEN ${cond} THEN '${yes}' WHEN ${c} IS NULL THEN ${ifNull} ELSE '${no}' END`,
    free: false,
  };
}

/** Decimal text as export/decimal.ts `formatDecimal` prints it: trimmed, and normalised when a number. */
function decimalText(c: string): string {
  const t = `btrim(${c}, ${sqlLiteral(JS_SPACE)})`;
  return `(SELECT CASE WHEN t ~ '${DECIMAL_TEXT}' THEN trim_scale(t::numeric)::text ELSE t END FROM (SELECT ${t} AS t) AS d)`;
}

/** 2^53: every double below it in magnitude has one shortest form, the same in PostgreSQL and in JS. */
const EXACT_SHORTEST_BELOW = 9_007_199_254_740_992;

/** 2^1024 - 2^970: decimals from here on read as infinity, not as the largest double. */
const OVERFLOW = '(2::numeric ^ 1024 - 2::numeric ^ 970)';

/**
 * A double in plain notation from its shortest round-trip form, as export/decimal.ts `formatNumber`
 * writes it. Below 2^53 PostgreSQL's shortest form (extra_float_digits >= 1) is JavaScript's. Above,
 * a shorter decimal may sit exactly halfway to the next double, which JavaScript takes (it reads back
 * to the same double, ties going to even) and PostgreSQL does not. Such a decimal also counts as a
 * candidate one digit shorter than PostgreSQL's form, so only when that one reads back to the double
 * is the shortest searched for: fewest digits, then nearest to the double's exact value, then even.
 */
function floatDecimal(c: string): Cell {
  const below = `trim_scale(${c}::text::numeric)::text`;
  const bits = `('x' || encode(float8send(${c}), 'hex'))::bit(64)::bigint`;
  // The exact value of the double (an integer up here), its sign and digits, and PostgreSQL's digits.
  const exact = `SELECT trunc(sg * ((b & 4503599627370495) | 4503599627370496)::numeric * power(2::numeric, ((b >> 52) & 2047) - 1075)) AS x, sg FROM (SELECT b, CASE WHEN b < 0 THEN -1 ELSE 1 END AS sg FROM (SELECT ${bits} AS b) AS fb) AS fs`;
  const sizes = `SELECT length(abs(x)::text) AS n, length(rtrim(abs(${below}::numeric)::text, '0')) AS pg`;
  const reads = (d: string) => `CASE WHEN abs(${d}) < ${OVERFLOW} THEN ${d}::float8 = ${c} ELSE false END`;
  const candidates = (k: string) =>
    `LATERAL (SELECT trunc(x, (${k}) - n) AS lo, 10::numeric ^ (n - (${k})) AS step) AS fr, LATERAL (VALUES (lo), (lo + sg * step)) AS fc(d)`;
  const shorter = `EXISTS (SELECT 1 FROM ${candidates('pg - 1')} WHERE ${reads('d')})`;
  const search = `(SELECT trim_scale(d)::text FROM generate_series(1, pg - 1) AS k, ${candidates('k')} WHERE ${reads('d')} ORDER BY k, abs(d - x), mod(abs(d) / step, 2) LIMIT 1)`;
  const above = `(SELECT CASE WHEN ${shorter} THEN ${search} ELSE ${below} END FROM (${exact}) AS fx, LATERAL (${sizes}) AS fn)`;
  // PostgreSQL writes doubles from 1e-4 to 1e15 in plain notation already (as printf's %g would).
  const plain = `abs(${c}) >= '1e-4'::float8 AND abs(${c}) < '1e15'::float8`;
  // The common case first: a null falls through it to its own test.
  return {
    field: (ifNull) =>
      `CASE WHEN ${plain} THEN ${c}::text WHEN ${c} IS NULL THEN ${ifNull} WHEN abs(${c}) < ${EXACT_SHORTEST_BELOW} THEN ${below} WHEN ${c} IN ('NaN', 'Infinity', '-Infinity') THEN ${c}::text ELSE ${above} END`,
    free: false,
  };
}

/**
 * Epoch ms as export/datetime.ts writes them in `zone`: `YYYY-MM-DDThh:mm:ss±hh:mm` (or `±hhmm`).
 */
function datetime(c: string, zone: string, compact: boolean): Cell {
  const sep = compact ? '' : ':';
  const fast = `to_char(to_timestamp(${c} / 1000), 'YYYY-MM-DD"T"HH24:MI:SSTZH${sep}TZM')`;
  // Floor of the seconds, the zone's offset there rounded to minutes as Math.round does, then the
  // wall time of (seconds + offset) read as UTC.
  const seconds = `(${c} - ((${c} % 1000) + 1000) % 1000) / 1000`;
  const offset = `floor((extract(epoch FROM to_timestamp(s) AT TIME ZONE ${sqlLiteral(zone)}) - s) / 60 + 0.5)::bigint`;
  const wall = `to_timestamp(s + m * 60) AT TIME ZONE 'UTC'`;
  const year = `(CASE WHEN extract(year FROM w) < 0 THEN extract(year FROM w)::int + 1 ELSE extract(year FROM w)::int END)`;
  const yearText = `(SELECT CASE WHEN y >= 1000 THEN y::text WHEN y >= 0 THEN lpad(y::text, 4, '0') ELSE '-' || lpad((-y)::text, 4, '0') END FROM (SELECT ${year} AS y) AS yy)`;
  const offsetText = `CASE WHEN m < 0 THEN '-' ELSE '+' END || lpad((abs(m) / 60)::text, 2, '0') || '${sep}' || lpad((abs(m) % 60)::text, 2, '0')`;
  const slow = `(SELECT ${yearText} || to_char(w, '-MM-DD"T"HH24:MI:SS') || ${offsetText} FROM (SELECT m, ${wall} AS w FROM (SELECT s, ${offset} AS m FROM (SELECT ${seconds} AS s) AS ds) AS dm) AS dw)`;
  // Nulls fall through the first test (the common case) to the last.
  return {
    field: (ifNull) =>
      `CASE WHEN ${c} >= ${WHOLE_MINUTE_OFFSETS_FROM} THEN ${fast} WHEN ${c} IS NOT NULL THEN ${slow} ELSE ${ifNull} END`,
    free: false,
    zoned: true,
  };
}

/** The rendering of a column of `type` selected as PostgreSQL type `oid`. */
function cell(c: string, oid: number, type: FieldType, opts: ExportOptions): Cell | undefined {
  switch (type) {
    case 'decimal':
    case 'integer':
      if (oid === NUMERIC) return strict(c, `trim_scale(${c})::text`, false);
      if (INTEGERS.has(oid)) return strict(c, `${c}::text`, false);
      if (oid === FLOAT8) return floatDecimal(c);
      // A real's shortest digits are those of the double they read back as.
      if (oid === FLOAT4) return strict(c, `trim_scale(${c}::text::numeric)::text`, false);
      if (oid === BOOL) return nullableChoice(c, c, '1', '0');
      if (TEXTS.has(oid)) return guarded(c, decimalText(c), true);
      return undefined;
    case 'boolean': {
      const cond = truthy(c, oid);
      return cond === undefined ? undefined : nullableChoice(c, cond, 'true', 'false');
    }
    case 'dateTime':
      if (INTEGERS.has(oid)) return datetime(`${c}::bigint`, opts.timeZone, opts.dateTimeUtc);
      if (TEXTS.has(oid)) return strict(c, `${c}::text`, true);
      if (oid === NUMERIC) return strict(c, `${c}::text`, false);
      return undefined;
    default:
      if (TEXTS.has(oid)) return strict(c, `${c}::text`, true);
      if (INTEGERS.has(oid) || oid === NUMERIC || oid === DATE) return strict(c, `${c}::text`, false);
      if (oid === BOOL) return nullableChoice(c, c, '1', '0');
      return undefined;
  }
}

/** Instants (epoch seconds) at which a zone's offsets are compared before COPY writes datetimes in it. */
export const ZONE_PROBES = { from: WHOLE_MINUTE_OFFSETS_FROM / 1000, to: 2_208_988_800, step: 7 * 86_400 };

/**
 * The zone's offset in seconds at every probe instant, as PostgreSQL's time zone database has it
 * (`$1`: the zone): one text array, probes in order.
 */
export const ZONE_OFFSETS_SQL = `SELECT array_agg((extract(epoch FROM to_timestamp(s) AT TIME ZONE $1) - s)::int ORDER BY s)::text FROM generate_series(${ZONE_PROBES.from}::bigint, ${ZONE_PROBES.to}::bigint, ${ZONE_PROBES.step}) AS s`;

/** A COPY statement, and the time zone its session must be in while it runs. */
export interface CopyPlan {
  readonly sql: string;
  /** Set as the session's TimeZone first (datetime columns are rendered in it). */
  readonly timeZone?: string;
}

/**
 * The COPY statement writing the rows of `query` (SQL without placeholders, its columns of PostgreSQL
 * types `oids`) as the CSV lines the row formatter would write for columns of `types` under `opts`;
 * or why it cannot be exact (the rows then go through the cursor path).
 * @example
 * copyCsvSql('SELECT "Name" FROM "Account"', [25, 701], ['string', 'decimal'], { timeZone: 'UTC', dateTimeUtc: false })
 */
export function copyCsvSql(
  query: string,
  oids: readonly number[],
  types: readonly FieldType[],
  opts: ExportOptions,
): CopyPlan | { unsupported: string } {
  const first = opts.deleted ? 1 : 0;
  if (oids.length !== types.length + first)
    return { unsupported: `the query selects ${oids.length} columns for ${types.length + first} fields` };
  const nullText =
    opts.nullReplacement === undefined || opts.nullReplacement === '' ? undefined : opts.nullReplacement;
  const fields: string[] = [];
  let zoned = false;
  if (opts.deleted) {
    const cond = truthy('"c0"', oids[0]!);
    if (cond === undefined) return { unsupported: `a deleted flag of type ${oids[0]}` };
    const [yes, no] = opts.deleted.format === 'Boolean' ? ['true', 'false'] : ['1', '0'];
    fields.push(choice(cond, yes, no));
  }
  for (let i = 0; i < types.length; i++) {
    const c = `"c${i + first}"`;
    const oid = oids[i + first]!;
    const r = cell(c, oid, types[i]!, opts);
    if (!r) return { unsupported: `a ${types[i]} column of type ${oid}` };
    if (fields.length === 0 && types.length === 1 && (r.free || nullText === '\\.'))
      return { unsupported: 'one column of free text (COPY quotes a lone \\.)' };
    zoned ||= r.zoned === true;
    fields.push(r.field(nullText === undefined ? 'NULL' : sqlLiteral(nullText)));
  }
  const names = oids.map((_, i) => `"c${i}"`).join(', ');
  // OFFSET 0 keeps the query a subquery of its own, so each of its columns is computed once per row
  // however often the rendering refers to it.
  const select = `SELECT ${fields.join(', ')} FROM (SELECT * FROM (${query}) AS "q0" OFFSET 0) AS "q" (${names})`;
  const sql = `COPY (${select}) TO STDOUT (FORMAT csv, DELIMITER ',', QUOTE '"', ESCAPE '"', NULL '', ENCODING 'UTF8')`;
  return zoned ? { sql, timeZone: opts.timeZone } : { sql };
}
