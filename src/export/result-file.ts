import type { Writable } from 'node:stream';
import { WRITE_CHUNK_BYTES } from '../limits.ts';
import type { FieldType } from '../schema/index.ts';
import { csvLine } from './csv.ts';
import { type ExportOptions, makeRowFormatter } from './row-formatter.ts';
import { type FileFormat, openSink, type Sink, streamSink } from './sink.ts';

export interface ResultFileArgs {
  /** Rows as the store encodes them; pulled one at a time (a synchronous cursor). */
  rows: Iterable<readonly unknown[]>;
  header: readonly string[];
  /** Types of the query's columns (the deleted flag, when present, is not listed). */
  types: readonly FieldType[];
  options: ExportOptions;
  format: FileFormat;
  /** Name of the CSV inside a zip; `.csv` is added when missing. */
  entryName: string;
  signal?: AbortSignal;
}

export interface WrittenFile {
  path: string;
  rows: number;
  bytes: number;
}

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('The export was aborted');
  e.name = 'AbortError';
  return e;
}

function entry(name: string): string {
  return name.toLowerCase().endsWith('.csv') ? name : `${name}.csv`;
}

/** Streams rows into sinks opened by `open`, moving to a new sink every `maxRows` rows. */
async function pump(
  args: ResultFileArgs,
  maxRows: number,
  open: (index: number) => { sink: Sink; path: string },
): Promise<WrittenFile[]> {
  const format = makeRowFormatter(args.types, args.options);
  const header = csvLine(args.header);
  const { signal } = args;
  const done: WrittenFile[] = [];
  let current = open(0);
  let rowsInFile = 0;
  let chunk = header;
  const flush = async () => {
    if (signal?.aborted) throw abortError(signal);
    if (!current.sink.write(chunk)) await current.sink.drain();
    chunk = '';
  };
  try {
    for (const row of args.rows) {
      if (rowsInFile === maxRows) {
        await flush();
        done.push({ path: current.path, rows: rowsInFile, bytes: await current.sink.finish() });
        current = open(done.length);
        rowsInFile = 0;
        chunk = header;
      }
      chunk += format(row);
      rowsInFile++;
      if (chunk.length >= WRITE_CHUNK_BYTES) await flush();
    }
    await flush();
    done.push({ path: current.path, rows: rowsInFile, bytes: await current.sink.finish() });
    return done;
  } catch (e) {
    await current.sink.discard();
    throw e;
  }
}

/**
 * Writes the header and every row to `path` as csv, gzip or zip, in constant memory and with
 * backpressure; resolves once the file is flushed and closed. On failure or abort the partial file
 * is removed and the promise rejects.
 * @example
 * await writeResultFile({ rows, header: ['Account.Id'], types: ['ID'], options: { timeZone: 'UTC', dateTimeUtc: false },
 *   format: 'gzip', entryName: 'accounts', path: '/tmp/accounts.csv.gz' }); // { rows: 2, bytes: 61 }
 */
export async function writeResultFile(
  args: ResultFileArgs & { path: string },
): Promise<{ rows: number; bytes: number }> {
  const [file] = await pump(args, Number.POSITIVE_INFINITY, () => ({
    sink: openSink(args.format, args.path, entry(args.entryName)),
    path: args.path,
  }));
  return { rows: file!.rows, bytes: file!.bytes };
}

/**
 * The same, split into files of at most `maxRows` rows, each starting with the header (stateful
 * segments). An empty result still gives one file holding the header. Files already finished stay
 * on failure; the caller removes them (it owns their paths).
 * @example await writeSegmentedFiles({ ...args, maxRows: 500_000, pathFor: (i) => `/tmp/part${i}` });
 */
export async function writeSegmentedFiles(
  args: ResultFileArgs & { maxRows: number; pathFor(index: number): string },
): Promise<{ files: WrittenFile[] }> {
  if (!Number.isSafeInteger(args.maxRows) || args.maxRows < 1)
    throw new RangeError('maxRows must be a positive whole number');
  const files = await pump(args, args.maxRows, (i) => {
    const path = args.pathFor(i);
    return { sink: openSink(args.format, path, entry(args.entryName)), path };
  });
  return { files };
}

/**
 * Writes the header and every row as plain CSV to a stream the caller owns (e.g. standard output),
 * with backpressure.
 * @example await writeCsvStream({ rows, header, types, options, out: process.stdout }); // { rows: 2, bytes: 61 }
 */
export async function writeCsvStream(
  args: Omit<ResultFileArgs, 'format' | 'entryName'> & { out: Writable },
): Promise<{ rows: number; bytes: number }> {
  const sink = streamSink(args.out);
  const [file] = await pump({ ...args, format: 'csv', entryName: '' }, Number.POSITIVE_INFINITY, () => ({
    sink,
    path: '',
  }));
  return { rows: file!.rows, bytes: file!.bytes };
}
