// Unwraps the two envelopes an audit entry arrives in (Pub/Sub messagePublished, Eventarc audit.log.v1.written)
// and parses the entry inside. Pure; poison of any kind becomes a `malformed` outcome, never an exception.

import { parseJsonText } from '../domain/json-text.js';
import type { ParseOutcome } from './change-event.js';
import { parseLogEntry, printable } from './parse-log-entry.js';

export const PUBSUB_MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
export const AUDIT_LOG_WRITTEN = 'google.cloud.audit.log.v1.written';

/** A LogEntry is at most 256 KB; anything much larger is not one, and is refused before parsing. */
export const MAX_ENTRY_BYTES = 512 * 1024;

export interface CloudEventLike {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly data?: unknown;
}

export interface DeliveryInfo {
  /** Pub/Sub message ID or CloudEvent ID: for logs only, never a dedupe key. */
  readonly messageId: string | undefined;
  readonly publishTime: string | undefined;
}

export function deliveryInfoOf(cloudEvent: CloudEventLike): DeliveryInfo {
  const message = (cloudEvent.data as { message?: Record<string, unknown> } | undefined)?.message;
  const messageId = message?.messageId ?? message?.message_id ?? cloudEvent.id;
  const publishTime = message?.publishTime ?? message?.publish_time;
  return {
    messageId: typeof messageId === 'string' ? messageId : undefined,
    publishTime: typeof publishTime === 'string' ? publishTime : undefined,
  };
}

export function parseCloudEvent(cloudEvent: CloudEventLike): ParseOutcome {
  if (cloudEvent.type === PUBSUB_MESSAGE_PUBLISHED) return parsePubSubData(cloudEvent.data);
  if (cloudEvent.type === AUDIT_LOG_WRITTEN) return parseEntryPayload(cloudEvent.data);
  return {
    outcome: 'malformed',
    reason: `CloudEvent type ${JSON.stringify(printable(cloudEvent.type)).slice(0, 120)} is neither ${PUBSUB_MESSAGE_PUBLISHED} nor ${AUDIT_LOG_WRITTEN}`,
  };
}

function parsePubSubData(data: unknown): ParseOutcome {
  const message = (data as { message?: { data?: unknown } } | undefined)?.message;
  if (typeof message !== 'object' || message === null) {
    return { outcome: 'malformed', reason: 'the Pub/Sub envelope has no message' };
  }
  const encoded = message.data;
  if (typeof encoded !== 'string' || encoded.length === 0) {
    return { outcome: 'malformed', reason: 'the Pub/Sub message has no data' };
  }
  if (encoded.length > (MAX_ENTRY_BYTES * 4) / 3 + 4) {
    return {
      outcome: 'malformed',
      reason: `the Pub/Sub message is over ${MAX_ENTRY_BYTES} bytes: not an audit entry`,
    };
  }
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(encoded)) {
    return { outcome: 'malformed', reason: 'the Pub/Sub message data is not base64' };
  }
  return parseEntryPayload(Buffer.from(encoded, 'base64').toString('utf8'));
}

function parseEntryPayload(payload: unknown): ParseOutcome {
  if (typeof payload !== 'string') return parseLogEntry(payload);
  if (Buffer.byteLength(payload, 'utf8') > MAX_ENTRY_BYTES) {
    return {
      outcome: 'malformed',
      reason: `the log entry is over ${MAX_ENTRY_BYTES} bytes: refused unparsed`,
    };
  }
  if (/^You have successfully configured real time feed/.test(payload)) {
    return {
      outcome: 'malformed',
      reason: 'a Cloud Asset Inventory feed welcome message, not an audit entry',
    };
  }
  const parsed = parseJsonText(payload);
  if (!parsed.ok) {
    // Logged as the poison's reason: in our words, as V8's quote the payload (which may hold request fields).
    const where = `line ${parsed.line}, column ${parsed.column}: ${parsed.reason}`;
    return { outcome: 'malformed', reason: `the message data is not JSON (${where})` };
  }
  const entry = parsed.value;
  if (isAssetFeedMessage(entry)) {
    return {
      outcome: 'malformed',
      reason: 'a Cloud Asset Inventory feed message (TemporalAsset), not an audit entry',
    };
  }
  return parseLogEntry(entry);
}

function isAssetFeedMessage(entry: unknown): boolean {
  return typeof entry === 'object' && entry !== null && 'asset' in entry && !('protoPayload' in entry);
}
