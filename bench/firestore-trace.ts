// Counts Firestore requests by RPC (batchGetDocuments, runQuery, commit...) in the process that loads it first, so
// the pipeline bench can report round trips per event measured rather than read from the code. Loaded into the
// function under test with NODE_OPTIONS=--import; it writes its counts to BENCH_FIRESTORE_TRACE_FILE as they change.

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type RequestCounts = Record<string, number>;

const counts: RequestCounts = {};
const require = createRequire(import.meta.url);
const { Firestore } = require('@google-cloud/firestore') as {
  Firestore: { prototype: Record<string, (...args: unknown[]) => unknown> };
};

for (const method of ['request', 'requestStream'] as const) {
  const original = Firestore.prototype[method];
  if (!original) throw new Error(`firestore-trace: Firestore.prototype.${method} is gone; update the trace`);
  Firestore.prototype[method] = function (this: unknown, rpc: unknown, ...rest: unknown[]) {
    counts[String(rpc)] = (counts[String(rpc)] ?? 0) + 1;
    return original.call(this, rpc, ...rest);
  };
}

/** A copy of the counts so far in this process. */
export function firestoreRequests(): RequestCounts {
  return { ...counts };
}

const file = process.env.BENCH_FIRESTORE_TRACE_FILE;
if (file) {
  let written = '';
  setInterval(() => {
    const text = JSON.stringify(counts);
    // Nothing until the first request: npx, which NODE_OPTIONS reaches too, must not write over the function's file.
    if (text !== written && text !== '{}') writeFileSync(file, text);
    written = text;
  }, 200).unref();
}
