// The sweep function paces its heap tighter (functions/sweep-heap.ts): once a process has run onSweep, V8 collects
// the old generation when it has grown 10 % past the live heap. Seen from outside, in a fresh Node with the heap a
// 512 MiB function gets: the same work runs more full collections after onSweep than after onAuditLog.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../e2e/local-stack.js';

/** Runs one entry point of the built handlers (its configuration refused), then ~60 MB of kept objects and garbage. */
function fullCollectionsAfter(entry: 'onSweep' | 'onAuditLog'): number {
  const script = `
    import { PerformanceObserver, constants } from 'node:perf_hooks';
    const { createHandlers } = await import(${JSON.stringify(`${REPO_ROOT}/dist/functions/handlers.js`)});
    const handlers = createHandlers(async () => { throw new Error('no configuration here'); });
    const event = { specversion: '1.0', id: '1', source: 'test', type: 'test', data: {} };
    await handlers[${JSON.stringify(entry)}](event).catch(() => undefined);
    let fullCollections = 0;
    new PerformanceObserver((list) => {
      for (const gc of list.getEntries()) if (gc.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullCollections++;
    }).observe({ entryTypes: ['gc'] });
    const kept = [];
    for (let round = 0; round < 60; round++) {
      for (let index = 0; index < 10_000; index++) kept.push({ round, index, name: 'backendServices/s-' + round + '-' + index });
      for (let batch = 0; batch < 20; batch++) {
        const garbage = [];
        for (let index = 0; index < 10_000; index++) garbage.push({ batch, index, text: 'x-' + index });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.stdout.write(String(kept.length === 600_000 ? fullCollections : -1));
  `;
  // The Node the project pins, with the heap V8 gives a 512 MiB instance (as bench:sweep-memory sizes it).
  const run = spawnSync(
    `${REPO_ROOT}/node_modules/.bin/node`,
    ['--max-old-space-size=256', '--max-semi-space-size=1', '--input-type=module', '-e', script],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return Number(run.stdout);
}

describe('a process that has run onSweep paces its heap tighter', () => {
  it('runs clearly more full collections for the same work than one that ran onAuditLog', () => {
    const events = fullCollectionsAfter('onAuditLog');
    const sweeps = fullCollectionsAfter('onSweep');
    expect(events).toBeGreaterThan(0);
    // 57-58 against 77-78 on the session host: V8's default grows the old generation ~30 % between collections.
    expect(sweeps).toBeGreaterThan(events * 1.2);
  });
});
