// Which runs get a worker thread with a smaller young generation: only `scan --estate DIR` of a large estate.

import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  scanEstateOf,
  WORKER_FIRST_HEAP_GROWING_PERCENT,
  WORKER_YOUNG_GENERATION_MB,
  workerSizingFor,
} from '../../src/cli/worker-sizing.js';

const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-worker-sizing-'));
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

describe('workerSizingFor', () => {
  async function estateOf(files: Record<string, number>): Promise<string> {
    const dir = await mkdtemp(join(scratch, 'estate-'));
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), ' '.repeat(bytes));
    return dir;
  }

  it('sizes a worker when the *.json files together reach the threshold', async () => {
    const dir = await estateOf({ 'backend-services.json': 600, 'gateways.json': 400, 'notes.txt': 5000 });
    expect(await workerSizingFor(['scan', '--estate', dir], 1000)).toEqual({
      maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
      firstHeapGrowingPercent: WORKER_FIRST_HEAP_GROWING_PERCENT,
    });
    expect(await workerSizingFor(['scan', '--estate', dir], 1001)).toBeUndefined();
  });

  it('counts regular files only: a directory or a dangling link named *.json adds nothing', async () => {
    const dir = await estateOf({ 'backend-services.json': 100 });
    await mkdir(join(dir, 'folder.json'));
    await symlink(join(dir, 'missing'), join(dir, 'dangling.json'));
    expect(await workerSizingFor(['scan', '--estate', dir], 100)).toBeDefined();
    expect(await workerSizingFor(['scan', '--estate', dir], 101)).toBeUndefined();
  });

  it('runs in this thread when the estate cannot be read (the scan then says why) or is empty', async () => {
    expect(await workerSizingFor(['scan', '--estate', join(scratch, 'missing')], 0)).toBeUndefined();
    expect(await workerSizingFor(['scan', '--estate', '  '], 0)).toBeUndefined();
    expect(await workerSizingFor(['rules'], 0)).toBeUndefined();
  });

  it('runs examples/ in this thread at the default threshold', async () => {
    expect(await workerSizingFor(['scan', '--estate', 'examples/acme-edge'])).toBeUndefined();
  });
});
