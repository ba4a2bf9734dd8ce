// Port: where findings, their history, the alert outbox and processed events live (Firestore; in memory for tests).

import type { AlertRecord } from '../domain/alert.js';
import type { Finding, FindingState, HistoryRecord } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import type { ReconcileOutput } from '../engine/reconcile.js';
import type { ResourceSnapshot } from './snapshot-store.js';

export interface ReconcileRequest {
  /** Resources whose stored findings `decide` sees (and may change). */
  readonly resources: readonly string[];
  /** The log entry being acted on: recorded in the same transaction; a second delivery finds it and does nothing. */
  readonly eventId?: string;
  /** When the dedupe record may be deleted (a Firestore TTL field). */
  readonly eventExpiresAt?: string;
  /**
   * The fresh read of the changed resource the judgement rests on (`observedAt`: when the read started). It is stored
   * as that resource's snapshot in the same commit, so the snapshot is also the resource's read watermark. Concurrent
   * events on one resource commit in any order; one whose read is older than the stored snapshot is superseded:
   * nothing but its dedupe record is written, so the newest read always has the last word. An unchanged resource
   * (same hash, same deleted flag) is not rewritten: every change to a Compute resource renews its fingerprint and
   * every change to an API Gateway resource its updateTime, so a read between two reads of the same content saw that
   * content too.
   */
  readonly observed?: ResourceSnapshot;
  /**
   * The stored snapshots the judgement read for the neighbours (name -> `snapshotVersion`). When any of them has
   * changed by commit time, the judgement rests on a neighbourhood that moved: nothing is written, not even the dedupe
   * record, and the commit names what moved, so the caller judges again from fresh reads.
   */
  readonly basis?: Readonly<Record<string, string>>;
}

export interface ReconcileCommit {
  /** The event was already processed: nothing was written. */
  readonly duplicate: boolean;
  /** A newer read of the resource was committed first: only the dedupe record was written. */
  readonly superseded?: boolean;
  /** Neighbours whose snapshots changed after the judgement read them (see `basis`): nothing was written. */
  readonly moved?: readonly string[];
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
  /** True when this log entry's judgement was committed (or superseded) already: a redelivery need not re-read. */
  isProcessed(eventId: string): Promise<boolean>;
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
