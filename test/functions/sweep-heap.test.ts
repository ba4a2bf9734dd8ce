// The function's heap pacing (functions/sweep-heap.ts): while a large project is judged and committed, V8 lets the old
// generation grow 10 % past the live heap before its next full collection. Seen from outside, in a fresh Node with the
// heap a 512 MiB function gets: V8's own trace of the growing factor it sets after each full collection reads 1.1
// inside a large project's sweep, and V8's own factor (1.3 for this heap) inside a small one's and after them.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/repository-root.js';

type Phase = 'small' | 'large' | 'after';

/**
 * Runs ~60 MB of kept objects, with twenty times as much promoted garbage beside them, as the sweep of a 500-record and
 * of a 38,000-record project through the built sweepHeapPacing, then once more on its own; returns the growing
 * factors V8 traced (`--trace-gc-verbose`: "factor 1.1 based on mu=...") in each phase.
 */
function growingFactors(): Record<Phase, number[]> {
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
    process.stdout.write('PHASE small\\n');
    await sweepHeapPacing.pace(500, work);
    process.stdout.write('PHASE large\\n');
    await sweepHeapPacing.pace(38_000, work);
    process.stdout.write('PHASE after\\n');
    await work();
  `;
  // The Node the project pins, with the heap V8 gives a 512 MiB instance (as bench:sweep-memory sizes it). V8 prints
  // its trace on stdout, where it interleaves with the phase markers (a pipe is written synchronously on Linux).
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
  const factors: Record<Phase, number[]> = { small: [], large: [], after: [] };
  let phase: Phase | undefined;
  for (const line of run.stdout.split('\n')) {
    const marker = /^PHASE (small|large|after)$/.exec(line);
    if (marker) phase = marker[1] as Phase;
    const factor = / factor (\d+\.\d+) based on /.exec(line);
    if (phase && factor) factors[phase].push(Number(factor[1]));
  }
  return factors;
}

describe("a large project's sweep paces the heap tighter", () => {
  it("V8 grows the old generation by 10 % inside them, by its own factor inside a small project's and after", () => {
    const { small, large, after } = growingFactors();
    expect(large.length).toBeGreaterThan(0);
    expect(new Set(large)).toEqual(new Set([1.1]));
    expect(Math.max(...small)).toBeGreaterThan(1.1);
    expect(Math.max(...after)).toBeGreaterThan(1.1);
  });
});
