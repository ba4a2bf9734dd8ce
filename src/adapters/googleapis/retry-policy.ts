// When to retry a Google API call and how long to wait: exponential backoff with full jitter, Retry-After, a time budget.

import { type ApiFailure, classifyFailure, type FailureClass } from './api-failure.js';

export interface RetryPolicy {
  /** Ceiling of the first wait; doubles per retry. */
  readonly baseDelayMs: number;
  /** Ceiling no wait exceeds (unless the server's Retry-After asks for longer and the budget allows it). */
  readonly maxDelayMs: number;
  /** Total time one call may take, retries and waits included. */
  readonly budgetMs: number;
  /** Attempts, the first included. */
  readonly maxAttempts: number;
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

/** What the wait between attempts depends on (the webhook poster backs off the same way, without a budget). */
export type BackoffPolicy = Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>;

/** Time and chance, injected so tests decide them. */
export interface RetryRuntime {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const SYSTEM_RUNTIME: RetryRuntime = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly why: string };

/** Largest wait before retry number `retryIndex` (0 for the first retry): base * 2^index, capped. */
export function backoffCeilingMs(retryIndex: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retryIndex));
}

/** Full jitter (a uniform pick in [0, ceiling]): spreads a burst of clients instead of retrying in lockstep. */
export function jitteredDelayMs(retryIndex: number, policy: BackoffPolicy, random: () => number): number {
  const pick = Math.min(Math.max(random(), 0), 1);
  return Math.round(pick * backoffCeilingMs(retryIndex, policy));
}

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

export function decideRetry(state: RetryState, policy: RetryPolicy, random: () => number): RetryDecision {
  const kind = classifyFailure(state.failure);
  if (kind !== 'retryable') return { retry: false, why: `${describeClass(kind)} is not retried` };
  if (state.attempts >= policy.maxAttempts) {
    return { retry: false, why: `all ${policy.maxAttempts} attempts used` };
  }
  const remaining = policy.budgetMs - state.elapsedMs;
  const jittered = jitteredDelayMs(state.attempts - 1, policy, random);
  const retryAfter = parseRetryAfterMs(state.failure.retryAfter, state.nowMs);
  if (retryAfter !== undefined && retryAfter > remaining) {
    return {
      retry: false,
      why: `the server asked to wait ${formatSeconds(retryAfter)} but only ${formatSeconds(remaining)} of the ${formatSeconds(policy.budgetMs)} budget was left`,
    };
  }
  if (remaining <= 0)
    return { retry: false, why: `the ${formatSeconds(policy.budgetMs)} retry budget is used up` };
  return { retry: true, delayMs: Math.min(Math.max(jittered, retryAfter ?? 0), remaining) };
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
}

/** Calls `call` until it succeeds, fails for good, or the policy gives up; never throws for API failures. */
export async function callWithRetries<T>(
  call: () => Promise<T>,
  toFailure: (error: unknown) => ApiFailure,
  policy: RetryPolicy,
  runtime: RetryRuntime,
  hooks: RetryHooks = {},
): Promise<RetryOutcome<T>> {
  const started = runtime.now();
  const failures: ApiFailure[] = [];
  for (;;) {
    try {
      return { ok: true, value: await call(), attempts: failures };
    } catch (error) {
      const failure = toFailure(error);
      failures.push(failure);
      const nowMs = runtime.now();
      const elapsedMs = nowMs - started;
      const decision = decideRetry(
        { failure, attempts: failures.length, elapsedMs, nowMs },
        policy,
        runtime.random,
      );
      if (!decision.retry) {
        return {
          ok: false,
          failure,
          kind: classifyFailure(failure),
          attempts: failures,
          elapsedMs,
          why: decision.why,
        };
      }
      hooks.onRetry?.(failure, failures.length, decision.delayMs);
      await runtime.sleep(decision.delayMs);
    }
  }
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

export function formatSeconds(ms: number): string {
  const seconds = Math.max(0, ms) / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} s`;
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
