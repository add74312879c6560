import { LineEnds } from './line-ends.ts';

/**
 * The CSV lines of several byte streams (each cut anywhere), taken from whichever stream has bytes
 * first: every piece given holds whole lines of one stream, so the pieces in order are the streams'
 * lines interleaved, each line intact. A stream's next bytes are asked for while its last piece is
 * being used. Ends when every stream has; throws the first failure, or a stream that ends inside a
 * line, after returning the other streams' iterators.
 * @example for await (const piece of interleaveLines([copyA, copyB])) sink.write(piece);
 */
export async function* interleaveLines(sources: readonly AsyncIterable<Buffer>[]): AsyncGenerator<Buffer> {
  const its = sources.map((s) => s[Symbol.asyncIterator]());
  const ends = its.map(() => new LineEnds());
  /** The bytes of each stream after its last line end. */
  const rest: (Buffer | undefined)[] = its.map(() => undefined);
  const waiting = new Map<number, Promise<{ k: number; r: IteratorResult<Buffer> }>>();
  const ask = (k: number) => {
    const next = its[k]!.next().then((r) => ({ k, r }));
    // A failure is taken up by the race below, or left behind when another stream failed first.
    next.catch(() => undefined);
    waiting.set(k, next);
  };
  for (let k = 0; k < its.length; k++) ask(k);
  try {
    while (waiting.size > 0) {
      const { k, r } = await Promise.race(waiting.values());
      if (r.done) {
        waiting.delete(k);
        if (rest[k]) throw new Error('a stream of CSV lines ended inside a line');
        continue;
      }
      ask(k);
      const bytes = r.value;
      const head = rest[k];
      const end = ends[k]!.lastEnd(bytes);
      if (end === 0) {
        rest[k] = head ? Buffer.concat([head, bytes]) : bytes;
        continue;
      }
      rest[k] = end < bytes.length ? bytes.subarray(end) : undefined;
      const lines = end < bytes.length ? bytes.subarray(0, end) : bytes;
      yield head ? Buffer.concat([head, lines]) : lines;
    }
  } finally {
    for (const k of waiting.keys()) its[k]!.return?.()?.catch(() => undefined);
  }
}
