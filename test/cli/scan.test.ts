import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { apiGatewayNeg } from '../support/records.js';
import { runCaptured } from './capture-io.js';

const ESTATE = 'test/fixtures/estates/orders-edge';
const LEGACY_NEG =
  '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/legacy-neg-usc1';
const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-cli-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function fileOf(name: string, text: string): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, text);
  return path;
}

/** A policy muting every finding of the fixture, so `--fail-on LOW` passes only if muting works. */
async function muteAllPolicy(): Promise<string> {
  return fileOf(
    'mute-all.yaml',
    'exemptions:\n  - ruleId: "*"\n    resource: //**\n    reason: lab estate\n    expires: 2099-12-31\n',
  );
}

describe('gatewarden scan --estate', () => {
  test('prints the table on stdout and progress on stderr', async () => {
    const run = await runCaptured(['scan', '--estate', ESTATE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^SEVERITY +RULE +RESOURCE +MESSAGE$/m);
    expect(run.stdout).toMatch(/^HIGH +neg\.no-network-endpoints +acme-edge\/us-central1\/legacy-neg-usc1 /m);
    expect(run.stdout).toMatch(/^\d+ findings: .* across 17 resources, \d+ rules$/m);
    expect(run.stderr).toMatch(/^Loaded 17 resources from test\/fixtures\/estates\/orders-edge in \d+ ms$/m);
    expect(run.stderr).toMatch(/^Judged 17 resources against \d+ rules in [\d,]+ ms$/m);
  });

  test('--format json prints failing results only, each with the contract fields', async () => {
    const run = await runCaptured(['scan', '--estate', ESTATE, '--format', 'json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toContainEqual({
      ruleId: 'neg.no-network-endpoints',
      severity: 'HIGH',
      resource: LEGACY_NEG,
      subKey: null,
      message: 'Serverless NEG legacy-neg-usc1 (acme-edge, us-central1) has network endpoints attached.',
      evidence: { size: 0, defaultPort: 443 },
      state: 'open',
    });
    expect(report.summary).toMatchObject({ resources: 17, skipped: 0, warnings: [], errors: [] });
  });

  test.each([
    { name: 'no --fail-on never fails', flags: [], code: 0 },
    { name: '--fail-on HIGH fails on the HIGH finding', flags: ['--fail-on', 'HIGH'], code: 1 },
    { name: '--fail-on is case-insensitive', flags: ['--fail-on', 'high'], code: 1 },
    { name: '--fail-on LOW fails too', flags: ['--fail-on', 'LOW'], code: 1 },
    {
      name: '--fail-on CRITICAL passes: nothing is CRITICAL here',
      flags: ['--fail-on', 'CRITICAL'],
      code: 0,
    },
  ])('$name', async ({ flags, code }) => {
    expect((await runCaptured(['scan', '--estate', ESTATE, ...flags])).code).toBe(code);
  });

  test('--format sarif gives one SARIF result per failing result, muted ones suppressed', async () => {
    const policy = await muteAllPolicy();
    const json = JSON.parse((await runCaptured(['scan', '--estate', ESTATE, '--format', 'json'])).stdout);
    const run = await runCaptured(['scan', '--estate', ESTATE, '--format', 'sarif', '--policy', policy]);
    expect(run.code).toBe(0);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results as { ruleId: string; suppressions?: unknown[] }[];
    expect(results.map((result) => result.ruleId).sort()).toEqual(
      json.findings.map((finding: { ruleId: string }) => finding.ruleId).sort(),
    );
    expect(results.every((result) => (result.suppressions ?? []).length > 0)).toBe(true);
  });

  test('muted findings are reported but never fail the run', async () => {
    const run = await runCaptured([
      'scan',
      '--estate',
      ESTATE,
      '--policy',
      await muteAllPolicy(),
      '--fail-on',
      'LOW',
      '--format',
      'json',
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((finding: { state: string }) => finding.state === 'muted')).toBe(true);
    expect(report.summary.muted).toBe(report.findings.length);
  });

  test('--out writes the report to a file and says so on stderr', async () => {
    const out = join(scratch, 'report.json');
    const run = await runCaptured(['scan', '--estate', ESTATE, '--format', 'json', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^Wrote \\d+ findings to ${out}$`, 'm'));
    expect(JSON.parse(await readFile(out, 'utf8')).findings.length).toBeGreaterThan(0);
  });

  test.each(['json', 'sarif', 'csv', 'markdown', 'html'])(
    '--out FILE holds byte for byte what standard output gets (%s; json is written in pieces)',
    async (format) => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-12-04T12:00:00.000Z'));
      try {
        const out = join(scratch, `same.${format}`);
        const written = await runCaptured(['scan', '--estate', ESTATE, '--format', format, '--out', out]);
        const printed = await runCaptured(['scan', '--estate', ESTATE, '--format', format]);
        expect(written.code).toBe(0);
        expect(await readFile(out, 'utf8')).toBe(printed.stdout);
      } finally {
        vi.useRealTimers();
      }
    },
  );

  test.each([
    { name: 'a terminal gets colour', tty: true, env: {}, out: false, colour: true },
    { name: 'NO_COLOR turns it off', tty: true, env: { NO_COLOR: '1' }, out: false, colour: false },
    { name: 'a pipe gets none', tty: false, env: {}, out: false, colour: false },
    { name: 'a file gets none', tty: true, env: {}, out: true, colour: false },
  ])('$name', async ({ tty, env, out, colour }) => {
    const outFile = join(scratch, `colour-${String(tty)}-${String(out)}.txt`);
    const run = await runCaptured(['scan', '--estate', ESTATE, ...(out ? ['--out', outFile] : [])], {
      env,
      stdoutIsTty: tty,
    });
    const text = out ? await readFile(outFile, 'utf8') : run.stdout;
    expect(text.includes('\x1b[')).toBe(colour);
  });

  test('loader warnings reach stderr with json, and the table itself with table', async () => {
    const dir = join(scratch, 'v1-export');
    await mkdir(dir);
    const v1Neg = {
      ...apiGatewayNeg('orders-neg', 'us-central1', 'orders-gw'),
      serverlessDeployment: undefined,
    };
    await writeFile(join(dir, 'network-endpoint-groups.json'), JSON.stringify([v1Neg]));
    const json = await runCaptured(['scan', '--estate', dir, '--format', 'json']);
    expect(json.stderr).toMatch(
      /^warning: .*network-endpoint-groups\.json: 1 serverless NEG names no target/m,
    );
    expect(JSON.parse(json.stdout).summary.warnings).toHaveLength(1);
    const table = await runCaptured(['scan', '--estate', dir]);
    expect(table.stdout).toMatch(
      /^warning: .*gcloud beta compute network-endpoint-groups list --format=json/m,
    );
  });
});

// README: an undecided result is never a pass; `scan` lists it under errors and --fail-on counts it. The table and
// JSON carry it, SARIF as notifications of the run, CSV has no place for it: with those a gate failed on it and
// nothing said why.
describe('results a rule could not decide reach stderr unless the table on stdout lists them', () => {
  const UNDETERMINED =
    /^undetermined: gateway\.api-config-authenticated on \/\/apigateway\.googleapis\.com\/projects\/acme-edge\/locations\/us-central1\/gateways\/legacy-gw: The API config of gateway legacy-gw .* cannot be read: /m;

  async function estateWithUnreadableConfig(): Promise<string> {
    const dir = join(scratch, 'unreadable-config');
    await cp(ESTATE, dir, { recursive: true });
    const configs = JSON.parse(await readFile(join(dir, 'api-configs.json'), 'utf8')) as {
      name: string;
      openapiDocuments: { document: { contents: string } }[];
    }[];
    const legacy = configs.find((config) => config.name.endsWith('/configs/legacy-v1'));
    const document = legacy?.openapiDocuments[0]?.document;
    if (!document) throw new Error('the fixture has no legacy-v1 config');
    document.contents = Buffer.from('swagger: "2.0"\npaths: [: {\n').toString('base64');
    await writeFile(join(dir, 'api-configs.json'), JSON.stringify(configs));
    return dir;
  }

  test.each(['sarif', 'csv', 'json'])(
    '--format %s: one stderr line per undetermined result',
    async (format) => {
      const run = await runCaptured([
        'scan',
        '--estate',
        await estateWithUnreadableConfig(),
        '--format',
        format,
      ]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toMatch(UNDETERMINED);
      expect(run.stderr).toMatch(/^undetermined: gateway\.direct-url-protected on .*legacy-gw: /m);
      if (format === 'sarif') {
        const notes = JSON.parse(run.stdout).runs[0].invocations[0].toolExecutionNotifications;
        expect(notes.map((note: { message: { text: string } }) => `${note.message.text}\n`).join('')).toBe(
          run.stderr
            .split('\n')
            .filter((line) => line.startsWith('undetermined: '))
            .map((line) => `${line}\n`)
            .join(''),
        );
      }
    },
  );

  test('--format table on stdout lists them itself; into --out, stderr does', async () => {
    const dir = await estateWithUnreadableConfig();
    const table = await runCaptured(['scan', '--estate', dir]);
    expect(table.stdout).toMatch(/^2 results could not be judged:$/m);
    expect(table.stderr).not.toMatch(/^undetermined:/m);
    const out = join(scratch, 'unreadable-config.txt');
    const written = await runCaptured(['scan', '--estate', dir, '--out', out]);
    expect(written.stderr).toMatch(UNDETERMINED);
  });
});

describe('gatewarden scan with a baseline.json beside the estate', () => {
  test('a governed field that moved away from the approved value fails drift.matches-baseline', async () => {
    const dir = join(scratch, 'with-baseline');
    await cp(ESTATE, dir, { recursive: true });
    const ordersBs = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';
    const baseline = {
      version: 1,
      savedAt: '2026-05-01T12:00:00Z',
      resources: {
        [ordersBs]: {
          fields: {
            securityPolicy: '//compute.googleapis.com/projects/acme-edge/global/securityPolicies/strict-waf',
          },
        },
      },
    };
    await writeFile(join(dir, 'baseline.json'), JSON.stringify(baseline));
    const run = await runCaptured(['scan', '--estate', dir, '--format', 'json']);
    expect(run.code).toBe(0);
    const drift = JSON.parse(run.stdout).findings.filter(
      (finding: { ruleId: string }) => finding.ruleId === 'drift.matches-baseline',
    );
    expect(drift).toEqual([expect.objectContaining({ resource: ordersBs, state: 'open' })]);
  });

  test('an invalid baseline.json: exit 2 naming the file', async () => {
    const dir = join(scratch, 'bad-baseline');
    await cp(ESTATE, dir, { recursive: true });
    await writeFile(join(dir, 'baseline.json'), '{"version": 1}');
    const run = await runCaptured(['scan', '--estate', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^gatewarden scan: ${join(dir, 'baseline.json')}: savedAt: required\n$`),
    );
  });
});

describe('gatewarden scan rejects bad input with exit 2 and one line naming the cause', () => {
  test.each([
    {
      name: 'an estate directory that does not exist',
      argv: ['scan', '--estate', 'test/fixtures/estates/no-such-estate'],
      stderr:
        'gatewarden scan: test/fixtures/estates/no-such-estate: cannot read the estate directory (no such file or directory)\n',
    },
    {
      name: 'an unknown flag',
      argv: ['scan', '--estate', ESTATE, '--colour'],
      stderr: 'gatewarden scan: unknown option --colour\n',
    },
    {
      name: 'a flag without its value',
      argv: ['scan', '--estate'],
      stderr: 'gatewarden scan: option --estate needs a value\n',
    },
    {
      name: 'a format that does not exist',
      argv: ['scan', '--estate', ESTATE, '--format', 'xml'],
      stderr: expect.stringMatching(
        /^gatewarden scan: --format must be one of table, json.* \(got "xml"\)\n$/,
      ),
    },
    {
      name: 'a severity that does not exist',
      argv: ['scan', '--estate', ESTATE, '--fail-on', 'SEVERE'],
      stderr: 'gatewarden scan: --fail-on must be one of LOW, MEDIUM, HIGH, CRITICAL (got "SEVERE")\n',
    },
    {
      name: 'nothing to scan',
      argv: ['scan'],
      stderr:
        'gatewarden scan: say what to scan: --estate DIR (an exported estate), --project P (a live project), or --organization O / --folder F (every project beneath)\n',
    },
    {
      name: 'an estate and a project together',
      argv: ['scan', '--estate', ESTATE, '--project', 'acme-edge'],
      stderr: 'gatewarden scan: give one of --estate, --project, not several\n',
    },
    {
      name: 'an organisation and a folder together',
      argv: ['scan', '--organization', '1', '--folder', '2'],
      stderr: 'gatewarden scan: give one of --organization, --folder, not several\n',
    },
    {
      name: 'an organisation that is not a number',
      argv: ['scan', '--organization', 'acme.example'],
      stderr:
        'gatewarden scan: --organization must be a numeric ID or organizations/ID, got "acme.example"\n',
    },
    {
      name: 'a folder of another kind',
      argv: ['scan', '--folder', 'organizations/12'],
      stderr: 'gatewarden scan: --folder must be a numeric ID or folders/ID, got "organizations/12"\n',
    },
    {
      name: 'a policy file that does not exist',
      argv: ['scan', '--estate', ESTATE, '--policy', 'test/fixtures/no-such-policy.yaml'],
      stderr: expect.stringMatching(
        /^gatewarden scan: test\/fixtures\/no-such-policy\.yaml: .*not found.*\n$/,
      ),
    },
  ])('$name', async ({ argv, stderr }) => {
    const run = await runCaptured(argv);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toEqual(stderr);
  });

  test('a broken estate file: the file and the line', async () => {
    const dir = join(scratch, 'broken');
    await mkdir(dir);
    await writeFile(
      join(dir, 'gateways.json'),
      '[\n  {"name": "projects/p/locations/us-central1/gateways/g",}\n]\n',
    );
    const run = await runCaptured(['scan', '--estate', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `gatewarden scan: ${join(dir, 'gateways.json')}: not valid JSON at line 2, column 58: Expected double-quoted property name\n`,
    );
  });

  test('an invalid policy: the file and the key', async () => {
    const policy = await fileOf(
      'bad-policy.yaml',
      'rules:\n  neg.no-network-endpoints:\n    severity: SEVERE\n',
    );
    const run = await runCaptured(['scan', '--estate', ESTATE, '--policy', policy]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^gatewarden scan: ${policy}: rules\\.neg\\.no-network-endpoints\\.severity: .+\\n$`),
    );
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('--out into a directory that does not exist', async () => {
    const out = join(scratch, 'missing-dir', 'report.txt');
    const run = await runCaptured(['scan', '--estate', ESTATE, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(`^gatewarden scan: --out ${out}: cannot be written \\(ENOENT\\)\\n$`, 'm'),
    );
  });
});
