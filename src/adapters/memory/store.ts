// In-memory stores: one database behind the four store ports (judgement commit, snapshots, finding queries, outbox),
// the same contract as Firestore's, for unit tests and offline runs. Writes are counted as Firestore would bill them.

import type { AlertRecord } from '../../domain/alert.js';
import type { Finding, FindingState, HistoryRecord } from '../../domain/finding.js';
import { isAtLeast } from '../../domain/severity.js';
import type { FindingQueries, FindingQuery } from '../../ports/finding-queries.js';
import {
  type JudgementCommit,
  type JudgementRequest,
  type JudgementStore,
  NOTHING_WRITTEN,
} from '../../ports/judgement-store.js';
import type { Outbox } from '../../ports/outbox.js';
import {
  isNewerThan,
  newlyReferenced,
  type ResourceSnapshot,
  type SnapshotReader,
  type SnapshotsWithLists,
  snapshotVersion,
  storedVersion,
} from '../../ports/snapshots.js';
import type { Stores } from '../../ports/stores.js';

interface OutboxEntry {
  readonly alert: AlertRecord;
  sentAt: string | null;
  claim: { claimant: string; at: number } | null;
}

export class MemoryStore implements JudgementStore, SnapshotReader, FindingQueries, Outbox, Stores {
  readonly findings = this;
  readonly judgements = this;
  readonly snapshots = this;
  readonly outbox = this;
  readonly findingsById = new Map<string, Finding>();
  readonly histories = new Map<string, HistoryRecord[]>();
  readonly alerts = new Map<string, OutboxEntry>();
  readonly events = new Map<string, string | undefined>();
  readonly snapshotsByName = new Map<string, ResourceSnapshot>();
  /** Target -> names saved as pointing at it (never pruned, as on Firestore). */
  readonly listedReferrers = new Map<string, Set<string>>();
  /** Number of document writes, counted like Firestore would bill them. */
  writes = 0;
  // A promise chain serialises commits, as a Firestore transaction would.
  private queue: Promise<unknown> = Promise.resolve();

  async isProcessed(eventId: string): Promise<boolean> {
    return this.events.has(eventId);
  }

  commit(request: JudgementRequest): Promise<JudgementCommit> {
    const run = async (): Promise<JudgementCommit> => this.commitNow(request);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private commitNow(request: JudgementRequest): JudgementCommit {
    const nothing = { output: NOTHING_WRITTEN, snapshotsWritten: 0 };
    if (request.eventId && this.events.has(request.eventId)) return { duplicate: true, ...nothing };
    const { observed } = request;
    if (observed && isNewerThan(this.snapshotsByName.get(observed.name), observed)) {
      if (request.eventId) {
        this.events.set(request.eventId, request.eventExpiresAt);
        this.writes += 1;
      }
      return { duplicate: false, superseded: true, ...nothing };
    }
    const moved = [
      ...Object.entries(request.basis ?? {}).flatMap(([name, version]) =>
        storedVersion(this.snapshotsByName.get(name)) === version ? [] : [name],
      ),
      ...(request.fresh ?? []).flatMap((snapshot) =>
        isNewerThan(this.snapshotsByName.get(snapshot.name), snapshot) ? [snapshot.name] : [],
      ),
    ];
    if (moved.length > 0) return { duplicate: false, moved: [...new Set(moved)], ...nothing };
    const wanted = new Set(request.resources);
    const previous = [...this.findingsById.values()].filter((finding) => wanted.has(finding.resource));
    const output = request.decide(previous);
    const { saved, listedOn } = this.store([...(request.fresh ?? []), ...(observed ? [observed] : [])]);
    // Counted as Firestore bills this commit: each snapshot, and one index document for each resource that newly
    // lists a referrer or a finding (FirestoreJudgementStore keeps both there).
    const indexDocuments = new Set([
      ...listedOn,
      ...output.writes
        .filter((write) => !this.findingsById.has(write.finding.id))
        .map((write) => write.finding.resource),
    ]);
    this.writes += saved.size + indexDocuments.size;
    for (const write of output.writes) {
      this.findingsById.set(write.finding.id, write.finding);
      this.histories.set(write.finding.id, [...(this.histories.get(write.finding.id) ?? []), write.history]);
      this.writes += 2;
      if (write.alert && !this.alerts.has(write.alert.id)) {
        this.alerts.set(write.alert.id, { alert: write.alert, sentAt: null, claim: null });
        this.writes += 1;
      }
    }
    if (request.eventId) {
      this.events.set(request.eventId, request.eventExpiresAt);
      this.writes += 1;
    }
    return { duplicate: false, output, snapshotsWritten: saved.size };
  }

  /** Stores the snapshots whose version changed (the last of a name wins); says what it wrote and listed. */
  private store(snapshots: readonly ResourceSnapshot[]): { saved: Set<string>; listedOn: Set<string> } {
    const saved = new Set<string>();
    const listedOn = new Set<string>();
    const latest = new Map(snapshots.map((snapshot) => [snapshot.name, snapshot]));
    for (const snapshot of latest.values()) {
      const existing = this.snapshotsByName.get(snapshot.name);
      if (existing && snapshotVersion(existing) === snapshotVersion(snapshot)) continue;
      const { referrers: _readBackOnly, ...stored } = snapshot;
      this.snapshotsByName.set(snapshot.name, stored);
      saved.add(snapshot.name);
      for (const target of newlyReferenced(snapshot, existing?.references)) {
        this.listedReferrers.set(target, (this.listedReferrers.get(target) ?? new Set()).add(snapshot.name));
        listedOn.add(target);
      }
    }
    return { saved, listedOn };
  }

  async get(names: readonly string[]): Promise<ResourceSnapshot[]> {
    return names.flatMap((name) => {
      const snapshot = this.snapshotsByName.get(name);
      const referrers = this.listedReferrers.get(name);
      if (!snapshot) return [];
      return [referrers ? { ...snapshot, referrers: [...referrers] } : snapshot];
    });
  }

  async referrersOf(names: readonly string[]): Promise<ResourceSnapshot[]> {
    const wanted = new Set(names);
    return [...this.snapshotsByName.values()].filter(
      (snapshot) => !snapshot.deleted && snapshot.references.some((reference) => wanted.has(reference)),
    );
  }

  async getWithLists(names: readonly string[], listsOf: readonly string[]): Promise<SnapshotsWithLists> {
    const lists = new Map<string, readonly string[]>();
    for (const point of listsOf) {
      const referrers = this.listedReferrers.get(point);
      if (referrers && referrers.size > 0) lists.set(point, [...referrers]);
    }
    return { snapshots: await this.get(names), lists };
  }

  async namesOfProject(project: string): Promise<string[]> {
    return [...this.snapshotsByName.values()]
      .filter((snapshot) => !snapshot.deleted && snapshot.project === project)
      .map((snapshot) => snapshot.name);
  }

  async resourcesWithFindings(project: string, states: readonly FindingState[]): Promise<string[]> {
    const found = [...this.findingsById.values()].filter(
      (finding) => finding.project === project && states.includes(finding.state),
    );
    return [...new Set(found.map((finding) => finding.resource))];
  }

  async query(query: FindingQuery): Promise<Finding[]> {
    const matches = [...this.findingsById.values()].filter(
      (finding) =>
        (!query.project || finding.project === query.project) &&
        (!query.states || query.states.includes(finding.state)) &&
        (!query.minimumSeverity || isAtLeast(finding.severity, query.minimumSeverity)) &&
        (!query.ruleId || finding.ruleId === query.ruleId) &&
        (!query.resource || finding.resource === query.resource) &&
        (!query.id || finding.id === query.id) &&
        (!query.since || finding.state !== 'resolved' || finding.lastSeenAt >= query.since),
    );
    return matches.slice(0, query.limit ?? matches.length);
  }

  async history(findingId: string): Promise<HistoryRecord[]> {
    return [...(this.histories.get(findingId) ?? [])];
  }

  async pendingAlerts(limit: number): Promise<AlertRecord[]> {
    return [...this.alerts.values()]
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
      const entry = this.alerts.get(id);
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
      const entry = this.alerts.get(id);
      if (entry) {
        entry.sentAt = at;
        this.writes += 1;
      }
    }
  }
}
