// Which runs are given a worker thread with a heap of their own size: a scan of a large exported estate (issue 14).
//
// Node 24 lets V8's new space grow to 64 MB semi-spaces while a large estate is parsed and its graph built, nearly
// everything allocated then survives, and the peak RSS of a 36 MB estate's scan was 2.8x the read + JSON.parse floor.
// `--max-semi-space-size` would bound it, but a flag of this process is not ours to set: a shebang's is ignored by
// `node bin/gatewarden.js`. Node's documented way to size a heap is a worker's `resourceLimits`; starting one costs
// ~35 ms and ~12 MB, so only a large estate's scan pays for it.
//
// The worker's old generation grows far at its first full collection (heap-growth.ts): a large estate's scan keeps
// nearly everything it allocates, and V8's own pacing collected it twice on the way for almost nothing.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The estate's exports (every `*.json` in the directory) at least this large run in a worker. */
export const WORKER_ABOVE_BYTES = 8 * 1024 * 1024;

/**
 * V8's young generation in the worker: three semi-spaces' worth, so 8 MB semi-spaces. On the 1x estate (36 MB)
 * 8 to 48 gave the same peak RSS within the noise (about 290 MB against 370-400 MB unbounded) and the same CPU.
 */
export const WORKER_YOUNG_GENERATION_MB = 24;

/**
 * V8's growing factor at the worker's first full collection, as `--heap-growing-percent` (factor 1 + this / 100):
 * 11x the live size then (~22 MB on the 0.7x estate, while it loads), so ~245 MB of old generation before the next,
 * about the 256 MB initial size it replaces. The 1x scan peaks at ~125 MB, so up to ~2x runs without a second one;
 * after the first, V8 paces every later one itself. What it costs is the garbage kept until then, as before.
 */
export const WORKER_FIRST_HEAP_GROWING_PERCENT = 1000;

export interface WorkerSizing {
  readonly maxYoungGenerationSizeMb: number;
  /** V8's growing factor at the worker's first full collection (heap-growth.ts); 0 leaves it to V8. */
  readonly firstHeapGrowingPercent: number;
}

/**
 * The directory of `scan --estate DIR` (or `--estate=DIR`), read the way parseArgs reads it; undefined for any other
 * command, for --help, and after `--`. Only a sizing decision rests on it: the command parses its own flags.
 */
export function scanEstateOf(argv: readonly string[]): string | undefined {
  if (argv[0] !== 'scan') return undefined;
  let estate: string | undefined;
  for (let index = 1; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') break;
    if (arg === '--help' || arg === '-h') return undefined;
    if (arg === '--estate') estate = argv[++index];
    else if (arg.startsWith('--estate=')) estate = arg.slice('--estate='.length);
  }
  return estate;
}

/**
 * The worker's limits when `argv` scans an estate of at least `aboveBytes`; undefined to run in this thread. Read
 * synchronously: a directory listing and a dozen stats take well under a millisecond, and each round trip through
 * the thread pool delayed the worker's start (it boots for ~30 ms, so every millisecond before it is wall time).
 */
export function workerSizingFor(
  argv: readonly string[],
  aboveBytes = WORKER_ABOVE_BYTES,
): WorkerSizing | undefined {
  const dir = scanEstateOf(argv);
  if (dir === undefined || dir.trim() === '') return undefined;
  const bytes = exportBytesIn(dir);
  return bytes !== undefined && bytes >= aboveBytes
    ? {
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
        firstHeapGrowingPercent: WORKER_FIRST_HEAP_GROWING_PERCENT,
      }
    : undefined;
}

/** Bytes of the regular `*.json` files in `dir`; undefined when it cannot be read (the scan then says why). */
function exportBytesIn(dir: string): number | undefined {
  try {
    let bytes = 0;
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.json')) bytes += regularFileBytes(join(dir, name));
    }
    return bytes;
  } catch {
    return undefined;
  }
}

/** A file's size; 0 for anything that is not a regular file or cannot be looked at (a dangling link, no access). */
function regularFileBytes(path: string): number {
  try {
    const info = statSync(path, { throwIfNoEntry: false });
    return info?.isFile() ? info.size : 0;
  } catch {
    return 0;
  }
}
