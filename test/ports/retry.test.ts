// The one retry loop: attempts numbered, waits jittered and capped, a server's ask honoured or refused, budgets kept.

import { describe, expect, test } from 'vitest';
import type { Clock } from '../../src/ports/clock.js';
import { retryWithBudget } from '../../src/ports/retry.js';

/** Sleeping moves virtual time on at once; every wait is recorded. */
function virtualClock(): Clock & { waits: number[] } {
  let now = Date.parse('2026-12-04T10:00:00Z');
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date(now),
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  };
}

interface Failure {
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
}

/** An attempt that fails with `failures` in turn, then returns the attempt number it was given. */
function scripted(failures: readonly Failure[]) {
  const seen: number[] = [];
  const attempt = async (n: number) => {
    seen.push(n);
    const failure = failures[n - 1];
    if (failure) throw failure;
    return n;
  };
  return { attempt, seen };
}

const options = (clock: Clock, budget: Parameters<typeof retryWithBudget>[1]['budget']) => ({
  budget,
  clock,
  random: () => 1,
  toFailure: (error: unknown) => error as Failure,
  judge: (failure: Failure) => failure,
});

describe('retryWithBudget', () => {
  test('numbers the attempts and waits a doubling ceiling between them', async () => {
    const clock = virtualClock();
    const { attempt, seen } = scripted([{ retryable: true }, { retryable: true }]);
    const result = await retryWithBudget(
      attempt,
      options(clock, { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5 }),
    );
    expect(result).toMatchObject({ ok: true, value: 3 });
    expect(seen).toEqual([1, 2, 3]);
    expect(clock.waits).toEqual([100, 200]);
  });

  test('a final failure stops at once', async () => {
    const clock = virtualClock();
    const { attempt, seen } = scripted([{ retryable: false }]);
    const result = await retryWithBudget(
      attempt,
      options(clock, { baseDelayMs: 100, maxDelayMs: 1000, maxAttempts: 5 }),
    );
    expect(result).toMatchObject({ ok: false, stop: 'final' });
    expect(seen).toEqual([1]);
  });

  test('a zero base delay retries without sleeping (contention, not throttling)', async () => {
    const clock = virtualClock();
    const { attempt } = scripted([{ retryable: true }, { retryable: true }]);
    const result = await retryWithBudget(
      attempt,
      options(clock, { baseDelayMs: 0, maxDelayMs: 0, maxAttempts: 3 }),
    );
    expect(result.ok).toBe(true);
    expect(clock.waits).toEqual([]);
  });

  test('stops after the last attempt', async () => {
    const clock = virtualClock();
    const { attempt } = scripted(Array(9).fill({ retryable: true }));
    const result = await retryWithBudget(
      attempt,
      options(clock, { baseDelayMs: 10, maxDelayMs: 10, maxAttempts: 3 }),
    );
    expect(result).toMatchObject({ ok: false, stop: 'attempts', why: 'all 3 attempts used' });
    expect(result.failures).toHaveLength(3);
  });

  test('a requested wait longer than the longest wait allowed ends the retries', async () => {
    const clock = virtualClock();
    const { attempt } = scripted([{ retryable: true, retryAfterMs: 120_000 }]);
    const result = await retryWithBudget(
      attempt,
      options(clock, { baseDelayMs: 1000, maxDelayMs: 30_000, maxWaitMs: 30_000, maxAttempts: 4 }),
    );
    expect(result).toMatchObject({ ok: false, stop: 'retry-after', askedMs: 120_000 });
    expect(clock.waits).toEqual([]);
  });

  test('a requested wait longer than the jitter is honoured within the budget', async () => {
    const clock = virtualClock();
    const { attempt } = scripted([{ retryable: true, retryAfterMs: 7000 }]);
    const result = await retryWithBudget(
      attempt,
      options(clock, { baseDelayMs: 1000, maxDelayMs: 2000, budgetMs: 10_000, maxAttempts: 4 }),
    );
    expect(result.ok).toBe(true);
    expect(clock.waits).toEqual([7000]);
  });

  test('the budget cuts the last wait short and then stops', async () => {
    const clock = virtualClock();
    const { attempt } = scripted(Array(20).fill({ retryable: true }));
    const result = await retryWithBudget(
      attempt,
      options(clock, { baseDelayMs: 1000, maxDelayMs: 32_000, budgetMs: 10_000, maxAttempts: 20 }),
    );
    expect(clock.waits).toEqual([1000, 2000, 4000, 3000]);
    expect(result).toMatchObject({ ok: false, stop: 'budget' });
  });
});
