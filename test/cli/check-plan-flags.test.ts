// check-plan's context flags: docs/check-plan.md names --estate DIR and --project P; a flag it parses must be read,
// or refused as bad input (exit 2), never taken and ignored so that the plan is judged over nothing.

import { describe, expect, test } from 'vitest';
import { runCaptured } from './capture-io.js';

const PLAN = 'test/fixtures/plans/adds-neg/plan.json';

describe('check-plan refuses context flags it does not read', () => {
  test.each([
    ['--organization', ['--organization', '123456789012'], /unknown option --organization/],
    ['--folder', ['--folder', '345678901234'], /unknown option --folder/],
    ['--endpoint without --project', ['--endpoint', 'http://127.0.0.1:9'], /--endpoint applies to --project/],
    [
      '--endpoint with --estate',
      ['--estate', 'examples/acme-edge', '--endpoint', 'http://127.0.0.1:9'],
      /--endpoint applies to --project/,
    ],
  ])('%s: exit 2 with one line, and no report', async (_name, flags, reason) => {
    const run = await runCaptured(['check-plan', PLAN, '--format', 'json', '--fail-on', 'LOW', ...flags]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(reason);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  test('--help names every flag check-plan takes', async () => {
    const run = await runCaptured(['check-plan', '--help']);
    expect(run.code).toBe(0);
    for (const flag of [
      '--format',
      '--out',
      '--fail-on',
      '--estate',
      '--project',
      '--endpoint',
      '--policy',
      '--tf-dir',
      '--default-project',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).not.toContain('--organization');
  });
});
