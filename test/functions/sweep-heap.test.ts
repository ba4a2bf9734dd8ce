// The function's heap pacing (functions/sweep-heap.ts): while a large project is judged and committed, V8 lets the old
// generation grow 10 % past the live heap before its next full collection. Seen from outside, in a fresh Node with the
// heap a 512 MiB function gets: V8's own trace of the growing factor it sets after each full collection reads 1.1
// inside a large project's sweep, and V8's own factor (1.3 for this heap) inside a small one's and after them.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

/**
 * Runs ~60 MB of kept objects, with twenty times as much promoted garbage beside them, through the built
 * sweepHeapPacing as the sweeps `phases` name (a project's record count each; 0 is the same work outside any sweep),
 * one after another in one fresh Node; returns the growing factors V8 traced after each full collection
 * (`--trace-gc-verbose`: "factor 1.1 based on mu=..."), in the order V8 set them. V8's own lines are the only
 * witness: its trace goes through C's buffered stdout, so a marker the script wrote between phases could land
 * among lines of the phase before (a run under load once put a 1.3 of the small sweep after the large one's marker).
 */
function growingFactors(phases: readonly number[]): number[] {
  const script = `
    const { sweepHeapPacing } = await import(${JSON.stringify(`${REPO_ROOT}/dist/functions/sweep-heap.js`)});
    // The garbage stays reachable for a few batches, as a commit's encoded writes do, so it is promoted and only a
    // full collection frees it.
    const recent = [];
    async function work() {
      const kept = [];
      for (let round = 0; round < 60; round++) {
        for (let index = 0; index < 10_000; index++) kept.push({ round, index, name: 'backendServices/s-' + round + '-' + index });
        for (let batch = 0; batch < 20; batch++) {
          const garbage = [];
          for (let index = 0; index < 10_000; index++) garbage.push({ batch, index, text: 'x-' + index });
          recent[batch % 4] = garbage;
        }
      }
      return kept.length;
    }
    for (const records of ${JSON.stringify(phases)}) {
      if (records > 0) await sweepHeapPacing.pace(records, work);
      else await work();
    }
  `;
  // The Node the project pins, with the heap V8 gives a 512 MiB instance (as bench:sweep-memory sizes it).
  const run = spawnSync(
    `${REPO_ROOT}/node_modules/.bin/node`,
    [
      '--max-old-space-size=256',
      '--max-semi-space-size=1',
      '--trace-gc-verbose',
      '--input-type=module',
      '-e',
      script,
    ],
    { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return [...run.stdout.matchAll(/ factor (\d+\.\d+) based on /g)].map((match) => Number(match[1]));
}

describe("a large project's sweep paces the heap tighter", () => {
  it("V8 grows the old generation by its own factor inside a small project's sweep", () => {
    const factors = growingFactors([500]);
    expect(factors.length).toBeGreaterThan(0);
    expect(factors).not.toContain(1.1);
  });

  it('V8 grows it by 10 % inside a large one, and by its own factor again once the sweep is over', () => {
    const factors = growingFactors([38_000, 0]).map((factor) => (factor === 1.1 ? 'paced' : 'own'));
    // Any collections of the start-up, then the sweep's, then those after it: never paced again once V8's own was back.
    const order = factors.join(' ');
    expect(order).toMatch(/^(own )*(paced ?)+( own)+$/);
  });
});
