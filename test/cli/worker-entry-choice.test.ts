// Which module a scan's worker thread starts: the bundle `npm run build` makes, only when it is as new as tsc's
// output (a later tsc run may have changed any module the bundle holds an older copy of).

import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workerEntryOf } from '../../src/cli/run-in-worker.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-worker-entry-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** worker-entry.js and the bundle's entry, each written at `seconds` since the epoch (undefined: not there). */
async function modules(name: string, entryAt: number | undefined, bundleAt: number | undefined) {
  const entry = join(scratch, `${name}-entry.js`);
  const bundle = join(scratch, `${name}-bundle.js`);
  for (const [path, at] of [
    [entry, entryAt],
    [bundle, bundleAt],
  ] as const) {
    if (at === undefined) continue;
    await writeFile(path, '');
    await utimes(path, at, at);
  }
  return { entry: pathToFileURL(entry), bundle: pathToFileURL(bundle) };
}

describe('workerEntryOf', () => {
  const CASES: readonly (readonly [string, number | undefined, number | undefined, 'bundle' | 'entry'])[] = [
    ['the bundle built after tsc', 1_000, 1_001, 'bundle'],
    ['the same time (a packed package gives every file one time)', 499_162_860, 499_162_860, 'bundle'],
    ['tsc ran after the bundle was built', 1_001, 1_000, 'entry'],
    ['no bundle (built by tsc alone)', 1_000, undefined, 'entry'],
    ['no worker-entry.js beside it', undefined, 1_000, 'entry'],
  ];
  CASES.forEach(([label, entryAt, bundleAt, expected], index) => {
    it(label, async () => {
      const { entry, bundle } = await modules(`case-${index}`, entryAt, bundleAt);
      expect(workerEntryOf(entry, bundle).href).toBe((expected === 'bundle' ? bundle : entry).href);
    });
  });
});
