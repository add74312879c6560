import type { Clock } from '../clock.ts';

/** Where a key stands in its current window. */
export interface WindowState {
  readonly limit: number;
  /** Requests counted in the window, this one included when it was a hit. */
  readonly count: number;
  /** Requests left before the limit (0 once reached). */
  readonly remaining: number;
  /** Whole seconds until the window starts over (at least 1). */
  readonly resetSeconds: number;
}

interface Bucket {
  start: number;
  count: number;
}

/**
 * Fixed-window counters by key: each key's window starts at its first request and lasts `windowMillis`.
 * Ended windows are dropped once per window, so memory follows the keys seen lately.
 * @example
 * const w = new WindowCounter(60_000, systemClock);
 * w.hit('tenant/user', 600).remaining === 599
 */
export class WindowCounter {
  private readonly buckets = new Map<string, Bucket>();
  private nextSweep: number;

  constructor(
    private readonly windowMillis: number,
    private readonly clock: Clock,
  ) {
    this.nextSweep = clock.now() + windowMillis;
  }

  /** Counts one request of `key` and says where the key stands. */
  hit(key: string, limit: number): WindowState {
    const bucket = this.current(key, true)!;
    bucket.count++;
    return this.state(bucket, limit);
  }

  /** Where `key` stands, without counting anything. */
  peek(key: string, limit: number): WindowState {
    const bucket = this.current(key, false) ?? { start: this.clock.now(), count: 0 };
    return this.state(bucket, limit);
  }

  /** Keys with a live window. */
  get size(): number {
    return this.buckets.size;
  }

  private current(key: string, create: boolean): Bucket | undefined {
    const now = this.clock.now();
    if (now >= this.nextSweep) this.sweep(now);
    let bucket = this.buckets.get(key);
    if (bucket && now >= bucket.start + this.windowMillis) {
      this.buckets.delete(key);
      bucket = undefined;
    }
    if (!bucket && create) {
      bucket = { start: now, count: 0 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private state(bucket: Bucket, limit: number): WindowState {
    const left = bucket.start + this.windowMillis - this.clock.now();
    return {
      limit,
      count: bucket.count,
      remaining: Math.max(0, limit - bucket.count),
      resetSeconds: Math.max(1, Math.ceil(left / 1000)),
    };
  }

  private sweep(now: number): void {
    for (const [key, b] of this.buckets) if (now >= b.start + this.windowMillis) this.buckets.delete(key);
    this.nextSweep = now + this.windowMillis;
  }
}
