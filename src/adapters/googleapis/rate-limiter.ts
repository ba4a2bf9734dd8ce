// A per-project request-rate limit: a token bucket per project, waited on before each attempt goes on the wire.
// Concurrency limits bound calls in flight, not calls per second; Compute and API Gateway quotas count the latter.

import { type Clock, nowMs } from '../../ports/clock.js';
import { TokenBucket } from '../../probe/token-bucket.js';

export interface RateLimit {
  /** Sustained requests per second per project. */
  readonly perSecond: number;
  /** Requests that may go out back to back after a quiet spell; the rate when absent. */
  readonly burst?: number;
}

export interface RateLimiter {
  /** Resolves when the project may send one more request (having taken its token). */
  acquire(project: string): Promise<void>;
}

export function createRateLimiter(limit: RateLimit, clock: Clock): RateLimiter {
  if (!(limit.perSecond > 0) || !Number.isFinite(limit.perSecond)) {
    throw new RangeError(`a request rate must be a positive number per second, got ${limit.perSecond}`);
  }
  const burst = Math.max(1, Math.floor(limit.burst ?? limit.perSecond));
  const buckets = new Map<string, TokenBucket>();
  return {
    async acquire(project) {
      let bucket = buckets.get(project);
      if (!bucket) {
        bucket = new TokenBucket(burst, limit.perSecond, () => nowMs(clock));
        buckets.set(project, bucket);
      }
      // Waiters race for the refilled token; whoever loses waits again, so the rate holds however many wait.
      for (let wait = bucket.take(); wait > 0; wait = bucket.take()) await clock.sleep(wait);
    },
  };
}
