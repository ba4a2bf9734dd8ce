// Approved baselines on Firestore: `baselines/{hash of the resource}` holds the governed field values of one
// resource, so the event path loads only the resources it judges (for the drift rule) instead of a whole file.

import type { DocumentData, Firestore } from '@google-cloud/firestore';
import type { Baseline, BaselineEntry } from '../../domain/baseline.js';
import type { FirestoreStoreOptions } from './collections.js';
import { chunksOf, decodeMap, documentIdOf, encodeMap, isoOf, timestampOf } from './encoding.js';

const CHUNK = 300;
/** `savedAt` of a baseline none of whose resources has an approval yet. */
const NEVER = new Date(0).toISOString();

export class FirestoreBaselineStore {
  writes = 0;
  private readonly collection: string;

  constructor(
    private readonly db: Firestore,
    options: FirestoreStoreOptions = {},
  ) {
    this.collection = `${options.collectionPrefix ?? ''}baselines`;
  }

  /** Stores (replaces) the approved values of each resource; `captureBaseline(...).resources` fits as is. */
  async approve(entries: Readonly<Record<string, BaselineEntry>>): Promise<number> {
    const list = Object.entries(entries);
    for (const chunk of chunksOf(list, CHUNK)) {
      const batch = this.db.batch();
      for (const [resource, entry] of chunk) {
        batch.set(this.ref(resource), {
          resource,
          fields: encodeMap(entry.fields),
          approvedBy: entry.approvedBy ?? null,
          approvedAt: entry.approvedAt ? timestampOf(entry.approvedAt, `approvedAt of ${resource}`) : null,
        });
      }
      await batch.commit();
    }
    this.writes += list.length;
    return list.length;
  }

  /** The approved entries of these resources (those without one are absent); `savedAt` is the latest approval. */
  async load(resources: readonly string[]): Promise<Baseline> {
    const unique = [...new Set(resources)];
    const found: Record<string, BaselineEntry> = {};
    let savedAt = NEVER;
    for (const chunk of chunksOf(unique, CHUNK)) {
      const refs = chunk.map((resource) => this.ref(resource));
      for (const doc of await this.db.getAll(...refs)) {
        const data = doc.data();
        if (!data) continue;
        const entry = decodeEntry(data);
        found[String(data.resource)] = entry;
        if (entry.approvedAt && entry.approvedAt > savedAt) savedAt = entry.approvedAt;
      }
    }
    return { version: 1, savedAt, resources: found };
  }

  private ref(resource: string) {
    return this.db.collection(this.collection).doc(documentIdOf(resource));
  }
}

function decodeEntry(data: DocumentData): BaselineEntry {
  return {
    fields: decodeMap(data.fields),
    ...(typeof data.approvedBy === 'string' ? { approvedBy: data.approvedBy } : {}),
    ...(data.approvedAt ? { approvedAt: isoOf(data.approvedAt) } : {}),
  };
}
