// Which runs are given a worker thread with a heap of their own size: a scan of a large exported estate (issue 14).
//
// Node 24 lets V8's new space grow to 64 MB semi-spaces while a large estate is parsed and its graph built, nearly
// everything allocated then survives, and the peak RSS of a 36 MB estate's scan was 2.8x the read + JSON.parse floor.
// `--max-semi-space-size` would bound it, but a flag of this process is not ours to set: a shebang's is ignored by
// `node bin/gatewarden.js`. Node's documented way to size a heap is a worker's `resourceLimits`; starting one costs
// ~35 ms and ~12 MB, so only a large estate's scan pays for it.
//
// The worker's old generation starts larger too. V8 starts an isolate's old generation small and grows it after each
// full collection: a 1x estate's scan ran one mark-compact while loading (at ~30 MB) and another while judging (at
// ~125 MB, a 60-75 ms pause), though almost everything it had allocated was still alive. resourceLimits has no
// initial size, but V8 reads its `--initial-old-space-size` flag when it configures a new isolate's heap (and only
// then), so run-in-worker.ts sets the flag for the moment the worker's isolate is made.

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
 * The worker's initial old generation. V8 then keeps its allocation limit at or above this for the isolate's life, so
 * the mark-compacts its limit would start do not happen below it (others, such as its memory reducer when the thread
 * idles, still may). A 1x estate's scan (36 MB of exports) peaks at ~125 MB of old generation, so up to ~2x runs
 * without one; larger estates are collected as V8 paces it above this. What it costs is the garbage kept until then,
 * peak RSS of the 1x scan ~232 -> ~258 MB (1.76x -> 1.96x the floor), and ~30 ms of the worker's start: V8 checks
 * the code cache Node embeds for its own modules against a hash of every flag, so a worker made while this one is
 * set compiles them afresh (BENCHMARKS.md, ninth session). At 1x that buys a 60-75 ms mark-compact; at 0.7x, about
 * what it costs.
 */
export const WORKER_INITIAL_OLD_GENERATION_MB = 256;

export interface WorkerSizing {
  readonly maxYoungGenerationSizeMb: number;
  readonly initialOldGenerationMb: number;
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
        initialOldGenerationMb: WORKER_INITIAL_OLD_GENERATION_MB,
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
