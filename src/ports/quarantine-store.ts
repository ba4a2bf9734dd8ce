// Port: where undeliverable (poison) messages are kept for a person to look at, since they are acknowledged, not retried.

export interface QuarantineRecord {
  /** Why the message could not be read as an audit entry. */
  readonly reason: string;
  /** The CloudEvent type it arrived as. */
  readonly eventType: string | undefined;
  readonly messageId: string | undefined;
  readonly publishTime: string | undefined;
  /** The Pub/Sub subscription or CloudEvent source that delivered it. */
  readonly deliveredBy: string | undefined;
  /** The payload as received (base64 for Pub/Sub), cut to a bounded size. */
  readonly payload: string;
  readonly payloadBytes: number;
  readonly truncated: boolean;
  readonly receivedAt: string;
}

export interface QuarantineStore {
  add(record: QuarantineRecord): Promise<void>;
}
