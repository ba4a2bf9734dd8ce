// Port: where findings, their history, the alert outbox and processed events live (Firestore; in memory for tests).

import type { AlertRecord } from '../domain/alert.js';
import type { Finding, FindingState, HistoryRecord } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import type { ReconcileOutput } from '../engine/reconcile.js';

export interface ReconcileRequest {
  /** Resources whose stored findings `decide` sees (and may change). */
  readonly resources: readonly string[];
  /** The log entry being acted on: recorded in the same transaction; a second delivery finds it and does nothing. */
  readonly eventId?: string;
  /** When the dedupe record may be deleted (a Firestore TTL field). */
  readonly eventExpiresAt?: string;
  /**
   * The judgement rests on a read of `resource` that started at `at`. Concurrent events on one resource commit in
   * any order; one resting on an older read than a judgement already committed for that resource is superseded:
   * nothing but its dedupe record is written, so the newest read always has the last word. Likewise, findings of
   * a neighbour (judged from its stored snapshot) are not written when the neighbour's own newest read started
   * after `at`.
   */
  readonly readOf?: { readonly resource: string; readonly at: string };
}

export interface ReconcileCommit {
  /** The event was already processed: nothing was written. */
  readonly duplicate: boolean;
  /** A judgement resting on a newer read of the resource was committed first: only the dedupe record was written. */
  readonly superseded?: boolean;
  readonly output: ReconcileOutput;
}

export interface FindingQuery {
  readonly project?: string;
  readonly states?: readonly FindingState[];
  readonly minimumSeverity?: Severity;
  readonly ruleId?: string;
  readonly resource?: string;
  /** ISO time: findings whose lastSeenAt is at or after it. */
  readonly since?: string;
  readonly limit?: number;
}

export interface FindingStore {
  /**
   * Reads the current findings of `resources`, calls `decide` with them and commits what it returns (findings,
   * history, outbox) atomically, with the event's dedupe record. Retries `decide` on contention, so it must be pure.
   */
  reconcile(
    request: ReconcileRequest,
    decide: (previous: readonly Finding[]) => ReconcileOutput,
  ): Promise<ReconcileCommit>;
  query(query: FindingQuery): Promise<Finding[]>;
  history(findingId: string): Promise<HistoryRecord[]>;
  /** Alerts written but not yet marked sent, oldest first. */
  pendingAlerts(limit: number): Promise<AlertRecord[]>;
  /**
   * Atomically marks these alerts as claimed by `claimant` unless another claim younger than `leaseMs` holds them;
   * returns the ones this claimant now holds (so two invocations never send the same digest).
   */
  claimAlerts(ids: readonly string[], claimant: string, leaseMs: number, now: string): Promise<AlertRecord[]>;
  markAlertsSent(ids: readonly string[], at: string): Promise<void>;
}
