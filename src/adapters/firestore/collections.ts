// Where each Firestore document lives (DESIGN.md §3): the collection names (with a test prefix), the one place a
// document reference is made, reads of many documents in one round trip, and the writes that store snapshots.

import {
  type DocumentData,
  type DocumentReference,
  type DocumentSnapshot,
  FieldValue,
  type Firestore,
  type Transaction,
} from '@google-cloud/firestore';
import { newlyReferenced, type ResourceSnapshot } from '../../ports/snapshots.js';
import { encodeSnapshot, type StoredState } from './codecs.js';
import { chunksOf, documentIdOf, isUsableDocumentId } from './encoding.js';

export interface FirestoreStoreOptions {
  /** Prepended to every top-level collection name, so parallel test runs share one emulator without colliding. */
  readonly collectionPrefix?: string;
  /** Transaction attempts before contention is reported (the SDK's default of 5 is low for a burst on one resource). */
  readonly maxAttempts?: number;
}

/** The collection of whole snapshots. */
export const RESOURCES = 'resources' as const;
/** The collection beside `resources/` that holds a resource's lists (referrers, finding IDs). */
export const INDEX = 'resourceIndex' as const;

/** Documents per getAll (inside a transaction or not): well inside Firestore's 10 MiB request limit. */
const READ_CHUNK = 300;

/** The collections of one database (one prefix), and the count of documents written through them. */
export class Collections {
  /** Documents written (committed), counted as Firestore bills them, by every store over these collections. */
  writes = 0;
  readonly findings: string;
  readonly outbox: string;
  readonly events: string;
  readonly maxAttempts: number;
  private readonly prefix: string;

  constructor(
    readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.prefix = options.collectionPrefix ?? '';
    this.findings = `${this.prefix}findings`;
    this.outbox = `${this.prefix}outbox`;
    this.events = `${this.prefix}events`;
    this.maxAttempts = options.maxAttempts ?? 20;
  }

  /** A resource's document in `resources/` or `resourceIndex/`: the one place either is addressed. */
  resource(collection: typeof RESOURCES | typeof INDEX, name: string): DocumentReference {
    return this.db.collection(`${this.prefix}${collection}`).doc(documentIdOf(name));
  }

  resources(): FirebaseCollection {
    return this.db.collection(`${this.prefix}${RESOURCES}`);
  }

  event(entryId: string): DocumentReference {
    return this.db.collection(this.events).doc(documentIdOf(entryId));
  }

  finding(id: string): DocumentReference {
    if (!isUsableDocumentId(id)) throw new Error(`finding ID ${JSON.stringify(id)} cannot be a document ID`);
    return this.db.collection(this.findings).doc(id);
  }

  alert(id: string): DocumentReference {
    if (!isUsableDocumentId(id)) throw new Error(`alert ID ${JSON.stringify(id)} cannot be a document ID`);
    return this.db.collection(this.outbox).doc(id);
  }
}

type FirebaseCollection = ReturnType<Firestore['collection']>;

/**
 * Reads the documents that are given (only `fields` of them, or whole when undefined), 300 per round trip, inside a
 * transaction or outside; an absent reference reads undefined.
 */
export async function readTogether(
  reader: Pick<Transaction, 'getAll'> | Pick<Firestore, 'getAll'>,
  fields: readonly string[] | undefined,
  ...refs: (DocumentReference | undefined)[]
): Promise<(DocumentSnapshot | undefined)[]> {
  const present = refs.filter((ref): ref is DocumentReference => ref !== undefined);
  const options = fields ? [{ fieldMask: [...fields] }] : [];
  const docs = (
    await Promise.all(
      chunksOf(present, READ_CHUNK).map((chunk) =>
        (reader.getAll as (...args: unknown[]) => Promise<DocumentSnapshot[]>).call(
          reader,
          ...chunk,
          ...options,
        ),
      ),
    )
  ).flat();
  const byPath = new Map(docs.map((doc) => [doc.ref.path, doc]));
  return refs.map((ref) => (ref ? byPath.get(ref.path) : undefined));
}

/** One document write in `resources/` (a whole snapshot, replaced) or `resourceIndex/` (lists, merged). */
export interface ResourceDocumentWrite {
  readonly collection: typeof RESOURCES | typeof INDEX;
  readonly name: string;
  readonly data: DocumentData;
  readonly merge: boolean;
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
      // The judgement store lists a resource's findings in its index document; a snapshot created since it did
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
