// `gatewarden baseline` without Firestore: save from an estate, and the bad input every action refuses (exit 2).

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { resolveApprover } from '../../src/cli/commands/baseline.js';
import { parseBaseline } from '../../src/config/baseline-file.js';
import { runCaptured } from './capture-io.js';

const STOREFRONT_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/storefront-bs';

describe('gatewarden baseline', () => {
  test('save --estate prints the governed fields of every governed resource, links as full names', async () => {
    const run = await runCaptured(['baseline', 'save', '--estate', 'examples/acme-edge']);
    expect(run.code, run.stderr).toBe(0);
    const baseline = parseBaseline(run.stdout, 'stdout');
    expect(baseline.resources[STOREFRONT_BS]?.fields).toMatchObject({
      securityPolicy: '//compute.googleapis.com/projects/acme-edge/global/securityPolicies/storefront-armor',
      'logConfig.enable': true,
    });
    // Saving twice gives the same resources and values (only savedAt/approvedAt move).
    const again = parseBaseline(
      (await runCaptured(['baseline', 'save', '--estate', 'examples/acme-edge'])).stdout,
      'again',
    );
    const withoutApprovalTime = (resources: typeof baseline.resources) =>
      Object.fromEntries(
        Object.entries(resources).map(([name, { approvedAt: _moves, ...entry }]) => [name, entry]),
      );
    expect(Object.keys(baseline.resources).length).toBeGreaterThan(0);
    expect(withoutApprovalTime(again.resources)).toEqual(withoutApprovalTime(baseline.resources));
  });

  // The scan says which records it could not name; the baseline left them out with nothing said, so drift on them
  // would later read as "no baseline approved" (a review's find).
  test('save --estate says which records it left out, as a scan does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewarden-baseline-'));
    try {
      cpSync('examples/acme-edge', dir, { recursive: true });
      const file = join(dir, 'backend-services.json');
      const services = JSON.parse(readFileSync(file, 'utf8')) as { selfLink: string }[];
      const broken = services[0] as { selfLink: string };
      broken.selfLink += '/';
      writeFileSync(file, JSON.stringify(services));
      const run = await runCaptured(['baseline', 'save', '--estate', dir]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`warning: skipped a backendService record: cannot tell which resource`);
      expect(run.stderr).toContain(JSON.stringify(broken.selfLink));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // A governed field named like an Object.prototype member ended `baseline save` as an internal error (exit 70);
  // `__proto__` was accepted and then vanished from every entry, so nothing was governed and nothing was said.
  test.each([
    ['constructor', 0, ''],
    ['toString', 0, ''],
    ['__proto__', 2, 'governedFields.backendService[0]: "__proto__" is not a field path'],
  ])('save with governed field %j exits %i', async (field, code, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewarden-baseline-'));
    try {
      const policy = join(dir, 'policy.yaml');
      writeFileSync(policy, `governedFields:\n  backendService: ['${field}']\n`);
      const run = await runCaptured([
        'baseline',
        'save',
        '--estate',
        'examples/acme-edge',
        '--policy',
        policy,
      ]);
      expect(run.code, run.stderr).toBe(code);
      if (code === 0) {
        expect(parseBaseline(run.stdout, 'stdout').resources[STOREFRONT_BS]?.fields).toEqual({
          [field]: null,
        });
      } else {
        expect(run.stderr).toContain(message);
        expect(run.stderr.trim().split('\n')).toHaveLength(1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // With no action the usage is the error: on stderr, so a pipe reading stdout (a baseline file) gets nothing.
  test('baseline with no action prints its usage on stderr only, exit 2', async () => {
    const run = await runCaptured(['baseline']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage:');
  });

  test.each([
    [['baseline', 'forget'], 'unknown action "forget"'],
    [['baseline', 'save'], 'say what to scan'],
    [
      ['baseline', 'approve', '--approved-by', 'a@b.example'],
      'one of --file FILE, --estate DIR or --project P',
    ],
    [['baseline', 'approve', '--file', 'x.json', '--estate', 'examples/acme-edge'], 'one of --file FILE'],
    [
      [
        'baseline',
        'approve',
        '--estate',
        'examples/acme-edge',
        '--resource',
        'storefront-bs',
        '--approved-by',
        'a@b.example',
      ],
      'is not a full resource name',
    ],
    [
      ['baseline', 'approve', '--file', 'no-such-baseline.json', '--approved-by', 'a@b.example'],
      'no-such-baseline.json',
    ],
    [
      ['baseline', 'approve', '--estate', 'examples/acme-edge', '--approved-by', 'a b'],
      'is not an account name or email',
    ],
    [
      ['baseline', 'approve', '--estate', 'examples/acme-edge', '--approved-by', 'a@b.example'],
      'GOOGLE_CLOUD_PROJECT must name the project',
    ],
  ])('%j is bad input', async (argv, message) => {
    const run = await runCaptured(argv, { env: { HOME: '/nonexistent' } });
    expect(run.code).toBe(2);
    expect(`${run.stdout}${run.stderr}`).toContain(message);
  });

  test.each([
    ['the flag wins', 'lead@acme.example', { USER: 'someone' }, 'lead@acme.example'],
    ['$USER when there is no ADC account', undefined, { USER: 'someone', HOME: '/nonexistent' }, 'someone'],
  ])('approver: %s', async (_name, flag, env, expected) => {
    expect(await resolveApprover(flag, env)).toBe(expected);
  });

  test('approver: the account of the ADC file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatewarden-approver-'));
    try {
      const keyFile = join(dir, 'key.json');
      writeFileSync(
        keyFile,
        JSON.stringify({ type: 'service_account', client_email: 'ci@acme.iam.example' }),
      );
      expect(await resolveApprover(undefined, { GOOGLE_APPLICATION_CREDENTIALS: keyFile })).toBe(
        'ci@acme.iam.example',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('approver: no flag, no ADC account and no $USER is bad input', async () => {
    await expect(resolveApprover(undefined, { HOME: '/nonexistent' })).rejects.toThrow('--approved-by EMAIL');
  });
});
