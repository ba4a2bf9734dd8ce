// --out never replaces a file the command reads (the same file by device and inode, whatever path names it): the
// report written over an export, a plan or a policy would be judged on the next run instead of what it replaced.

import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCaptured } from './capture-io.js';

const scratch = mkdtempSync(join(tmpdir(), 'gatewarden-out-input-'));
const estate = join(scratch, 'estate');
cpSync('examples/acme-edge', estate, { recursive: true });
cpSync('examples/policy.yaml', join(scratch, 'policy.yaml'));
cpSync('test/fixtures/plans/guide/plan.json', join(scratch, 'plan.json'));
symlinkSync(join(estate, 'gateways.json'), join(scratch, 'another-name.json'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('--out names a file the command reads', () => {
  test.each([
    [
      'an export of the estate',
      ['scan', '--estate', estate, '--format', 'json', '--out', join(estate, 'backend-services.json')],
      join(estate, 'backend-services.json'),
    ],
    [
      'an export by another name (a link)',
      ['scan', '--estate', estate, '--out', join(scratch, 'another-name.json')],
      join(estate, 'gateways.json'),
    ],
    [
      'the policy',
      [
        'scan',
        '--estate',
        estate,
        '--policy',
        join(scratch, 'policy.yaml'),
        '--out',
        join(scratch, 'policy.yaml'),
      ],
      join(scratch, 'policy.yaml'),
    ],
    [
      'the plan',
      ['check-plan', join(scratch, 'plan.json'), '--format', 'sarif', '--out', join(scratch, 'plan.json')],
      join(scratch, 'plan.json'),
    ],
    [
      'an export, when saving a baseline',
      ['baseline', 'save', '--estate', estate, '--out', join(estate, 'url-maps.json')],
      join(estate, 'url-maps.json'),
    ],
  ])('%s: bad input, and the file is left as it was', async (_case, argv, input) => {
    const before = readFileSync(input, 'utf8');
    const run = await runCaptured(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--out .* is .*, which this command reads; write the report elsewhere/);
    expect(readFileSync(input, 'utf8')).toBe(before);
  });

  test("a baseline saved over the estate's own baseline.json replaces it, as saving beside the exports is meant to", async () => {
    const out = join(estate, 'baseline.json');
    expect((await runCaptured(['baseline', 'save', '--estate', estate, '--out', out])).code).toBe(0);
    const again = await runCaptured(['baseline', 'save', '--estate', estate, '--out', out]);
    expect(again.code, again.stderr).toBe(0);
    rmSync(out);
  });
});
