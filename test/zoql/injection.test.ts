import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryError } from '../../src/errors.ts';
import { objects } from '../../src/schema/index.ts';
import { compileSqlite } from '../../src/store/sqlite/compile.ts';
import { analyze, type QueryLanguage } from '../../src/zoql/index.ts';
import { insert, memoryDb, NOW, ZONE } from './db.ts';

const CORPUS = [
  "x' OR '1'='1",
  '\'; DROP TABLE "Account"; --',
  'a"; DELETE FROM "Account" WHERE "1"="1',
  '/* comment */ still text',
  '-- trailing comment',
  '1 UNION SELECT "Id" FROM "Contact" --',
  'back\\slash\\',
  'semi;colon;',
  "O'Brien",
  '"quoted identifier"',
  '[bracketed] `ticked` $dollar :named @at ?1 ?',
  'tab\there',
];

const IDENTIFIERS = new Set<string>(['t0', '_seq', '_created_seq', '_changed_at', '_deleted_at']);
for (const o of objects) {
  IDENTIFIERS.add(o.name);
  for (const f of o.fields) IDENTIFIERS.add(f.name);
}
for (let i = 1; i < 40; i++) IDENTIFIERS.add(`t${i}`);

function quoteFor(value: string, language: QueryLanguage): string {
  if (language === 'zoqlexport') return `'${value.replaceAll("'", "''")}'`;
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'").replaceAll('\t', '\\t')}'`;
}

/** The SQL holds no string literal and quotes only schema names and table aliases. */
function assertOnlySchemaText(sql: string): void {
  assert.ok(!sql.includes("'"), `SQL holds a string literal: ${sql}`);
  for (const m of sql.matchAll(/"((?:[^"]|"")*)"/g)) {
    assert.ok(IDENTIFIERS.has(m[1]!.replaceAll('""', '"')), `unexpected identifier ${m[0]} in ${sql}`);
  }
}

describe('injection corpus', () => {
  for (const language of ['zoqlexport', 'zoql'] as const) {
    it(`passes every value as a parameter (${language})`, () => {
      const db = memoryDb();
      CORPUS.forEach((value, i) => {
        insert(db, 'Account', { Id: `a${i}`, Name: value });
      });
      CORPUS.forEach((value, i) => {
        const text = `select Id, Name from Account where Name = ${quoteFor(value, language)} or Id = ${quoteFor(value, language)}`;
        const q = compileSqlite(analyze(text, language), { now: NOW, timeZone: ZONE });
        assert.ok(!q.sql.includes(value), `value reached SQL: ${q.sql}`);
        assertOnlySchemaText(q.sql);
        assert.deepEqual(q.params.slice(0, 2), [value, value]);
        assert.deepEqual(
          db
            .prepare(q.sql)
            .raw()
            .all(...q.params),
          [[`a${i}`, value]],
        );
      });
      assert.equal(
        (db.prepare('SELECT COUNT(*) AS n FROM "Account"').get() as { n: number }).n,
        CORPUS.length,
      );
    });
  }

  it('passes like patterns and dates as parameters', () => {
    for (const value of CORPUS) {
      const text = `select Id from Account where Name like ${quoteFor(`${value}%`, 'zoqlexport')} and CreatedDate > 'today - 1 day (UTC)'`;
      const q = compileSqlite(analyze(text, 'zoqlexport'), { now: NOW, timeZone: ZONE });
      assertOnlySchemaText(q.sql);
      assert.ok(!q.sql.includes(value));
    }
  });

  it('keeps aliases out of SQL', () => {
    const q = compileSqlite(analyze('select Name as "x"" from Account; --" from Account', 'zoqlexport'), {
      now: NOW,
      timeZone: ZONE,
    });
    assertOnlySchemaText(q.sql);
  });

  it('refuses names that are not in the schema, however they are written', () => {
    const bad = [
      'select "Name; drop table Account" from Account',
      'select Name from "Account; --"',
      'select Name from Account where "Id"" = 1 --" = \'x\'',
      'select Name from Account -- comment',
      'select Name from Account /* comment */',
      'select Name from Account union select Id from Contact',
      'select Name from Account; delete from Account',
      "select Name from Account where Name = 'x' or 1 = 1",
      'select `Name` from Account',
      'select [Name] from Account',
      'select sqlite_version() from Account',
      'select Name from sqlite_master',
    ];
    for (const text of bad) {
      for (const language of ['zoqlexport', 'zoql'] as const) {
        assert.throws(() => analyze(text, language), QueryError, `${language}: ${text}`);
      }
    }
  });
});
