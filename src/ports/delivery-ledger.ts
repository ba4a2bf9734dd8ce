// Port: what became of deliveries that did not end in a judgement -- failed attempts (to bound redeliveries) and
// events acknowledged unjudged (too old, too many attempts, a permanent error), kept so they can be counted.

export type SkipReason = 'too-old' | 'too-many-attempts' | 'error';

export interface SkippedEvent {
  readonly reason: SkipReason;
  /** The log entry's identity (the dedupe key), so a redelivered skip is one record. */
  readonly entryId: string;
  readonly resource: string;
  readonly method: string;
  /** The audit entry's own time. */
  readonly at: string;
  readonly skippedAt: string;
  readonly ageMs: number;
  /** The delivery attempt that was skipped, when known. */
  readonly deliveryAttempt: number | undefined;
  readonly messageId: string | undefined;
  /** For `error`: what failed, first line only. */
  readonly error?: string;
}

export interface DeliveryLedger {
  /** Failed deliveries of this entry recorded so far (0 when none). */
  failuresOf(entryId: string): Promise<number>;
  /** Counts one failed delivery; called just before the invocation fails so Pub/Sub redelivers. */
  recordFailure(entryId: string, reason: string, at: string): Promise<void>;
  recordSkipped(event: SkippedEvent): Promise<void>;
}
