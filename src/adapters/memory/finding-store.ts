// In-memory FindingStore: the same contract as the Firestore one, for unit tests and offline runs.

import type { AlertRecord } from '../../domain/alert.js';
import type { Finding, HistoryRecord } from '../../domain/finding.js';
import { isAtLeast } from '../../domain/severity.js';
import type { ReconcileOutput } from '../../engine/reconcile.js';
import type {
  FindingQuery,
  FindingStore,
  ReconcileCommit,
  ReconcileRequest,
} from '../../ports/finding-store.js';
import { snapshotVersion } from '../../ports/snapshot-store.js';
import { MemorySnapshotStore } from './snapshot-store.js';

interface OutboxEntry {
  readonly alert: AlertRecord;
  sentAt: string | null;
  claim: { claimant: string; at: number } | null;
}

export class MemoryFindingStore implements FindingStore {
  readonly findings = new Map<string, Finding>();
  readonly histories = new Map<string, HistoryRecord[]>();
  readonly outbox = new Map<string, OutboxEntry>();
  readonly events = new Map<string, string | undefined>();
  /** Where `ReconcileRequest.observed` is stored (a MemorySnapshotStore shared with the event path, or its own). */
  readonly snapshots: MemorySnapshotStore;
  /** Number of document writes, counted like Firestore would bill them. */
  writes = 0;
  // A promise chain serialises reconciles, as a Firestore transaction would.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: { readonly snapshots?: MemorySnapshotStore } = {}) {
    this.snapshots = options.snapshots ?? new MemorySnapshotStore();
  }

  async isProcessed(eventId: string): Promise<boolean> {
    return this.events.has(eventId);
  }

  reconcile(
    request: ReconcileRequest,
    decide: (previous: readonly Finding[]) => ReconcileOutput,
  ): Promise<ReconcileCommit> {
    const run = async (): Promise<ReconcileCommit> => {
      if (request.eventId && this.events.has(request.eventId)) {
        return { duplicate: true, output: { writes: [], unchanged: 0 } };
      }
      const observed = request.observed;
      const stored = observed ? this.snapshots.snapshots.get(observed.name) : undefined;
      if (observed && stored && stored.observedAt > observed.observedAt) {
        if (request.eventId) this.events.set(request.eventId, request.eventExpiresAt);
        return { duplicate: false, superseded: true, output: { writes: [], unchanged: 0 } };
      }
      const moved = Object.entries(request.basis ?? {}).flatMap(([name, version]) => {
        const stored = this.snapshots.snapshots.get(name);
        return stored && snapshotVersion(stored) === version ? [] : [name];
      });
      if (moved.length > 0) return { duplicate: false, moved, output: { writes: [], unchanged: 0 } };
      const wanted = new Set(request.resources);
      const previous = [...this.findings.values()].filter((finding) => wanted.has(finding.resource));
      const output = decide(previous);
      // Counted as Firestore bills this commit (here, not in the snapshot store's count, as on Firestore): the
      // snapshot, and one index document for each resource that newly lists a referrer (the observed resource's new
      // references) or a finding (FirestoreFindingStore keeps both there).
      const { saved, listedOn } = observed
        ? this.snapshots.store([observed])
        : { saved: new Set<string>(), listedOn: new Set<string>() };
      const indexDocuments = new Set([
        ...listedOn,
        ...output.writes
          .filter((write) => !this.findings.has(write.finding.id))
          .map((write) => write.finding.resource),
      ]);
      this.writes += saved.size + indexDocuments.size;
      for (const write of output.writes) {
        this.findings.set(write.finding.id, write.finding);
        this.histories.set(write.finding.id, [
          ...(this.histories.get(write.finding.id) ?? []),
          write.history,
        ]);
        this.writes += 2;
        if (write.alert && !this.outbox.has(write.alert.id)) {
          this.outbox.set(write.alert.id, { alert: write.alert, sentAt: null, claim: null });
          this.writes += 1;
        }
      }
      if (request.eventId) {
        this.events.set(request.eventId, request.eventExpiresAt);
        this.writes += 1;
      }
      return { duplicate: false, output };
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  async query(query: FindingQuery): Promise<Finding[]> {
    const matches = [...this.findings.values()].filter(
      (finding) =>
        (!query.project || finding.project === query.project) &&
        (!query.states || query.states.includes(finding.state)) &&
        (!query.minimumSeverity || isAtLeast(finding.severity, query.minimumSeverity)) &&
        (!query.ruleId || finding.ruleId === query.ruleId) &&
        (!query.resource || finding.resource === query.resource) &&
        (!query.since || finding.lastSeenAt >= query.since),
    );
    return matches.slice(0, query.limit ?? matches.length);
  }

  async history(findingId: string): Promise<HistoryRecord[]> {
    return [...(this.histories.get(findingId) ?? [])];
  }

  async pendingAlerts(limit: number): Promise<AlertRecord[]> {
    return [...this.outbox.values()]
      .filter((entry) => entry.sentAt === null)
      .map((entry) => entry.alert)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .slice(0, limit);
  }

  async claimAlerts(
    ids: readonly string[],
    claimant: string,
    leaseMs: number,
    now: string,
  ): Promise<AlertRecord[]> {
    const at = Date.parse(now);
    const claimed: AlertRecord[] = [];
    for (const id of ids) {
      const entry = this.outbox.get(id);
      if (!entry || entry.sentAt) continue;
      if (entry.claim && entry.claim.claimant !== claimant && at - entry.claim.at < leaseMs) continue;
      entry.claim = { claimant, at };
      this.writes += 1;
      claimed.push(entry.alert);
    }
    return claimed;
  }

  async markAlertsSent(ids: readonly string[], at: string): Promise<void> {
    for (const id of ids) {
      const entry = this.outbox.get(id);
      if (entry) {
        entry.sentAt = at;
        this.writes += 1;
      }
    }
  }
}
