import type { AnalyzedQuery } from '../../zoql/index.ts';
import { type CompileOptions, compileQuery } from '../tenant/compile.ts';
import type { CompiledQuery } from '../types.ts';
import { sqliteDialect } from './dialect.ts';

export type { CompileOptions } from '../tenant/compile.ts';

/**
 * Compiles an analyzed query for the embedded store (see tenant/compile.ts `compileQuery`).
 * @example compileSqlite(analyze('select Name from Account', 'zoqlexport'), { now: Date.now(), timeZone: 'UTC' })
 */
export function compileSqlite(q: AnalyzedQuery, opts: CompileOptions): CompiledQuery {
  return compileQuery(q, opts, sqliteDialect);
}
