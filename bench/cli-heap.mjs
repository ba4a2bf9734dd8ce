// The heap a large estate's scan runs with in the CLI, for the benches that time its parts in a fresh worker per run
// (load-floor, json-output, rule-eval --scan): a checkout's own tuning (src/cli/heap-tuning.ts), set inside the
// worker once the checkout's modules are loaded, as the CLI sets it; or, for a checkout from before the eleventh
// session, the young generation its scan worker was given (src/cli/worker-sizing.ts then).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const cliModule = async (checkout, name) => import(pathToFileURL(join(checkout, 'dist/src/cli', name)).href);

/** Options for the worker that times `checkout`: its scan worker's `resourceLimits`, or none (V8's defaults). */
export async function workerOptionsFor(checkout) {
  if (!existsSync(join(checkout, 'dist/src/cli/worker-sizing.js'))) return {};
  const { WORKER_YOUNG_GENERATION_MB } = await cliModule(checkout, 'worker-sizing.js');
  return { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB ?? 24 } };
}

/** In the worker, once `checkout`'s modules are loaded: its large scan's heap tuning, if it has one; `end()` it after. */
export async function tuneLikeTheCli(checkout) {
  if (!existsSync(join(checkout, 'dist/src/cli/heap-tuning.js'))) return { end: () => {} };
  const { tuneHeap } = await cliModule(checkout, 'heap-tuning.js');
  const { LARGE_SCAN_FIRST_HEAP_GROWING_PERCENT, LARGE_SCAN_SEMI_SPACE_GROWTH_FACTOR } = await cliModule(
    checkout,
    'large-scan.js',
  );
  return tuneHeap({
    firstHeapGrowingPercent: LARGE_SCAN_FIRST_HEAP_GROWING_PERCENT,
    semiSpaceGrowthFactor: LARGE_SCAN_SEMI_SPACE_GROWTH_FACTOR,
  });
}
