// The judgement commit on Firestore: one transaction reads the dedupe record, the state of every resource judged and
// its findings, checks the versions the judgement was made from, runs the use case's pure `decide`, and writes the
// findings, their history, outbox entries, the snapshots read fresh and the dedupe record (DESIGN.md §3). It knows no
// rule: what to write is decided by the function handed in.

import {
  type DocumentData,
  type DocumentSnapshot,
  FieldValue,
  type Transaction,
} from '@google-cloud/firestore';
import { stableJson } from '../../domain/stable-json.js';
import type { FindingWrite } from '../../engine/reconcile.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import {
  type JudgementCommit,
  type JudgementRequest,
  type JudgementStore,
  NOTHING_WRITTEN,
} from '../../ports/judgement-store.js';
import { jsonLogger, type Logger } from '../../ports/logger.js';
import { retryWithBudget } from '../../ports/retry.js';
import { isNewerThan, snapshotVersion, storedVersion } from '../../ports/snapshots.js';
import {
  encodeAlert,
  encodeFinding,
  encodeHistory,
  fitFinding,
  MalformedFindingError,
  STORED_STATE_FIELDS,
  type StoredFinding,
  type StoredState,
  storedFindingOf,
  storedStateOf,
} from './codecs.js';
import { type Collections, INDEX, RESOURCES, readTogether, snapshotWrites } from './collections.js';
import { chunksOf, documentIdOf, isUsableDocumentId, timestampOf } from './encoding.js';

/** Firestore's `in` filter takes at most 30 values. */
const IN_CHUNK = 30;
/** What a transaction reads of a resource's documents (`resources/{id}`, `resourceIndex/{id}`): never its data. */
const RESOURCE_STATE_FIELDS = [...STORED_STATE_FIELDS, 'findingIds'];
const ALREADY_EXISTS = 6;

/** A stored finding that cannot be decoded (see MalformedFindingError): kept out of the judgement, never lost. */
interface UnreadableFinding {
  readonly id: string;
  readonly resource: unknown;
  readonly revision: number;
  readonly error: MalformedFindingError;
}

/** What the transaction read of the resources judged. */
interface ResourceState {
  readonly stored: ReadonlyMap<string, StoredState | undefined>;
  readonly index: ReadonlyMap<string, DocumentSnapshot | undefined>;
  readonly snapshot: ReadonlyMap<string, DocumentSnapshot | undefined>;
}

export class FirestoreJudgementStore implements JudgementStore {
  constructor(
    private readonly collections: Collections,
    private readonly clock: Clock = systemClock,
    private readonly log: Logger = jsonLogger((line) => process.stderr.write(line)),
  ) {}

  async isProcessed(eventId: string): Promise<boolean> {
    return (await this.collections.event(eventId).get()).exists;
  }

  async commit(request: JudgementRequest): Promise<JudgementCommit> {
    // A finding we did not see exists: created by a concurrent transaction after our read, or missing from its
    // resource's list (written before the lists were kept). Run again at once, finding them by query this time; that
    // attempt also lists what it found.
    const result = await retryWithBudget((attempt) => this.commitOnce(request, attempt > 1), {
      budget: { baseDelayMs: 0, maxDelayMs: 0, maxAttempts: this.collections.maxAttempts },
      clock: this.clock,
      toFailure: (error) => error,
      judge: (error) => ({ retryable: (error as { code?: unknown }).code === ALREADY_EXISTS }),
    });
    if (result.ok) return result.value;
    throw result.last;
  }

  private async commitOnce(request: JudgementRequest, byQuery: boolean): Promise<JudgementCommit> {
    let written = 0;
    const commit = await this.collections.db.runTransaction(
      async (tx): Promise<JudgementCommit> => {
        written = 0;
        const nothing = { output: NOTHING_WRITTEN, snapshotsWritten: 0 };
        const eventRef = request.eventId ? this.collections.event(request.eventId) : undefined;
        const [eventDoc, state] = await this.readState(tx, request, eventRef);
        if (eventDoc?.exists) return { duplicate: true, ...nothing };
        const { observed } = request;
        if (observed && isNewerThan(state.stored.get(observed.name), observed)) {
          if (eventRef) {
            tx.set(eventRef, this.eventRecord(request, 0));
            written += 1;
          }
          return { duplicate: false, superseded: true, ...nothing };
        }
        const moved = movedSince(request, state);
        // Judged from snapshots that have changed since: nothing is written, not even the dedupe record.
        if (moved.length > 0) return { duplicate: false, moved, ...nothing };

        const { storedById, unreadableById, listedIds, foundByQuery } = await this.readFindings(
          tx,
          request,
          state,
          byQuery,
        );
        const output = request.decide([...storedById.values()].map((entry) => entry.finding));
        const planned = output.writes.map((write) => ({
          write,
          data: encodeFinding(fitFinding(write.finding)),
        }));
        const kept = planned.filter(({ write, data }) => !isNoOp(write, data, storedById));
        const alertRefs = kept.flatMap(({ write }) =>
          write.alert ? [this.collections.alert(write.alert.id)] : [],
        );
        const existingAlerts = new Set(
          alertRefs.length > 0
            ? (await tx.getAll(...alertRefs)).filter((doc) => doc.exists).map((doc) => doc.id)
            : [],
        );

        const newlyListed = new Map<string, Set<string>>();
        const list = (resource: string, id: string) => {
          if (listedIds.get(resource)?.includes(id)) return;
          newlyListed.set(resource, (newlyListed.get(resource) ?? new Set()).add(id));
        };
        // Found by query: listed now, so the next judgement reads them by ID.
        for (const entry of foundByQuery)
          if ('finding' in entry) list(entry.finding.resource, entry.finding.id);
        for (const { write, data } of kept) {
          const previous = storedById.get(write.finding.id) ?? unreadableById.get(write.finding.id);
          written += this.writeFinding(tx, write, data, previous, existingAlerts);
          list(write.finding.resource, write.finding.id);
        }
        if (eventRef) {
          tx.set(eventRef, this.eventRecord(request, kept.length));
          written += 1;
        }
        // Unchanged content is not rewritten (see JudgementRequest.observed): the usual event writes one document.
        const changes = changedSnapshots(request, state);
        for (const write of snapshotWrites(changes, newlyListed)) {
          tx.set(this.collections.resource(write.collection, write.name), write.data, { merge: write.merge });
          written += 1;
        }
        return {
          duplicate: false,
          output: {
            writes: kept.map(({ write }) => write),
            unchanged: output.unchanged + (planned.length - kept.length),
          },
          snapshotsWritten: changes.length,
        };
      },
      { maxAttempts: this.collections.maxAttempts },
    );
    this.collections.writes += written;
    return commit;
  }

  /**
   * One read for the dedupe record and the state of every resource the judgement touches: the changed one's snapshot
   * is its read watermark, a neighbour's says whether it changed since it was judged, and each lists its findings.
   */
  private async readState(
    tx: Transaction,
    request: JudgementRequest,
    eventRef: ReturnType<Collections['event']> | undefined,
  ): Promise<[DocumentSnapshot | undefined, ResourceState]> {
    const names = [
      ...new Set([
        ...request.resources,
        ...(request.observed ? [request.observed.name] : []),
        ...(request.fresh ?? []).map((snapshot) => snapshot.name),
        ...Object.keys(request.basis ?? {}),
      ]),
    ];
    const [eventDoc, ...docs] = await readTogether(
      tx,
      RESOURCE_STATE_FIELDS,
      eventRef,
      ...names.flatMap((name) => [
        this.collections.resource(RESOURCES, name),
        this.collections.resource(INDEX, name),
      ]),
    );
    const snapshot = new Map(names.map((name, index) => [name, docs[2 * index]]));
    return [
      eventDoc,
      {
        snapshot,
        index: new Map(names.map((name, index) => [name, docs[2 * index + 1]])),
        stored: new Map(names.map((name) => [name, storedStateOf(snapshot.get(name)?.data())])),
      },
    ];
  }

  /** The stored findings of the judged resources: by the IDs their index documents list, by query where none do. */
  private async readFindings(
    tx: Transaction,
    request: JudgementRequest,
    state: ResourceState,
    byQuery: boolean,
  ) {
    const listedIds = new Map(
      request.resources.map((name) => [
        name,
        listedFindingIds(state.snapshot.get(name), state.index.get(name)),
      ]),
    );
    const mayHaveFindings = (name: string) => request.unlistedWithFindings?.has(name) ?? true;
    const unlisted = byQuery
      ? request.resources
      : request.resources.filter((name) => !listedIds.get(name) && mayHaveFindings(name));
    const [byId, foundByQuery] = await Promise.all([
      // By query, every resource's findings are found already: the listed IDs would only read them again.
      byQuery
        ? []
        : this.findingsById(
            tx,
            [...listedIds.values()].flatMap((ids) => ids ?? []),
          ),
      unlisted.length > 0 ? this.findingsByQuery(tx, unlisted) : [],
    ]);
    const storedById = new Map<string, StoredFinding>();
    const unreadableById = new Map<string, UnreadableFinding>();
    for (const entry of [...byId, ...foundByQuery]) {
      if ('finding' in entry) storedById.set(entry.finding.id, entry);
      else unreadableById.set(entry.id, entry);
    }
    for (const entry of unreadableById.values()) {
      this.log.warn('stored finding left out of the judgement: it cannot be read', {
        findingId: entry.id,
        field: entry.error.field,
        problem: entry.error.message,
      });
    }
    return { storedById, unreadableById, listedIds, foundByQuery };
  }

  /** Writes one transition (finding, history record, and its alert unless already there); returns documents written. */
  private writeFinding(
    tx: Transaction,
    write: FindingWrite,
    data: DocumentData,
    previous: StoredFinding | UnreadableFinding | undefined,
    existingAlerts: Set<string>,
  ): number {
    const ref = this.collections.finding(write.finding.id);
    if (previous && !('finding' in previous)) {
      // Its history stays, and the new record continues its revisions; only the unreadable fields are replaced.
      this.log.warn('stored finding that cannot be read is rewritten by this judgement', {
        findingId: previous.id,
        field: previous.error.field,
        problem: previous.error.message,
        transition: write.history.transition,
      });
    }
    const revision = previous?.revision ?? 0;
    const document = { ...data, resourceKey: documentIdOf(write.finding.resource), revision: revision + 1 };
    // `create` for a finding we did not see: a concurrent creator makes this commit fail, not overwrite.
    if (previous) tx.set(ref, document);
    else tx.create(ref, document);
    tx.create(ref.collection('history').doc(), { ...encodeHistory(write.history), revision });
    if (!write.alert || existingAlerts.has(write.alert.id)) return 2;
    const alertFinding =
      write.alert.finding === write.finding ? data : encodeFinding(fitFinding(write.alert.finding));
    tx.create(this.collections.alert(write.alert.id), encodeAlert(write.alert, alertFinding));
    existingAlerts.add(write.alert.id);
    return 3;
  }

  private async findingsById(
    tx: Transaction,
    ids: readonly string[],
  ): Promise<(StoredFinding | UnreadableFinding)[]> {
    const refs = [...new Set(ids)].filter(isUsableDocumentId).map((id) => this.collections.finding(id));
    const docs = await readTogether(tx, undefined, ...refs);
    return docs.flatMap((doc) => (doc?.exists ? [readStored(doc)] : []));
  }

  private async findingsByQuery(
    tx: Transaction,
    resources: readonly string[],
  ): Promise<(StoredFinding | UnreadableFinding)[]> {
    const keys = [...new Set(resources.map(documentIdOf))];
    const snapshots = await Promise.all(
      chunksOf(keys, IN_CHUNK).map((chunk) =>
        tx.get(this.collections.db.collection(this.collections.findings).where('resourceKey', 'in', chunk)),
      ),
    );
    return snapshots.flatMap((snapshot) => snapshot.docs.map(readStored));
  }

  private eventRecord(request: JudgementRequest, transitions: number): DocumentData {
    return {
      entryId: request.eventId,
      processedAt: FieldValue.serverTimestamp(),
      transitions,
      ...(request.eventExpiresAt ? { expiresAt: timestampOf(request.eventExpiresAt, 'eventExpiresAt') } : {}),
    };
  }
}

/**
 * A stored finding, or what is kept of one that cannot be decoded: throwing here failed the whole transaction, and
 * every retry of the event or sweep after it, for as long as the document stayed malformed.
 */
function readStored(doc: DocumentSnapshot): StoredFinding | UnreadableFinding {
  try {
    return storedFindingOf(doc);
  } catch (error) {
    if (!(error instanceof MalformedFindingError)) throw error;
    const data = doc.data() ?? {};
    const revision = Number(data.revision ?? 0);
    return { id: doc.id, resource: data.resource, revision: Number.isFinite(revision) ? revision : 0, error };
  }
}

/** Names whose stored version is not the one judged from, and fresh reads older than what is stored. */
function movedSince(request: JudgementRequest, state: ResourceState): string[] {
  const moved = [
    ...Object.entries(request.basis ?? {}).flatMap(([name, version]) =>
      storedVersion(state.stored.get(name)) === version ? [] : [name],
    ),
    ...(request.fresh ?? []).flatMap((snapshot) =>
      isNewerThan(state.stored.get(snapshot.name), snapshot) ? [snapshot.name] : [],
    ),
  ];
  return [...new Set(moved)];
}

/** The fresh reads whose content differs from what is stored (the last of a name wins, the observed one last). */
function changedSnapshots(request: JudgementRequest, state: ResourceState) {
  const latest = new Map(
    [...(request.fresh ?? []), ...(request.observed ? [request.observed] : [])].map((snapshot) => [
      snapshot.name,
      snapshot,
    ]),
  );
  return [...latest.values()].flatMap((snapshot) => {
    const stored = state.stored.get(snapshot.name);
    return stored && snapshotVersion(stored) === snapshotVersion(snapshot) ? [] : [{ snapshot, stored }];
  });
}

/**
 * The IDs of the findings listed in a resource's index document; undefined when there is no list and the snapshot
 * does not say it was written since the lists were kept: its findings are found by query then.
 */
function listedFindingIds(
  snapshot: DocumentSnapshot | undefined,
  index: DocumentSnapshot | undefined,
): string[] | undefined {
  const ids = index?.get('findingIds') as unknown;
  if (Array.isArray(ids)) return ids.map(String);
  return snapshot?.get('findingsListed') === true ? [] : undefined;
}

/** An `updated` write whose stored form (trimmed evidence included) equals what is stored changes nothing. */
function isNoOp(
  write: FindingWrite,
  data: DocumentData,
  storedById: ReadonlyMap<string, StoredFinding>,
): boolean {
  if (write.history.transition !== 'updated') return false;
  const previous = storedById.get(write.finding.id)?.data;
  if (!previous) return false;
  const content = (source: DocumentData) =>
    stableJson([source.message, source.severity, source.state, source.evidence, source.exemption ?? null]);
  return content(previous) === content(data);
}
