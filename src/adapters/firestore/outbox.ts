// The alert outbox on Firestore (`outbox/{alert ID}`): written by the judgement commit, claimed and marked sent here.

import type { Timestamp } from '@google-cloud/firestore';
import type { AlertRecord } from '../../domain/alert.js';
import type { Outbox } from '../../ports/outbox.js';
import { decodeAlert } from './codecs.js';
import type { Collections } from './collections.js';
import { isUsableDocumentId, timestampOf } from './encoding.js';

export class FirestoreOutbox implements Outbox {
  constructor(private readonly collections: Collections) {}

  async pendingAlerts(limit: number): Promise<AlertRecord[]> {
    if (limit <= 0) return [];
    // Needs the composite index (sentAt ASC, createdAt ASC) in production; see client.ts.
    const snapshot = await this.collections.db
      .collection(this.collections.outbox)
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
    const refs = [...new Set(ids)].filter(isUsableDocumentId).map((id) => this.collections.alert(id));
    if (refs.length === 0) return [];
    const at = timestampOf(now, 'now');
    let written = 0;
    const claimed = await this.collections.db.runTransaction(
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
      { maxAttempts: this.collections.maxAttempts },
    );
    this.collections.writes += written;
    return claimed;
  }

  async markAlertsSent(ids: readonly string[], at: string): Promise<void> {
    const refs = [...new Set(ids)].filter(isUsableDocumentId).map((id) => this.collections.alert(id));
    if (refs.length === 0) return;
    const sentAt = timestampOf(at, 'at');
    const existing = (await this.collections.db.getAll(...refs)).filter((snapshot) => snapshot.exists);
    if (existing.length === 0) return;
    const batch = this.collections.db.batch();
    for (const snapshot of existing) batch.update(snapshot.ref, { sentAt });
    await batch.commit();
    this.collections.writes += existing.length;
  }
}
