import { describe, expect, test } from 'vitest';
import { closestIds } from '../../src/cli/commands/explain.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { runCaptured } from './capture-io.js';

describe('gatewarden rules', () => {
  test('lists every rule of the catalogue with severity, source and title', async () => {
    const run = await runCaptured(['rules']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ID +SEVERITY +SOURCE +TITLE$/m);
    for (const rule of ALL_RULES) {
      expect(run.stdout).toMatch(
        new RegExp(`^${rule.id.replaceAll('.', '\\.')} +${rule.severity} +${rule.source} +`, 'm'),
      );
    }
  });

  test('counts the 24 rules of RULES.md', async () => {
    const run = await runCaptured(['rules']);
    expect(run.stdout).toMatch(/^24 rules; /m);
    expect(run.stdout).toMatch(/^backend\.gateways-same-project +HIGH +seed +/m);
  });

  test('--format json gives the same catalogue for tools, sorted by ID', async () => {
    const run = await runCaptured(['rules', '--format', 'json']);
    expect(run.code).toBe(0);
    const entries = JSON.parse(run.stdout) as { id: string; severity: string; appliesTo: string[] }[];
    expect(entries.map((entry) => entry.id)).toEqual(ALL_RULES.map((rule) => rule.id).sort());
    expect(entries[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), appliesTo: expect.any(Array) }),
    );
  });

  test.each([
    {
      argv: ['rules', '--format', 'yaml'],
      stderr: 'gatewarden rules: --format must be table or json (got "yaml")\n',
    },
    { argv: ['rules', '--all'], stderr: 'gatewarden rules: unknown option --all\n' },
  ])('$argv.1 $argv.2 is bad input', async ({ argv, stderr }) => {
    const run = await runCaptured(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(stderr);
  });
});

describe('gatewarden explain', () => {
  test('prints title, severity, source, scope, rationale, fixes and references', async () => {
    const run = await runCaptured(['explain', 'neg.no-network-endpoints']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^neg\.no-network-endpoints: Serverless NEGs have no network endpoints$/m);
    expect(run.stdout).toMatch(/^Severity: +HIGH$/m);
    expect(run.stdout).toMatch(/^Source: +seed \(/m);
    expect(run.stdout).toMatch(/^Applies to: network endpoint groups$/m);
    expect(run.stdout).toMatch(/^Why\n {2}A serverless NEG points at exactly one serverless resource/m);
    expect(run.stdout).toMatch(/^ {2}gcloud:\n {4}gcloud beta compute network-endpoint-groups create/m);
    expect(run.stdout).toMatch(
      /^ {2}Terraform:\n {4}resource "google_compute_region_network_endpoint_group"/m,
    );
    expect(run.stdout).toMatch(/^References\n {2}https:\/\/cloud\.google\.com\//m);
  });

  test.each(ALL_RULES.map((rule) => [rule.id]))('explains %s from its metadata', async (id) => {
    const run = await runCaptured(['explain', id]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(`${id}: `)).toBe(true);
  });

  test.each([
    {
      name: 'an unknown ID suggests the closest',
      argv: ['explain', 'neg.no-network-endpoint'],
      stderr:
        /^gatewarden explain: unknown rule "neg\.no-network-endpoint"; did you mean neg\.no-network-endpoints(, [a-z.-]+)*\? \(gatewarden rules lists them all\)\n$/,
    },
    {
      name: 'no ID',
      argv: ['explain'],
      stderr: /^gatewarden explain: give a rule ID, e\.g\. gatewarden explain neg\.gateway-exists\n$/,
    },
    {
      name: 'two IDs',
      argv: ['explain', 'a', 'b'],
      stderr: /^gatewarden explain: explain takes one rule ID \(got 2\)\n$/,
    },
  ])('$name: exit 2', async ({ argv, stderr }) => {
    const run = await runCaptured(argv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(stderr);
  });
});

describe('closestIds', () => {
  const ids = [
    'neg.gateway-exists',
    'neg.gateway-same-region',
    'backend.no-port',
    'backend.no-health-checks',
  ];
  test.each([
    { typed: 'neg.gateway-exist', first: 'neg.gateway-exists' },
    { typed: 'gateway-exists', first: 'neg.gateway-exists' },
    { typed: 'no-port', first: 'backend.no-port' },
    { typed: 'backend.no-healthcheck', first: 'backend.no-health-checks' },
    { typed: 'NEG.GATEWAY-SAME-REGION', first: 'neg.gateway-same-region' },
  ])('$typed -> $first', ({ typed, first }) => {
    const closest = closestIds(typed, ids);
    expect(closest[0]).toBe(first);
    expect(closest).toHaveLength(3);
  });
});
