import { createWriteStream, type WriteStream } from 'node:fs';
import { stat, unlink } from 'node:fs/promises';
import { PassThrough, type Writable } from 'node:stream';
import { constants, createGzip } from 'node:zlib';
import yazl from 'yazl';
import { GZIP_CHUNK_BYTES } from '../limits.ts';

/** The file formats of a result file. */
export type FileFormat = 'csv' | 'gzip' | 'zip';

/** Where formatted CSV text goes: a file, possibly through gzip or a zip entry. */
export interface Sink {
  /** Writes text; false means wait for `drain()` before writing more. */
  write(text: string): boolean;
  drain(): Promise<void>;
  /** Ends the stream and resolves once the file is closed, with its size in bytes. */
  finish(): Promise<number>;
  /** Stops writing and removes the file. */
  discard(): Promise<void>;
}

function closed(file: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    if (file.closed) {
      resolve();
      return;
    }
    file.once('close', resolve);
    file.once('error', reject);
  });
}

/**
 * Opens a sink writing `format` to `path`. A zip holds one entry named `entryName`.
 * @example const sink = openSink('gzip', '/tmp/x.csv.gz', 'x.csv');
 */
export function openSink(format: FileFormat, path: string, entryName: string): Sink {
  const file = createWriteStream(path, { highWaterMark: 1024 * 1024 });
  let failure: Error | undefined;
  file.on('error', (e) => {
    failure = e;
  });
  let head: Writable = file;
  let zip: yazl.ZipFile | undefined;
  if (format === 'gzip') {
    const gzip = createGzip({ chunkSize: GZIP_CHUNK_BYTES, level: constants.Z_DEFAULT_COMPRESSION });
    gzip.on('error', (e) => {
      failure = e;
    });
    gzip.pipe(file);
    head = gzip;
  } else if (format === 'zip') {
    zip = new yazl.ZipFile();
    const entry = new PassThrough({ highWaterMark: GZIP_CHUNK_BYTES });
    zip.addReadStream(entry, entryName, { mtime: new Date(0) });
    zip.outputStream.on('error', (e: Error) => {
      failure = e;
    });
    zip.outputStream.pipe(file);
    zip.end();
    head = entry;
  }
  return {
    write: (text) => {
      if (failure) throw failure;
      return head.write(text);
    },
    drain: () =>
      new Promise((resolve, reject) => {
        if (failure) {
          reject(failure);
          return;
        }
        const onDrain = () => {
          cleanup();
          resolve();
        };
        const onError = (e: Error) => {
          cleanup();
          reject(e);
        };
        const cleanup = () => {
          head.off('drain', onDrain);
          file.off('error', onError);
          if (head !== file) head.off('error', onError);
        };
        head.on('drain', onDrain);
        file.on('error', onError);
        if (head !== file) head.on('error', onError);
      }),
    finish: async () => {
      head.end();
      await closed(file);
      if (failure) throw failure;
      return (await stat(path)).size;
    },
    discard: async () => {
      head.destroy();
      file.destroy();
      await closed(file).catch(() => undefined);
      await unlink(path).catch(() => undefined);
    },
  };
}

/**
 * A sink writing plain CSV text to a stream the caller owns (standard output, a socket): it is
 * neither ended nor removed.
 * @example const sink = streamSink(process.stdout);
 */
export function streamSink(out: Writable): Sink {
  let bytes = 0;
  const drain = () =>
    new Promise<void>((resolve, reject) => {
      const onDrain = () => {
        out.off('error', onError);
        resolve();
      };
      const onError = (e: Error) => {
        out.off('drain', onDrain);
        reject(e);
      };
      out.once('drain', onDrain);
      out.once('error', onError);
    });
  return {
    write: (text) => {
      bytes += Buffer.byteLength(text);
      return out.write(text);
    },
    drain,
    finish: async () => {
      if (out.writableNeedDrain) await drain();
      return bytes;
    },
    discard: async () => undefined,
  };
}
