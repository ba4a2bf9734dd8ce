import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ApiFailure,
  classifyFailure,
  toApiFailure,
} from '../../../src/adapters/googleapis/api-failure.js';
import {
  backoffCeilingMs,
  callWithRetries,
  DEFAULT_RETRY_POLICY,
  decideRetry,
  jitteredDelayMs,
  parseRetryAfterMs,
  type RetryPolicy,
} from '../../../src/adapters/googleapis/retry-policy.js';
import type { Clock } from '../../../src/ports/clock.js';

const POLICY: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 32_000, budgetMs: 45_000, maxAttempts: 10 };
const NOW = Date.parse('2026-05-02T10:00:00Z');

function failure(status: number | undefined, overrides: Partial<ApiFailure> = {}): ApiFailure {
  return {
    status,
    reason: undefined,
    message: 'x',
    retryAfter: undefined,
    permission: undefined,
    code: undefined,
    ...overrides,
  };
}

/** A gaxios-shaped error as googleapis throws it: status, Headers, and Google's JSON error body. */
function gaxiosError(status: number, body: unknown, headers: Record<string, string> = {}): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    status,
    response: { status, headers: new Headers(headers), data: body },
  });
}

describe('backoff ceilings double from the base and stop at the cap', () => {
  it.each([
    { retry: 0, ceiling: 1_000 },
    { retry: 1, ceiling: 2_000 },
    { retry: 4, ceiling: 16_000 },
    { retry: 5, ceiling: 32_000 },
    { retry: 9, ceiling: 32_000 },
  ])('retry $retry waits at most $ceiling ms', ({ retry, ceiling }) => {
    expect(backoffCeilingMs(retry, POLICY)).toBe(ceiling);
  });
});

describe('full jitter', () => {
  it.each([
    { name: 'random 0 waits nothing', retry: 3, random: 0, delay: 0 },
    { name: 'random 0.5 waits half the ceiling', retry: 3, random: 0.5, delay: 4_000 },
    { name: 'random just under 1 waits just under the ceiling', retry: 0, random: 0.9999, delay: 1_000 },
  ])('$name', ({ retry, random, delay }) => {
    expect(jitteredDelayMs(retry, POLICY, () => random)).toBe(delay);
  });

  it('always stays within [0, ceiling] whatever the random source says', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (retry, r) => {
        const delay = jitteredDelayMs(retry, POLICY, () => r);
        return delay >= 0 && delay <= backoffCeilingMs(retry, POLICY);
      }),
    );
  });
});

describe('Retry-After', () => {
  it.each([
    { name: 'delta seconds', value: '7', ms: 7_000 },
    { name: 'fractional seconds', value: '1.5', ms: 1_500 },
    { name: 'an HTTP date 20 s ahead', value: 'Sat, 02 May 2026 10:00:20 GMT', ms: 20_000 },
    { name: 'an HTTP date in the past means now', value: 'Sat, 02 May 2026 09:59:00 GMT', ms: 0 },
    { name: 'garbage is ignored', value: 'soon', ms: undefined },
    { name: 'a negative number is ignored', value: '-3', ms: undefined },
    { name: 'absent', value: undefined, ms: undefined },
  ])('$name', ({ value, ms }) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(ms);
  });
});

describe('which failures are retried', () => {
  it.each([
    { name: '429 Too Many Requests', failure: failure(429), expected: 'retryable' },
    { name: '500', failure: failure(500), expected: 'retryable' },
    { name: '502', failure: failure(502), expected: 'retryable' },
    { name: '503', failure: failure(503), expected: 'retryable' },
    { name: '504', failure: failure(504), expected: 'retryable' },
    {
      name: '403 rateLimitExceeded (Compute quota)',
      failure: failure(403, { reason: 'rateLimitExceeded' }),
      expected: 'retryable',
    },
    {
      name: '403 userRateLimitExceeded',
      failure: failure(403, { reason: 'userRateLimitExceeded' }),
      expected: 'retryable',
    },
    {
      name: '403 forbidden (IAM)',
      failure: failure(403, { reason: 'forbidden' }),
      expected: 'permission-denied',
    },
    {
      name: '403 IAM_PERMISSION_DENIED',
      failure: failure(403, { reason: 'IAM_PERMISSION_DENIED' }),
      expected: 'permission-denied',
    },
    {
      name: '403 API not enabled',
      failure: failure(403, { reason: 'accessNotConfigured' }),
      expected: 'fatal',
    },
    { name: '404', failure: failure(404), expected: 'not-found' },
    { name: '400', failure: failure(400, { reason: 'invalid' }), expected: 'fatal' },
    { name: '401', failure: failure(401), expected: 'fatal' },
    { name: '412 conditionNotMet', failure: failure(412), expected: 'fatal' },
    { name: 'connection reset', failure: failure(undefined, { code: 'ECONNRESET' }), expected: 'retryable' },
    {
      name: 'connection refused (wrong endpoint)',
      failure: failure(undefined, { code: 'ECONNREFUSED' }),
      expected: 'fatal',
    },
  ])('$name -> $expected', ({ failure, expected }) => {
    expect(classifyFailure(failure)).toBe(expected);
  });
});

describe('reading failures out of googleapis errors', () => {
  it.each([
    {
      name: 'Compute 403 rateLimitExceeded with Retry-After',
      error: gaxiosError(
        403,
        {
          error: {
            code: 403,
            message: "Quota exceeded for quota metric 'Read requests'",
            errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits', message: 'Quota exceeded' }],
          },
        },
        { 'Retry-After': '12' },
      ),
      expected: { status: 403, reason: 'rateLimitExceeded', retryAfter: '12' },
    },
    {
      name: 'Compute 403 forbidden naming the permission in prose',
      error: gaxiosError(403, {
        error: {
          code: 403,
          message: "Required 'compute.backendServices.list' permission for 'projects/acme-edge'",
          errors: [{ reason: 'forbidden', domain: 'global' }],
        },
      }),
      expected: { status: 403, reason: 'forbidden', permission: 'compute.backendServices.list' },
    },
    {
      name: 'API Gateway 403 with an ErrorInfo detail',
      error: gaxiosError(403, {
        error: {
          code: 403,
          status: 'PERMISSION_DENIED',
          message: "Permission 'apigateway.gateways.list' denied on 'projects/acme-edge/locations/-'",
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'IAM_PERMISSION_DENIED',
              metadata: { permission: 'apigateway.gateways.list' },
            },
          ],
        },
      }),
      expected: { status: 403, reason: 'IAM_PERMISSION_DENIED', permission: 'apigateway.gateways.list' },
    },
    {
      name: 'a socket error without a response',
      error: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
      expected: { status: undefined, code: 'ECONNRESET', message: 'socket hang up' },
    },
    {
      name: 'something that is not an error at all',
      error: 'boom',
      expected: { status: undefined, message: 'unknown error (no message)' },
    },
  ])('$name', ({ error, expected }) => {
    expect(toApiFailure(error)).toMatchObject(expected);
  });
});

describe('retry decisions', () => {
  const zero = () => 0.5;
  it.each([
    {
      name: 'a first 503 waits a jittered base delay',
      state: { failure: failure(503), attempts: 1, elapsedMs: 0 },
      expected: { retry: true, delayMs: 500 },
    },
    {
      name: 'the third 503 waits a jittered 4 s ceiling',
      state: { failure: failure(503), attempts: 3, elapsedMs: 3_000 },
      expected: { retry: true, delayMs: 2_000 },
    },
    {
      name: 'Retry-After longer than the jitter wins',
      state: { failure: failure(429, { retryAfter: '9' }), attempts: 1, elapsedMs: 0 },
      expected: { retry: true, delayMs: 9_000 },
    },
    {
      name: 'Retry-After beyond the remaining budget gives up at once',
      state: { failure: failure(429, { retryAfter: '60' }), attempts: 1, elapsedMs: 0 },
      expected: { retry: false },
    },
    {
      name: 'a wait is cut to what is left of the budget',
      state: { failure: failure(503), attempts: 6, elapsedMs: 44_000 },
      expected: { retry: true, delayMs: 1_000 },
    },
    {
      name: 'an exhausted budget gives up',
      state: { failure: failure(503), attempts: 4, elapsedMs: 45_000 },
      expected: { retry: false },
    },
    {
      name: 'the last attempt gives up',
      state: { failure: failure(503), attempts: 10, elapsedMs: 1_000 },
      expected: { retry: false },
    },
    {
      name: 'a permission error is never retried',
      state: { failure: failure(403, { reason: 'forbidden' }), attempts: 1, elapsedMs: 0 },
      expected: { retry: false },
    },
  ])('$name', ({ state, expected }) => {
    expect(decideRetry({ ...state, nowMs: NOW }, POLICY, zero)).toMatchObject(expected);
  });
});

/** A virtual clock: sleeping moves time forward instantly, and every wait is recorded. */
function virtualRuntime(random = () => 1): Clock & { waits: number[]; random: () => number } {
  let now = NOW;
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date(now),
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random,
  };
}

describe('callWithRetries', () => {
  const throwing = (statuses: number[], value = 'ok') => {
    let calls = 0;
    const call = async () => {
      const status = statuses[calls++];
      if (status !== undefined)
        throw gaxiosError(status, { error: { code: status, message: `HTTP ${status}` } });
      return value;
    };
    return { call, calls: () => calls };
  };

  it('succeeds after a burst of 503s and 429s, waiting a full-jitter ceiling before each retry', async () => {
    const runtime = virtualRuntime(() => 0.999_999);
    const { call, calls } = throwing([503, 429, 503]);
    const outcome = await callWithRetries(call, toApiFailure, POLICY, runtime, { random: runtime.random });
    expect(outcome).toMatchObject({ ok: true, value: 'ok' });
    expect(calls()).toBe(4);
    expect(runtime.waits).toEqual([1_000, 2_000, 4_000]);
  });

  it('gives up when the budget runs out and says what it retried', async () => {
    const runtime = virtualRuntime();
    const { call, calls } = throwing(Array(50).fill(503));
    const outcome = await callWithRetries(call, toApiFailure, { ...POLICY, budgetMs: 10_000 }, runtime, {
      random: runtime.random,
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    // 1 + 2 + 4 = 7 s, then 3 s left of the budget: cut to 3 s, then nothing left.
    expect(runtime.waits).toEqual([1_000, 2_000, 4_000, 3_000]);
    expect(calls()).toBe(5);
    expect(outcome.why).toMatch(/10 s retry budget is used up/);
  });

  it('does not retry a permission error', async () => {
    const runtime = virtualRuntime();
    const { call, calls } = throwing([403, 403]);
    const outcome = await callWithRetries(call, toApiFailure, POLICY, runtime, { random: runtime.random });
    expect(outcome).toMatchObject({ ok: false, kind: 'permission-denied' });
    expect(calls()).toBe(1);
    expect(runtime.waits).toEqual([]);
  });

  it('the default policy fits a 60 s function invocation', () => {
    expect(DEFAULT_RETRY_POLICY.budgetMs).toBeLessThan(60_000);
  });
});
