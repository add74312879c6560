const QUOTE = 0x22;
const LF = 0x0a;

/**
 * Finds where CSV lines end in a byte stream cut anywhere: at a `\n` outside quotes. A doubled quote
 * inside a quoted field closes and reopens it, which leaves the state right. The state carries over
 * from one call to the next, so a stream is scanned in the pieces it arrives in.
 */
export class LineEnds {
  private quoted = false;

  /**
   * Scans `bytes` from `from`, stopping right after the `want`-th line end or at the end of the bytes.
   * @returns where it stopped and how many line ends it passed
   */
  advance(bytes: Buffer, from: number, want: number): { end: number; lines: number } {
    let i = from;
    let lines = 0;
    // The next quote at or after i; -1: none in the rest of the bytes; -2: not looked for yet.
    let quote = -2;
    while (i < bytes.length) {
      if (this.quoted) {
        i = this.leaveQuotes(bytes, i);
        if (i < 0) break;
        quote = -2;
        continue;
      }
      if (quote === -2 || (quote >= 0 && quote < i)) quote = bytes.indexOf(QUOTE, i);
      const lf = bytes.indexOf(LF, i);
      if (lf >= 0 && (quote < 0 || lf < quote)) {
        i = lf + 1;
        if (++lines === want) return { end: i, lines };
      } else if (quote >= 0) {
        this.quoted = true;
        i = quote + 1;
      } else break;
    }
    return { end: bytes.length, lines };
  }

  /** Inside quotes at `i`: the offset after the closing quote (now outside), or -1 when the bytes end first. */
  private leaveQuotes(bytes: Buffer, i: number): number {
    const close = bytes.indexOf(QUOTE, i);
    if (close < 0) return -1;
    this.quoted = false;
    return close + 1;
  }

  /**
   * Scans all of `bytes` without counting lines (one native search for each quote, not for each line).
   * @returns the offset right after the last line end in `bytes`, 0 when there is none
   * @example new LineEnds().lastEnd(Buffer.from('a,"x\ny"\nb,c')) // 8
   */
  lastEnd(bytes: Buffer): number {
    let i = 0;
    let last = 0;
    while (i < bytes.length) {
      if (this.quoted) {
        i = this.leaveQuotes(bytes, i);
        if (i < 0) break;
        continue;
      }
      const quote = bytes.indexOf(QUOTE, i);
      const stop = quote < 0 ? bytes.length : quote;
      if (stop > i) {
        const lf = bytes.lastIndexOf(LF, stop - 1);
        if (lf >= i) last = lf + 1;
      }
      if (quote < 0) break;
      this.quoted = true;
      i = quote + 1;
    }
    return last;
  }
}
