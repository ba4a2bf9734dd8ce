// Port: a channel alerts go out on (Pub/Sub topic, Slack, Google Chat).

import type { AlertRecord } from '../domain/alert.js';

export interface AlertSink {
  /** A name for logs and run records: `pubsub`, `slack`, `chat`. Never the URL. */
  readonly name: string;
  /** Sends these alerts (one message each, or one digest); throws when a retry could succeed. */
  send(alerts: readonly AlertRecord[]): Promise<void>;
}
