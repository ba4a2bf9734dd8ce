// The scan worker's growing factor (src/cli/heap-growth.ts): raised for the first full collection, then V8's again.
// V8's flags are the process's: a recording stands in for setFlagsFromString, and this process's own collections
// (its heap is made to grow below) are the ones observed.

import { describe, expect, it } from 'vitest';
import { growHeapUntilFirstFullCollection } from '../../src/cli/heap-growth.js';

/** Keeps small objects alive, a batch at a time, until `done` settles: old-generation growth V8 must collect for. */
async function growHeapUntil(done: Promise<void>): Promise<void> {
  let settled = false;
  void done.then(() => {
    settled = true;
  });
  const kept: object[][] = [];
  for (let batch = 0; !settled && batch < 400; batch++) {
    kept.push(Array.from({ length: 50_000 }, (_, index) => ({ index, name: `resource-${index}` })));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  expect(kept.length).toBeGreaterThan(0);
}

describe('growHeapUntilFirstFullCollection', () => {
  it('raises the factor, and gives the choice back to V8 after the first full collection', async () => {
    const flags: string[] = [];
    const growth = growHeapUntilFirstFullCollection(1000, (set) => flags.push(set));
    expect(flags).toEqual(['--heap-growing-percent=1000']);
    await growHeapUntil(growth.restored);
    await growth.restored;
    growth.end();
    expect(flags).toEqual(['--heap-growing-percent=1000', '--heap-growing-percent=0']);
  });

  it('ended before any full collection (a small scan), it gives the choice back then, once', async () => {
    const flags: string[] = [];
    const growth = growHeapUntilFirstFullCollection(1000, (set) => flags.push(set));
    growth.end();
    await growth.restored;
    growth.end();
    expect(flags).toEqual(['--heap-growing-percent=1000', '--heap-growing-percent=0']);
  });

  it('0 leaves every factor to V8: no flag is set at all', async () => {
    const flags: string[] = [];
    const growth = growHeapUntilFirstFullCollection(0, (set) => flags.push(set));
    await growth.restored;
    growth.end();
    expect(flags).toEqual([]);
  });
});
