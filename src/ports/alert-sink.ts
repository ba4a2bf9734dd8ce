// Port: a channel alerts go out on (Pub/Sub topic, Slack, Google Chat).

import type { AlertRecord } from '../domain/alert.js';

/** What a send is part of: the alert route whose digest it is (absent: the default channels, or a mirror). */
export interface AlertBatch {
  readonly route?: string;
}

export interface AlertSink {
  /**
   * A name for logs and run records: `pubsub`, `slack`, `chat`; a policy's named channel adds its name
   * (`slack:payments-slack`). Never the URL.
   */
  readonly name: string;
  /** A mirror (SCC) also takes quiet records (mutes, updates, below the alert severity); channels never do. */
  readonly takesQuiet?: boolean;
  /**
   * Sends these alerts (one message each, or one digest). Throws when they were not delivered; an error with
   * `permanent: true` says the channel refused them for good (a bad request), so they are not sent again.
   */
  send(alerts: readonly AlertRecord[], batch?: AlertBatch): Promise<void>;
}

export function isPermanentDeliveryFailure(reason: unknown): boolean {
  return (
    typeof reason === 'object' && reason !== null && (reason as { permanent?: unknown }).permanent === true
  );
}
