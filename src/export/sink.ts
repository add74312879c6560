import { closeSync, createWriteStream, openSync, writeSync } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { constants, crc32, createDeflateRaw, type ZlibOptions } from 'node:zlib';
import yazl from 'yazl';
import { GZIP_CHUNK_BYTES, RESULT_FILE_BUFFER_BYTES } from '../limits.ts';
import {
  crc32Combine,
  type DeflatedPiece,
  DeflatePieces,
  FINAL_EMPTY_BLOCK,
  GZIP_HEADER,
  gzipTrailer,
} from './gzip.ts';
import { encryptingStream, type PgpEncryption } from './pgp.ts';

/**
 * The file formats of a result file.
 * @example const format: FileFormat = 'gzip';
 */
export type FileFormat = 'csv' | 'gzip' | 'zip';

/**
 * Where CSV bytes go: a file, possibly through gzip or a zip entry and then PGP.
 * @example if (!sink.write(bytes)) await sink.drain(signal);
 */
export interface Sink {
  /** Writes bytes; false means wait for `drain()` before writing more. */
  write(bytes: Buffer): boolean;
  /** Resolves when more may be written; rejects when the output failed or `signal` aborted. */
  drain(signal?: AbortSignal): Promise<void>;
  /** Ends the output and resolves once it is flushed (and a file closed), with its size in bytes. */
  finish(): Promise<number>;
  /** Stops writing and removes what was written, if it can. */
  discard(): Promise<void>;
  /** `write()` is done with the bytes when it returns: the caller may fill the same buffer again. */
  readonly consumesOnWrite?: boolean;
  /**
   * gzip only: ends the compression of what was written and adds a piece compressed elsewhere (raw
   * deflate ending in a sync flush, see gzip.ts) whose uncompressed bytes have `crc` and `length`.
   * Only more pieces may follow, then `finish()`.
   */
  appendDeflated?(
    piece: AsyncIterable<Buffer>,
    crc: number,
    length: number,
    signal?: AbortSignal,
  ): Promise<void>;
}

/** Rejects with the signal's reason: an Error given to `abort()`, else an AbortError. */
export function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  const e = new Error('The export was aborted');
  e.name = 'AbortError';
  return e;
}

/** The first failure of an output, told to whoever waits for a drain at that moment. */
class Failure {
  error: unknown;
  /** Rejects at the first failure; never resolves. */
  readonly happened: Promise<never>;
  private readonly waiters = new Set<(e: unknown) => void>();

  constructor() {
    this.happened = new Promise<never>((_, reject) => this.waiters.add(reject));
    // Reported by drain() or finish(); it must not also surface as an unhandled rejection.
    this.happened.catch(() => undefined);
  }

  watch(p: Promise<unknown>): void {
    p.catch((e: unknown) => this.fail(e));
  }

  fail(e: unknown): void {
    if (this.error !== undefined) return;
    this.error = e ?? new Error('The output failed');
    for (const w of this.waiters) w(this.error);
    this.waiters.clear();
  }

  drain(head: Writable, signal?: AbortSignal): Promise<void> {
    if (this.error !== undefined) return Promise.reject(this.error);
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        cleanup();
        reject(abortError(signal!));
      };
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onFail = (e: unknown) => {
        cleanup();
        reject(e);
      };
      const cleanup = () => {
        head.off('drain', onDrain);
        signal?.removeEventListener('abort', onAbort);
        this.waiters.delete(onFail);
      };
      head.on('drain', onDrain);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.add(onFail);
    });
  }
}

/**
 * Opens a sink writing `format` to the file at `path` (created or truncated). A zip holds one entry
 * named `entryName`; with `encryption` the compressed (or plain) bytes are encrypted last.
 * @example const sink = await openSink('gzip', '/tmp/x.csv.gz', 'x.csv');
 */
export async function openSink(
  format: FileFormat,
  path: string,
  entryName: string,
  encryption?: PgpEncryption,
): Promise<Sink> {
  // Plain CSV goes straight to the file: synchronous writes from one reused buffer.
  if (format === 'csv' && !encryption) return syncFileSink(path);
  const pgp = encryption ? await encryptingStream(encryption) : undefined;
  const file = createWriteStream(path, { highWaterMark: RESULT_FILE_BUFFER_BYTES });
  let head: Writable;
  let source: Readable | undefined;
  let zip: yazl.ZipFile | undefined;
  let gzip: GzipMember | undefined;
  if (format === 'gzip') {
    gzip = new GzipMember();
    head = gzip.deflate;
    source = gzip.member;
  } else if (format === 'zip') {
    zip = new yazl.ZipFile();
    const entry = new PassThrough({ highWaterMark: GZIP_CHUNK_BYTES });
    zip.addReadStream(entry, entryName);
    zip.end();
    head = entry;
    source = zip.outputStream as Readable;
  } else {
    head = pgp ?? file;
  }
  let flowing: Promise<void>;
  if (source && pgp) flowing = pipeline(source, pgp, file);
  else if (source) flowing = pipeline(source, file);
  else if (pgp) flowing = pipeline(pgp, file);
  else flowing = finished(file);
  const failure = new Failure();
  failure.watch(flowing);
  zip?.on('error', (e: Error) => failure.fail(e));
  gzip?.deflate.on('error', (e: Error) => failure.fail(e));
  return {
    write: (bytes) => {
      if (failure.error !== undefined) throw failure.error;
      if (gzip) return gzip.write(bytes);
      return head.write(bytes);
    },
    drain: (signal) => failure.drain(head, signal),
    ...(gzip
      ? {
          appendDeflated: async (piece, crc, length, signal) => {
            await Promise.race([gzip.append(piece, crc, length, failure, signal), failure.happened]);
          },
        }
      : {}),
    finish: async () => {
      if (gzip) await Promise.race([gzip.end(), failure.happened]);
      else head.end();
      await Promise.race([flowing, failure.happened]);
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      return (await stat(path)).size;
    },
    discard: async () => {
      for (const s of [head, source, pgp]) s?.destroy();
      file.destroy();
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      await unlink(path).catch(() => undefined);
    },
  };
}

/**
 * A gzip member written as header, raw deflate and trailer, so that pieces compressed elsewhere can
 * join the deflate stream (gzip.ts). What is written here is compressed on the thread pool; the
 * stream ends in a sync flush, and the member in an empty final block and the trailer.
 */
class GzipMember {
  readonly deflate: Writable & Readable;
  readonly member = new PassThrough({ highWaterMark: RESULT_FILE_BUFFER_BYTES });
  private crc = 0;
  private length = 0;
  private deflateEnded: Promise<void> | undefined;

  constructor() {
    // Room for a few chunks lets formatting go on while the previous chunk is compressed; zlib
    // passes stream options through although its option type does not list them.
    const options: ZlibOptions & { writableHighWaterMark: number } = {
      chunkSize: GZIP_CHUNK_BYTES,
      level: constants.Z_DEFAULT_COMPRESSION,
      finishFlush: constants.Z_SYNC_FLUSH,
      writableHighWaterMark: RESULT_FILE_BUFFER_BYTES,
    };
    this.deflate = createDeflateRaw(options);
    this.member.write(GZIP_HEADER);
    this.deflate.pipe(this.member, { end: false });
  }

  write(bytes: Buffer): boolean {
    if (this.deflateEnded) throw new Error('a gzip member takes no more bytes after a deflated piece');
    this.crc = crc32(bytes, this.crc);
    this.length += bytes.length;
    return this.deflate.write(bytes);
  }

  /** Ends the deflate stream of what was written; resolves once all of it is in the member. */
  private endDeflate(): Promise<void> {
    this.deflateEnded ??= new Promise<void>((resolve) => {
      this.deflate.once('end', () => resolve());
      this.deflate.end();
    });
    return this.deflateEnded;
  }

  async append(
    piece: AsyncIterable<Buffer>,
    crc: number,
    length: number,
    failure: Failure,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.endDeflate();
    for await (const bytes of piece) {
      if (signal?.aborted) throw abortError(signal);
      if (!this.member.write(bytes)) await failure.drain(this.member, signal);
    }
    this.crc = crc32Combine(this.crc, crc, length);
    this.length += length;
  }

  async end(): Promise<void> {
    await this.endDeflate();
    this.member.write(FINAL_EMPTY_BLOCK);
    this.member.end(gzipTrailer(this.crc, this.length));
  }
}

/**
 * A sink writing plain CSV bytes to a stream the caller owns (standard output, a socket): it is
 * neither ended nor removed.
 * @example const sink = streamSink(process.stdout);
 */
export function streamSink(out: Writable): Sink {
  let bytes = 0;
  const failure = new Failure();
  out.once('error', (e) => failure.fail(e));
  return {
    write: (chunk) => {
      bytes += chunk.length;
      return out.write(chunk);
    },
    drain: (signal) => failure.drain(out, signal),
    finish: async () => {
      if (out.writableNeedDrain) await failure.drain(out);
      if (failure.error !== undefined) throw failure.error;
      return bytes;
    },
    discard: async () => undefined,
  };
}

/**
 * A sink writing plain bytes to the file at `path` with synchronous writes, for a thread of its own:
 * it is done with each buffer when `write` returns, so the writer reuses one buffer throughout.
 * @example const sink = syncFileSink('/tmp/part1'); sink.write(bytes); await sink.finish();
 */
export function syncFileSink(path: string): Sink {
  const fd = openSync(path, 'w');
  let size = 0;
  let closed = false;
  const close = () => {
    if (!closed) closeSync(fd);
    closed = true;
  };
  return {
    consumesOnWrite: true,
    write: (bytes) => {
      let at = 0;
      while (at < bytes.length) at += writeSync(fd, bytes, at);
      size += bytes.length;
      return true;
    },
    drain: async (signal) => {
      if (signal?.aborted) throw abortError(signal);
    },
    finish: async () => {
      close();
      return size;
    },
    discard: async () => {
      close();
      await unlink(path).catch(() => undefined);
    },
  };
}

/** Bytes gathered before each is compressed as one piece: big enough that a piece costs little. */
const PIECE_BYTES = 1024 * 1024;

/**
 * A sink writing sync-flushed raw deflate pieces (gzip.ts) to the file at `path`, synchronously: one
 * part of a gzip file compressed on the thread that renders it. `piece()` gives the CRC-32 and length
 * of what was written once it finished.
 * @example const sink = deflatedFileSink('/tmp/part1'); ...; await sink.finish(); sink.piece();
 */
export function deflatedFileSink(path: string): Sink & { piece(): DeflatedPiece } {
  const file = syncFileSink(path);
  const pieces = new DeflatePieces(constants.Z_DEFAULT_COMPRESSION);
  const gathered = Buffer.allocUnsafe(PIECE_BYTES);
  let used = 0;
  let piece: DeflatedPiece | undefined;
  const compress = () => {
    if (used === 0) return;
    file.write(pieces.add(gathered.subarray(0, used)));
    used = 0;
  };
  return {
    consumesOnWrite: true,
    write: (bytes) => {
      let at = 0;
      while (at < bytes.length) {
        const n = bytes.copy(gathered, used, at);
        used += n;
        at += n;
        if (used === gathered.length) compress();
      }
      return true;
    },
    drain: async (signal) => {
      if (signal?.aborted) throw abortError(signal);
    },
    finish: async () => {
      compress();
      piece = { crc: pieces.crc, length: pieces.length };
      return file.finish();
    },
    discard: () => file.discard(),
    piece: () => {
      if (!piece) throw new Error('the deflated part is not finished');
      return piece;
    },
  };
}
