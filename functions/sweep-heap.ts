// The sweep function's heap: V8 collects its old generation when it has grown 10 % past what the last full
// collection left alive, not the ~30 % it allows by default (issue 14).
//
// A project sweep's commits make garbage fast (@google-cloud/firestore validates and encodes every field of every
// snapshot and finding it writes: ~5.6 GB for a 38,000-resource project's first sweep), and the old generation grows
// past its limit while a mark-compact is still marking. With V8's default pacing a 512 MiB function's heap reached
// ~200 MB around a live set of ~85 MB, and V8 keeps the pages it has used: a peak RSS of 311-321 MB, over the 300 MB
// that leaves room in 512 MiB. At 10 % (V8's own factor when it is told to reduce memory) the same sweep peaked at
// 263-267 MB, for a quarter more CPU (more, shorter mark-compacts); BENCHMARKS.md has the runs.
//
// Node refuses --heap-growing-percent in NODE_OPTIONS, and a Cloud Run function's node command line is the runtime's,
// so it is set here, when this process first runs a sweep. V8 reads the flag each time it sets the next limit after
// a full collection, and nowhere else: it changes the pacing from then on, and nothing the heap already holds.

import { setFlagsFromString } from 'node:v8';

/** How far past the live heap the old generation may grow before the next full collection, in percent. */
export const SWEEP_HEAP_GROWING_PERCENT = 10;

let paced = false;

/** Sets the sweep's pacing for this process, once (a function instance serves one entry point). */
export function paceHeapForSweeps(): void {
  if (paced) return;
  paced = true;
  setFlagsFromString(`--heap-growing-percent=${SWEEP_HEAP_GROWING_PERCENT}`);
}
