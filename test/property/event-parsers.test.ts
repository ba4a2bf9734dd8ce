// Property-based: whatever arrives (random JSON, random text, truncated or mutated real entries, huge or deeply
// nested input, unicode, `__proto__` keys), the event parsers answer with a typed outcome and never throw.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { ParseOutcome } from '../../src/events/change-event.js';
import {
  AUDIT_LOG_WRITTEN,
  deliveryInfoOf,
  MAX_ENTRY_BYTES,
  PUBSUB_MESSAGE_PUBLISHED,
  parseCloudEvent,
} from '../../src/events/parse-cloud-event.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import { auditEntry, eventarcCloudEvent, pubSubCloudEvent } from '../support/audit-entries.js';

const OUTCOMES = ['change', 'ignored', 'malformed'];
const RUNS = { numRuns: 300 };

const REAL_ENTRY = auditEntry({
  method: 'v1.compute.backendServices.patch',
  resourceName: 'projects/acme-edge/global/backendServices/orders-bs',
});
const REAL_GATEWAY_ENTRY = auditEntry({
  method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
  resourceName: 'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1',
  phase: 'none',
});

/** Any value, including objects without a prototype and `__proto__` / `constructor` keys. */
const hostileValue = fc.anything({
  withNullPrototype: true,
  withObjectString: true,
  withBoxedValues: true,
  withSparseArray: true,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withUnicodeString: true,
  key: fc.oneof(
    fc.string(),
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'protoPayload', 'data'),
  ),
});

function expectTyped(outcome: ParseOutcome): void {
  expect(OUTCOMES).toContain(outcome.outcome);
  if (outcome.outcome !== 'change') expect(typeof outcome.reason).toBe('string');
}

/** Every path to a value inside a JSON-like object: what a one-field mutation can hit. */
function pathsOf(value: unknown, prefix: readonly string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [[...prefix]];
  const nested = Object.entries(value).flatMap(([key, child]) => pathsOf(child, [...prefix, key]));
  return prefix.length > 0 ? [[...prefix], ...nested] : nested;
}

function withValueAt(
  entry: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(entry);
  let target: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  const last = path.at(-1);
  if (last !== undefined)
    Object.defineProperty(target, last, { value, enumerable: true, configurable: true, writable: true });
  return copy;
}

function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = 0; level < depth; level++) value = { protoPayload: value, data: [value] };
  return value;
}

describe('parseLogEntry never throws', () => {
  test('on any value', () => {
    fc.assert(
      fc.property(hostileValue, (value) => expectTyped(parseLogEntry(value))),
      RUNS,
    );
  });

  test('on any JSON, parsed as the function would receive it', () => {
    fc.assert(
      fc.property(fc.json(), (text) => expectTyped(parseLogEntry(JSON.parse(text)))),
      RUNS,
    );
  });

  test.each(pathsOf(REAL_ENTRY).map((path) => [path.join('.'), path] as const))(
    'on a real entry with %s replaced by anything',
    (_name, path) => {
      fc.assert(
        fc.property(hostileValue, (value) =>
          expectTyped(parseLogEntry(withValueAt(REAL_ENTRY, path, value))),
        ),
        { numRuns: 60 },
      );
    },
  );

  test('on a real entry with extra hostile fields anywhere in protoPayload', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), hostileValue), (extra) => {
        const entry = { ...REAL_ENTRY, protoPayload: { ...extra, ...(REAL_ENTRY.protoPayload as object) } };
        expect(parseLogEntry(entry).outcome).toBe('change');
      }),
      RUNS,
    );
  });

  test('on objects nested 20,000 levels deep', () => {
    expectTyped(parseLogEntry(deeplyNested(20_000)));
  });
});

describe('parseCloudEvent never throws', () => {
  test('on any CloudEvent-like value', () => {
    fc.assert(
      fc.property(hostileValue, hostileValue, hostileValue, (type, id, data) => {
        expectTyped(parseCloudEvent({ type, id, data }));
        deliveryInfoOf({ type, id, data });
      }),
      RUNS,
    );
  });

  test('on any data under either real event type', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(PUBSUB_MESSAGE_PUBLISHED, AUDIT_LOG_WRITTEN),
        hostileValue,
        (type, data) => {
          expectTyped(parseCloudEvent({ type, data }));
          expectTyped(parseCloudEvent({ type, data: { message: data } }));
          expectTyped(parseCloudEvent({ type, data: { message: { data } } }));
          deliveryInfoOf({ type, data: { message: data } });
        },
      ),
      RUNS,
    );
  });

  test('on any text (unicode included) published as a Pub/Sub message', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) =>
        expectTyped(parseCloudEvent(pubSubCloudEvent(text))),
      ),
      RUNS,
    );
  });

  test('on any JSON published as a Pub/Sub message, or delivered by Eventarc', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expectTyped(parseCloudEvent(pubSubCloudEvent(text)));
        expectTyped(parseCloudEvent({ type: AUDIT_LOG_WRITTEN, data: JSON.parse(text) }));
      }),
      RUNS,
    );
  });

  test('on every truncation of a real entry', () => {
    const text = JSON.stringify(REAL_GATEWAY_ENTRY);
    for (let length = 0; length <= text.length; length++) {
      const outcome = parseCloudEvent(pubSubCloudEvent(text.slice(0, length)));
      expectTyped(outcome);
      if (length < text.length) expect(outcome.outcome, `cut at ${length}`).toBe('malformed');
    }
  });

  test('on a real entry mutated in one field, through both envelopes', () => {
    const paths = pathsOf(REAL_GATEWAY_ENTRY);
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (path, value) => {
        const entry = withValueAt(REAL_GATEWAY_ENTRY, path, value);
        expectTyped(parseCloudEvent(pubSubCloudEvent(entry)));
        expectTyped(parseCloudEvent({ ...eventarcCloudEvent(REAL_GATEWAY_ENTRY), data: entry }));
      }),
      RUNS,
    );
  });

  test.each([
    ['an entry over the size cap', JSON.stringify({ ...REAL_ENTRY, padding: 'x'.repeat(MAX_ENTRY_BYTES) })],
    ['a huge non-JSON string', 'é'.repeat(MAX_ENTRY_BYTES)],
    ['JSON arrays nested 200,000 deep', `${'['.repeat(200_000)}${']'.repeat(200_000)}`],
    ['an unclosed nesting of 300,000 objects', '{"a":'.repeat(100_000)],
    [
      'a __proto__ payload',
      '{"__proto__":{"protoPayload":{"methodName":"v1.compute.backendServices.patch"}}}',
    ],
    ['invalid UTF-8 bytes', Buffer.from([0xff, 0xfe, 0x7b, 0x22]).toString('latin1')],
  ])('%s is malformed, never a crash', (_name, text) => {
    expect(parseCloudEvent(pubSubCloudEvent(text)).outcome).toBe('malformed');
  });

  test('Pub/Sub data that is not base64, or is base64 of random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 200 }), (bytes, raw) => {
        const event = pubSubCloudEvent('{}');
        const message = (event.data as { message: Record<string, unknown> }).message;
        expectTyped(
          parseCloudEvent({
            ...event,
            data: { message: { ...message, data: Buffer.from(bytes).toString('base64') } },
          }),
        );
        expectTyped(parseCloudEvent({ ...event, data: { message: { ...message, data: raw } } }));
      }),
      RUNS,
    );
  });
});
