// Entry point onAuditLog: an audit-log message (Pub/Sub push or Eventarc) -> parse the envelope, hand it to the
// audit-event use case, and acknowledge it or fail so Pub/Sub redelivers it.

import type { CloudEvent } from '@google-cloud/functions-framework';
import {
  type AuditEventDeps,
  type AuditEventOutcome,
  handleAuditEvent,
} from '../src/app/handle-audit-event.js';
import { deliveryInfoOf, parseCloudEvent } from '../src/events/parse-cloud-event.js';
import type { QuarantineRecord } from '../src/ports/quarantine-store.js';

/** A poison payload is kept whole up to this size; beyond it only the start is worth a look. */
export const QUARANTINE_PAYLOAD_CHARS = 16 * 1024;

/** What this instance has seen of audit-log messages, for run summaries and tests. */
export interface AuditLogCounters {
  stale: number;
  overAttempts: number;
  failed: number;
  quarantined: number;
  ignored: number;
  judged: number;
  duplicate: number;
  /** Events from projects outside the installation's scope, acknowledged without a call to Compute or API Gateway. */
  outOfScope: number;
}

export async function onAuditLog(
  cloudEvent: CloudEvent<unknown>,
  deps: AuditEventDeps,
  counters: AuditLogCounters,
): Promise<void> {
  const outcome = await handleAuditEvent(
    parseCloudEvent(cloudEvent),
    {
      ...deliveryInfoOf(cloudEvent),
      attempt: deliveryAttemptOf(cloudEvent),
      envelope: () => envelopeOf(cloudEvent),
    },
    deps,
  );
  count(outcome, counters);
  // Thrown: the framework answers 500 and Pub/Sub redelivers. Anything else is acknowledged.
  if (outcome.kind === 'retry') throw outcome.error;
}

function count(outcome: AuditEventOutcome, counters: AuditLogCounters): void {
  switch (outcome.kind) {
    case 'quarantined':
      counters.quarantined += 1;
      return;
    case 'ignored':
      counters.ignored += 1;
      return;
    case 'out-of-scope':
      counters.outOfScope += 1;
      return;
    case 'skipped':
      if (outcome.reason === 'too-old') counters.stale += 1;
      else if (outcome.reason === 'too-many-attempts') counters.overAttempts += 1;
      else counters.failed += 1;
      return;
    case 'judged':
    case 'retry':
      if (outcome.kind === 'retry' && outcome.stage === 'judge') counters.failed += 1;
      if (!outcome.judgement) return;
      if (outcome.judgement.status === 'duplicate') counters.duplicate += 1;
      else counters.judged += 1;
  }
}

/**
 * `deliveryAttempt` (1 on the first delivery) where the envelope carries it: Pub/Sub sets it in the push body when
 * the subscription has a dead-letter policy, and Eventarc keeps it in the CloudEvent data. The Functions Framework's
 * conversion of a raw push (what our Terraform deploys) keeps only the message, so there it is undefined.
 */
export function deliveryAttemptOf(cloudEvent: CloudEvent<unknown>): number | undefined {
  const data = cloudEvent.data as { deliveryAttempt?: unknown; delivery_attempt?: unknown } | undefined;
  const value = data?.deliveryAttempt ?? data?.delivery_attempt;
  const attempt = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof attempt === 'number' && Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : undefined;
}

/** What a quarantine record keeps of a poison message's envelope: its payload as received, cut to a bounded size. */
function envelopeOf(cloudEvent: CloudEvent<unknown>): Omit<QuarantineRecord, 'reason' | 'receivedAt'> {
  const delivery = deliveryInfoOf(cloudEvent);
  const data = cloudEvent.data as { subscription?: unknown; message?: { data?: unknown } } | undefined;
  const raw =
    typeof data?.message?.data === 'string'
      ? data.message.data
      : typeof cloudEvent.data === 'string'
        ? cloudEvent.data
        : serialised(cloudEvent.data);
  return {
    eventType: typeof cloudEvent.type === 'string' ? cloudEvent.type : undefined,
    messageId: delivery.messageId,
    publishTime: delivery.publishTime,
    deliveredBy:
      typeof data?.subscription === 'string'
        ? data.subscription
        : typeof cloudEvent.source === 'string'
          ? cloudEvent.source
          : undefined,
    payload: raw.slice(0, QUARANTINE_PAYLOAD_CHARS),
    payloadBytes: Buffer.byteLength(raw, 'utf8'),
    truncated: raw.length > QUARANTINE_PAYLOAD_CHARS,
  };
}

/**
 * The envelope's data as JSON text. Data nested thousands deep (a structured CloudEvent posted to the function) parses,
 * but JSON.stringify recurses and overflows the stack: thrown, it made the poison a 500, redelivered until dead-letter.
 */
function serialised(data: unknown): string {
  try {
    return JSON.stringify(data ?? null) ?? '';
  } catch (error) {
    return `[data not serialisable: ${error instanceof Error ? error.message : String(error)}]`;
  }
}
