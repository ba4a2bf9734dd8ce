import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  WebhookDeliveryError,
  WebhookPoster,
} from '../../../src/adapters/webhooks/webhook-poster.js';
import { MemoryLogger } from '../../../src/ports/logger.js';
import { freePort } from '../../support/free-port.js';
import { type Receiver, type ScriptedAnswer, startReceiver } from './receiver.js';

/** Recognisable, so a leak into a log line or an error is easy to find. */
const TOKEN = 'S3CRET-T0KEN-7f3a9c';
const WEBHOOK_PATH = `/services/T024BE7LD/B01ABCDEF/${TOKEN}`;
const NOW = Date.parse('2026-11-26T10:00:00Z');
const BODY = JSON.stringify({ text: 'Gatewarden: 1 opened (1 HIGH)' });

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

interface Harness {
  readonly poster: WebhookPoster;
  readonly log: MemoryLogger;
  readonly sleeps: number[];
  readonly receiver: Receiver;
}

async function harness(
  answers: readonly ScriptedAnswer[],
  extra: { signingSecret?: string; maxAttempts?: number } = {},
): Promise<Harness> {
  receiver = await startReceiver(answers);
  const url = `${receiver.origin}${WEBHOOK_PATH}`;
  const log = new MemoryLogger();
  const sleeps: number[] = [];
  const poster = new WebhookPoster({
    channel: 'slack',
    url: async () => url,
    ...(extra.signingSecret ? { signingSecret: async () => extra.signingSecret as string } : {}),
    log,
    clock: {
      now: () => new Date(NOW),
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    random: () => 1,
    ...(extra.maxAttempts ? { maxAttempts: extra.maxAttempts } : {}),
  });
  return { poster, log, sleeps, receiver };
}

/** Nothing that would let a reader reach the webhook: not the token, not the path, not the host and port. */
function expectNoUrlIn(text: string, origin: string): void {
  expect(text).not.toContain(TOKEN);
  expect(text).not.toContain('B01ABCDEF');
  expect(text).not.toContain(new URL(origin).host);
}

async function failureOf(promise: Promise<unknown>): Promise<WebhookDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WebhookDeliveryError);
  return error as WebhookDeliveryError;
}

function errorText(error: Error): string {
  return `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}`;
}

describe('WebhookPoster retries', () => {
  test('429 with Retry-After: 7, then 200: one message delivered after sleeping 7 s; no URL in the logs', async () => {
    const { poster, log, sleeps, receiver } = await harness([
      { status: 429, headers: { 'retry-after': '7' }, body: 'rate_limited' },
      { status: 200 },
    ]);
    expect(await poster.post(BODY)).toEqual({ attempts: 2 });
    expect(sleeps).toEqual([7000]);
    expect(receiver.requests.map((request) => request.path)).toEqual([WEBHOOK_PATH, WEBHOOK_PATH]);
    expect(receiver.requests.at(-1)?.body).toBe(BODY);
    expect(log.entries.map((entry) => entry.message)).toEqual([
      'webhook attempt failed; retrying',
      'webhook delivered',
    ]);
    expect(log.entries[0]?.fields).toMatchObject({
      channel: 'slack',
      why: 'HTTP 429 rate_limited',
      delayMs: 7000,
    });
    expectNoUrlIn(log.text(), receiver.origin);
  });

  test('Retry-After as an HTTP date: the wait runs to that date', async () => {
    const { poster, sleeps } = await harness([
      { status: 503, headers: { 'retry-after': new Date(NOW + 12_000).toUTCString() } },
      { status: 200 },
    ]);
    await poster.post(BODY);
    expect(sleeps).toEqual([12_000]);
  });

  test('5xx without Retry-After: capped doubling backoff between attempts', async () => {
    const { poster, sleeps, receiver } = await harness([
      { status: 502 },
      { status: 503 },
      { status: 500 },
      { status: 204 },
    ]);
    expect(await poster.post(BODY)).toEqual({ attempts: 4 });
    expect(sleeps).toEqual([1000, 2000, 4000]);
    expect(receiver.requests).toHaveLength(4);
  });

  test('always 503: four attempts, then a URL-free error that leaves the alerts in the outbox', async () => {
    const { poster, log, sleeps, receiver } = await harness([{ status: 503 }]);
    const error = await failureOf(poster.post(BODY));
    expect(receiver.requests).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    expect(error.message).toBe(
      'slack webhook failed 4 time(s), last HTTP 503; the alerts stay in the outbox',
    );
    expectNoUrlIn(errorText(error), receiver.origin);
    expectNoUrlIn(log.text(), receiver.origin);
  });

  test('400 is not retried: the message is wrong, sending it again changes nothing', async () => {
    const { poster, sleeps, receiver } = await harness([{ status: 400, body: 'invalid_blocks' }]);
    const error = await failureOf(poster.post(BODY));
    expect(error.message).toBe('slack webhook refused the message: HTTP 400 invalid_blocks');
    expect(receiver.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('a 404 body that echoes the request path is dropped from the error', async () => {
    const { poster, receiver } = await harness([{ status: 404, body: `No webhook at ${WEBHOOK_PATH}` }]);
    const error = await failureOf(poster.post(BODY));
    expect(error.message).toBe('slack webhook refused the message: HTTP 404');
    expectNoUrlIn(errorText(error), receiver.origin);
  });

  test('a Google error body keeps only its status word', async () => {
    const { poster } = await harness([
      {
        status: 403,
        body: JSON.stringify({
          error: { code: 403, message: `key in ${WEBHOOK_PATH}`, status: 'PERMISSION_DENIED' },
        }),
      },
    ]);
    const error = await failureOf(poster.post(BODY));
    expect(error.message).toBe('slack webhook refused the message: HTTP 403 PERMISSION_DENIED');
  });

  test('Retry-After longer than this invocation waits: no sleep, the next invocation tries again', async () => {
    const { poster, sleeps, receiver } = await harness([{ status: 429, headers: { 'retry-after': '3600' } }]);
    const error = await failureOf(poster.post(BODY));
    expect(error.message).toMatch(/asked to wait 3600 s .* longer than the 30 s waited here/);
    expect(sleeps).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
  });

  test('a redirect is not followed (it could carry the message elsewhere) and not retried', async () => {
    const { poster, receiver } = await harness([
      { status: 302, headers: { location: 'https://evil.example/collect' } },
    ]);
    const error = await failureOf(poster.post(BODY));
    expect(error.message).toBe('slack webhook refused the message: HTTP 302 (redirect not followed)');
    expect(receiver.requests).toHaveLength(1);
  });

  test('connection refused: retried, then an error naming the code, not the address', async () => {
    const port = await freePort();
    const origin = `http://127.0.0.1:${port}`;
    const log = new MemoryLogger();
    const sleeps: number[] = [];
    const poster = new WebhookPoster({
      channel: 'chat',
      url: async () => `${origin}${WEBHOOK_PATH}?key=${TOKEN}`,
      log,
      clock: {
        now: () => new Date(),
        sleep: async (ms) => {
          sleeps.push(ms);
        },
      },
      random: () => 0.5,
      maxAttempts: 3,
    });
    const error = await failureOf(poster.post(BODY));
    expect(error.message).toBe(
      'chat webhook failed 3 time(s), last ECONNREFUSED; the alerts stay in the outbox',
    );
    expect(sleeps).toEqual([500, 1000]);
    expectNoUrlIn(errorText(error), origin);
    expectNoUrlIn(log.text(), origin);
  });
});

describe('WebhookPoster signature', () => {
  const SECRET = 'whsec-shared-between-gatewarden-and-receiver';

  function verifies(secret: string, timestamp: string, body: string, header: string): boolean {
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
    );
    const given = Buffer.from(header);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  test('the receiver can verify the HMAC-SHA256 over timestamp.body with the shared secret', async () => {
    const { poster, receiver } = await harness([{ status: 200 }], { signingSecret: SECRET });
    await poster.post(BODY);
    const [request] = receiver.requests;
    const timestamp = String(request?.headers[TIMESTAMP_HEADER.toLowerCase()]);
    const signature = String(request?.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(timestamp).toBe(String(NOW / 1000));
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifies(SECRET, timestamp, request?.body ?? '', signature)).toBe(true);
    expect(verifies('another-secret', timestamp, request?.body ?? '', signature)).toBe(false);
    expect(verifies(SECRET, timestamp, `${request?.body} `, signature)).toBe(false);
  });

  test('no signing secret: no signature headers', async () => {
    const { poster, receiver } = await harness([{ status: 200 }]);
    await poster.post(BODY);
    expect(receiver.requests[0]?.headers).not.toHaveProperty(SIGNATURE_HEADER.toLowerCase());
    expect(receiver.requests[0]?.headers).not.toHaveProperty(TIMESTAMP_HEADER.toLowerCase());
  });

  test('the signing secret never reaches the logs', async () => {
    const { poster, log } = await harness([{ status: 500 }, { status: 200 }], { signingSecret: SECRET });
    await poster.post(BODY);
    expect(log.text()).not.toContain(SECRET);
  });
});
