import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { RecordError } from '../errors.ts';
import { getObject } from '../schema/index.ts';
import type { LoadResult, TenantStore } from '../store/types.ts';
import { headerFields } from './header.ts';

export interface CsvLoadResult extends LoadResult {
  /** Data rows read (the header not counted). */
  rows: number;
}

function rowError(row: number, e: unknown): unknown {
  if (e instanceof RecordError) return new RecordError(e.code, `row ${row}: ${e.message}`);
  if (e instanceof CsvError) return new RecordError('INVALID_VALUE', `row ${row}: ${e.message}`);
  return e;
}

/**
 * Loads CSV text into one object: rows upserted by Id (a row without Id creates a record), all or
 * nothing. The first row is the header (see headerFields); an empty field is null. Rows are numbered
 * as a spreadsheet shows them: the header is row 1. A bad value throws RecordError naming the row and
 * field, and nothing is written.
 * @example await loadCsvStream(store, 'Account', Readable.from(['Id,Name\n,Acme\n'])) // { rows: 1, inserted: 1, updated: 0 }
 */
export async function loadCsvStream(
  store: TenantStore,
  object: string,
  input: Readable,
): Promise<CsvLoadResult> {
  const def = getObject(object);
  if (!def) throw new RecordError('INVALID_TYPE', `unknown object '${object}'`);
  const parser = input.pipe(parse({ bom: true, skip_empty_lines: true, relax_column_count: false }));
  // pipe() does not forward a read error (a missing file): end the parse with it.
  input.once('error', (e) => parser.destroy(e));
  const session = store.beginLoad(def.name);
  let fields: string[] | undefined;
  let row = 1;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!fields) {
        fields = headerFields(def, record);
        continue;
      }
      row++;
      const values: Record<string, string> = {};
      fields.forEach((f, i) => {
        values[f] = record[i] ?? '';
      });
      session.add(values);
    }
  } catch (e) {
    session.abort();
    input.destroy();
    // A parse error belongs to the record after those the parser completed (it reads ahead of us).
    const parsed = e instanceof CsvError ? (e as CsvError & { records?: unknown }).records : undefined;
    throw rowError(typeof parsed === 'number' ? parsed + 1 : row, e);
  }
  if (!fields) {
    session.abort();
    throw new RecordError('INVALID_FIELD', 'the file has no header row');
  }
  return { rows: row - 1, ...session.commit() };
}

/**
 * Loads a CSV file into one object; see loadCsvStream.
 * @example await loadCsv(store, 'Contact', '/data/contacts.csv') // { rows: 2, inserted: 2, updated: 0 }
 */
export function loadCsv(store: TenantStore, object: string, file: string): Promise<CsvLoadResult> {
  return loadCsvStream(store, object, fs.createReadStream(file));
}
