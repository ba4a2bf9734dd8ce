// Posts one JSON body to a chat webhook: optional HMAC signature, bounded retries honouring Retry-After, and a URL
// that never reaches a log line or an error message (the URL is the credential).

import { createHmac } from 'node:crypto';
import { type Logger, silentLogger } from '../../ports/logger.js';
import {
  formatSeconds,
  jitteredDelayMs,
  parseRetryAfterMs,
  SYSTEM_RUNTIME,
} from '../googleapis/retry-policy.js';
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
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  /** Attempts, the first included. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  /** Longest wait between attempts, a server's Retry-After included: a longer ask is left to the next invocation. */
  readonly maxDelayMs?: number;
  readonly timeoutMs?: number;
}

type AttemptResult =
  | { readonly ok: true; readonly status: number }
  | { readonly ok: false; readonly retryable: boolean; readonly why: string; readonly retryAfter?: string };

export class WebhookPoster {
  private readonly log: Logger;

  constructor(private readonly options: WebhookPosterOptions) {
    this.log = options.log ?? silentLogger;
  }

  get channel(): string {
    return this.options.channel;
  }

  /** Resolves once the webhook accepted `body`; throws a WebhookDeliveryError (URL-free) otherwise. */
  async post(body: string): Promise<{ attempts: number }> {
    const { channel } = this.options;
    const maxAttempts = Math.max(1, this.options.maxAttempts ?? 4);
    const maxDelayMs = this.options.maxDelayMs ?? 30_000;
    const now = this.options.now ?? Date.now;
    const sleep = this.options.sleep ?? SYSTEM_RUNTIME.sleep;
    const url = await this.options.url();
    const secret = this.options.signingSecret ? await this.options.signingSecret() : undefined;

    for (let attempt = 1; ; attempt += 1) {
      const result = await this.attempt(url, body, secret, now());
      if (result.ok) {
        this.log.info('webhook delivered', { channel, attempts: attempt, status: result.status });
        return { attempts: attempt };
      }
      if (!result.retryable) {
        throw new WebhookDeliveryError(
          channel,
          `${channel} webhook refused the message: ${result.why}`,
          attempt,
          true,
        );
      }
      if (attempt >= maxAttempts) {
        throw new WebhookDeliveryError(
          channel,
          `${channel} webhook failed ${attempt} time(s), last ${result.why}; the alerts stay in the outbox`,
          attempt,
        );
      }
      const asked = parseRetryAfterMs(result.retryAfter, now());
      if (asked !== undefined && asked > maxDelayMs) {
        throw new WebhookDeliveryError(
          channel,
          `${channel} webhook asked to wait ${formatSeconds(asked)} (${result.why}), longer than the ${formatSeconds(maxDelayMs)} waited here; the alerts stay in the outbox`,
          attempt,
        );
      }
      const delayMs =
        asked ??
        jitteredDelayMs(
          attempt - 1,
          { baseDelayMs: this.options.baseDelayMs ?? 1000, maxDelayMs },
          this.options.random ?? Math.random,
        );
      this.log.warn('webhook attempt failed; retrying', { channel, attempt, why: result.why, delayMs });
      await sleep(delayMs);
    }
  }

  private async attempt(
    url: string,
    body: string,
    secret: string | undefined,
    nowMs: number,
  ): Promise<AttemptResult> {
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
      return { ok: false, retryable: true, why: errorCode(error) };
    }
    const text = await response.text().catch(() => '');
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    const why = `HTTP ${response.status}${errorWordOf(text)}`;
    if (response.status === 429 || response.status >= 500) {
      return {
        ok: false,
        retryable: true,
        why,
        retryAfter: response.headers.get('retry-after') ?? undefined,
      };
    }
    return {
      ok: false,
      retryable: false,
      why: response.status < 400 ? `${why} (redirect not followed)` : why,
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
  constructor(
    readonly channel: string,
    message: string,
    readonly attempts: number,
    /** The receiver refused the message itself (a 4xx other than 429): sending it again cannot help. */
    readonly permanent = false,
  ) {
    super(message);
  }
}
