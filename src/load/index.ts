/**
 * Record loading from files.
 * @example
 * const result = await loadCsv(store, 'Account', '/data/accounts.csv');
 * // { rows: 120, inserted: 100, updated: 20 }
 */
export type { CsvLoadResult } from './csv.ts';
export { loadCsv, loadCsvStream } from './csv.ts';
export { headerFields } from './header.ts';
