// The four store ports on one Firestore database (one collection prefix), sharing one count of documents written.

import type { Firestore } from '@google-cloud/firestore';
import type { Clock } from '../../ports/clock.js';
import { jsonLogger, type Logger } from '../../ports/logger.js';
import type { Stores } from '../../ports/stores.js';
import { Collections, type FirestoreStoreOptions } from './collections.js';
import { FirestoreFindingQueries } from './finding-queries.js';
import { FirestoreJudgementStore } from './judgement-store.js';
import { FirestoreOutbox } from './outbox.js';
import { FirestoreSnapshotReader } from './snapshot-reader.js';

export interface FirestoreStores extends Stores {
  /** Documents written so far by these stores, counted as Firestore bills them. */
  readonly writes: () => number;
}

export function createFirestoreStores(
  db: Firestore,
  options: FirestoreStoreOptions & { readonly clock?: Clock; readonly log?: Logger } = {},
): FirestoreStores {
  const collections = new Collections(db, options);
  // Malformed stored findings are left out with a warning (codecs.ts): never silently, so stderr by default.
  const log = options.log ?? jsonLogger((line) => process.stderr.write(line));
  return {
    judgements: new FirestoreJudgementStore(collections, options.clock, log),
    snapshots: new FirestoreSnapshotReader(collections),
    findings: new FirestoreFindingQueries(collections, log),
    outbox: new FirestoreOutbox(collections),
    writes: () => collections.writes,
  };
}
