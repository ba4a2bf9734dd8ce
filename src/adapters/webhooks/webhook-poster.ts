// Posts one JSON body to a chat webhook: optional HMAC signature, bounded retries honouring Retry-After, and a URL
// that never reaches a log line or an error message (the URL is the credential).

import { createHmac } from 'node:crypto';
import { type Clock, nowMs, systemClock } from '../../ports/clock.js';
import { type Logger, silentLogger } from '../../ports/logger.js';
import { formatSeconds, type RetryResult, retryWithBudget } from '../../ports/retry.js';
import { parseRetryAfterMs } from '../googleapis/retry-policy.js';
import { errorCode, statusOf } from '../secret-manager/secret-reader.js';
import type { SecretSetting } from './secret-setting.js';

export const SIGNATURE_HEADER = 'X-Gatewarden-Signature';
export const TIMESTAMP_HEADER = 'X-Gatewarden-Timestamp';

export interface WebhookPosterOptions {
  /** `slack`, `chat`: the only name logs and errors use for the destination. */
  readonly channel: string;
  readonly url: SecretSetting;
  /** When set, every request carries an HMAC-SHA256 signature over `timestamp.body`. */
  readonly signingSecret?: SecretSetting;
  readonly log?: Logger;
  /** The one clock (signature timestamps, waits); the system's when absent. */
  readonly clock?: Clock;
  /** Uniform in [0, 1): the retry jitter. */
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  /** Attempts, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  /** Longest wait between attempts, a server's Retry-After included: a longer ask is left to the next invocation. */
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
}

type AttemptFailure = {
  readonly retryable: boolean;
  readonly why: string;
  readonly retryAfter?: string;
  readonly status?: number;
};

/** What Slack and Chat answer for a webhook deleted or revoked: a rotated URL's old value. */
const REVOKED_STATUSES: ReadonlySet<number> = new Set([401, 403, 404, 410]);

export class WebhookPoster {
  private readonly log: Logger;
  private readonly clock: Clock;

  constructor(private readonly options: WebhookPosterOptions) {
    this.log = options.log ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  get channel(): string {
    return this.options.channel;
  }

  /** Resolves once the webhook accepted `body`; throws a WebhookDeliveryError (URL-free) otherwise. */
  async post(body: string): Promise<{ attempts: number }> {
    const { channel } = this.options;
    const maxDelayMs = this.options.maxDelayMs ?? 30_000;
    const url = await this.options.url();
    const secret = this.options.signingSecret ? await this.options.signingSecret() : undefined;
    const first = await this.postTo(url, body, secret, maxDelayMs);
    let result = first;
    if (!first.ok && first.stop === 'final' && REVOKED_STATUSES.has(first.last.status ?? 0)) {
      // The URL is kept per instance: after a rotation in Secret Manager only a fresh read finds its successor, and
      // without it every later alert would be refused for good until the instance is replaced.
      const latest = await this.options.url(true);
      if (latest !== url) result = await this.postTo(latest, body, secret, maxDelayMs);
    }
    const attempts =
      result.failures.length + (result.ok ? 1 : 0) + (result === first ? 0 : first.failures.length);
    if (result.ok) {
      this.log.info('webhook delivered', { channel, attempts, status: result.value });
      return { attempts };
    }
    const why = result.last.why;
    switch (result.stop) {
      case 'final':
        throw new WebhookDeliveryError(
          channel,
          `${channel} webhook refused the message: ${why}`,
          attempts,
          true,
        );
      case 'retry-after':
        throw new WebhookDeliveryError(
          channel,
          `${channel} webhook asked to wait ${formatSeconds(result.askedMs ?? 0)} (${why}), longer than the ${formatSeconds(maxDelayMs)} waited here; the alerts stay in the outbox`,
          attempts,
        );
      default:
        throw new WebhookDeliveryError(
          channel,
          `${channel} webhook failed ${attempts} time(s), last ${why}; the alerts stay in the outbox`,
          attempts,
        );
    }
  }

  /** The attempts at one URL, within the retry budget. */
  private postTo(
    url: string,
    body: string,
    secret: string | undefined,
    maxDelayMs: number,
  ): Promise<RetryResult<number, AttemptFailure>> {
    const { channel } = this.options;
    return retryWithBudget(
      async () => {
        const answer = await this.attempt(url, body, secret, nowMs(this.clock));
        if ('why' in answer) throw answer;
        return answer.status;
      },
      {
        budget: {
          baseDelayMs: this.options.baseDelayMs ?? 1000,
          maxDelayMs,
          maxWaitMs: maxDelayMs,
          maxAttempts: Math.max(1, this.options.maxAttempts ?? 4),
        },
        clock: this.clock,
        ...(this.options.random ? { random: this.options.random } : {}),
        toFailure: (thrown) => thrown as AttemptFailure,
        judge: (failure) => {
          const retryAfterMs = parseRetryAfterMs(failure.retryAfter, nowMs(this.clock));
          return { retryable: failure.retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
        },
        onRetry: (failure, attempt, delayMs) =>
          this.log.warn('webhook attempt failed; retrying', { channel, attempt, why: failure.why, delayMs }),
      },
    );
  }

  private async attempt(
    url: string,
    body: string,
    secret: string | undefined,
    nowMs: number,
  ): Promise<{ readonly status: number } | AttemptFailure> {
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
    if (secret !== undefined) {
      const timestamp = String(Math.floor(nowMs / 1000));
      headers[TIMESTAMP_HEADER] = timestamp;
      headers[SIGNATURE_HEADER] = signatureOf(secret, timestamp, body);
    }
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(url, {
        method: 'POST',
        headers,
        body,
        // A redirect could carry the message (and its signature) to another host: never followed.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      return { retryable: true, why: errorCode(error) };
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { status: response.status };
    const why = `HTTP ${response.status}${errorWordOf(text)}`;
    if (response.status === 429 || response.status >= 500) {
      return {
        retryable: true,
        why,
        retryAfter: response.headers.get('retry-after') ?? undefined,
      };
    }
    return {
      retryable: false,
      why: response.status < 400 ? `${why} (redirect not followed)` : why,
      status: response.status,
    };
  }
}

/** `sha256=HEX` of HMAC-SHA256(secret, `timestamp.body`): receivers recompute it and reject stale timestamps. */
export function signatureOf(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Slack answers errors as one word (`invalid_payload`, `no_service`), Google as JSON with a status: those are
 * kept; any other body is dropped, since a receiver could echo the request path.
 */
function errorWordOf(text: string): string {
  const trimmed = text.trim();
  return /^[a-z_]{1,64}$/.test(trimmed) ? ` ${trimmed}` : statusOf(trimmed);
}

export class WebhookDeliveryError extends Error {
  override readonly name = 'WebhookDeliveryError';
  readonly badInput = false;
  constructor(
    readonly channel: string,
    message: string,
    readonly attempts: number,
    /** The receiver refused the message itself (a 4xx other than 429): sending it again cannot help. */
    readonly permanent = false,
  ) {
    super(message);
  }

  /** A later delivery could succeed unless the receiver refused the message itself. */
  get retryable(): boolean {
    return !this.permanent;
  }
}
