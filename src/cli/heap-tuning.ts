// V8's heap while a large estate is scanned (large-scan.ts says which scans): a young generation kept at its first
// size, and an old generation grown once, far, at its first full collection. Both are V8 flags set for the scan and
// given back after it.
//
// Young generation: Node 24 lets V8 grow new space to 16-64 MB semi-spaces while a large estate is parsed and its
// graph built, and nearly everything allocated then survives: the peak RSS of a 36 MB estate's scan was 2.8x the read
// + JSON.parse floor. `--semi-space-growth-factor=1` keeps each semi-space at the size V8 started it with (1 MB):
// what survives is promoted after a scavenge or two either way, and a page nearly all alive is moved to the old
// generation whole instead of copied (BENCHMARKS.md, eleventh session: 183 against 208 MB and ~50 ms less wall than
// the worker thread with a 24 MB young generation this replaced).
//
// Old generation: V8 starts it small and, after each full collection, sets the next limit at the live size times a
// factor of its own choosing (1.1 to 4). A large estate's scan keeps nearly everything it allocates, so at those
// factors V8 ran a mark-compact at ~30 MB while loading and another at ~125 MB while judging (60-75 ms on the 1x
// estate), each finding almost nothing to free. `--heap-growing-percent` replaces that factor; V8 reads it each time
// it sets a limit, so it can be raised for one collection and put back. Raised for the first (while the estate loads,
// at ~22 MB live), it gives the rest of the scan ~11x that room; put back after it, every later limit is V8's own
// again, so a larger estate's memory is bounded as before.
//
// Node documents changing V8 flags after start-up as unsupported in general; these two are read by V8 each time it
// grows a space, and nothing else in the process depends on them. Set them once the command's modules are loaded:
// while a flag is off its default, V8 compiles any of Node's own modules from source, not from its code cache.

import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';

/** What a large scan sets (large-scan.ts). */
export interface HeapTuning {
  /** V8's growing factor at the first full collection, as `--heap-growing-percent` (factor 1 + this / 100). */
  readonly firstHeapGrowingPercent: number;
  /** How far new space grows at a time while the scan runs (`--semi-space-growth-factor`): 1 keeps its first size. */
  readonly semiSpaceGrowthFactor: number;
}

/** V8's defaults: no growing factor of the embedder's choosing, and new space doubling as it grows. */
const V8_CHOOSES_THE_FACTOR = 0;
const V8_SEMI_SPACE_GROWTH_FACTOR = 2;

/** Flags set for a scan, given back at its end (the old generation's factor already after its first full collection). */
export interface TunedHeap {
  /** Settles once the growing factor is V8's again. */
  readonly restored: Promise<void>;
  /** Gives every flag back now (the factor too, if no full collection has run yet). Idempotent. */
  end(): void;
}

/** Sets both flags; `setFlags` is V8's own but for tests. */
export function tuneHeap(
  tuning: HeapTuning,
  setFlags: (flags: string) => void = setFlagsFromString,
): TunedHeap {
  const youngGrowth = tuning.semiSpaceGrowthFactor;
  const tunesYoung = youngGrowth > 0 && youngGrowth !== V8_SEMI_SPACE_GROWTH_FACTOR;
  if (tunesYoung) setFlags(`--semi-space-growth-factor=${Math.round(youngGrowth)}`);
  const growth = growHeapUntilFirstFullCollection(tuning.firstHeapGrowingPercent, setFlags);
  let ended = false;
  return {
    restored: growth.restored,
    end: () => {
      growth.end();
      if (ended) return;
      ended = true;
      if (tunesYoung) setFlags(`--semi-space-growth-factor=${V8_SEMI_SPACE_GROWTH_FACTOR}`);
    },
  };
}

/**
 * Sets V8's growing factor to 1 + `percent` / 100 until this process's first full collection has run, then gives the
 * choice back to V8 (once that collection is reported, which the event loop does between a command's reads).
 */
function growHeapUntilFirstFullCollection(
  percent: number,
  setFlags: (flags: string) => void,
): { readonly restored: Promise<void>; end(): void } {
  if (percent <= 0) return { restored: Promise.resolve(), end: () => {} };
  setFlags(`--heap-growing-percent=${Math.round(percent)}`);
  let giveBack = (): void => {};
  const restored = new Promise<void>((resolve) => {
    const observer = new PerformanceObserver((list) => {
      if (list.getEntries().some((entry) => isFullCollection((entry as { detail?: unknown }).detail)))
        giveBack();
    });
    giveBack = () => {
      giveBack = () => {};
      observer.disconnect();
      setFlags(`--heap-growing-percent=${V8_CHOOSES_THE_FACTOR}`);
      resolve();
    };
    observer.observe({ entryTypes: ['gc'] });
  });
  return { restored, end: () => giveBack() };
}

function isFullCollection(detail: unknown): boolean {
  return (detail as { kind?: unknown } | null)?.kind === constants.NODE_PERFORMANCE_GC_MAJOR;
}
