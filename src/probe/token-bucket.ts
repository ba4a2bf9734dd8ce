// A token bucket over an injected clock: how long the probe must wait before its next request.

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  /**
   * @param capacity requests that may go out back to back (at least 1)
   * @param refillPerSecond sustained request rate
   * @param now milliseconds from an injected clock, so tests control time without sleeping
   */
  constructor(
    private readonly capacity: number,
    private readonly refillPerSecond: number,
    private readonly now: () => number,
  ) {
    if (!(capacity >= 1) || !(refillPerSecond > 0)) {
      throw new RangeError(
        `a token bucket needs capacity >= 1 and a positive rate (got ${capacity}, ${refillPerSecond})`,
      );
    }
    this.tokens = capacity;
    this.updatedAt = now();
  }

  /** Takes a token and returns 0, or returns how many milliseconds to wait before one is available. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000);
  }

  private refill(): void {
    const now = this.now();
    // A clock that goes backwards (an adjusted wall clock) must not mint or burn tokens.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(this.capacity, this.tokens + (elapsed / 1000) * this.refillPerSecond);
    this.updatedAt = now;
  }
}
