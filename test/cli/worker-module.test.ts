// Which module the scan worker runs (src/cli/run-in-worker.ts): the bundle npm run build makes, unless the modules
// were compiled again after it (tsc alone leaves an older bundle behind) or there is none.

import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workerModule } from '../../src/cli/run-in-worker.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-worker-module-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A module and a bundle written at the given times (seconds since the epoch); undefined: not there at all. */
function built(label: string, moduleAt: number | undefined, bundleAt: number | undefined) {
  const at = (name: string, seconds: number | undefined) => {
    const path = join(scratch, `${label}-${name}.js`);
    if (seconds !== undefined) {
      writeFileSync(path, '');
      utimesSync(path, seconds, seconds);
    }
    return pathToFileURL(path);
  };
  return { modules: at('module', moduleAt), bundled: at('bundle', bundleAt) };
}

describe('workerModule', () => {
  const CASES = [
    ['the bundle made after the modules', 1_000, 1_001, 'bundled'],
    [
      'a bundle as old as the modules (npm pack gives every file one time)',
      499_162_860,
      499_162_860,
      'bundled',
    ],
    ['modules compiled again after the bundle (tsc alone)', 1_002, 1_001, 'modules'],
    ['no bundle', 1_000, undefined, 'modules'],
    ['no modules beside a bundle', undefined, 1_000, 'bundled'],
  ] as const;
  for (const [label, moduleAt, bundleAt, expected] of CASES) {
    it(`${label}: the ${expected === 'bundled' ? 'bundle' : 'modules'}`, () => {
      const { modules, bundled } = built(label.replace(/\W+/g, '-'), moduleAt, bundleAt);
      expect(workerModule(modules, bundled)).toBe(expected === 'bundled' ? bundled : modules);
    });
  }
});
