import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createGunzip, inflateRawSync } from 'node:zlib';
import { parse } from 'csv-parse';

/** A downloaded file that is not what it claims to be. */
export class VerifyError extends Error {
  constructor(file: string, reason: string) {
    super(`${file}: ${reason}`);
    this.name = 'VerifyError';
  }
}

/** Parses CSV to the end; every record must have the header's width. Returns the data rows. */
async function csvRows(source: Readable, file: string): Promise<number> {
  let width = -1;
  let rows = 0;
  const parser = parse({ relax_column_count: true });
  parser.on('data', (record: string[]) => {
    if (width < 0) width = record.length;
    else if (record.length !== width) {
      parser.destroy(
        new VerifyError(file, `row ${rows + 1} has ${record.length} fields, the header ${width}`),
      );
    } else rows++;
  });
  try {
    await pipeline(source, parser);
  } catch (e) {
    throw e instanceof VerifyError ? e : new VerifyError(file, e instanceof Error ? e.message : String(e));
  }
  if (width < 0) throw new VerifyError(file, 'no header row');
  return rows;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Checks a ZIP archive by its own structure: the end-of-central-directory record, each central entry,
 * its local header, the inflated data against the entry's CRC-32; then parses the single CSV it holds.
 */
async function zipRows(path: string, file: string): Promise<number> {
  const fh = await open(path, 'r');
  let buf: Buffer;
  try {
    buf = await fh.readFile();
  } finally {
    await fh.close();
  }
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new VerifyError(file, 'no end of central directory record');
  const entries = buf.readUInt16LE(eocd + 10);
  if (entries !== 1) throw new VerifyError(file, `holds ${entries} entries, not 1`);
  const central = buf.readUInt32LE(eocd + 16);
  if (central >= buf.length || buf.readUInt32LE(central) !== CENTRAL)
    throw new VerifyError(file, 'bad central directory');
  const method = buf.readUInt16LE(central + 10);
  const crc = buf.readUInt32LE(central + 16);
  const size = buf.readUInt32LE(central + 20);
  const local = buf.readUInt32LE(central + 42);
  if (buf.readUInt32LE(local) !== LOCAL) throw new VerifyError(file, 'bad local file header');
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  const stored = buf.subarray(start, start + size);
  let data: Buffer;
  if (method === 0) data = stored;
  else if (method === 8) data = inflateRawSync(stored);
  else throw new VerifyError(file, `unknown compression method ${method}`);
  if (crc32(data) >>> 0 !== crc) throw new VerifyError(file, 'CRC-32 does not match');
  return csvRows(Readable.from([data]), file);
}

/**
 * Reads a downloaded result file to its end and checks it: CSV parses to rectangular rows, gzip
 * decompresses fully, ZIP has a sound directory and CRC. Returns its data rows (header excluded).
 * @example await verifyResultFile('./out/invoices.csv.gz', 'gzip') // 1250
 */
export async function verifyResultFile(path: string, format: string): Promise<number> {
  const file = path.split('/').pop() ?? path;
  switch (format.toLowerCase()) {
    case 'gzip':
      return csvRows(createReadStream(path).pipe(createGunzip()), file);
    case 'zip':
      return zipRows(path, file);
    default:
      return csvRows(createReadStream(path), file);
  }
}
