import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crc32, gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import {
  crc32Combine,
  DeflatePieces,
  FINAL_EMPTY_BLOCK,
  GZIP_HEADER,
  gzipTrailer,
} from '../../src/export/gzip.ts';

describe('gzip from pieces compressed apart', () => {
  it('crc32Combine gives the CRC-32 of the concatenation', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), (a, b) => {
        const whole = crc32(Buffer.concat([a, b]));
        assert.equal(crc32Combine(crc32(a), crc32(b), b.length), whole);
      }),
      { numRuns: 300 },
    );
  });

  it('crc32Combine is right for long second parts (zeros of any length)', () => {
    for (const n of [1, 31, 32, 1024, 65_537, 1_000_003]) {
      const zeros = Buffer.alloc(n);
      const a = Buffer.from('header line\n');
      assert.equal(crc32Combine(crc32(a), crc32(zeros), n), crc32(Buffer.concat([a, zeros])), `length ${n}`);
    }
  });

  it('pieces from several compressors, in order, make one member gunzip reads back', () => {
    const line = fc.string({ maxLength: 80 }).map((s) => `${s},${s.length}\n`);
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.array(line, { maxLength: 200 }), { maxLength: 4 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (parts) => {
          // Each part is written by its own compressor (as a part thread would), in pieces.
          const out: Buffer[] = [GZIP_HEADER];
          let crc = 0;
          let length = 0;
          const plain: Buffer[] = [];
          for (const pieces of parts) {
            const d = new DeflatePieces(6);
            for (const lines of pieces) {
              const bytes = Buffer.from(lines.join(''));
              plain.push(bytes);
              out.push(d.add(bytes));
            }
            crc = crc32Combine(crc, d.crc, d.length);
            length += d.length;
          }
          out.push(FINAL_EMPTY_BLOCK, gzipTrailer(crc, length));
          assert.deepEqual(gunzipSync(Buffer.concat(out)), Buffer.concat(plain));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a piece compressed with the previous 32 KiB as dictionary compresses repeats across pieces', () => {
    const block = Buffer.from(
      'x'.repeat(10) + Array.from({ length: 2000 }, (_, i) => `${i * 7919}`).join(','),
    );
    const d = new DeflatePieces(6);
    const first = d.add(block);
    const second = d.add(block);
    assert.ok(second.length < first.length / 10, `${second.length} vs ${first.length}`);
    const gz = Buffer.concat([GZIP_HEADER, first, second, FINAL_EMPTY_BLOCK, gzipTrailer(d.crc, d.length)]);
    assert.deepEqual(gunzipSync(gz), Buffer.concat([block, block]));
  });
});
