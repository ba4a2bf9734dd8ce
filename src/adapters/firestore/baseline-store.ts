// Approved baselines on Firestore: `baselines/{hash of the resource}` holds the governed field values of one
// resource, so the event path loads only the resources it judges (for the drift rule) instead of a whole file.

import type { DocumentData, Firestore } from '@google-cloud/firestore';
import type { Baseline, BaselineEntry } from '../../domain/baseline.js';
import type { FirestoreStoreOptions } from './collections.js';
import {
  chunksOf,
  decodeMap,
  documentIdOf,
  encodeMap,
  isoOf,
  MAX_DOCUMENT_BYTES,
  storedSizeOf,
  timestampOf,
} from './encoding.js';

const CHUNK = 300;
/**
 * Stored bytes per write batch. A batch is one request, and the emulator refuses one over 4 MiB
 * (RESOURCE_EXHAUSTED, which the client retries without end); the wire form of small nested values is a few times
 * their stored size, so the bound is kept far below that. A single entry over it is written alone.
 */
const BATCH_BYTES = 1024 * 1024;
/** What Firestore adds to a document's size beyond fields and name (cloud.google.com/firestore/docs/storage-size). */
const DOCUMENT_OVERHEAD_BYTES = 32 + 16;

/** A resource whose approved fields would not fit in one Firestore document; thrown before anything is written. */
export class BaselineEntryTooLargeError extends Error {
  override readonly name = 'BaselineEntryTooLargeError';
  constructor(
    readonly resource: string,
    readonly bytes: number,
  ) {
    super(
      `the governed fields of ${JSON.stringify(resource.slice(0, 300))} take ${bytes} bytes stored; ` +
        `a Firestore document holds at most ${MAX_DOCUMENT_BYTES}`,
    );
  }
}
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
    // Every document is built and measured first: one too large is refused before any batch is committed.
    const documents = list.map(([resource, entry]) => {
      const ref = this.ref(resource);
      const data = {
        resource,
        fields: encodeMap(entry.fields),
        approvedBy: entry.approvedBy ?? null,
        approvedAt: entry.approvedAt ? timestampOf(entry.approvedAt, `approvedAt of ${resource}`) : null,
      };
      const bytes = storedSizeOf(data) + Buffer.byteLength(ref.path) + DOCUMENT_OVERHEAD_BYTES;
      if (bytes > MAX_DOCUMENT_BYTES) throw new BaselineEntryTooLargeError(resource, bytes);
      return { ref, data, bytes };
    });
    for (const batchOf of batchesOf(documents)) {
      const batch = this.db.batch();
      for (const { ref, data } of batchOf) batch.set(ref, data);
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

/** Consecutive batches of at most CHUNK documents and BATCH_BYTES stored bytes (a larger document alone). */
function batchesOf<T extends { bytes: number }>(documents: readonly T[]): T[][] {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const document of documents) {
    if (current.length > 0 && (current.length >= CHUNK || bytes + document.bytes > BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(document);
    bytes += document.bytes;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

function decodeEntry(data: DocumentData): BaselineEntry {
  return {
    fields: decodeMap(data.fields),
    ...(typeof data.approvedBy === 'string' ? { approvedBy: data.approvedBy } : {}),
    ...(data.approvedAt ? { approvedAt: isoOf(data.approvedAt) } : {}),
  };
}
