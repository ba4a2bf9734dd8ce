// MirrorLedger on Firestore: `sccWrites/{alertId}` says an outbox record reached (or was refused by) Security Command
// Center; kept a week (expiresAt), longer than any outbox record stays pending.

import type { Firestore } from '@google-cloud/firestore';
import type { MirrorLedger, MirrorOutcome } from '../../ports/mirror-ledger.js';
import type { FirestoreStoreOptions } from './collections.js';
import { documentIdOf, timestampOf } from './encoding.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export class FirestoreMirrorLedger implements MirrorLedger {
  private readonly collection: string;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.collection = `${options.collectionPrefix ?? ''}sccWrites`;
  }

  async settled(alertIds: readonly string[]): Promise<ReadonlySet<string>> {
    if (alertIds.length === 0) return new Set();
    const refs = alertIds.map((id) => this.db.collection(this.collection).doc(documentIdOf(id)));
    const snapshots = await this.db.getAll(...refs);
    return new Set(snapshots.flatMap((snapshot, index) => (snapshot.exists ? [alertIds[index] ?? ''] : [])));
  }

  async record(alertId: string, outcome: MirrorOutcome, at: string, detail?: string): Promise<void> {
    await this.db
      .collection(this.collection)
      .doc(documentIdOf(alertId))
      .set({
        alertId,
        outcome,
        at: timestampOf(at, 'at'),
        ...(detail ? { detail: detail.slice(0, 500) } : {}),
        expiresAt: timestampOf(new Date(Date.parse(at) + WEEK_MS).toISOString(), 'expiresAt'),
      });
  }
}
