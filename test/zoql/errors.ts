import assert from 'node:assert/strict';
import { QueryError } from '../../src/errors.ts';
import { analyze, type QueryLanguage } from '../../src/zoql/index.ts';

/** Asserts that analyzing `text` fails with exactly this reason at this position (and code). */
export function assertQueryError(
  text: string,
  language: QueryLanguage,
  reason: string,
  line: number,
  column: number,
  code = '90005',
): void {
  assert.throws(
    () => analyze(text, language),
    (e: unknown) => {
      assert.ok(e instanceof QueryError, `expected a QueryError, got ${String(e)}`);
      assert.deepEqual(
        { reason: e.reason, line: e.line, column: e.column, code: e.code },
        { reason, line, column, code },
      );
      return true;
    },
  );
}
