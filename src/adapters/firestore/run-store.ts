// Run records on Firestore: `runs/{id}`, one document per project sweep (written once, never updated).

import type { Firestore } from '@google-cloud/firestore';
import type { RunRecord, RunRecordStore, ScopeRunRecord } from '../../ports/run-records.js';
import type { FirestoreStoreOptions } from './collections.js';
import { timestampOf } from './encoding.js';

export class FirestoreRunStore implements RunRecordStore {
  writes = 0;
  private readonly collection: string;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.collection = `${options.collectionPrefix ?? ''}runs`;
  }

  async save(record: RunRecord | ScopeRunRecord): Promise<void> {
    await this.db
      .collection(this.collection)
      .doc(record.id)
      .create({
        ...record,
        // Timestamps, so runs can be listed by time (and given a TTL) natively.
        startedAt: timestampOf(record.startedAt, 'startedAt'),
        finishedAt: timestampOf(record.finishedAt, 'finishedAt'),
        ...(record.kind === 'scope-walk'
          ? { counts: { ...record.counts }, unreadable: record.unreadable.map((part) => ({ ...part })) }
          : {
              incompleteScopes: record.incompleteScopes.map((scope) => ({ ...scope })),
              disabledServices: (record.disabledServices ?? []).map((disabled) => ({
                ...disabled,
                kinds: [...disabled.kinds],
              })),
              errors: [...record.errors],
            }),
      });
    this.writes += 1;
  }
}
