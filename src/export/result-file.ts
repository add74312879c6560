import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { WRITE_CHUNK_BYTES } from '../limits.ts';
import type { FieldType } from '../schema/index.ts';
import { csvLine } from './csv.ts';
import type { PgpEncryption } from './pgp.ts';
import { type ExportOptions, makeRowFormatter } from './row-formatter.ts';
import { abortError, type FileFormat, openSink, type Sink, streamSink } from './sink.ts';

/**
 * What to write: rows and how to render them, the file format, and optional encryption.
 * @example
 * const args: ResultFileArgs = { rows: snap.rows(compiled), header: ['Account.Id'], types: ['ID'],
 *   options: { timeZone: 'UTC', dateTimeUtc: false }, format: 'zip', entryName: 'accounts' };
 */
export interface ResultFileArgs {
  /** Rows as the store encodes them; pulled one at a time (a synchronous cursor). */
  rows: Iterable<readonly unknown[]>;
  /** Header fields, the deleted flag column first when `options.deleted` is set. */
  header: readonly string[];
  /** Types of the query's columns (the deleted flag, when present, is not listed). */
  types: readonly FieldType[];
  options: ExportOptions;
  format: FileFormat;
  /** Name of the CSV inside a zip; `.csv` is added when missing. */
  entryName: string;
  /** Encrypt each file (after compression) to these OpenPGP keys. */
  encryption?: PgpEncryption;
  /** Aborting stops the export: no more rows are pulled and the partial file is removed. */
  signal?: AbortSignal;
}

/**
 * One file written: where, how many data rows (the header not counted) and its size.
 * @example { path: '/data/tmp/a1b2.csv.gz', rows: 500000, bytes: 13250112 }
 */
export interface WrittenFile {
  path: string;
  rows: number;
  /** Size of the file as written (compressed and encrypted). */
  bytes: number;
}

function entry(name: string): string {
  return name.toLowerCase().endsWith('.csv') ? name : `${name}.csv`;
}

/** UTF-8 bytes of a chunk; measuring first and encoding into an exact buffer beats Buffer.from. */
function encode(text: string): Buffer {
  const buf = Buffer.allocUnsafe(Buffer.byteLength(text));
  buf.write(text);
  return buf;
}

/**
 * Streams rows into sinks opened by `open`, moving to a new sink every `maxRows` rows. On failure
 * or abort every file it wrote is removed.
 */
async function pump(
  args: ResultFileArgs,
  maxRows: number,
  open: (index: number) => Promise<{ sink: Sink; path: string }>,
): Promise<WrittenFile[]> {
  const width = args.types.length + (args.options.deleted ? 1 : 0);
  if (args.header.length !== width) {
    throw new RangeError(`header has ${args.header.length} fields but rows have ${width} columns`);
  }
  const format = makeRowFormatter(args.types, args.options);
  const header = csvLine(args.header);
  const { signal } = args;
  if (signal?.aborted) throw abortError(signal);
  const done: WrittenFile[] = [];
  let current: { sink: Sink; path: string } | undefined;
  let rowsInFile = 0;
  let chunk = header;
  const flush = async () => {
    if (signal?.aborted) throw abortError(signal);
    const sink = current!.sink;
    const ready = sink.write(encode(chunk));
    chunk = '';
    if (!ready) await sink.drain(signal);
  };
  const close = async () => {
    await flush();
    const file = current!;
    current = undefined;
    done.push({ path: file.path, rows: rowsInFile, bytes: await file.sink.finish() });
  };
  try {
    current = await open(0);
    for (const row of args.rows) {
      if (rowsInFile === maxRows) {
        await close();
        current = await open(done.length);
        rowsInFile = 0;
        chunk = header;
      }
      chunk += format(row);
      rowsInFile++;
      if (chunk.length >= WRITE_CHUNK_BYTES) await flush();
    }
    await close();
    return done;
  } catch (e) {
    await current?.sink.discard();
    for (const f of done) if (f.path !== '') await rm(f.path, { force: true });
    throw e;
  }
}

/**
 * Writes the header and every row to `path` as csv, gzip or zip (optionally PGP-encrypted), in
 * constant memory and with backpressure; resolves once the file is flushed and closed. On failure
 * or abort the partial file is removed and the promise rejects (an AbortError, or the signal's
 * reason when that is an Error).
 * @example
 * await writeResultFile({ rows, header: ['Account.Id'], types: ['ID'], options: { timeZone: 'UTC', dateTimeUtc: false },
 *   format: 'gzip', entryName: 'accounts', path: '/tmp/accounts.csv.gz' }); // { rows: 2, bytes: 61 }
 */
export async function writeResultFile(
  args: ResultFileArgs & { path: string },
): Promise<{ rows: number; bytes: number }> {
  const [file] = await pump(args, Number.POSITIVE_INFINITY, async () => ({
    sink: await openSink(args.format, args.path, entry(args.entryName), args.encryption),
    path: args.path,
  }));
  return { rows: file!.rows, bytes: file!.bytes };
}

/**
 * The same, split into files of at most `maxRows` rows, each starting with the header (stateful
 * segments). An empty result still gives one file holding the header. On failure or abort every
 * file written so far is removed.
 * @example await writeSegmentedFiles({ ...args, maxRows: 500_000, pathFor: (i) => `/tmp/part${i}` });
 */
export async function writeSegmentedFiles(
  args: ResultFileArgs & { maxRows: number; pathFor(index: number): string },
): Promise<{ files: WrittenFile[] }> {
  if (!Number.isSafeInteger(args.maxRows) || args.maxRows < 1)
    throw new RangeError('maxRows must be a positive whole number');
  const files = await pump(args, args.maxRows, async (i) => {
    const path = args.pathFor(i);
    return { sink: await openSink(args.format, path, entry(args.entryName), args.encryption), path };
  });
  return { files };
}

/**
 * Writes the header and every row as plain CSV to a stream the caller owns (e.g. standard output),
 * with backpressure; the stream is not ended.
 * @example await writeCsvStream({ rows, header, types, options, out: process.stdout }); // { rows: 2, bytes: 61 }
 */
export async function writeCsvStream(
  args: Omit<ResultFileArgs, 'format' | 'entryName' | 'encryption'> & { out: Writable },
): Promise<{ rows: number; bytes: number }> {
  const sink = streamSink(args.out);
  const [file] = await pump(
    { ...args, format: 'csv', entryName: '' },
    Number.POSITIVE_INFINITY,
    async () => ({
      sink,
      path: '',
    }),
  );
  return { rows: file!.rows, bytes: file!.bytes };
}
