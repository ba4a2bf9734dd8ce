// An alert: one alerting transition of one finding, as written to the outbox and sent to every channel.

import type { ChangeAttribution, Finding, Transition } from './finding.js';

export interface AlertRecord {
  /** Stable across redeliveries: receivers dedupe on it. */
  readonly id: string;
  readonly findingId: string;
  readonly transition: Transition;
  readonly finding: Finding;
  readonly change: ChangeAttribution | null;
  readonly createdAt: string;
  /**
   * A transition kept for mirrors only (Security Command Center): muted or updated, or below the alert severity.
   * Channels (Pub/Sub, Slack, Chat) never send it.
   */
  readonly quiet?: true;
}
