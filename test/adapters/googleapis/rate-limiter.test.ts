// The per-project request-rate limit over a virtual clock: bursts, the sustained rate, projects kept apart.

import { describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimit } from '../../../src/adapters/googleapis/rate-limiter.js';

/**
 * Time that only moves when everyone is asleep: it jumps to the earliest wake-up, so concurrent sleepers share one
 * timeline and hundreds of waits take no real time.
 */
function virtualClock() {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  let scheduled = false;
  const advance = () => {
    scheduled = false;
    timers.sort((a, b) => a.at - b.at);
    const next = timers[0];
    if (!next) return;
    now = Math.max(now, next.at);
    while (timers[0] && timers[0].at <= now) timers.shift()?.wake();
  };
  return {
    now: () => new Date(now),
    /** The virtual time in milliseconds. */
    ms: () => now,
    sleep: (ms: number) =>
      new Promise<void>((wake) => {
        timers.push({ at: now + ms, wake });
        if (!scheduled) {
          scheduled = true;
          setImmediate(advance);
        }
      }),
  };
}

/** The most requests any window of `windowMs` (starting at a request) holds. */
function peakInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; start < sorted.length; start += 1) {
    while (end < sorted.length && (sorted[end] ?? 0) < (sorted[start] ?? 0) + windowMs) end += 1;
    peak = Math.max(peak, end - start);
  }
  return peak;
}

const CASES: readonly {
  name: string;
  limit: RateLimit;
  requests: number;
  expectedPeakPerSecond: number;
  expectedLastAtMs: number;
}[] = [
  {
    name: '10/s with a burst of 5: 5 at once, then one every 100 ms',
    limit: { perSecond: 10, burst: 5 },
    requests: 50,
    expectedPeakPerSecond: 15,
    expectedLastAtMs: 4500,
  },
  {
    name: '20/s, burst defaults to the rate',
    limit: { perSecond: 20 },
    requests: 100,
    expectedPeakPerSecond: 40,
    expectedLastAtMs: 4000,
  },
  {
    name: 'a fractional rate (0.5/s): one request every 2 s',
    limit: { perSecond: 0.5 },
    requests: 4,
    expectedPeakPerSecond: 1,
    expectedLastAtMs: 6000,
  },
];

describe('createRateLimiter', () => {
  it.each(CASES)('$name', async ({ limit, requests, expectedPeakPerSecond, expectedLastAtMs }) => {
    const clock = virtualClock();
    const limiter = createRateLimiter(limit, clock);
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: requests }, async () => {
        await limiter.acquire('acme-edge');
        sentAt.push(clock.ms());
      }),
    );
    expect(sentAt).toHaveLength(requests);
    expect(peakInWindow(sentAt, 1000)).toBeLessThanOrEqual(expectedPeakPerSecond);
    expect(Math.max(...sentAt)).toBe(expectedLastAtMs);
  });

  it('keeps projects apart: a busy project does not slow another', async () => {
    const clock = virtualClock();
    const limiter = createRateLimiter({ perSecond: 2, burst: 2 }, clock);
    await Promise.all([1, 2, 3, 4].map(() => limiter.acquire('busy-project')));
    const before = clock.ms();
    await limiter.acquire('quiet-project');
    expect(clock.ms()).toBe(before);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses a rate of %s', (perSecond) => {
    expect(() => createRateLimiter({ perSecond }, virtualClock())).toThrow(/positive number per second/);
  });
});
