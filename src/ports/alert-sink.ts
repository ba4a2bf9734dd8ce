// Port: a channel alerts go out on (Pub/Sub topic, Slack, Google Chat).

import type { AlertRecord } from '../domain/alert.js';

export interface AlertSink {
  /** A name for logs and run records: `pubsub`, `slack`, `chat`. Never the URL. */
  readonly name: string;
  /** A mirror (SCC) also takes quiet records (mutes, updates, below the alert severity); channels never do. */
  readonly takesQuiet?: boolean;
  /**
   * Sends these alerts (one message each, or one digest). Throws when they were not delivered; an error with
   * `permanent: true` says the channel refused them for good (a bad request), so they are not sent again.
   */
  send(alerts: readonly AlertRecord[]): Promise<void>;
}

export function isPermanentDeliveryFailure(reason: unknown): boolean {
  return (
    typeof reason === 'object' && reason !== null && (reason as { permanent?: unknown }).permanent === true
  );
}
