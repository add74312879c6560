import { rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { WRITE_CHUNK_BYTES } from '../limits.ts';
import type { FieldType } from '../schema/index.ts';
import { csvLine } from './csv.ts';
import { LineEnds } from './line-ends.ts';
import type { PgpEncryption } from './pgp.ts';
import { type ExportOptions, makeRowFormatter } from './row-formatter.ts';
import { abortError, type FileFormat, openSink, type Sink, streamSink } from './sink.ts';

/**
 * Rows as the store encodes them: a synchronous iterable pulled one row at a time (the embedded store's
 * cursor), or an asynchronous iterable of row batches (a PostgreSQL cursor reading a few thousand rows
 * per round trip).
 * @example const rows: RowSource = [['2c92c0f8', 'Acme']];
 */
export type RowSource = Iterable<readonly unknown[]> | AsyncIterable<readonly (readonly unknown[])[]>;

/**
 * Data lines already rendered as CSV, exactly as the row formatter would render them (PostgreSQL's
 * COPY): UTF-8 bytes, every line ending in `\n`, in chunks that may cut a line anywhere. The header is
 * not part of them.
 * @example const source: CsvLines = { lines: copyStream, count: () => copyStream.rowCount };
 */
export interface CsvLines {
  readonly lines: AsyncIterable<Buffer>;
  /** How many lines `lines` gave, once it has ended. */
  count(): number;
}

/**
 * Rows of the same export rendered elsewhere (another thread), added after the rows in order: CSV
 * lines, or for a gzip file not cut into segments, those lines compressed already (gzip.ts pieces).
 * @example const part: LaterPart = { kind: 'csv', lines: { lines: createReadStream(spool), count: () => 500_000 } };
 */
export type LaterPart =
  | { readonly kind: 'csv'; readonly lines: CsvLines }
  | {
      readonly kind: 'deflate';
      readonly pieces: AsyncIterable<Buffer>;
      /** CRC-32 and length of the uncompressed lines. */
      readonly crc: number;
      readonly length: number;
      readonly rows: number;
    };

/**
 * What to write: rows and how to render them, the file format, and optional encryption.
 * @example
 * const args: ResultFileArgs = { rows: snap.rows(compiled), header: ['Account.Id'], types: ['ID'],
 *   options: { timeZone: 'UTC', dateTimeUtc: false }, format: 'zip', entryName: 'accounts' };
 */
export interface ResultFileArgs {
  /** Rows to render, or lines rendered already (then `types` and `options` only size the header check). */
  rows: RowSource | CsvLines;
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
  /** Parts written after `rows`, each awaited when its turn comes. */
  after?: readonly (() => Promise<LaterPart>)[];
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

/** Bytes written between two turns given to the event loop when the sink never asks to wait. */
const YIELD_EVERY_BYTES = 256 * 1024;

/** Lines are gathered into strings of about this many characters before each is encoded. */
const TEXT_CHARS = WRITE_CHUNK_BYTES / 4;

/**
 * Encodes text into a buffer of WRITE_CHUNK_BYTES that is handed to the sink once the next piece may
 * not fit. Encoding short strings straight into a reused buffer avoids measuring each string first
 * (which walks a string made of many small pieces twice) and a buffer per chunk.
 */
class Encoder {
  private buf = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
  private used = 0;

  /** Whether `text` (at most 3 bytes per UTF-16 unit) may not fit in what is left. */
  full(text: string): boolean {
    return this.used > 0 && this.used + text.length * 3 > this.buf.length;
  }

  add(text: string): void {
    if (text.length * 3 > this.buf.length - this.used) {
      this.buf = Buffer.allocUnsafe(Math.max(WRITE_CHUNK_BYTES, text.length * 3));
      this.used = 0;
    }
    this.used += this.buf.write(text, this.used);
  }

  /**
   * The bytes encoded so far. The buffer is written to again only when `reuse` says the sink is done
   * with the bytes once it took them; otherwise it may still hold them, and a new buffer follows.
   */
  take(reuse: boolean): Buffer {
    const bytes = this.buf.subarray(0, this.used);
    if (!reuse) this.buf = Buffer.allocUnsafe(WRITE_CHUNK_BYTES);
    this.used = 0;
    return bytes;
  }
}

function isCsvLines(source: RowSource | CsvLines): source is CsvLines {
  return 'lines' in source && !(Symbol.iterator in source) && !(Symbol.asyncIterator in source);
}

/**
 * Streams rows into sinks opened by `open`, moving to a new sink every `maxRows` rows. On failure
 * or abort every file it wrote is removed.
 */
async function pump(
  args: Omit<ResultFileArgs, 'header'> & { header: ResultFileArgs['header'] | null },
  maxRows: number,
  open: (index: number) => Promise<{ sink: Sink; path: string }>,
): Promise<WrittenFile[]> {
  const width = args.types.length + (args.options.deleted ? 1 : 0);
  if (args.header && args.header.length !== width) {
    throw new RangeError(`header has ${args.header.length} fields but rows have ${width} columns`);
  }
  const format = makeRowFormatter(args.types, args.options);
  const header = args.header ? csvLine(args.header) : '';
  const { signal } = args;
  if (signal?.aborted) throw abortError(signal);
  const done: WrittenFile[] = [];
  let current: { sink: Sink; path: string } | undefined;
  let rowsInFile = 0;
  let chunk = header;
  const encoder = new Encoder();
  let sinceYield = 0;
  const put = async (bytes: Buffer) => {
    if (signal?.aborted) throw abortError(signal);
    if (bytes.length === 0) return;
    if (!current!.sink.write(bytes)) {
      await current!.sink.drain(signal);
      return;
    }
    sinceYield += bytes.length;
    if (sinceYield >= YIELD_EVERY_BYTES) {
      // A sink that never pushes back would never let a cancel message in: give the event loop a turn.
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  /** Encodes the gathered lines, handing the buffer to the sink first when they may not fit. */
  const take = () => encoder.take(current?.sink.consumesOnWrite === true);
  const gather = async () => {
    if (encoder.full(chunk)) await put(take());
    encoder.add(chunk);
    chunk = '';
  };
  const flush = async () => {
    await gather();
    await put(take());
  };
  const close = async () => {
    await flush();
    const file = current!;
    current = undefined;
    done.push({ path: file.path, rows: rowsInFile, bytes: await file.sink.finish() });
  };
  const next = async () => {
    await close();
    current = await open(done.length);
    rowsInFile = 0;
    chunk = header;
  };
  // One loop for a synchronous source and for each batch of an asynchronous one: no await per row.
  const writeRows = async (rows: Iterable<readonly unknown[]>) => {
    for (const row of rows) {
      if (rowsInFile === maxRows) await next();
      chunk += format(row);
      rowsInFile++;
      if (chunk.length >= TEXT_CHARS) await gather();
    }
  };
  // Rendered lines pass straight through; they are counted only to cut segments at line ends.
  const writeLines = async (source: CsvLines) => {
    await flush();
    const ends = Number.isFinite(maxRows) ? new LineEnds() : undefined;
    let counted = 0;
    for await (const bytes of source.lines) {
      if (!ends) {
        await put(bytes);
        continue;
      }
      let from = 0;
      while (from < bytes.length) {
        if (rowsInFile === maxRows) {
          await next();
          await flush();
        }
        const { end, lines } = ends.advance(bytes, from, maxRows - rowsInFile);
        rowsInFile += lines;
        counted += lines;
        await put(from === 0 && end === bytes.length ? bytes : bytes.subarray(from, end));
        from = end;
      }
    }
    if (!ends) rowsInFile += source.count();
    else if (counted !== source.count())
      throw new Error(`the CSV lines held ${counted} rows where ${source.count()} were rendered`);
  };
  try {
    current = await open(0);
    const source = args.rows;
    if (isCsvLines(source)) await writeLines(source);
    else if (Symbol.asyncIterator in source) {
      for await (const batch of source) await writeRows(batch);
    } else await writeRows(source);
    for (const later of args.after ?? []) {
      const part = await later();
      if (part.kind === 'csv') {
        await writeLines(part.lines);
        continue;
      }
      const sink = current!.sink;
      if (Number.isFinite(maxRows) || !sink.appendDeflated)
        throw new Error('compressed parts go only into one whole gzip file');
      await flush();
      await sink.appendDeflated(part.pieces, part.crc, part.length, signal);
      rowsInFile += part.rows;
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
 * Writes the rows without a header into a sink the caller opened (one part of an export split across
 * threads), and finishes it.
 * @example await writePart({ rows, types, options, sink: await openSink('csv', spool, '') }); // { rows: 2, bytes: 61 }
 */
export async function writePart(
  args: Omit<ResultFileArgs, 'header' | 'format' | 'entryName' | 'encryption' | 'after'> & { sink: Sink },
): Promise<{ rows: number; bytes: number }> {
  const [file] = await pump(
    { ...args, header: null, format: 'csv', entryName: '' },
    Number.POSITIVE_INFINITY,
    async () => ({ sink: args.sink, path: '' }),
  );
  return { rows: file!.rows, bytes: file!.bytes };
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
