/**
 * A small seeded generator (mulberry32): the same seed gives the same sequence on every platform,
 * which is what makes demo tenants reproducible byte for byte.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit unsigned integer. */
  next32(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.next32() / 4_294_967_296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** `value` with probability `p`, else null. */
  maybe<T>(p: number, value: () => T): T | null {
    return this.chance(p) ? value() : null;
  }

  /** `n` lowercase hex digits. */
  hex(n: number): string {
    let s = '';
    while (s.length < n) s += this.next32().toString(16).padStart(8, '0');
    return s.slice(0, n);
  }
}

/** A 32-bit hash of text (FNV-1a), to derive independent streams from one seed. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A generator for one purpose, independent of every other purpose drawn from the same seed. */
export function stream(seed: number, purpose: string): Rng {
  return new Rng(hash32(`${seed >>> 0}:${purpose}`));
}

/**
 * Ids for one object: a seed-derived prefix, a counter and random digits. The counter makes Ids
 * ascend in creation order (as Zuora's do), so inserts append to the primary key index.
 */
export class IdMaker {
  private readonly prefix: string;
  private readonly rng: Rng;
  private count = 0;

  constructor(seed: number, object: string) {
    this.rng = stream(seed, `id:${object}`);
    this.prefix = this.rng.hex(8);
  }

  next(): string {
    this.count++;
    return `${this.prefix}${this.count.toString(16).padStart(12, '0')}${this.rng.hex(12)}`;
  }
}
