import { constants, crc32, deflateRawSync } from 'node:zlib';

/**
 * One gzip member (RFC 1952) assembled from raw deflate pieces compressed apart, possibly on other
 * threads: each piece ends in a sync flush (byte-aligned, not final) and a last empty final block
 * closes the stream. The trailer's CRC-32 of the whole is combined from the pieces' own.
 */

/** Member header: deflate, no name, no mtime, no extra flags, OS unix (what zlib's gzip writes). */
export const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);

/** An empty final block with fixed codes: it ends a stream of sync-flushed pieces. */
export const FINAL_EMPTY_BLOCK = Buffer.from([0x03, 0x00]);

/** How far back a deflate match may reach: a piece is compressed with this much of its past. */
const WINDOW = 32 * 1024;

/**
 * The member trailer: CRC-32 and size (mod 2^32) of the uncompressed data.
 * @example gzipTrailer(0, 0).length === 8
 */
export function gzipTrailer(crc: number, length: number): Buffer {
  const t = Buffer.alloc(8);
  t.writeUInt32LE(crc >>> 0, 0);
  t.writeUInt32LE(length % 2 ** 32, 4);
  return t;
}

const POLY = 0xedb88320;

/** a(x) * b(x) modulo the CRC-32 polynomial, both in its reflected bit order. */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  let bb = b >>> 0;
  for (;;) {
    if (a & m) {
      p ^= bb;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    bb = bb & 1 ? (bb >>> 1) ^ POLY : bb >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k = 0..31 (x^1 is 1 << 30 in reflected order). */
const X2N: number[] = [];
{
  let p = 1 << 30;
  for (let k = 0; k < 32; k++) {
    X2N.push(p);
    p = multiplyModP(p, p);
  }
}

/** x^(8 * bytes) modulo the polynomial: what appending `bytes` zero bytes does to a CRC. */
function shiftFor(bytes: number): number {
  let p = 0x80000000;
  let n = bytes;
  let k = 3;
  while (n > 0) {
    if (n % 2 === 1) p = multiplyModP(X2N[k % 32]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

/**
 * The CRC-32 of A followed by B, from the CRC-32 of A, the CRC-32 of B and B's length.
 * @example crc32Combine(crc32(a), crc32(b), b.length) === crc32(Buffer.concat([a, b]))
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multiplyModP(shiftFor(lengthB), crcA >>> 0) ^ crcB) >>> 0;
}

/**
 * Raw deflate of data handed over in pieces, synchronously: each piece is compressed with the 32 KiB
 * before it as its dictionary and ends in a sync flush, so the outputs in order are one deflate
 * stream (not yet ended). Keeps the CRC-32 and length of everything it took.
 * @example
 * const d = new DeflatePieces(6);
 * const out = Buffer.concat([GZIP_HEADER, d.add(bytes), FINAL_EMPTY_BLOCK, gzipTrailer(d.crc, d.length)]);
 */
export class DeflatePieces {
  crc = 0;
  length = 0;
  private window: Buffer | undefined;

  constructor(private readonly level: number) {}

  add(bytes: Buffer): Buffer {
    if (bytes.length === 0) return Buffer.alloc(0);
    const out = deflateRawSync(bytes, {
      level: this.level,
      finishFlush: constants.Z_SYNC_FLUSH,
      ...(this.window ? { dictionary: this.window } : {}),
    });
    this.crc = crc32(bytes, this.crc);
    this.length += bytes.length;
    const tail = bytes.length >= WINDOW ? bytes : Buffer.concat([this.window ?? Buffer.alloc(0), bytes]);
    this.window = Buffer.from(tail.subarray(Math.max(0, tail.length - WINDOW)));
    return out;
  }
}

/** What a run of raw deflate pieces holds: its bytes' CRC-32 and length before compression. */
export interface DeflatedPiece {
  readonly crc: number;
  readonly length: number;
}
