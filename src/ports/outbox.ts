// Port: the alert outbox. Alerts are written by the judgement commit with their transitions; this sends them on.

import type { AlertRecord } from '../domain/alert.js';

export interface Outbox {
  /** Alerts written but not yet marked sent, oldest first. */
  pendingAlerts(limit: number): Promise<AlertRecord[]>;
  /**
   * Atomically marks these alerts as claimed by `claimant` unless another claim younger than `leaseMs` holds them;
   * returns the ones this claimant now holds (so two invocations never send the same digest).
   */
  claimAlerts(ids: readonly string[], claimant: string, leaseMs: number, now: string): Promise<AlertRecord[]>;
  markAlertsSent(ids: readonly string[], at: string): Promise<void>;
}
