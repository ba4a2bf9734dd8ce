// Port: the one place a judgement is stored. One commit writes, in one transaction, the dedupe mark of the log entry,
// the findings, their history and outbox entries, and the snapshots the judgement read fresh, after checking that
// what it was judged from (the snapshots of its neighbours, the read watermarks) has not moved meanwhile.

import type { Finding } from '../domain/finding.js';
import type { ReconcileOutput } from '../engine/reconcile.js';
import type { ResourceSnapshot } from './snapshots.js';

/**
 * What the judgement decides once it sees the stored findings: pure (reconcile, drift attribution), handed in by the
 * use case and run inside the transaction, possibly more than once on contention. The adapter knows no rule.
 */
export type Decide = (previous: readonly Finding[]) => ReconcileOutput;

export interface JudgementRequest {
  /** Resources whose stored findings `decide` sees (and may change). */
  readonly resources: readonly string[];
  readonly decide: Decide;
  /** The log entry being acted on: recorded in the same transaction; a second delivery finds it and does nothing. */
  readonly eventId?: string;
  /** When the dedupe record may be deleted (a Firestore TTL field). */
  readonly eventExpiresAt?: string;
  /**
   * The fresh read of the resource an event changed (`observedAt`: when the read started), stored as its snapshot in
   * the same commit, so the snapshot is also the resource's read watermark. Concurrent events on one resource commit
   * in any order; one whose read is older than the stored snapshot is superseded: nothing but its dedupe record is
   * written, so the newest read always has the last word. An unchanged resource (same hash, same deleted flag) is not
   * rewritten: every change to a Compute resource renews its fingerprint and every change to an API Gateway resource
   * its updateTime, so a read between two reads of the same content saw that content too.
   */
  readonly observed?: ResourceSnapshot;
  /**
   * Other fresh reads the judgement rests on, stored with it when their content changed (the neighbours an event read
   * live, every resource a sweep read). A read never overwrites a newer one: when the stored snapshot was observed
   * after one of these, the judgement moved (below).
   */
  readonly fresh?: readonly ResourceSnapshot[];
  /**
   * The stored snapshots the judgement read (name -> `snapshotVersion`, or ABSENT_VERSION for none). When any of them
   * has changed by commit time, or a `fresh` read is older than what is stored, the judgement rests on a
   * neighbourhood that moved: nothing is written, not even the dedupe record, and the commit names what moved, so
   * the caller judges again from fresh reads (an event) or leaves those resources to the newer judgement (a sweep).
   */
  readonly basis?: Readonly<Record<string, string>>;
  /**
   * The resources that had stored findings (any state) when the caller looked, before judging: a resource whose
   * findings are not listed (never judged since the lists were kept) is then looked up by query only when it is in
   * here. A sweep reads these names once for the project and so spares a query per never-judged resource (a first
   * sweep's every resource). Findings written since that read are listed, so none is missed; without it, every
   * unlisted resource is queried.
   */
  readonly unlistedWithFindings?: ReadonlySet<string>;
}

export interface JudgementCommit {
  /** The event was already processed: nothing was written. */
  readonly duplicate: boolean;
  /** A newer read of the changed resource was committed first: only the dedupe record was written. */
  readonly superseded?: boolean;
  /** What moved since it was read (see `basis` and `fresh`): nothing was written. */
  readonly moved?: readonly string[];
  /** The transitions written (with their history and alerts), and the failing findings left as they were. */
  readonly output: ReconcileOutput;
  /** Snapshots written (`observed` and `fresh` whose content changed). */
  readonly snapshotsWritten: number;
}

export interface JudgementStore {
  /** True when this log entry's judgement was committed (or superseded) already: a redelivery need not re-read. */
  isProcessed(eventId: string): Promise<boolean>;
  /** Reads the findings of `resources`, checks the basis, runs `decide` and writes it all atomically. */
  commit(request: JudgementRequest): Promise<JudgementCommit>;
}

/** A commit that wrote nothing (duplicate, superseded or moved). */
export const NOTHING_WRITTEN: ReconcileOutput = { writes: [], unchanged: 0 };
