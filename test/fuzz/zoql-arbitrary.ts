/**
 * Generated ZOQL and Export ZOQL for hostile-input tests: valid queries built from the schema, and
 * mutations of them (truncations, random insertions, huge literals, deep nesting, unicode, NUL).
 * Shared by test/fuzz/hostile-queries.test.ts (a bounded number of cases) and bench/fuzz.ts (100,000+).
 */
import fc from 'fast-check';
import { type FieldDef, type ObjectDef, objects } from '../../src/schema/index.ts';
import type { QueryLanguage } from '../../src/zoql/index.ts';

export interface GeneratedQuery {
  readonly language: QueryLanguage;
  readonly query: string;
  /** `valid` as generated, or the mutation applied. */
  readonly kind: string;
}

/** A string literal quoted the way the language reads it back as `value`. */
export function quoteValue(value: string, language: QueryLanguage): string {
  if (language === 'zoqlexport') return `'${value.replaceAll("'", "''")}'`;
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** Text with the characters that break naive quoting and SQL, and unicode beyond the BMP. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(
    "O'Brien",
    'x\'; drop table "Account"; --',
    '" or ""="',
    '/* c */',
    '\\',
    "\\'",
    '%_%',
    '1 union select "Id" from "Contact"',
    'naïve café 東京 🚀',
    '\u202Eevil',
    '\u0000',
    '',
  ),
);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dateText = fc
  .record({
    y: fc.integer({ min: 1990, max: 2035 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`);
const dateTimeText = fc
  .tuple(
    dateText,
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.constantFrom('', 'Z', '-08:00', '+05:30'),
  )
  .map(([d, h, mi, z]) => `${d}T${pad(h)}:${pad(mi)}:00${z}`);
const relative = fc
  .tuple(
    fc.constantFrom('now', 'today'),
    fc.constantFrom('-', '+'),
    fc.integer({ min: 1, max: 400 }),
    fc.constantFrom('second', 'minutes', 'hour', 'days', 'week', 'month', 'years'),
    fc.constantFrom('', ' (-08:00)', ' (America/Los_Angeles)'),
  )
  .map(([base, sign, n, unit, zone]) => `'${base} ${sign} ${n} ${unit}${zone}'`);
const numberText = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc
    .tuple(fc.integer({ min: -99_999, max: 99_999 }), fc.integer({ min: 0, max: 9999 }))
    .map(([i, f]) => `${i}.${f}`),
);

/** A value literal fit for a field's type (sometimes quoted where the language allows it). */
function literalFor(field: FieldDef, language: QueryLanguage): fc.Arbitrary<string> {
  switch (field.type) {
    case 'integer':
    case 'decimal':
      return fc.oneof(
        numberText,
        numberText.map((n) => `'${n}'`),
      );
    case 'boolean':
      return fc.constantFrom('true', 'false');
    case 'date':
      return dateText.map((d) => `'${d}'`);
    case 'dateTime':
      return fc.oneof(
        dateTimeText.map((d) => `'${d}'`),
        dateText.map((d) => `'${d}'`),
        ...(language === 'zoqlexport' ? [relative] : []),
      );
    case 'picklist':
      return field.values && field.values.length > 0
        ? fc.constantFrom(...field.values).map((v) => quoteValue(v, language))
        : nastyText.map((v) => quoteValue(v, language));
    default:
      return nastyText.map((v) => quoteValue(v, language));
  }
}

/** One condition on a field of the base object. */
function condition(object: ObjectDef, language: QueryLanguage): fc.Arbitrary<string> {
  const fields = object.fields.filter((f) => (language === 'zoql' ? f.filterable : f.exportable));
  return fc.constantFrom(...fields).chain((f) => {
    const ordered = f.type !== 'boolean';
    const ops = ordered ? ['=', '!=', '<', '>', '<=', '>='] : ['=', '!='];
    const compare = fc
      .tuple(fc.constantFrom(...ops), literalFor(f, language))
      .map(([op, v]) => `${f.name} ${op} ${v}`);
    const nullTest =
      language === 'zoql'
        ? fc.constantFrom(`${f.name} = null`, `${f.name} != null`)
        : fc.constantFrom(`${f.name} is null`, `${f.name} is not null`, `${f.name} != null`);
    const textual = f.type === 'string' || f.type === 'picklist' || f.type === 'ID';
    const like =
      language === 'zoqlexport' && textual
        ? fc
            .tuple(fc.constantFrom('', '%'), fc.string({ maxLength: 6 }), fc.constantFrom('', '%'))
            .map(
              ([a, mid, b]) => `${f.name} like ${quoteValue(`${a}${mid.replaceAll('%', '')}${b}`, language)}`,
            )
        : compare;
    return fc.oneof({ weight: 4, arbitrary: compare }, nullTest, like);
  });
}

/** A where clause: conditions joined by and/or (Export ZOQL also with not and parentheses). */
function whereClause(object: ObjectDef, language: QueryLanguage): fc.Arbitrary<string> {
  const leaf = condition(object, language);
  if (language === 'zoql') {
    return fc
      .array(fc.tuple(fc.constantFrom(' and ', ' or '), leaf), { minLength: 0, maxLength: 4 })
      .chain((rest) => leaf.map((first) => first + rest.map(([op, c]) => op + c).join('')));
  }
  const { tree } = fc.letrec<{ tree: string }>((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.tuple(tie('tree'), fc.constantFrom('and', 'or'), tie('tree')).map(([a, op, b]) => `${a} ${op} ${b}`),
      tie('tree').map((t) => `(${t})`),
      tie('tree').map((t) => `not (${t})`),
    ),
  }));
  return tree;
}

/** Select items: base fields, joined fields (Export ZOQL), `*`, aliases and aggregates. */
function selectList(object: ObjectDef, language: QueryLanguage): fc.Arbitrary<string> {
  const base = object.fields.filter((f) => (language === 'zoql' ? f.selectable : f.exportable));
  const field = fc.constantFrom(...base).map((f) => f.name);
  if (language === 'zoql')
    return fc.uniqueArray(field, { minLength: 1, maxLength: 5 }).map((xs) => xs.join(', '));
  const joined =
    object.joins.length === 0
      ? field
      : fc.constantFrom(...object.joins).chain((j) => {
          const target = objects.find((o) => o.name === j.object);
          const fs = target ? target.fields.filter((f) => f.exportable) : [];
          return fs.length === 0 ? field : fc.constantFrom(...fs).map((f) => `${j.name}.${f.name}`);
        });
  const item = fc.oneof(
    { weight: 5, arbitrary: field },
    { weight: 2, arbitrary: joined },
    fc.constant('*'),
    fc
      .tuple(field, fc.string({ minLength: 1, maxLength: 8 }))
      .map(([f, a]) => `${f} as "${a.replaceAll('"', '')}x"`),
  );
  const aggregate = fc.oneof(
    fc.constant('count(*)'),
    field.map((f) => `count(${f})`),
    field.map((f) => `count(distinct ${f})`),
    fc.tuple(fc.constantFrom('sum', 'avg', 'min', 'max'), field).map(([fn, f]) => `${fn}(${f})`),
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.array(item, { minLength: 1, maxLength: 5 }).map((xs) => xs.join(', ')) },
    fc.array(aggregate, { minLength: 1, maxLength: 3 }).map((xs) => xs.join(', ')),
  );
}

/** A query built from the schema; most are accepted, some hit a documented rule (a 90005 all the same). */
export function validQuery(language: QueryLanguage): fc.Arbitrary<GeneratedQuery> {
  const candidates = objects.filter((o) =>
    o.fields.some((f) => (language === 'zoql' ? f.selectable : f.exportable)),
  );
  return fc.constantFrom(...candidates).chain((object) => {
    const tail =
      language === 'zoqlexport'
        ? fc.tuple(
            fc.option(
              fc
                .tuple(
                  fc.constantFrom(...object.fields.filter((f) => f.exportable)),
                  fc.constantFrom('', ' asc', ' desc'),
                )
                .map(([f, d]) => ` order by ${f.name}${d}`),
              { nil: '' },
            ),
            fc.option(
              fc.integer({ min: 0, max: 50 }).map((n) => ` limit ${n}`),
              { nil: '' },
            ),
          )
        : fc.constant(['', ''] as const);
    return fc
      .tuple(
        selectList(object, language),
        fc.option(whereClause(object, language), { nil: undefined }),
        tail,
        fc.constantFrom('select', 'SELECT', 'Select'),
      )
      .map(([items, where, [order, limit], select]) => ({
        language,
        kind: 'valid',
        query: `${select} ${items} from ${object.name}${where ? ` where ${where}` : ''}${order}${limit}`,
      }));
  });
}

/** Pieces inserted at random places: syntax, comments, quotes, SQL, unicode, NUL, lone surrogates. */
const insertion = fc.oneof(
  fc.constantFrom(
    '(',
    ')',
    "'",
    '"',
    ',',
    ';',
    '--',
    '/*',
    '*/',
    '\\',
    '\u0000',
    '.',
    '*',
    '%',
    ' or ',
    ' and ',
    ' not ',
    ' select ',
    ' from ',
    ' where ',
    ' union select 1 ',
    '; drop table "Account"; --',
    ' group by ',
    ' having ',
    ' limit 1,2 ',
    '\uD800',
    '\uFFFF',
    '🚀',
    '\u200B',
    '\r\n',
    '\t',
  ),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
);

/** A generated query's parts: up to the where clause, the condition, and order by / limit. */
function split(query: string): { head: string; where: string | undefined; tail: string } {
  const m = /^(.*?)(?: where (.*?))?((?: order by \w+(?: asc| desc)?)?(?: limit \d+)?)$/s.exec(query)!;
  return { head: m[1]!, where: m[2], tail: m[3]! };
}

/**
 * A mutation of a valid query. `maxDepth` bounds the nesting the deep-nesting mutation adds (parentheses
 * around the where clause, `not`s, nested function calls).
 */
export function mutatedQuery(language: QueryLanguage, maxDepth: number): fc.Arbitrary<GeneratedQuery> {
  return validQuery(language).chain(({ query }) => {
    const at = fc.integer({ min: 0, max: query.length });
    const kinds: fc.Arbitrary<{ kind: string; query: string }>[] = [
      at.map((i) => ({ kind: 'truncated', query: query.slice(0, i) })),
      fc.tuple(at, fc.array(insertion, { minLength: 1, maxLength: 3 })).map(([i, bits]) => ({
        kind: 'inserted',
        query: query.slice(0, i) + bits.join('') + query.slice(i),
      })),
      fc
        .tuple(at, fc.integer({ min: 1, max: 8 }))
        .map(([i, n]) => ({ kind: 'deleted', query: query.slice(0, i) + query.slice(i + n) })),
      fc
        .tuple(fc.integer({ min: 500, max: 21_000 }), fc.constantFrom('x', "'", 'é', '9', '\u0000'))
        .map(([n, ch]) => ({
          kind: 'huge literal',
          query: `${query.replace(/ where .*$/, '')} where Id = ${quoteValue(ch.repeat(n), language)}`,
        })),
      fc.integer({ min: 1, max: maxDepth }).map((d) => {
        const { head, where, tail } = split(query);
        const cond = where ?? 'Id != null';
        return {
          kind: 'deep nesting',
          query: `${head} where ${'('.repeat(d)}${cond}${')'.repeat(d)}${tail}`,
        };
      }),
      fc.integer({ min: 1, max: maxDepth }).map((d) => ({
        kind: 'deep not',
        query: `${query.replace(/ where .*$/, '')} where ${'not '.repeat(d)}Id = 'x'`,
      })),
      fc.integer({ min: 1, max: maxDepth }).map((d) => ({
        kind: 'nested calls',
        query: query.replace(/^select /i, `select ${'max('.repeat(d)}Id${')'.repeat(d)}, `),
      })),
      fc.integer({ min: 2, max: 400 }).map((n) => ({
        kind: 'long condition chain',
        query: `${query.replace(/ where .*$/, '')} where ${Array(n).fill("Id = 'x'").join(' or ')}`,
      })),
      fc.constant({
        kind: 'case flipped',
        query: query.replace(/[a-z]/gi, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())),
      }),
      fc
        .integer({ min: 2, max: 5 })
        .map((n) => ({ kind: 'repeated', query: Array(n).fill(query).join(' ') })),
      fc.constant({ kind: 'empty', query: '' }),
    ];
    return fc.oneof(...kinds).map((m) => ({ ...m, language }));
  });
}

/** Valid queries and their mutations, both languages. */
export function hostileQuery(maxDepth = 200): fc.Arbitrary<GeneratedQuery> {
  return fc.oneof(
    validQuery('zoqlexport'),
    validQuery('zoql'),
    { weight: 2, arbitrary: mutatedQuery('zoqlexport', maxDepth) },
    { weight: 2, arbitrary: mutatedQuery('zoql', maxDepth) },
  );
}

/** What a query error's batch message must look like: where it is and what is wrong (or the limit it passes). */
export const USEFUL_QUERY_MESSAGE =
  /^line \d+, column \d+: \S|^the query is \d+ characters long; at most \d+$/;

/** Text that would betray the server's insides: stack frames, source paths, SQL engine messages. */
export const INTERNALS =
  /\n\s+at |\bat \S+ \(|\.ts:\d+|\.js:\d+|node_modules|SQLITE_|SqliteError|Expression tree is too large|no such (table|column|function)|near "[^"]*": syntax error|RangeError|TypeError|Maximum call stack/;
