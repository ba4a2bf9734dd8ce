// DeliveryLedger on Firestore: `deliveries/{id}` counts failed attempts of one log entry, `skipped/{id}` keeps each
// event acknowledged unjudged. Both are keyed by the entry (a redelivery updates, never adds) and expire by TTL.

import { FieldValue, type Firestore } from '@google-cloud/firestore';
import type { DeliveryLedger, SkippedEvent } from '../../ports/delivery-ledger.js';
import type { FirestoreStoreOptions } from './collections.js';
import { documentIdOf, timestampOf } from './encoding.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export class FirestoreDeliveryLedger implements DeliveryLedger {
  private readonly deliveries: string;
  private readonly skipped: string;
  private readonly retentionMs: number;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions & { readonly retentionMs?: number } = {},
  ) {
    this.retentionMs = options.retentionMs ?? 7 * DAY_MS;
    const prefix = options.collectionPrefix ?? '';
    this.deliveries = `${prefix}deliveries`;
    this.skipped = `${prefix}skipped`;
  }

  async failuresOf(entryId: string): Promise<number> {
    const snapshot = await this.db.collection(this.deliveries).doc(documentIdOf(entryId)).get();
    const failures = snapshot.get('failures') as unknown;
    return typeof failures === 'number' ? failures : 0;
  }

  async recordFailure(entryId: string, reason: string, at: string): Promise<void> {
    // An increment, not a transaction: concurrent failing deliveries of one entry each count, without contention.
    await this.db
      .collection(this.deliveries)
      .doc(documentIdOf(entryId))
      .set(
        {
          entryId,
          failures: FieldValue.increment(1),
          lastReason: reason.slice(0, 500),
          lastFailedAt: timestampOf(at, 'at'),
          expiresAt: timestampOf(this.expiry(at), 'expiresAt'),
        },
        { merge: true },
      );
  }

  async recordSkipped(event: SkippedEvent): Promise<void> {
    await this.db
      .collection(this.skipped)
      .doc(documentIdOf(`${event.reason}\n${event.entryId}`))
      .set({
        ...event,
        deliveryAttempt: event.deliveryAttempt ?? null,
        messageId: event.messageId ?? null,
        skippedAt: timestampOf(event.skippedAt, 'skippedAt'),
        expiresAt: timestampOf(this.expiry(event.skippedAt), 'expiresAt'),
      });
  }

  private expiry(from: string): string {
    return new Date(Date.parse(from) + this.retentionMs).toISOString();
  }
}
