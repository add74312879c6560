import type { FieldType } from '../../schema/index.ts';
import { AVG_PLACES } from '../tenant/decimal.ts';
import type { TenantDialect } from '../tenant/dialect.ts';
import { postgresFunctionDdl } from './functions.ts';

/**
 * Text columns sort and compare byte by byte (`COLLATE "C"`, UTF-8), as SQLite's BINARY collation
 * does; dates stay 'YYYY-MM-DD' text and datetimes BIGINT epoch ms, so the compiler and the export
 * formatters are the same on both stores. Decimals are NUMERIC (exact).
 */
const TEXT = 'TEXT COLLATE "C"';
const SQL_TYPES: Record<FieldType, string> = {
  ID: TEXT,
  string: TEXT,
  picklist: TEXT,
  date: TEXT,
  decimal: 'NUMERIC',
  integer: 'BIGINT',
  boolean: 'SMALLINT',
  dateTime: 'BIGINT',
};

/**
 * A ZOQL like pattern as a PostgreSQL LIKE pattern: `%` and `_` are the same wildcards; the escape
 * character (backslash) must match itself.
 * @example likePattern('a\\b%') === 'a\\\\b%'
 */
export function likePattern(like: string): string {
  return like.replaceAll('\\', '\\\\');
}

/** The tenant store on PostgreSQL: one schema per tenant, the query functions in it. */
export const postgresDialect: TenantDialect = {
  name: 'postgres',
  columnType: (type) => SQL_TYPES[type],
  integerType: 'BIGINT',
  tableOptions: '',
  functionDdl: postgresFunctionDdl,
  stageTableSql: (name) =>
    `CREATE TEMP TABLE "${name}" ("o" BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "k" INTEGER NOT NULL, "v" TEXT NOT NULL)`,
  stageTable: (name) => `pg_temp."${name}"`,
  stageOrder: '"o"',
  // LIKE is case-sensitive in PostgreSQL, and byte-wise on "C" columns.
  like: (expr, pattern, bind) => `${expr} LIKE ${bind(likePattern(pattern))}`,
  // The zone is written as a literal (a bound one would be a different parameter in the select list
  // and in GROUP BY, which PostgreSQL then cannot match); it is a zone name checked when the store opened.
  dateFunction: (fn, arg, zone) => `aqua_${fn}(${arg}, '${zone.replaceAll("'", "''")}'::text)`,
  number: (p) => `CAST(${p} AS NUMERIC)`,
  decimalSum: (arg) => `SUM(${arg})`,
  decimalAvg: (arg) => {
    const n = `CAST(${arg} AS NUMERIC)`;
    return `aqua_avg(SUM(${n}), COUNT(${arg}), GREATEST(${AVG_PLACES}, MAX(SCALE(${n}))))`;
  },
  decimalText: (exact) => `aqua_dectext(${exact})`,
  decimalCompare: (l, op, r) => `(${l} ${op === '!=' ? '<>' : op} ${r})`,
  decimalSortKey: (exact) => exact,
  integerSum: (arg) => `CAST(SUM(${arg}) AS BIGINT)`,
  // A stored decimal (at most 15 significant digits) as a double is the number SQLite gives; PostgreSQL
  // writes doubles in their shortest round-trip form.
  output: (sql, type) => (type === 'decimal' ? `CAST(${sql} AS DOUBLE PRECISION)` : sql),
  order: (descending) => (descending ? ' DESC NULLS LAST' : ' ASC NULLS FIRST'),
};
