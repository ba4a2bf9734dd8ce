// While a sweep runs, its process paces the heap tighter (functions/sweep-heap.ts): V8 collects the old generation
// when it has grown 10 % past the live heap. Seen from outside, in a fresh Node with the heap a 512 MiB function gets:
// the same work runs more full collections inside onSweep than inside onAuditLog, and V8's pacing is back after it.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

interface Collections {
  /** Full collections of the work run while the entry point composed its dependencies. */
  readonly during: number;
  /** Of the same work run again once the entry point had returned. */
  readonly after: number;
}

/**
 * Runs one entry point of the built handlers with a dependency provider that does ~60 MB of kept objects and
 * garbage (then refuses the configuration), and the same work again after the entry point has returned.
 */
function fullCollectionsOf(entry: 'onSweep' | 'onAuditLog'): Collections {
  const script = `
    import { PerformanceObserver, constants } from 'node:perf_hooks';
    const { createHandlers } = await import(${JSON.stringify(`${REPO_ROOT}/dist/functions/handlers.js`)});
    let fullCollections = 0;
    new PerformanceObserver((list) => {
      for (const gc of list.getEntries()) if (gc.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullCollections++;
    }).observe({ entryTypes: ['gc'] });
    const settled = () => new Promise((resolve) => setTimeout(resolve, 20));
    async function collectionsOfWork() {
      await settled();
      const before = fullCollections;
      const kept = [];
      for (let round = 0; round < 60; round++) {
        for (let index = 0; index < 10_000; index++) kept.push({ round, index, name: 'backendServices/s-' + round + '-' + index });
        for (let batch = 0; batch < 20; batch++) {
          const garbage = [];
          for (let index = 0; index < 10_000; index++) garbage.push({ batch, index, text: 'x-' + index });
        }
      }
      await settled();
      return kept.length === 600_000 ? fullCollections - before : -1;
    }
    let during = -1;
    const handlers = createHandlers(async () => {
      during = await collectionsOfWork();
      throw new Error('no configuration here');
    });
    const event = { specversion: '1.0', id: '1', source: 'test', type: 'test', data: {} };
    await handlers[${JSON.stringify(entry)}](event).catch(() => undefined);
    const after = await collectionsOfWork();
    process.stdout.write(JSON.stringify({ during, after }));
  `;
  // The Node the project pins, with the heap V8 gives a 512 MiB instance (as bench:sweep-memory sizes it).
  const run = spawnSync(
    `${REPO_ROOT}/node_modules/.bin/node`,
    ['--max-old-space-size=256', '--max-semi-space-size=1', '--input-type=module', '-e', script],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Collections;
}

describe('a sweep paces its heap tighter while it runs', () => {
  // On the session host: 57-58 full collections at V8's pacing, 77-78 at the sweep's.
  it('the same work runs clearly more full collections inside onSweep than inside onAuditLog', () => {
    const event = fullCollectionsOf('onAuditLog');
    const sweep = fullCollectionsOf('onSweep');
    expect(event.during).toBeGreaterThan(0);
    expect(sweep.during).toBeGreaterThan(event.during * 1.2);
  });

  it("once the sweep has returned, V8's own pacing is back", () => {
    const sweep = fullCollectionsOf('onSweep');
    expect(sweep.after).toBeGreaterThan(0);
    expect(sweep.after * 1.2).toBeLessThan(sweep.during);
  });
});
