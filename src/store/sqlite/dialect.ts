import type { FieldType } from '../../schema/index.ts';
import type { ComparisonOp } from '../../zoql/index.ts';
import type { TenantDialect } from '../tenant/dialect.ts';

const SQL_TYPES: Record<FieldType, string> = {
  ID: 'TEXT',
  string: 'TEXT',
  picklist: 'TEXT',
  date: 'TEXT',
  decimal: 'REAL',
  integer: 'INTEGER',
  boolean: 'INTEGER',
  dateTime: 'INTEGER',
};

/**
 * Turns a like pattern into a GLOB pattern: `%` → `*`, `_` → `?`, and GLOB's own wildcards
 * bracketed so they match themselves.
 * @example globPattern('%a*b_') === '*a[*]b?'
 */
export function globPattern(like: string): string {
  let out = '';
  for (const ch of like) {
    switch (ch) {
      case '%':
        out += '*';
        break;
      case '_':
        out += '?';
        break;
      case '*':
      case '?':
      case '[':
        out += `[${ch}]`;
        break;
      default:
        out += ch;
    }
  }
  return out;
}

/**
 * The embedded store: STRICT tables, decimals as REAL (at most 15 significant digits, so exact), and
 * the query functions registered on each connection (sqlite/functions.ts).
 */
export const sqliteDialect: TenantDialect = {
  name: 'sqlite',
  columnType: (type) => SQL_TYPES[type],
  integerType: 'INTEGER',
  tableOptions: ' STRICT',
  functionDdl: () => [],
  stageTableSql: (name) => `CREATE TEMP TABLE "${name}" ("k" INTEGER NOT NULL, "v" TEXT NOT NULL)`,
  stageTable: (name) => `temp."${name}"`,
  stageOrder: 'rowid',
  rowId: 'rowid',
  // GLOB is case-sensitive, as AQuA values are; LIKE in SQLite is not.
  like: (expr, pattern, bind) => `${expr} GLOB ${bind(globPattern(pattern))}`,
  dateFunction: (fn, arg, zone, bind) => `aqua_${fn}(${arg}, ${bind(zone)})`,
  number: (p) => p,
  decimalSum: (arg) => `aqua_sum(${arg})`,
  decimalAvg: (arg) => `aqua_avg(${arg})`,
  decimalText: (exact) => exact,
  decimalCompare: (l: string, op: ComparisonOp, r: string) => `(aqua_deccmp(${l}, ${r}) ${sqlOp(op)} 0)`,
  decimalSortKey: (exact) => `CAST(${exact} AS REAL)`,
  // SQLite sums integers exactly and fails on overflow.
  integerSum: (arg) => `SUM(${arg})`,
  output: (sql) => sql,
  order: (descending) => (descending ? ' DESC' : ' ASC'),
};

/** SQL's spelling of a comparison operator. */
export function sqlOp(op: ComparisonOp): string {
  return op === '!=' ? '<>' : op;
}
