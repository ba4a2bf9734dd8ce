// The scan worker's old generation: grown once, far, at its first full collection (worker-sizing.ts says why).
//
// V8 starts an isolate's old generation small and, after each full collection, sets the next limit at the live size
// times a factor of its own choosing (1.1 to 4). A large estate's scan keeps nearly everything it allocates, so at
// those factors V8 ran a mark-compact at ~30 MB while loading and another at ~125 MB while judging (60-75 ms on the
// 1x estate), each finding almost nothing to free. `--heap-growing-percent` replaces that factor; V8 reads it each
// time it sets a limit, so it can be raised for one collection and put back. Raised for the first (while the estate
// loads, at ~22 MB live), it gives the rest of the scan ~11x that room, about what an initial old generation of
// 256 MB gave (the eighth session's way), without that flag's cost: any V8 flag set when a worker starts costs it
// ~30 ms, as V8 then rejects the code cache Node embeds for its own modules (BENCHMARKS.md, ninth session). Put back
// after that collection, every later limit is V8's own again, so a larger estate's memory is bounded as before.

import { constants, PerformanceObserver } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';

/** V8's default: no growing factor of the embedder's choosing. */
const V8_CHOOSES_THE_FACTOR = 0;

/** A raised growing factor, given back to V8 after the first full collection or when the thread's work ends. */
export interface HeapGrowth {
  /** Settles once the factor is V8's again. */
  readonly restored: Promise<void>;
  /** Gives the factor back now, if no full collection has yet (a scan that ended before one: the flag is the process's). */
  end(): void;
}

/**
 * Sets V8's growing factor to 1 + `percent` / 100 until this thread's first full collection has run, then gives the
 * choice back to V8 (once that collection is reported, which the event loop does between a command's reads). The
 * flag is the process's, so this is for a thread that judges alone (the scan worker); the thread that started it only
 * relays output meanwhile. Call it once the command's modules are loaded: while a flag is off its default, V8
 * compiles any of Node's own modules loaded from source. `setFlags` is V8's own but for tests.
 */
export function growHeapUntilFirstFullCollection(
  percent: number,
  setFlags: (flags: string) => void = setFlagsFromString,
): HeapGrowth {
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
