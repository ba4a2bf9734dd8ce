import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renderPlanJson } from '../../src/cli/commands/check-plan.js';
import { runCli } from '../../src/cli/main.js';
import { validateSarif } from '../report/sarif-schema.js';
import { sampleReport } from '../report/table-and-json-sample.js';
import { PLANS_DIR, planPath } from './fixtures.js';

async function run(args: readonly string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['check-plan', ...args], {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  });
  return { code, stdout, stderr };
}

async function scratchFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatewarden-plan-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('gatewarden check-plan', () => {
  test('bad plan input exits 2 with one line naming the file and what is wrong', async () => {
    const cases: readonly [string, RegExp][] = [
      ['{not json', /plan\.json: is not JSON/],
      [
        '{"format_version": "1.0", "values": {"root_module": {}}}',
        /plan\.json: is not a Terraform plan: missing planned_values/,
      ],
      [
        '{"planned_values": {"root_module": {}}}',
        /plan\.json: is not a Terraform plan: missing format_version/,
      ],
    ];
    for (const [text, message] of cases) {
      const { code, stderr } = await run([await scratchFile('plan.json', text)]);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  test('a missing plan file exits 2 naming it', async () => {
    const { code, stderr } = await run([join(PLANS_DIR, 'nowhere', 'plan.json')]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/nowhere\/plan\.json: cannot read the file \(no such file or directory\)/);
  });

  test.each([
    [['--format', 'xml'], '--format must be one of table, json, sarif (got "xml")'],
    [['--fail-on', 'SEVERE'], '--fail-on must be one of'],
    [['--out', ' '], '--out needs a file name'],
  ])('bad flags exit 2: %j', async (flags, message) => {
    const { code, stderr } = await run([planPath('guide'), ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  test('no plan file exits 2', async () => {
    expect((await run([])).code).toBe(2);
  });

  test('--format json writes a bigint in evidence as a string, as scan does', () => {
    const report = sampleReport();
    const [first] = report.findings;
    if (!first) throw new Error('test bug: the sample report has findings');
    const findings = [{ ...first, evidence: { bytes: 10n ** 20n } }];
    const terraform = new Map([[first.id, { address: 'google_compute_backend_service.api' }]]);
    const document = JSON.parse(
      renderPlanJson({ ...report, findings, terraform, results: [], unknownUntilApply: 0 }),
    );
    expect(document.findings[0]).toMatchObject({
      evidence: { bytes: '100000000000000000000' },
      address: 'google_compute_backend_service.api',
    });
  });

  test('--format json lists failing findings with their Terraform address', async () => {
    const { code, stdout } = await run([planPath('health-check-http2'), '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      findings: Record<string, unknown>[];
      summary: Record<string, unknown>;
    };
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'backend.http-protocol',
        severity: 'HIGH',
        resource: '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-api',
        subKey: null,
        address: 'google_compute_backend_service.api',
      }),
    );
    expect(report.summary).toMatchObject({ findings: report.findings.length });
  });

  test('--fail-on exits 1 when a finding is at or above the severity, 0 otherwise', async () => {
    expect((await run([planPath('health-check-http2'), '--fail-on', 'HIGH'])).code).toBe(1);
    expect((await run([planPath('guide'), '--fail-on', 'HIGH'])).code).toBe(0);
    expect((await run([planPath('guide'), '--fail-on', 'MEDIUM'])).code).toBe(1);
  });

  test('--format table shows the address beside each finding', async () => {
    const { stdout } = await run([planPath('module-nested')]);
    expect(stdout).toContain('[module.edge.google_compute_backend_service.api]');
  });

  test('--format sarif writes a valid log locating module resources in the module directory', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'gatewarden-sarif-')), 'plan.sarif');
    const { code } = await run([planPath('module-nested'), '--format', 'sarif', '--out', out]);
    expect(code).toBe(0);
    const log = JSON.parse(await readFile(out, 'utf8'));
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const locations = log.runs[0].results.map(
      (result: {
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } };
        }[];
      }) => result.locations[0]?.physicalLocation,
    );
    expect(locations).toContainEqual({
      artifactLocation: {
        uri: 'test/fixtures/plans/module-nested/modules/edge/main.tf',
        uriBaseId: '%SRCROOT%',
      },
      region: { startLine: 15 },
    });
  });

  test.each([
    ['a regular file', planPath('guide'), "is not a directory (give the root module's directory)"],
    [
      'a missing directory',
      join(PLANS_DIR, 'nowhere'),
      'cannot read the directory (no such file or directory)',
    ],
  ])('--tf-dir naming %s exits 2 naming the flag', async (_name, tfDir, problem) => {
    const { code, stderr } = await run([planPath('guide'), '--format', 'sarif', '--tf-dir', tfDir]);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`gatewarden check-plan: --tf-dir ${tfDir}: ${problem}`);
  });

  test('--format sarif warns once of a *.tf it cannot read (a FIFO) and writes the log without it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gatewarden-plan-'));
    const plan = join(dir, 'plan.json');
    await writeFile(plan, await readFile(planPath('guide')));
    execFileSync('mkfifo', [join(dir, 'zz.tf')]);
    const { code, stdout, stderr } = await run([plan, '--format', 'sarif']);
    expect(code).toBe(0);
    expect(validateSarif(JSON.parse(stdout))).toBe(true);
    expect(stderr.split('\n').filter((line) => line.startsWith('warning: '))).toEqual([
      `warning: ${join(dir, 'zz.tf')}: is a FIFO (named pipe), not a regular file; skipped when locating resources for SARIF`,
    ]);
  });

  test('--estate judges the plan in context', async () => {
    const alone = await run([planPath('adds-neg'), '--format', 'json']);
    const inContext = await run([
      planPath('adds-neg'),
      '--format',
      'json',
      '--estate',
      join(PLANS_DIR, 'adds-neg', 'estate'),
    ]);
    const ids = (stdout: string) =>
      (JSON.parse(stdout).findings as { ruleId: string }[]).map((finding) => finding.ruleId);
    expect(ids(alone.stdout)).toEqual(['neg.gateway-exists']);
    expect(ids(inContext.stdout)).toEqual(['backend.one-neg-per-region']);
  });

  // Records the graph cannot name are skipped, as scan skips them: the gate must not pass on what was not judged.
  describe('--estate with a record that names nothing', () => {
    const unnamed: readonly {
      name: string;
      file: string;
      spoil: (record: Record<string, string>) => void;
    }[] = [
      {
        name: 'a gateway whose name ends in a slash',
        file: 'gateways.json',
        spoil: (gateway) => {
          gateway.name += '/';
        },
      },
      {
        name: 'a backend service whose selfLink is not a Compute link',
        file: 'backend-services.json',
        spoil: (service) => {
          service.selfLink = 'https://example.com/orders-api';
        },
      },
    ];

    async function spoiledEstate(file: string, spoil: (record: Record<string, string>) => void) {
      const dir = await mkdtemp(join(tmpdir(), 'gatewarden-plan-estate-'));
      await cp(join(PLANS_DIR, 'adds-neg', 'estate'), dir, { recursive: true });
      const records = JSON.parse(await readFile(join(dir, file), 'utf8'));
      spoil(records[0]);
      await writeFile(join(dir, file), JSON.stringify(records));
      return dir;
    }

    test.each(unnamed)('$name: --fail-on exits 2, saying why', async ({ file, spoil }) => {
      const estate = await spoiledEstate(file, spoil);
      const { code, stdout, stderr } = await run([
        planPath('adds-neg'),
        '--estate',
        estate,
        '--fail-on',
        'CRITICAL',
      ]);
      expect(code).toBe(2);
      // The table shows the warning itself, as scan's does.
      expect(stdout).toMatch(/^warning: skipped a \w+ record: cannot tell which resource .* names$/m);
      expect(stderr).toContain(
        'gatewarden check-plan: --fail-on CRITICAL: 1 record(s) or scope(s) could not be read (see the warnings), ' +
          'so the gate cannot pass',
      );
    });

    test.each(unnamed)('$name: the JSON report carries the warning', async ({ file, spoil }) => {
      const estate = await spoiledEstate(file, spoil);
      const { code, stdout, stderr } = await run([
        planPath('adds-neg'),
        '--estate',
        estate,
        '--format',
        'json',
      ]);
      expect(code).toBe(0);
      const { summary } = JSON.parse(stdout);
      expect(summary.skipped).toBe(1);
      expect(summary.warnings).toEqual([
        expect.stringMatching(/^skipped a \w+ record: cannot tell which resource/),
      ]);
      expect(stderr).toContain(`warning: ${summary.warnings[0]}\n`);
    });
  });

  test('--estate and --project together are refused', async () => {
    const { code } = await run([planPath('adds-neg'), '--estate', PLANS_DIR, '--project', 'acme-edge']);
    expect(code).toBe(2);
  });
});
