// Which scans tune V8's heap (heap-tuning.ts) and run from the build's bundle: a scan of a large exported estate
// (issue 14). Decided before the scan's modules load, from the command line and the sizes of the estate's exports.
//
// Until the eleventh session such a scan ran in a worker thread, whose `resourceLimits` bounded its young generation
// (a flag of this process is not ours to set at start-up: a shebang's is ignored by `node bin/gatewarden.js`). The
// same bound set as a V8 flag once the scan's modules are loaded costs no thread, no copy of the output between
// threads, and no teardown of a second heap: ~50 ms and ~25 MB less on the 0.7x estate (BENCHMARKS.md, eleventh
// session).

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HeapTuning } from './heap-tuning.js';

/** The estate's exports (every `*.json` in the directory) at least this large make a large scan. */
export const LARGE_SCAN_ABOVE_BYTES = 8 * 1024 * 1024;

/**
 * V8's growing factor at a large scan's first full collection, as `--heap-growing-percent` (factor 1 + this / 100):
 * 11x the live size then (~22 MB on the 0.7x estate, while it loads), so ~245 MB of old generation before the next.
 * The 1x scan peaks at ~125 MB, so up to ~2x runs without a second one; after the first, V8 paces every later one
 * itself. What it costs is the garbage kept until then.
 */
export const LARGE_SCAN_FIRST_HEAP_GROWING_PERCENT = 1000;

/** New space keeps the size V8 started it with (heap-tuning.ts): most of what a large scan allocates survives. */
export const LARGE_SCAN_SEMI_SPACE_GROWTH_FACTOR = 1;

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
 * The heap tuning when `argv` scans an estate of at least `aboveBytes`; undefined for any other run. Read
 * synchronously: a directory listing and a dozen stats take well under a millisecond, every one of them wall time.
 */
export function largeScanTuningFor(
  argv: readonly string[],
  aboveBytes = LARGE_SCAN_ABOVE_BYTES,
): HeapTuning | undefined {
  const dir = scanEstateOf(argv);
  if (dir === undefined || dir.trim() === '') return undefined;
  const bytes = exportBytesIn(dir);
  return bytes !== undefined && bytes >= aboveBytes
    ? {
        firstHeapGrowingPercent: LARGE_SCAN_FIRST_HEAP_GROWING_PERCENT,
        semiSpaceGrowthFactor: LARGE_SCAN_SEMI_SPACE_GROWTH_FACTOR,
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

/** The modules' entry, and the build's bundle of it (scripts/bundle-cli.ts, run by npm run build). */
const MODULES_ENTRY = new URL('./main.js', import.meta.url);
const BUNDLED_ENTRY = new URL('../../bundle/main.js', import.meta.url);

/**
 * What a large scan runs: the bundle when it was made from the modules as they are, the modules otherwise. tsc alone
 * (a bench's build, a test's) writes every module again and leaves an older bundle behind, which must not run in
 * their place. A missing bundle (a build that never made one) is older than anything; one as old as the modules is
 * theirs (npm pack gives every file of a package one time). Two stats: well under a millisecond.
 */
export function largeScanModule(modules: URL = MODULES_ENTRY, bundled: URL = BUNDLED_ENTRY): URL {
  const modulesWritten = statSync(modules, { throwIfNoEntry: false })?.mtimeMs;
  const bundleWritten = statSync(bundled, { throwIfNoEntry: false })?.mtimeMs;
  return bundleWritten !== undefined && (modulesWritten === undefined || bundleWritten >= modulesWritten)
    ? bundled
    : modules;
}
