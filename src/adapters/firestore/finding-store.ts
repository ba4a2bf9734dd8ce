// FindingStore on Firestore: findings, their history, the alert outbox and processed events (DESIGN.md §3).
// Times are stored as Firestore Timestamps (TTL on `events.expiresAt` needs one, and range queries on
// `lastSeenAt` compare them natively); the port still speaks ISO strings. `lastChange.at` is the audit entry's own
// time and is kept verbatim as text.

import {
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  FieldValue,
  type Firestore,
  type Query,
  Timestamp,
  type Transaction,
} from '@google-cloud/firestore';
import type { AlertRecord } from '../../domain/alert.js';
import type {
  ChangeAttribution,
  Finding,
  FindingState,
  HistoryRecord,
  Transition,
} from '../../domain/finding.js';
import { isAtLeast, type Severity } from '../../domain/severity.js';
import { type FindingWrite, stableJson } from '../../engine/reconcile.js';
import type {
  FindingQuery,
  FindingStore,
  ReconcileCommit,
  ReconcileRequest,
} from '../../ports/finding-store.js';
import { snapshotVersion } from '../../ports/snapshot-store.js';
import {
  chunksOf,
  decodeMap,
  documentIdOf,
  encodeMap,
  isoOf,
  isoOrNull,
  isUsableDocumentId,
  MAX_DOCUMENT_BYTES,
  storedSizeOf,
  timestampOf,
  trimEvidence,
} from './encoding.js';
import { INDEX, RESOURCES, resourceDocument, snapshotWrites, storedStateOf } from './snapshot-store.js';

export interface FirestoreStoreOptions {
  /** Prepended to every top-level collection name, so parallel test runs share one emulator without colliding. */
  readonly collectionPrefix?: string;
  /** Transaction attempts before contention is reported (the SDK's default of 5 is low for a burst on one resource). */
  readonly maxAttempts?: number;
}

/** Firestore's `in` filter takes at most 30 values. */
const IN_CHUNK = 30;
/** Documents per getAll inside a transaction. */
const READ_CHUNK = 300;
/** What a transaction reads of a resource's documents (`resources/{id}`, `resourceIndex/{id}`): never its data. */
const RESOURCE_STATE_FIELDS = [
  'name',
  'hash',
  'deleted',
  'references',
  'observedAt',
  'findingIds',
  'findingsListed',
];
/** Room left for the outbox copy of a finding (alert fields, attribution) under the 1 MiB document limit. */
const DOCUMENT_MARGIN_BYTES = 32 * 1024;
const ALREADY_EXISTS = 6;

interface StoredFinding {
  readonly finding: Finding;
  /** Transitions recorded so far: orders history and proves it has no gaps. */
  readonly revision: number;
  readonly data: DocumentData;
}

export class FirestoreFindingStore implements FindingStore {
  /** Documents written (committed), counted as Firestore bills them. */
  writes = 0;
  private readonly names: { findings: string; outbox: string; events: string };
  private readonly maxAttempts: number;
  private readonly prefix: string;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    const prefix = options.collectionPrefix ?? '';
    this.prefix = prefix;
    this.names = {
      findings: `${prefix}findings`,
      outbox: `${prefix}outbox`,
      events: `${prefix}events`,
    };
    this.maxAttempts = options.maxAttempts ?? 20;
  }

  async reconcile(
    request: ReconcileRequest,
    decide: Parameters<FindingStore['reconcile']>[1],
  ): Promise<ReconcileCommit> {
    let byQuery = false;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.reconcileOnce(request, decide, byQuery);
      } catch (error) {
        // A finding we did not see exists: created by a concurrent transaction after our read, or missing from its
        // resource's list (written before the lists were kept). Run again, finding them by query this time; that
        // attempt also lists what it found.
        if ((error as { code?: unknown }).code !== ALREADY_EXISTS || attempt >= this.maxAttempts) throw error;
        byQuery = true;
      }
    }
  }

  async isProcessed(eventId: string): Promise<boolean> {
    return (await this.eventRef(eventId).get()).exists;
  }

  private async reconcileOnce(
    request: ReconcileRequest,
    decide: Parameters<FindingStore['reconcile']>[1],
    byQuery: boolean,
  ): Promise<ReconcileCommit> {
    let written = 0;
    const commit = await this.db.runTransaction(
      async (tx): Promise<ReconcileCommit> => {
        written = 0;
        const eventRef = request.eventId ? this.eventRef(request.eventId) : undefined;
        const observed = request.observed;
        const resources = [
          ...new Set([
            ...request.resources,
            ...(observed ? [observed.name] : []),
            ...Object.keys(request.basis ?? {}),
          ]),
        ];
        // One read for the dedupe record and the snapshot of every resource judged: the changed one's is its read
        // watermark, a neighbour's says whether it changed since it was judged, and each lists its findings.
        const [eventDoc, ...resourceDocs] = await readTogether(
          tx,
          RESOURCE_STATE_FIELDS,
          eventRef,
          ...resources.flatMap((name) => [
            resourceDocument(this.db, this.prefix, RESOURCES, name),
            resourceDocument(this.db, this.prefix, INDEX, name),
          ]),
        );
        if (eventDoc?.exists) return { duplicate: true, output: { writes: [], unchanged: 0 } };
        const resourceDoc = new Map(resources.map((name, index) => [name, resourceDocs[2 * index]]));
        const indexDoc = new Map(resources.map((name, index) => [name, resourceDocs[2 * index + 1]]));
        const readAt = observed ? timestampOf(observed.observedAt, 'observed.observedAt') : undefined;
        const storedAt = observed ? resourceDoc.get(observed.name)?.get('observedAt') : undefined;
        if (readAt && storedAt instanceof Timestamp && storedAt.toMillis() > readAt.toMillis()) {
          if (eventRef && request.eventId) {
            tx.set(eventRef, this.eventRecord(request, 0));
            written += 1;
          }
          return { duplicate: false, superseded: true, output: { writes: [], unchanged: 0 } };
        }
        const moved = Object.entries(request.basis ?? {}).flatMap(([name, version]) => {
          const state = storedStateOf(resourceDoc.get(name)?.data());
          return state && snapshotVersion(state) === version ? [] : [name];
        });
        // Judged from snapshots that have changed since: judge again (not even the dedupe record is written).
        if (moved.length > 0) return { duplicate: false, moved, output: { writes: [], unchanged: 0 } };
        const listedIds = new Map(
          request.resources.map((name) => [
            name,
            listedFindingIds(resourceDoc.get(name), indexDoc.get(name)),
          ]),
        );
        const unlisted = byQuery
          ? request.resources
          : request.resources.filter((name) => !listedIds.get(name));
        const [byId, byResource] = await Promise.all([
          // By query, every resource's findings are found already: the listed IDs would only read them again.
          byQuery
            ? []
            : this.findingsById(
                tx,
                [...listedIds.values()].flatMap((ids) => ids ?? []),
              ),
          unlisted.length > 0 ? this.findingsByQuery(tx, unlisted) : [],
        ]);
        const storedById = new Map([...byId, ...byResource].map((entry) => [entry.finding.id, entry]));
        const output = decide([...storedById.values()].map((entry) => entry.finding));

        const planned = output.writes.map((write) => ({
          write,
          data: encodeFinding(fitFinding(write.finding)),
        }));
        const kept = planned.filter(({ write, data }) => !isNoOp(write, data, storedById));
        const alertRefs = kept.flatMap(({ write }) => (write.alert ? [this.outboxRef(write.alert.id)] : []));
        const existingAlerts = new Set(
          alertRefs.length > 0
            ? (await tx.getAll(...alertRefs))
                .filter((snapshot) => snapshot.exists)
                .map((snapshot) => snapshot.id)
            : [],
        );

        const newlyListed = new Map<string, Set<string>>();
        const list = (resource: string, id: string) => {
          if (listedIds.get(resource)?.includes(id)) return;
          newlyListed.set(resource, (newlyListed.get(resource) ?? new Set()).add(id));
        };
        // Found by query: listed now, so the next judgement reads them by ID.
        for (const entry of byResource) list(entry.finding.resource, entry.finding.id);
        for (const { write, data } of kept) {
          const ref = this.findingRef(write.finding.id);
          const previous = storedById.get(write.finding.id);
          const revision = previous?.revision ?? 0;
          const document = {
            ...data,
            resourceKey: documentIdOf(write.finding.resource),
            revision: revision + 1,
          };
          // `create` for a finding we did not see: a concurrent creator makes this commit fail, not overwrite.
          if (previous) tx.set(ref, document);
          else tx.create(ref, document);
          list(write.finding.resource, write.finding.id);
          tx.create(ref.collection('history').doc(), { ...encodeHistory(write.history), revision });
          written += 2;
          if (write.alert && !existingAlerts.has(write.alert.id)) {
            const alertFinding =
              write.alert.finding === write.finding ? data : encodeFinding(fitFinding(write.alert.finding));
            tx.create(this.outboxRef(write.alert.id), encodeAlert(write.alert, alertFinding));
            existingAlerts.add(write.alert.id);
            written += 1;
          }
        }
        if (eventRef && request.eventId) {
          tx.set(eventRef, this.eventRecord(request, kept.length));
          written += 1;
        }
        // Unchanged content is not rewritten (see ReconcileRequest.observed): the usual event writes one document.
        const storedState = observed ? storedStateOf(resourceDoc.get(observed.name)?.data()) : undefined;
        const snapshotChanges =
          observed && (!storedState || snapshotVersion(storedState) !== snapshotVersion(observed))
            ? [{ snapshot: observed, stored: storedState }]
            : [];
        for (const write of snapshotWrites(snapshotChanges, newlyListed)) {
          tx.set(resourceDocument(this.db, this.prefix, write.collection, write.name), write.data, {
            merge: write.merge,
          });
          written += 1;
        }
        return {
          duplicate: false,
          output: {
            writes: kept.map(({ write }) => write),
            unchanged: output.unchanged + (planned.length - kept.length),
          },
        };
      },
      { maxAttempts: this.maxAttempts },
    );
    this.writes += written;
    return commit;
  }

  private async findingsById(tx: Transaction, ids: readonly string[]): Promise<StoredFinding[]> {
    const refs = [...new Set(ids)].filter(isUsableDocumentId).map((id) => this.findingRef(id));
    const docs = await readTogether(tx, undefined, ...refs);
    return docs.flatMap((doc) => (doc?.exists ? [storedFindingOf(doc)] : []));
  }

  private async findingsByQuery(tx: Transaction, resources: readonly string[]): Promise<StoredFinding[]> {
    const keys = [...new Set(resources.map(documentIdOf))];
    const snapshots = await Promise.all(
      chunksOf(keys, IN_CHUNK).map((chunk) =>
        tx.get(this.db.collection(this.names.findings).where('resourceKey', 'in', chunk)),
      ),
    );
    return snapshots.flatMap((snapshot) => snapshot.docs.map(storedFindingOf));
  }

  async query(query: FindingQuery): Promise<Finding[]> {
    if (query.limit !== undefined && query.limit <= 0) return [];
    if (query.states && query.states.length === 0) return [];
    // Equality filters run in Firestore (served by single-field indexes, merged); severity and time filter here,
    // so no combination of options needs a composite index.
    let firestoreQuery: Query = this.db.collection(this.names.findings);
    if (query.project) firestoreQuery = firestoreQuery.where('project', '==', query.project);
    if (query.ruleId) firestoreQuery = firestoreQuery.where('ruleId', '==', query.ruleId);
    if (query.resource) {
      firestoreQuery = firestoreQuery.where('resourceKey', '==', documentIdOf(query.resource));
    }
    if (query.states) {
      firestoreQuery =
        query.states.length === 1
          ? firestoreQuery.where('state', '==', query.states[0])
          : firestoreQuery.where('state', 'in', [...query.states]);
    }
    const filtersHere = query.minimumSeverity !== undefined || query.since !== undefined;
    if (query.limit !== undefined && !filtersHere) firestoreQuery = firestoreQuery.limit(query.limit);
    const snapshot = await firestoreQuery.get();
    const since = query.since ? Date.parse(query.since) : undefined;
    const minimum = query.minimumSeverity;
    const matches = snapshot.docs
      .map((doc) => storedFindingOf(doc).finding)
      .filter(
        (finding) =>
          (!minimum || isAtLeast(finding.severity, minimum)) &&
          (since === undefined || Date.parse(finding.lastSeenAt) >= since),
      );
    return matches.slice(0, query.limit ?? matches.length);
  }

  async history(findingId: string): Promise<HistoryRecord[]> {
    if (!isUsableDocumentId(findingId)) return [];
    const snapshot = await this.findingRef(findingId).collection('history').orderBy('revision').get();
    return snapshot.docs.map((doc) => decodeHistory(doc.data()));
  }

  async pendingAlerts(limit: number): Promise<AlertRecord[]> {
    if (limit <= 0) return [];
    // Needs the composite index (sentAt ASC, createdAt ASC) in production; see client.ts.
    const snapshot = await this.db
      .collection(this.names.outbox)
      .where('sentAt', '==', null)
      .orderBy('createdAt')
      .limit(limit)
      .get();
    return snapshot.docs.map((doc) => decodeAlert(doc.id, doc.data()));
  }

  async claimAlerts(
    ids: readonly string[],
    claimant: string,
    leaseMs: number,
    now: string,
  ): Promise<AlertRecord[]> {
    const refs = [...new Set(ids)].filter(isUsableDocumentId).map((id) => this.outboxRef(id));
    if (refs.length === 0) return [];
    const at = timestampOf(now, 'now');
    let written = 0;
    const claimed = await this.db.runTransaction(
      async (tx) => {
        written = 0;
        const snapshots = await tx.getAll(...refs);
        const mine: AlertRecord[] = [];
        for (const snapshot of snapshots) {
          const data = snapshot.data();
          if (!data || data.sentAt) continue;
          const claim = data.claim as { claimant: string; at: Timestamp } | null | undefined;
          const heldByOther =
            claim && claim.claimant !== claimant && at.toMillis() - claim.at.toMillis() < leaseMs;
          if (heldByOther) continue;
          tx.update(snapshot.ref, { claim: { claimant, at } });
          written += 1;
          mine.push(decodeAlert(snapshot.id, data));
        }
        return mine;
      },
      { maxAttempts: this.maxAttempts },
    );
    this.writes += written;
    return claimed;
  }

  async markAlertsSent(ids: readonly string[], at: string): Promise<void> {
    const refs = [...new Set(ids)].filter(isUsableDocumentId).map((id) => this.outboxRef(id));
    if (refs.length === 0) return;
    const sentAt = timestampOf(at, 'at');
    const existing = (await this.db.getAll(...refs)).filter((snapshot) => snapshot.exists);
    if (existing.length === 0) return;
    const batch = this.db.batch();
    for (const snapshot of existing) batch.update(snapshot.ref, { sentAt });
    await batch.commit();
    this.writes += existing.length;
  }

  private eventRecord(request: ReconcileRequest, transitions: number): DocumentData {
    return {
      entryId: request.eventId,
      processedAt: FieldValue.serverTimestamp(),
      transitions,
      ...(request.eventExpiresAt ? { expiresAt: timestampOf(request.eventExpiresAt, 'eventExpiresAt') } : {}),
    };
  }

  private eventRef(entryId: string): DocumentReference {
    return this.db.collection(this.names.events).doc(documentIdOf(entryId));
  }

  private findingRef(id: string): DocumentReference {
    if (!isUsableDocumentId(id)) throw new Error(`finding ID ${JSON.stringify(id)} cannot be a document ID`);
    return this.db.collection(this.names.findings).doc(id);
  }

  private outboxRef(id: string): DocumentReference {
    if (!isUsableDocumentId(id)) throw new Error(`alert ID ${JSON.stringify(id)} cannot be a document ID`);
    return this.db.collection(this.names.outbox).doc(id);
  }
}

/**
 * Reads the documents that are given (only `fields` of them, or whole when undefined), 300 per round trip; an absent
 * reference reads undefined.
 */
async function readTogether(
  tx: Transaction,
  fields: readonly string[] | undefined,
  ...refs: (DocumentReference | undefined)[]
): Promise<(DocumentSnapshot | undefined)[]> {
  const present = refs.filter((ref): ref is DocumentReference => ref !== undefined);
  const options = fields ? [{ fieldMask: [...fields] }] : [];
  const docs = (
    await Promise.all(chunksOf(present, READ_CHUNK).map((chunk) => tx.getAll(...chunk, ...options)))
  ).flat();
  const byPath = new Map(docs.map((doc) => [doc.ref.path, doc]));
  return refs.map((ref) => (ref ? byPath.get(ref.path) : undefined));
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

/** Trims evidence so the finding, and the outbox entry that copies it, stay under Firestore's document limit. */
function fitFinding(finding: Finding): Finding & { evidence: Record<string, unknown> } {
  const evidence = encodeMap(finding.evidence);
  const rest = storedSizeOf(encodeFinding({ ...finding, evidence: {} }));
  const budget = MAX_DOCUMENT_BYTES - DOCUMENT_MARGIN_BYTES - rest;
  return { ...finding, evidence: trimEvidence(evidence, budget).evidence };
}

/** Finding -> document fields; `evidence` must already be encoded (see fitFinding). */
function encodeFinding(finding: Finding): DocumentData {
  return {
    ruleId: finding.ruleId,
    resource: finding.resource,
    resourceType: finding.resourceType,
    project: finding.project,
    location: finding.location,
    subKey: finding.subKey,
    severity: finding.severity,
    state: finding.state,
    message: finding.message,
    evidence: finding.evidence,
    // A stored finding comes from reconcile, which always records first seen; only scans leave it null.
    firstSeenAt: timestampOf(finding.firstSeenAt ?? finding.lastSeenAt, 'firstSeenAt'),
    lastSeenAt: timestampOf(finding.lastSeenAt, 'lastSeenAt'),
    resolvedAt: finding.resolvedAt === null ? null : timestampOf(finding.resolvedAt, 'resolvedAt'),
    reopenCount: finding.reopenCount,
    lastChange: encodeChange(finding.lastChange),
    ...(finding.exemption === undefined
      ? {}
      : { exemption: finding.exemption ? { ...finding.exemption } : null }),
  };
}

function storedFindingOf(doc: DocumentSnapshot): StoredFinding {
  const data = doc.data() ?? {};
  return { finding: decodeFinding(doc.id, data), revision: Number(data.revision ?? 0), data };
}

function decodeFinding(id: string, data: DocumentData): Finding {
  return {
    id,
    ruleId: String(data.ruleId),
    resource: String(data.resource),
    resourceType: String(data.resourceType),
    project: String(data.project),
    location: String(data.location),
    subKey: (data.subKey as string | null | undefined) ?? null,
    severity: data.severity as Severity,
    state: data.state as FindingState,
    message: String(data.message),
    evidence: decodeMap(data.evidence),
    firstSeenAt: isoOf(data.firstSeenAt),
    lastSeenAt: isoOf(data.lastSeenAt),
    resolvedAt: isoOrNull(data.resolvedAt),
    reopenCount: Number(data.reopenCount ?? 0),
    lastChange: decodeChange(data.lastChange),
    ...('exemption' in data ? { exemption: (data.exemption as Finding['exemption']) ?? null } : {}),
  };
}

function encodeChange(change: ChangeAttribution | null): DocumentData | null {
  return change
    ? { method: change.method, actor: change.actor, at: change.at, entryId: change.entryId }
    : null;
}

function decodeChange(value: unknown): ChangeAttribution | null {
  if (!value || typeof value !== 'object') return null;
  const change = value as Record<string, unknown>;
  return {
    method: String(change.method),
    actor: (change.actor as string | null | undefined) ?? null,
    at: String(change.at),
    entryId: String(change.entryId),
  };
}

function encodeHistory(history: HistoryRecord): DocumentData {
  return {
    transition: history.transition,
    from: history.from,
    to: history.to,
    severity: history.severity,
    at: timestampOf(history.at, 'history.at'),
    message: history.message,
    change: encodeChange(history.change),
  };
}

function decodeHistory(data: DocumentData): HistoryRecord {
  return {
    transition: data.transition as Transition,
    from: (data.from as FindingState | null | undefined) ?? null,
    to: data.to as FindingState,
    severity: data.severity as Severity,
    at: isoOf(data.at),
    message: String(data.message),
    change: decodeChange(data.change),
  };
}

function encodeAlert(alert: AlertRecord, findingData: DocumentData): DocumentData {
  return {
    findingId: alert.findingId,
    transition: alert.transition,
    finding: findingData,
    change: encodeChange(alert.change),
    createdAt: timestampOf(alert.createdAt, 'alert.createdAt'),
    sentAt: null,
    claim: null,
  };
}

function decodeAlert(id: string, data: DocumentData): AlertRecord {
  return {
    id,
    findingId: String(data.findingId),
    transition: data.transition as Transition,
    finding: decodeFinding(String(data.findingId), data.finding as DocumentData),
    change: decodeChange(data.change),
    createdAt: isoOf(data.createdAt),
  };
}
