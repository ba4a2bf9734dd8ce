// Builds the Firestore client the adapters share (called from functions/ and the CLI, the only places adapters are made).

import { Firestore } from '@google-cloud/firestore';
import { firestoreEmulatorOptions } from '../emulator-options.js';

export interface FirestoreClientOptions {
  /** Defaults to GOOGLE_CLOUD_PROJECT (or what Application Default Credentials name). */
  readonly projectId?: string;
  /** `(default)` unless configured (DESIGN.md §3). */
  readonly databaseId?: string;
}

export function createFirestore(options: FirestoreClientOptions = {}): Firestore {
  return new Firestore({
    ...(options.projectId ? { projectId: options.projectId } : {}),
    databaseId: options.databaseId ?? '(default)',
    // API records carry optional fields as undefined once parsed; Firestore would otherwise reject the write.
    ignoreUndefinedProperties: true,
    // The client reads FIRESTORE_EMULATOR_HOST itself; the same variable says it needs no credentials.
    ...firestoreEmulatorOptions(process.env.FIRESTORE_EMULATOR_HOST),
  });
}

/**
 * Composite indexes the adapters' queries need in production (the emulator needs none). Everything else is served
 * by single-field indexes; `data` and `evidence` should be exempted from indexing (large maps, never queried).
 */
export const FIRESTORE_COMPOSITE_INDEXES = [
  {
    collection: 'outbox',
    fields: [
      { field: 'sentAt', order: 'ASCENDING' },
      { field: 'createdAt', order: 'ASCENDING' },
    ],
  },
  // `gatewarden doctor` reads a project's latest sweep record (src/adapters/firestore/run-history.ts).
  {
    collection: 'runs',
    fields: [
      { field: 'project', order: 'ASCENDING' },
      { field: 'startedAt', order: 'DESCENDING' },
    ],
  },
] as const;

export const FIRESTORE_UNINDEXED_FIELDS = [
  { collection: 'findings', field: 'evidence' },
  { collection: 'outbox', field: 'finding' },
  { collection: 'resources', field: 'data' },
  // Read by document, never queried: the lists of referrers and of findings kept beside each snapshot.
  { collection: 'resourceIndex', field: 'referrers' },
  { collection: 'resourceIndex', field: 'findingIds' },
  { collection: 'baselines', field: 'fields' },
] as const;
