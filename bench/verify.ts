/**
 * Checks of the files a case produced: CSV records (not lines: quoted fields may hold newlines),
 * the CSV bytes and a digest, and the integrity of gzip and zip files with the system tools.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { spawnTracked } from './procs.ts';

export interface CsvCount {
  /** Records, the header included when there is one. */
  records: number;
  /** Uncompressed CSV bytes. */
  bytes: number;
  sha256: string;
}

const QUOTE = 0x22;
const LF = 0x0a;

/** Counts RFC 4180 records of a CSV stream: a line feed ends a record unless it is inside quotes. */
export async function countCsv(stream: Readable): Promise<CsvCount> {
  const hash = createHash('sha256');
  let inQuotes = false;
  let records = 0;
  let bytes = 0;
  let last = -1;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    let i = 0;
    while (i < chunk.length) {
      if (inQuotes) {
        const q = chunk.indexOf(QUOTE, i);
        if (q < 0) break;
        inQuotes = false;
        i = q + 1;
        continue;
      }
      const q = chunk.indexOf(QUOTE, i);
      let lf = chunk.indexOf(LF, i);
      const stop = q < 0 ? chunk.length : q;
      while (lf >= 0 && lf < stop) {
        records++;
        lf = chunk.indexOf(LF, lf + 1);
      }
      if (q < 0) break;
      inQuotes = true;
      i = q + 1;
    }
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  if (bytes > 0 && last !== LF) records++;
  return { records, bytes, sha256: hash.digest('hex') };
}

export function countCsvFile(file: string): Promise<CsvCount> {
  return countCsv(createReadStream(file, { highWaterMark: 1 << 20 }));
}

export function countGzipFile(file: string): Promise<CsvCount> {
  return countCsv(createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip()));
}

/** Runs a checking tool (`gzip -t`, `unzip -t`); throws with its output when it fails. */
export function checkTool(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed: ${(r.stderr || r.stdout).slice(-500)}`);
}

/** The names of the entries of a zip archive. */
export function zipEntries(file: string): string[] {
  const r = spawnSync('unzip', ['-Z1', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`unzip -Z1 ${file} failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** Counts the CSV inside a zip archive's one entry (streamed through `unzip -p`). */
export async function countZipFile(file: string): Promise<CsvCount> {
  const child = spawnTracked('unzip', ['-p', file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const done = new Promise<number | null>((resolve) => child.once('close', resolve));
  const count = await countCsv(child.stdout!);
  const code = await done;
  if (code !== 0) throw new Error(`unzip -p ${file} exited ${code}`);
  return count;
}
