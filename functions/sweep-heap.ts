// The sweep's heap: while a large project is judged and committed, V8 collects the old generation when it has grown
// 10 % past what the last full collection left alive, not the ~30 % it allows by default (issue 14).
//
// A project sweep's commits make garbage fast (@google-cloud/firestore validates and encodes every field of every
// snapshot and finding it writes: ~5.6 GB for a 38,000-resource project's first sweep), and the old generation grows
// past its limit while a mark-compact is still marking. With V8's default pacing a 512 MiB function's heap reached
// ~200 MB around a live set of ~85 MB, and V8 keeps the pages it has used: a peak RSS of 308-323 MB, over the 300 MB
// that leaves room in 512 MiB. At 10 % (V8's own factor when it is told to reduce memory) the same sweep peaked at
// 263-285 MB; at 15 % 285, at 20 % and 30 % 309-310. It costs CPU, more and shorter mark-compacts, so only a project
// large enough to need it pays: a small project's heap is far from the limit (BENCHMARKS.md has the runs). The
// unchanged sweep of the same project writes nothing and peaks while it judges, with the whole graph alive: so the
// pacing spans the graph's build, the judgement and the commits.
//
// Node refuses --heap-growing-percent in NODE_OPTIONS, and a Cloud Run function's node command line is the
// runtime's, so it is set here with v8.setFlagsFromString, which Node documents as unsupported after start-up: a flag
// that changes the heap's layout can crash the process (--minor-ms does). This one is a number V8 reads each time it
// sets the next limit after a full collection, and nowhere else: it changes the pacing from then on, and nothing the
// heap holds. test/functions/sweep-heap.test.ts reads V8's own trace of the factor, so a V8 that drops it fails there.

import { setFlagsFromString } from 'node:v8';
import type { HeapPacing } from '../src/ports/heap-pacing.js';

/** How far past the live heap the old generation may grow before the next full collection, in percent. */
const SWEEP_HEAP_GROWING_PERCENT = 10;
/** V8's own default: no fixed factor, its dynamic one. */
const V8_DYNAMIC_GROWING = 0;
/**
 * Projects of this many records or more are judged and committed with the sweep's pacing. A 38,000-resource
 * project's live heap is ~85 MB when its commits start (~1.5 KB per resource over the ~30 MB of the composed
 * function); below ~10,000 the heap stays far from where V8's own pacing could reach 300 MB.
 */
export const PACED_FROM_RECORDS = 10_000;

/**
 * The pacing over `setFlags` (V8's in a function; a recorder in tests). Sweeps that overlap in one process (an
 * instance serving more than one at a time) share it: set when the first large one starts, back when the last ends.
 */
export function createSweepHeapPacing(setFlags: (flags: string) => void): HeapPacing {
  let pacedProjects = 0;
  return {
    async pace(records, work) {
      if (records < PACED_FROM_RECORDS) return work();
      pacedProjects++;
      try {
        if (pacedProjects === 1) setFlags(`--heap-growing-percent=${SWEEP_HEAP_GROWING_PERCENT}`);
        return await work();
      } finally {
        if (--pacedProjects === 0) setFlags(`--heap-growing-percent=${V8_DYNAMIC_GROWING}`);
      }
    },
  };
}

export const sweepHeapPacing = createSweepHeapPacing(setFlagsFromString);
