// Which runs are large scans (a tuned heap, the build's bundle): only `scan --estate DIR` of a large estate; and
// which module such a scan runs.

import { utimesSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LARGE_SCAN_FIRST_HEAP_GROWING_PERCENT,
  LARGE_SCAN_SEMI_SPACE_GROWTH_FACTOR,
  largeScanModule,
  largeScanTuningFor,
  scanEstateOf,
} from '../../src/cli/large-scan.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-large-scan-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('scanEstateOf reads --estate the way parseArgs does, for scan alone', () => {
  const CASES: readonly (readonly [string, readonly string[], string | undefined])[] = [
    ['--estate DIR', ['scan', '--estate', 'est', '--format', 'json'], 'est'],
    ['--estate=DIR', ['scan', '--format=json', '--estate=est'], 'est'],
    ['the last of several', ['scan', '--estate', 'a', '--estate=b'], 'b'],
    ['a value that looks like a flag is still the value', ['scan', '--estate', '--help'], '--help'],
    ['--estate with nothing after it', ['scan', '--estate'], undefined],
    ['another command', ['simulate', '--estate', 'est'], undefined],
    ['no command', [], undefined],
    ['a live scan', ['scan', '--project', 'p'], undefined],
    ['--help', ['scan', '--help', '--estate', 'est'], undefined],
    ['-h', ['scan', '--estate', 'est', '-h'], undefined],
    ['after --', ['scan', '--', '--estate', 'est'], undefined],
  ];
  for (const [label, argv, expected] of CASES) {
    it(label, () => {
      expect(scanEstateOf(argv)).toBe(expected);
    });
  }
});

describe('largeScanTuningFor', () => {
  async function estateOf(files: Record<string, number>): Promise<string> {
    const dir = await mkdtemp(join(scratch, 'estate-'));
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), ' '.repeat(bytes));
    return dir;
  }

  it('tunes the heap when the *.json files together reach the threshold', async () => {
    const dir = await estateOf({ 'backend-services.json': 600, 'gateways.json': 400, 'notes.txt': 5000 });
    expect(largeScanTuningFor(['scan', '--estate', dir], 1000)).toEqual({
      firstHeapGrowingPercent: LARGE_SCAN_FIRST_HEAP_GROWING_PERCENT,
      semiSpaceGrowthFactor: LARGE_SCAN_SEMI_SPACE_GROWTH_FACTOR,
    });
    expect(largeScanTuningFor(['scan', '--estate', dir], 1001)).toBeUndefined();
  });

  it('counts regular files only: a directory or a dangling link named *.json adds nothing', async () => {
    const dir = await estateOf({ 'backend-services.json': 100 });
    await mkdir(join(dir, 'folder.json'));
    await symlink(join(dir, 'missing'), join(dir, 'dangling.json'));
    expect(largeScanTuningFor(['scan', '--estate', dir], 100)).toBeDefined();
    expect(largeScanTuningFor(['scan', '--estate', dir], 101)).toBeUndefined();
  });

  it('is no large scan when the estate cannot be read (the scan then says why) or is empty', async () => {
    expect(largeScanTuningFor(['scan', '--estate', join(scratch, 'missing')], 0)).toBeUndefined();
    expect(largeScanTuningFor(['scan', '--estate', '  '], 0)).toBeUndefined();
    expect(largeScanTuningFor(['rules'], 0)).toBeUndefined();
  });

  it('examples/ is no large scan at the default threshold', async () => {
    expect(largeScanTuningFor(['scan', '--estate', 'examples/acme-edge'])).toBeUndefined();
  });
});

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

describe('largeScanModule: the bundle npm run build makes, unless the modules were compiled again after it', () => {
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
      expect(largeScanModule(modules, bundled)).toBe(expected === 'bundled' ? bundled : modules);
    });
  }
});
