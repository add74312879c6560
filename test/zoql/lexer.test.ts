import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from '../../src/zoql/lexer.ts';
import { assertQueryError } from './errors.ts';

const kinds = (text: string, lang: 'zoql' | 'zoqlexport' = 'zoqlexport') =>
  tokenize(text, lang).map((t) => [t.kind, t.text]);

describe('lexer', () => {
  it('splits words, operators, numbers, strings and quoted names with positions', () => {
    const tokens = tokenize('SELECT a.B,\n  x as "T t" from X where y>=-1.5 and z != \'q\'', 'zoqlexport');
    assert.deepEqual(
      tokens.map((t) => [t.kind, t.text, t.line, t.column]),
      [
        ['word', 'SELECT', 1, 1],
        ['word', 'a', 1, 8],
        ['op', '.', 1, 9],
        ['word', 'B', 1, 10],
        ['op', ',', 1, 11],
        ['word', 'x', 2, 3],
        ['word', 'as', 2, 5],
        ['quoted', 'T t', 2, 8],
        ['word', 'from', 2, 14],
        ['word', 'X', 2, 19],
        ['word', 'where', 2, 21],
        ['word', 'y', 2, 27],
        ['op', '>=', 2, 28],
        ['number', '-1.5', 2, 30],
        ['word', 'and', 2, 35],
        ['word', 'z', 2, 39],
        ['op', '!=', 2, 41],
        ['string', 'q', 2, 44],
        ['end', '', 2, 47],
      ],
    );
  });

  it('keeps keyword case in text and lower-cases it for matching', () => {
    const [t] = tokenize('SeLeCt', 'zoql');
    assert.deepEqual([t?.text, t?.lower], ['SeLeCt', 'select']);
  });

  it('doubles quotes in Export ZOQL strings and keeps backslashes literally', () => {
    assert.deepEqual(kinds("'San Francisco''s Finest' 'C:\\dir'"), [
      ['string', "San Francisco's Finest"],
      ['string', 'C:\\dir'],
      ['end', ''],
    ]);
  });

  it('doubles double quotes inside a quoted name', () => {
    assert.deepEqual(kinds('"say ""hi"""'), [
      ['quoted', 'say "hi"'],
      ['end', ''],
    ]);
  });

  it('unescapes backslash sequences in ZOQL strings', () => {
    assert.deepEqual(kinds("'a\\'b\\\"c\\\\d\\ne\\tf'", 'zoql'), [
      ['string', 'a\'b"c\\d\ne\tf'],
      ['end', ''],
    ]);
  });

  it('reads unquoted dates and datetimes as one token', () => {
    assert.deepEqual(kinds('2024-01-31T10:00:00-08:00 2024-02-01 2024'), [
      ['datetime', '2024-01-31T10:00:00-08:00'],
      ['datetime', '2024-02-01'],
      ['number', '2024'],
      ['end', ''],
    ]);
  });

  it('refuses unknown ZOQL escapes, unclosed strings and stray characters', () => {
    assertQueryError(
      "select Name from Account where Name = 'a\\qb'",
      'zoql',
      "'\\q' is not an escape ZOQL knows (use \\' \\\" \\\\ \\n or \\t)",
      1,
      41,
    );
    assertQueryError(
      "select Name from Account where Name = 'abc",
      'zoqlexport',
      'a quoted value is not closed',
      1,
      39,
    );
    assertQueryError(
      'select Name from Account where Name = "abc',
      'zoqlexport',
      'a quoted name is not closed',
      1,
      39,
    );
    assertQueryError(
      'select Name from Account; drop table Account',
      'zoqlexport',
      "unexpected character ';'",
      1,
      25,
    );
    assertQueryError(
      "select Name from Account where Name <> 'x'",
      'zoqlexport',
      "'<>' is not an operator here: write '!='",
      1,
      37,
    );
  });

  it('reports the start of a multi-line string at its first line', () => {
    assertQueryError(
      "select Name\nfrom Account where Name = 'a\nb",
      'zoqlexport',
      'a quoted value is not closed',
      2,
      27,
    );
  });
});
