// The one retry loop: attempts with exponential backoff and full jitter, a server's requested wait honoured, bounded
// by attempts and by a time budget. Google API calls, the webhook poster and the Firestore judgement commit use it.

import { type Clock, nowMs } from './clock.js';

export interface RetryBudget {
  /** Ceiling of the first wait; doubles per retry (0: retry at once). */
  readonly baseDelayMs: number;
  /** Ceiling no jittered wait exceeds. */
  readonly maxDelayMs: number;
  /** Attempts, the first included. */
  readonly maxAttempts: number;
  /** Total time the attempts and waits may take; unbounded when absent. */
  readonly budgetMs?: number;
  /**
   * Longest single wait, a server's requested one included: a longer ask ends the retries (left to a later
   * invocation). Without it, a requested wait is honoured as long as the budget allows.
   */
  readonly maxWaitMs?: number;
}

/** What one failed attempt means for the next. */
export interface AttemptFailure {
  readonly retryable: boolean;
  /** The wait the server asked for (`Retry-After`), in milliseconds from now. */
  readonly retryAfterMs?: number;
}

/** Why the loop stopped: the failure was final, the attempts or the budget ran out, or the server asked too much. */
export type StopReason = 'final' | 'attempts' | 'budget' | 'retry-after';

export type RetryResult<T, F> =
  | { readonly ok: true; readonly value: T; readonly failures: readonly F[] }
  | {
      readonly ok: false;
      /** Every failure seen, in order; the last one ended the loop. */
      readonly failures: readonly F[];
      readonly last: F;
      readonly stop: StopReason;
      /** Why no further attempt was made, in words. */
      readonly why: string;
      /** The wait the server asked for when it ended the loop (`stop: 'retry-after'`). */
      readonly askedMs?: number;
      readonly elapsedMs: number;
    };

export interface RetryOptions<F> {
  readonly budget: RetryBudget;
  readonly clock: Clock;
  /** Uniform in [0, 1): the jitter. */
  readonly random?: () => number;
  /** Turns what an attempt threw into the failure kept (and judged by `failureOf`). */
  readonly toFailure: (error: unknown) => F;
  readonly judge: (failure: F) => AttemptFailure;
  /** Called before each wait. */
  readonly onRetry?: (failure: F, attempt: number, delayMs: number) => void;
  /** A clock that leaves out time not spent trying (a call queued behind our own limits). */
  readonly budgetClock?: () => number;
}

/** Largest wait before retry number `retryIndex` (0 for the first retry): base * 2^index, capped. */
export function backoffCeilingMs(
  retryIndex: number,
  budget: Pick<RetryBudget, 'baseDelayMs' | 'maxDelayMs'>,
): number {
  return Math.min(budget.maxDelayMs, budget.baseDelayMs * 2 ** Math.max(0, retryIndex));
}

/** Full jitter (a uniform pick in [0, ceiling]): spreads a burst of clients instead of retrying in lockstep. */
export function jitteredDelayMs(
  retryIndex: number,
  budget: Pick<RetryBudget, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const pick = Math.min(Math.max(random(), 0), 1);
  return Math.round(pick * backoffCeilingMs(retryIndex, budget));
}

export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
}

/**
 * Calls `attempt(n)` (n = 1, 2, ...) until it succeeds, fails for good, or the budget gives up; never throws what an
 * attempt throws (the caller turns the result into its own typed error).
 */
export async function retryWithBudget<T, F>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions<F>,
): Promise<RetryResult<T, F>> {
  const { budget, clock } = options;
  const elapsedNow = options.budgetClock ?? (() => nowMs(clock));
  const random = options.random ?? Math.random;
  const started = elapsedNow();
  const failures: F[] = [];
  for (;;) {
    try {
      return { ok: true, value: await attempt(failures.length + 1), failures };
    } catch (error) {
      const failure = options.toFailure(error);
      failures.push(failure);
      const elapsedMs = elapsedNow() - started;
      const decision = decideNextAttempt(options.judge(failure), failures.length, elapsedMs, budget, random);
      if ('stop' in decision) return { ok: false, failures, last: failure, elapsedMs, ...decision };
      options.onRetry?.(failure, failures.length, decision.delayMs);
      if (decision.delayMs > 0) await clock.sleep(decision.delayMs);
    }
  }
}

export type NextAttempt =
  | { readonly delayMs: number }
  | { readonly stop: StopReason; readonly why: string; readonly askedMs?: number };

/** After `attempts` attempts over `elapsedMs`, the last failing as `failure`: how long to wait, or why to stop. */
export function decideNextAttempt(
  failure: AttemptFailure,
  attempts: number,
  elapsedMs: number,
  budget: RetryBudget,
  random: () => number,
): NextAttempt {
  if (!failure.retryable) return { stop: 'final', why: 'this failure is not retried' };
  if (attempts >= budget.maxAttempts)
    return { stop: 'attempts', why: `all ${budget.maxAttempts} attempts used` };
  const remaining = (budget.budgetMs ?? Number.POSITIVE_INFINITY) - elapsedMs;
  const asked = failure.retryAfterMs;
  if (asked !== undefined && budget.maxWaitMs !== undefined && asked > budget.maxWaitMs) {
    return {
      stop: 'retry-after',
      askedMs: asked,
      why: `the server asked to wait ${formatSeconds(asked)}, longer than the ${formatSeconds(budget.maxWaitMs)} waited here`,
    };
  }
  if (asked !== undefined && asked > remaining) {
    return {
      stop: 'retry-after',
      askedMs: asked,
      why: `the server asked to wait ${formatSeconds(asked)} but only ${formatSeconds(remaining)} of the ${formatSeconds(budget.budgetMs ?? 0)} budget was left`,
    };
  }
  if (remaining <= 0)
    return { stop: 'budget', why: `the ${formatSeconds(budget.budgetMs ?? 0)} retry budget is used up` };
  const jittered = jitteredDelayMs(attempts - 1, budget, random);
  return { delayMs: Math.min(Math.max(jittered, asked ?? 0), remaining) };
}
