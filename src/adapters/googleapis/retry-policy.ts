// How a Google API call is retried: the one retry loop (ports/retry.ts) with Google's failure classes, Retry-After,
// and a time budget that fits an event-driven function invocation.

import type { Clock } from '../../ports/clock.js';
import { decideNextAttempt, type RetryBudget, retryWithBudget } from '../../ports/retry.js';
import { type ApiFailure, classifyFailure, type FailureClass } from './api-failure.js';

export { backoffCeilingMs, formatSeconds, jitteredDelayMs } from '../../ports/retry.js';

export interface RetryPolicy extends RetryBudget {
  /** Total time one call may take, retries and waits included. */
  readonly budgetMs: number;
}

/**
 * Compute quota buckets refill each minute, so a 403 rateLimitExceeded may need most of a minute; 45 s of budget
 * leaves room for the rest of an event-driven function invocation inside Cloud Run functions' 60 s default timeout.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 32_000,
  budgetMs: 45_000,
  maxAttempts: 10,
};

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly why: string };

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-zA-Z]/.test(text)) return undefined;
  return Math.max(0, date - nowMs);
}

export interface RetryState {
  readonly failure: ApiFailure;
  /** Attempts made so far, the failed one included (1 after the first failure). */
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly nowMs: number;
}

/** The one loop's decision for a Google API failure, in the words of this API's failure classes. */
export function decideRetry(state: RetryState, policy: RetryPolicy, random: () => number): RetryDecision {
  const decision = decideNextAttempt(
    attemptFailureOf(state.failure, state.nowMs),
    state.attempts,
    state.elapsedMs,
    policy,
    random,
  );
  if ('delayMs' in decision) return { retry: true, delayMs: decision.delayMs };
  return { retry: false, why: whyNot(state.failure, decision.why) };
}

export type RetryOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly attempts: readonly ApiFailure[] }
  | {
      readonly ok: false;
      /** The last failure. */
      readonly failure: ApiFailure;
      readonly kind: FailureClass;
      /** Every failure seen, in order. */
      readonly attempts: readonly ApiFailure[];
      readonly elapsedMs: number;
      /** Why no further attempt was made. */
      readonly why: string;
    };

export interface RetryHooks {
  /** Called before each wait: for progress output and logs. */
  readonly onRetry?: (failure: ApiFailure, attempt: number, delayMs: number) => void;
  /** Milliseconds that count against the budget (time queued behind our own limits left out). */
  readonly budgetClock?: () => number;
}

/** Calls `call` until it succeeds, fails for good, or the policy gives up; never throws for API failures. */
export async function callWithRetries<T>(
  call: () => Promise<T>,
  toFailure: (error: unknown) => ApiFailure,
  policy: RetryPolicy,
  clock: Clock,
  hooks: RetryHooks & { readonly random?: () => number } = {},
): Promise<RetryOutcome<T>> {
  const result = await retryWithBudget(call, {
    budget: policy,
    clock,
    toFailure,
    judge: (failure) => attemptFailureOf(failure, clock.now().getTime()),
    ...(hooks.random ? { random: hooks.random } : {}),
    ...(hooks.onRetry ? { onRetry: hooks.onRetry } : {}),
    ...(hooks.budgetClock ? { budgetClock: hooks.budgetClock } : {}),
  });
  if (result.ok) return { ok: true, value: result.value, attempts: result.failures };
  return {
    ok: false,
    failure: result.last,
    kind: classifyFailure(result.last),
    attempts: result.failures,
    elapsedMs: result.elapsedMs,
    why: whyNot(result.last, result.why),
  };
}

function attemptFailureOf(failure: ApiFailure, nowMs: number) {
  const retryAfterMs = parseRetryAfterMs(failure.retryAfter, nowMs);
  return {
    retryable: classifyFailure(failure) === 'retryable',
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
}

function whyNot(failure: ApiFailure, why: string): string {
  const kind = classifyFailure(failure);
  return kind === 'retryable' ? why : `${describeClass(kind)} is not retried`;
}

/** `3 x 503, 2 x 403 rateLimitExceeded`: what was retried, for error messages. */
export function summariseFailures(failures: readonly ApiFailure[]): string {
  const counts = new Map<string, number>();
  for (const failure of failures) {
    const label =
      failure.status === undefined
        ? (failure.code ?? 'network error')
        : `${failure.status}${failure.reason && failure.status === 403 ? ` ${failure.reason}` : ''}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => `${count} x ${label}`).join(', ');
}

function describeClass(kind: FailureClass): string {
  switch (kind) {
    case 'permission-denied':
      return 'a permission error';
    case 'not-found':
      return 'not found (404)';
    default:
      return 'this failure';
  }
}
