// SnapshotStore on Firestore: `resources/{hash of the full name}`, with references queried by `array-contains`, and
// `resourceIndex/{same hash}` beside it: the names listed as pointing at the resource (and, kept by
// FirestoreFindingStore, the IDs of its findings), so that `resources/` holds nothing but whole snapshots.

import {
  type DocumentData,
  type DocumentReference,
  FieldValue,
  type Firestore,
} from '@google-cloud/firestore';
import type { ResourceKind } from '../../domain/resource-kind.js';
import type { ApiRecord } from '../../domain/resources.js';
import {
  newlyReferenced,
  type ResourceSnapshot,
  type SnapshotStore,
  snapshotVersion,
} from '../../ports/snapshot-store.js';
import { chunksOf, decodeMap, documentIdOf, encodeMap, isoOf, timestampOf } from './encoding.js';
import type { FirestoreStoreOptions } from './finding-store.js';

/** Keeps one getAll or batch well inside Firestore's 10 MiB request limit for typical API records. */
const CHUNK = 300;
/** Firestore takes at most 500 writes in one batch. */
const BATCH_WRITES = 300;

export class FirestoreSnapshotStore implements SnapshotStore {
  /** Documents written, counted as Firestore bills them. */
  writes = 0;
  private readonly collection: string;
  private readonly prefix: string;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.prefix = options.collectionPrefix ?? '';
    this.collection = `${this.prefix}${RESOURCES}`;
  }

  async get(names: readonly string[]): Promise<ResourceSnapshot[]> {
    const found = await this.read([...new Set(names)]);
    return names.flatMap((name) => {
      const snapshot = found.get(name);
      return snapshot ? [snapshot] : [];
    });
  }

  async referrersOf(names: readonly string[]): Promise<ResourceSnapshot[]> {
    const wanted = new Set(names);
    const keys = [...new Set(names.map((name) => documentIdOf(name)))];
    const found = new Map<string, ResourceSnapshot>();
    // Hashes, not names: Firestore indexes only the first 1,500 bytes of a value, and names can be longer.
    // `array-contains-any` takes at most 30 values, so one query answers a whole level of the spread.
    const answers = await Promise.all(
      chunksOf(keys, 30).map((chunk) =>
        this.db.collection(this.collection).where('referenceKeys', 'array-contains-any', chunk).get(),
      ),
    );
    for (const doc of answers.flatMap((answer) => answer.docs)) {
      const resource = decodeSnapshot(doc.data());
      if (!resource.deleted && resource.references.some((reference) => wanted.has(reference))) {
        found.set(resource.name, resource);
      }
    }
    return [...found.values()];
  }

  async ofProject(project: string): Promise<ResourceSnapshot[]> {
    const snapshot = await this.db
      .collection(this.collection)
      .where('project', '==', project)
      .where('deleted', '==', false)
      .get();
    return snapshot.docs.map((doc) => decodeSnapshot(doc.data()));
  }

  async save(snapshots: readonly ResourceSnapshot[]): Promise<number> {
    // The last snapshot of a name wins, as it would written one by one.
    const latest = new Map(snapshots.map((snapshot) => [snapshot.name, snapshot]));
    const stored = await this.readStoredState([...latest.keys()]);
    const changed = [...latest.values()].filter((snapshot) => {
      const previous = stored.get(snapshot.name);
      return !previous || snapshotVersion(previous) !== snapshotVersion(snapshot);
    });
    const writes = snapshotWrites(
      changed.map((snapshot) => ({ snapshot, stored: stored.get(snapshot.name) })),
    );
    for (const chunk of chunksOf(writes, BATCH_WRITES)) {
      const batch = this.db.batch();
      for (const write of chunk) {
        batch.set(resourceDocument(this.db, this.prefix, write.collection, write.name), write.data, {
          merge: write.merge,
        });
      }
      await batch.commit();
      this.writes += chunk.length;
    }
    return changed.length;
  }

  /** Each snapshot with the referrers listed beside it, in one getAll per 150 names (300 documents). */
  private async read(names: readonly string[]): Promise<Map<string, ResourceSnapshot>> {
    const found = new Map<string, ResourceSnapshot>();
    for (const chunk of chunksOf(names, CHUNK / 2)) {
      const docs = await this.db.getAll(
        ...chunk.flatMap((name) => [
          resourceDocument(this.db, this.prefix, RESOURCES, name),
          resourceDocument(this.db, this.prefix, INDEX, name),
        ]),
      );
      for (let index = 0; index < chunk.length; index += 1) {
        const data = docs[2 * index]?.data();
        if (storedStateOf(data) && data) {
          found.set(String(data.name), decodeSnapshot(data, docs[2 * index + 1]?.data()));
        }
      }
    }
    return found;
  }

  /** Only what `save` compares and carries over, so a sweep over thousands of resources does not download data. */
  private async readStoredState(names: readonly string[]): Promise<Map<string, StoredState>> {
    const stored = new Map<string, StoredState>();
    for (const chunk of chunksOf(names, CHUNK)) {
      const refs = chunk.map((name) => resourceDocument(this.db, this.prefix, RESOURCES, name));
      const docs = await this.db.getAll(...refs, {
        fieldMask: ['name', 'hash', 'deleted', 'references', 'findingsListed'],
      });
      for (const doc of docs) {
        const state = storedStateOf(doc.data());
        if (state) stored.set(state.name, state);
      }
    }
    return stored;
  }
}

export interface StoredState {
  readonly name: string;
  readonly hash: string;
  readonly deleted: boolean;
  readonly references: readonly string[];
  /** Written since FirestoreFindingStore kept the lists of findings (see snapshotWrites). */
  readonly findingsListed: boolean;
}

/** What a stored snapshot document says of itself; undefined for none. */
export function storedStateOf(data: DocumentData | undefined): StoredState | undefined {
  if (typeof data?.name !== 'string' || typeof data.hash !== 'string') return undefined;
  return {
    name: data.name,
    hash: data.hash,
    deleted: data.deleted === true,
    references: ((data.references as unknown[] | undefined) ?? []).map(String),
    findingsListed: data.findingsListed === true,
  };
}

/** The collection of whole snapshots. */
export const RESOURCES = 'resources' as const;
/** The collection beside `resources/` that holds a resource's lists (referrers, finding IDs). */
export const INDEX = 'resourceIndex' as const;

/** One document write in `resources/` (a whole snapshot, replaced) or `resourceIndex/` (lists, merged). */
export interface ResourceDocumentWrite {
  readonly collection: typeof RESOURCES | typeof INDEX;
  readonly name: string;
  readonly data: DocumentData;
  readonly merge: boolean;
}

/** A resource's document in `resources/` or `resourceIndex/`: the one place either is addressed. */
export function resourceDocument(
  db: Firestore,
  prefix: string,
  collection: ResourceDocumentWrite['collection'],
  name: string,
): DocumentReference {
  return db.collection(`${prefix}${collection}`).doc(documentIdOf(name));
}

/**
 * The writes that store these snapshots (`stored`: what each document held before, undefined for none) and list
 * `findingIds` (resource -> IDs of findings to add to its list): each snapshot whole, and one index write per resource
 * that a snapshot newly points at (it is added to the listed referrers) or that lists new findings. Lists grow by
 * arrayUnion, so concurrent writers never lose an entry. One write per document.
 */
export function snapshotWrites(
  changes: readonly { snapshot: ResourceSnapshot; stored: StoredState | undefined }[],
  findingIds: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): ResourceDocumentWrite[] {
  const referrers = new Map<string, Set<string>>();
  for (const { snapshot, stored } of changes) {
    for (const target of newlyReferenced(snapshot, stored?.references)) {
      referrers.set(target, (referrers.get(target) ?? new Set()).add(snapshot.name));
    }
  }
  return [
    ...changes.map(({ snapshot, stored }) => ({
      collection: RESOURCES,
      name: snapshot.name,
      // FirestoreFindingStore lists a resource's findings in its index document; a snapshot created since it did
      // says so, so that a resource with neither predates the lists (its findings are then found by query). A
      // rewrite keeps what the stored document said: one from before the lists may still have unlisted findings.
      data: {
        ...encodeSnapshot(snapshot),
        ...((stored?.findingsListed ?? true) ? { findingsListed: true } : {}),
      },
      merge: false,
    })),
    ...[...new Set([...referrers.keys(), ...findingIds.keys()])].map((name) => {
      const newReferrers = referrers.get(name);
      const newFindingIds = findingIds.get(name);
      return {
        collection: INDEX,
        name,
        data: {
          name,
          ...(newReferrers ? { referrers: FieldValue.arrayUnion(...newReferrers) } : {}),
          ...(newFindingIds ? { findingIds: FieldValue.arrayUnion(...newFindingIds) } : {}),
        },
        merge: true,
      };
    }),
  ];
}

/**
 * The `resources/{id}` document of a snapshot, less the findingsListed flag snapshotWrites decides; the lists about the
 * resource (referrers, finding IDs) are kept in `resourceIndex/{id}`, never here.
 */
export function encodeSnapshot(snapshot: ResourceSnapshot): DocumentData {
  return {
    name: snapshot.name,
    type: snapshot.type,
    data: encodeMap(snapshot.data),
    references: [...snapshot.references],
    referenceKeys: [...new Set(snapshot.references.map(documentIdOf))],
    hash: snapshot.hash,
    observedAt: timestampOf(snapshot.observedAt, 'observedAt'),
    deleted: snapshot.deleted,
    project: snapshot.project,
  };
}

export function decodeSnapshot(data: DocumentData, index?: DocumentData): ResourceSnapshot {
  const referrers = ((index?.referrers as unknown[] | undefined) ?? []).map(String);
  return {
    name: String(data.name),
    type: data.type as ResourceKind,
    data: decodeMap(data.data) as ApiRecord,
    references: ((data.references as unknown[] | undefined) ?? []).map(String),
    hash: String(data.hash),
    observedAt: isoOf(data.observedAt),
    deleted: data.deleted === true,
    project: String(data.project),
    ...(referrers.length > 0 ? { referrers } : {}),
  };
}
