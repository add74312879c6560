/**
 * The SQL functions compiled queries call on PostgreSQL, created in each tenant's schema by its first
 * migration. They compute what the SQLite store's registered functions compute (sqlite/functions.ts,
 * tenant/decimal.ts, tenant/calendar.ts), so a query gives the same values on both stores:
 *
 * - `aqua_date(v, zone)`, `aqua_year`, `aqua_month`, `aqua_quarter`, `aqua_week`, `aqua_weekofyear`:
 *   date parts of a dateTime (BIGINT epoch ms, read in `zone`) or of a date (TEXT 'YYYY-MM-DD', zone
 *   ignored). WEEK counts Sunday-started weeks 0–53, week 1 starting on the year's first Sunday;
 *   WEEKOFYEAR is the ISO week.
 * - `aqua_avg(sum, count, places)`: sum / count rounded half away from zero to `places` decimals,
 *   computed on integers so no intermediate rounding happens.
 * - `aqua_dectext(x)`: plain decimal text without trailing zeros (PostgreSQL never writes exponents).
 *
 * Every function is a single SQL expression, which the planner inlines into the query.
 */

const ATTRS = 'LANGUAGE sql IMMUTABLE PARALLEL SAFE';

function fn(signature: string, returns: string, body: string): string {
  return `CREATE OR REPLACE FUNCTION ${signature} RETURNS ${returns} ${ATTRS} AS $$ SELECT ${body} $$`;
}

/** Date-part functions over a calendar day, one per ZOQL date function. */
const PARTS: Record<string, [returns: string, body: string]> = {
  aqua_date: ['text', "to_char(aqua_day($1, $2), 'YYYY-MM-DD')"],
  aqua_year: ['integer', 'extract(year FROM aqua_day($1, $2))::integer'],
  aqua_month: ['integer', 'extract(month FROM aqua_day($1, $2))::integer'],
  aqua_quarter: ['integer', 'extract(quarter FROM aqua_day($1, $2))::integer'],
  aqua_week: ['integer', 'aqua_sunday_week(aqua_day($1, $2))'],
  aqua_weekofyear: ['integer', 'extract(week FROM aqua_day($1, $2))::integer'],
};

/** Statements creating (or replacing) every function, in dependency order. */
export function postgresFunctionDdl(): string[] {
  const stmts = [
    // The calendar day of an instant in a zone; a stored date is already one.
    fn(
      'aqua_day(bigint, text)',
      'date',
      "((timestamptz 'epoch' + $1 * interval '1 millisecond') AT TIME ZONE $2)::date",
    ),
    fn('aqua_day(text, text)', 'date', '$1::date'),
    // Days since Jan 1 plus the weekday offset of the first Sunday, in whole weeks: 0 before it.
    fn(
      'aqua_sunday_week(date)',
      'integer',
      '($1 - make_date(extract(year FROM $1)::integer, 1, 1) + 7 - (7 - extract(dow FROM make_date(extract(year FROM $1)::integer, 1, 1))::integer) % 7) / 7',
    ),
    fn('aqua_dectext(numeric)', 'text', 'trim_scale($1)::text'),
    fn(
      'aqua_avg(numeric, bigint, integer)',
      'numeric',
      "CASE WHEN $2 = 0 THEN NULL ELSE sign($1) * (div(x, $2) + CASE WHEN 2 * mod(x, $2) >= $2 THEN 1 ELSE 0 END) * ('1e-' || $3)::numeric END FROM (SELECT abs($1) * ('1e' || $3)::numeric AS x) AS scaled",
    ),
  ];
  for (const [name, [returns, body]] of Object.entries(PARTS)) {
    for (const type of ['bigint', 'text']) stmts.push(fn(`${name}(${type}, text)`, returns, body));
  }
  return stmts;
}
