/**
 * A growing, sorted list of absolute line numbers in one typed array (4 bytes a line, not a boxed
 * number): the rows a filter shows, or the lines a search matched. Lines that fell off the front of
 * the store are trimmed by moving `start`, never by copying.
 */
export class AbsList {
  private data = new Uint32Array(1024);
  private start = 0;
  private end = 0;

  get length(): number {
    return this.end - this.start;
  }

  push(abs: number): void {
    if (this.end === this.data.length) {
      const live = this.data.subarray(this.start, this.end);
      const next = new Uint32Array(Math.max(1024, live.length * 2));
      next.set(live);
      this.data = next;
      this.end -= this.start;
      this.start = 0;
    }
    this.data[this.end++] = abs;
  }

  at(p: number): number {
    return this.data[this.start + p]!;
  }

  /** Position of the first entry ≥ `abs` (binary search). */
  lowerBound(abs: number): number {
    let lo = this.start;
    let hi = this.end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.data[mid]! < abs) lo = mid + 1;
      else hi = mid;
    }
    return lo - this.start;
  }

  /** Position of `abs`, or -1. */
  indexOf(abs: number): number {
    const p = this.lowerBound(abs);
    return p < this.length && this.at(p) === abs ? p : -1;
  }

  /** Drops entries below `abs` (lines no longer kept). */
  trimBelow(abs: number): void {
    this.start += this.lowerBound(abs);
  }

  toArray(): number[] {
    return Array.from(this.data.subarray(this.start, this.end));
  }
}
