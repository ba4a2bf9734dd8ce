// Counts Firestore documents read (as billed: every document a get or getAll returns, found or not, and every query
// result, at least one per query) in the process that loads it, beside firestore-trace.ts's round trips. Loaded into a
// served function with NODE_OPTIONS=--import; writes its counts to BENCH_FIRESTORE_READS_FILE as they change.

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const counts: Record<string, number> = {};
const require = createRequire(import.meta.url);
type Method = (this: unknown, ...args: unknown[]) => Promise<unknown>;
const firestore = require('@google-cloud/firestore') as {
  Firestore: { prototype: Record<string, Method> };
  Query: { prototype: Record<string, Method> };
  Transaction: { prototype: Record<string, Method> };
  DocumentReference: new (...args: never[]) => unknown;
};

function count(key: string, documents: number): void {
  counts[key] = (counts[key] ?? 0) + documents;
}

function sizeOf(result: unknown): number {
  if (Array.isArray(result)) return result.length;
  const size = (result as { size?: unknown }).size;
  // A query that matches nothing is still billed one read.
  return typeof size === 'number' ? Math.max(size, 1) : 1;
}

function wrap(prototype: Record<string, Method>, method: string, key: string): void {
  const original = prototype[method];
  if (!original) throw new Error(`firestore-read-trace: ${key} is gone; update the trace`);
  prototype[method] = async function (this: unknown, ...args: unknown[]) {
    const result = await original.apply(this, args);
    count(key, sizeOf(result));
    return result;
  };
}

// DocumentReference.get goes through Firestore.getAll; transactions read through their own paths.
wrap(firestore.Firestore.prototype, 'getAll', 'getAll');
wrap(firestore.Query.prototype, 'get', 'query');
wrap(firestore.Transaction.prototype, 'get', 'transaction.get');
wrap(firestore.Transaction.prototype, 'getAll', 'transaction.getAll');

const file = process.env.BENCH_FIRESTORE_READS_FILE;
if (file) {
  let written = '';
  setInterval(() => {
    const text = JSON.stringify(counts);
    if (text !== written && text !== '{}') writeFileSync(file, text);
    written = text;
  }, 100).unref();
}
