// QuarantineStore on Firestore: `quarantine/{auto}`, one document per poison message.

import type { Firestore } from '@google-cloud/firestore';
import type { QuarantineRecord, QuarantineStore } from '../../ports/quarantine-store.js';
import type { FirestoreStoreOptions } from './collections.js';
import { timestampOf } from './encoding.js';

export class FirestoreQuarantineStore implements QuarantineStore {
  private readonly collection: string;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.collection = `${options.collectionPrefix ?? ''}quarantine`;
  }

  async add(record: QuarantineRecord): Promise<void> {
    await this.db.collection(this.collection).add({
      reason: record.reason,
      eventType: record.eventType ?? null,
      messageId: record.messageId ?? null,
      publishTime: record.publishTime ?? null,
      deliveredBy: record.deliveredBy ?? null,
      payload: record.payload,
      payloadBytes: record.payloadBytes,
      truncated: record.truncated,
      receivedAt: timestampOf(record.receivedAt, 'receivedAt'),
    });
  }
}
