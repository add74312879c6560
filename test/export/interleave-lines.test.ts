import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { csvLine } from '../../src/export/csv.ts';
import { interleaveLines } from '../../src/export/interleave-lines.ts';
import { LineEnds } from '../../src/export/line-ends.ts';

/** Fields with the characters that make CSV hard: quotes, commas, CR and LF, multi-byte text. */
const field = fc.string({ unit: fc.constantFrom('a', 'é', '"', ',', '\n', '\r', ' ', '😀'), maxLength: 8 });
const line = fc.array(field, { minLength: 1, maxLength: 4 }).map((fields) => csvLine(fields));

/** `bytes` cut at the given offsets (any byte, mid-character included). */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const offsets = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const o of [...offsets, bytes.length]) {
    if (o > from) out.push(bytes.subarray(from, o));
    from = o;
  }
  return out;
}

/** Whether each of `pieces` is whole lines of one of `streams`, and the pieces of a stream are its bytes in order. */
function fromStreams(pieces: Buffer[], streams: string[][]): boolean {
  const next = streams.map(() => 0);
  for (const piece of pieces) {
    const text = piece.toString('utf8');
    const k = streams.findIndex((lines, s) => {
      let at = next[s]!;
      let rest = text;
      while (rest.length > 0 && at < lines.length && rest.startsWith(lines[at]!))
        rest = rest.slice(lines[at++]!.length);
      return rest.length === 0 && at > next[s]!;
    });
    if (k < 0) return false;
    let rest = text;
    while (rest.length > 0) rest = rest.slice(streams[k]![next[k]!++]!.length);
  }
  return next.every((n, s) => n === streams[s]!.length);
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const b of it) out.push(b);
  return out;
}

describe('LineEnds.lastEnd', () => {
  it('finds the end of the last whole line in bytes cut anywhere', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 8 }), (lines, at) => {
        const bytes = Buffer.from(lines.join(''), 'utf8');
        const ends = new Set<number>([0]);
        let o = 0;
        for (const l of lines) {
          o += Buffer.byteLength(l);
          ends.add(o);
        }
        const scanner = new LineEnds();
        let offset = 0;
        for (const piece of cut(bytes, at)) {
          const end = scanner.lastEnd(piece);
          // The last line end within the piece; none: 0, the piece's own start.
          const last = Math.max(offset, ...[...ends].filter((e) => e > offset && e <= offset + piece.length));
          assert.equal(offset + end, last);
          offset += piece.length;
        }
      }),
    );
  });
});

describe('interleaveLines', () => {
  it('gives every line of every stream once, whole, each stream in its own order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.array(line, { maxLength: 10 }), fc.array(fc.nat(), { maxLength: 6 })), {
          minLength: 1,
          maxLength: 3,
        }),
        async (streams) => {
          const sources = streams.map(([lines, at]) =>
            Readable.from(cut(Buffer.from(lines.join(''), 'utf8'), at), { objectMode: true }),
          );
          const pieces = await collect(interleaveLines(sources));
          assert.ok(
            fromStreams(
              pieces,
              streams.map(([lines]) => lines),
            ),
          );
        },
      ),
    );
  });

  it('takes pieces from whichever stream has bytes first', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* slow() {
      await gate;
      yield Buffer.from('s1\n');
    }
    async function* fast() {
      yield Buffer.from('f1\nf');
      yield Buffer.from('2\n');
    }
    const seen: string[] = [];
    for await (const piece of interleaveLines([slow(), fast()])) {
      seen.push(piece.toString());
      if (seen.length === 2) release();
    }
    assert.deepEqual(seen, ['f1\n', 'f2\n', 's1\n']);
  });

  it('fails when a stream ends inside a line, or fails itself, and returns the others', async () => {
    let returned = 0;
    function endless(): AsyncIterable<Buffer> {
      return {
        [Symbol.asyncIterator]: () => ({
          next: () => new Promise<IteratorResult<Buffer>>(() => undefined),
          return: async () => {
            returned++;
            return { done: true, value: undefined };
          },
        }),
      };
    }
    async function* cutShort() {
      yield Buffer.from('a,b\nc,"d');
    }
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('x\n');
      throw new Error('COPY failed');
    }
    await assert.rejects(collect(interleaveLines([endless(), cutShort()])), /ended inside a line/);
    await assert.rejects(collect(interleaveLines([endless(), failing()])), /COPY failed/);
    assert.equal(returned, 2);
  });
});
