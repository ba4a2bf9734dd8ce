import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import type { Severity } from '../../src/domain/severity.js';
import { findingOf, type RuleResult } from '../../src/engine/evaluate.js';
import {
  levelOf,
  renderSarif,
  securitySeverityOf,
  type TerraformPlace,
  toSarifLog,
} from '../../src/report/sarif.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { negNoNetworkEndpoints } from '../../src/rules/neg/no-network-endpoints.js';
import { fullName } from '../support/records.js';
import { validateSarif } from './sarif-schema.js';

const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');

function finding(overrides: Partial<RuleResult> = {}): Finding {
  return findingOf(result(overrides), '2026-05-04T10:00:00.000Z');
}

function result(overrides: Partial<RuleResult> = {}): RuleResult {
  return {
    ruleId: 'neg.no-network-endpoints',
    status: 'fail',
    severity: 'HIGH',
    resource: NEG,
    resourceType: 'compute.googleapis.com/NetworkEndpointGroup',
    project: 'acme-edge',
    location: 'us-central1',
    subKey: null,
    message: 'Serverless NEG orders-neg-usc1 (acme-edge, us-central1) has network endpoints attached.',
    evidence: { defaultPort: 443 },
    ...overrides,
  };
}

const FINDING = finding();
const PLACE: TerraformPlace = {
  address: 'module.edge.google_compute_region_network_endpoint_group.orders',
  file: { uri: 'infra/modules/edge/main.tf', line: 3 },
};
const PLACES = new Map([[FINDING, PLACE]]);

function runOf(findings: readonly Finding[], places: ReadonlyMap<Finding, TerraformPlace> = PLACES) {
  const log = toSarifLog(findings, {
    rules: ALL_RULES,
    toolVersion: '0.1.0',
    terraformOf: (item) => places.get(item),
  }) as unknown as {
    runs: { tool: { driver: { rules: Record<string, unknown>[] } }; results: Record<string, unknown>[] }[];
  };
  return log.runs[0] as (typeof log.runs)[number];
}

describe('SARIF renderer', () => {
  test('validates against the SARIF 2.1.0 schema', () => {
    const log = JSON.parse(
      renderSarif([FINDING, finding({ subKey: 'us-east1' })], {
        rules: ALL_RULES,
        toolVersion: '0.1.0',
        terraformOf: (item) => PLACES.get(item),
      }),
    );
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    expect(log.version).toBe('2.1.0');
  });

  test("a result a rule could not decide is a warning among the run's notifications, never an alert", () => {
    const undetermined = {
      ruleId: 'gateway.api-config-authenticated',
      resource: '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/orders-gw',
      message: 'The API config of gateway orders-gw cannot be read: not YAML.',
    };
    const log = JSON.parse(
      renderSarif([FINDING], { rules: ALL_RULES, toolVersion: '0.1.0', undetermined: [undetermined] }),
    );
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    const [run] = log.runs;
    expect(run.results).toHaveLength(1);
    const ruleIndex = run.tool.driver.rules.findIndex(
      (rule: { id: string }) => rule.id === undetermined.ruleId,
    );
    expect(run.invocations).toEqual([
      {
        executionSuccessful: true,
        toolExecutionNotifications: [
          {
            level: 'warning',
            message: {
              text: `undetermined: ${undetermined.ruleId} on ${undetermined.resource}: ${undetermined.message}`,
            },
            locations: [
              { logicalLocations: [{ fullyQualifiedName: undetermined.resource, kind: 'resource' }] },
            ],
            associatedRule: { id: undetermined.ruleId, index: ruleIndex },
          },
        ],
      },
    ]);
    // Nothing undetermined: no invocation at all, as before.
    expect(
      JSON.parse(renderSarif([FINDING], { rules: ALL_RULES, toolVersion: '0.1.0' })).runs[0],
    ).not.toHaveProperty('invocations');
  });

  test('the validator rejects a log missing a required field (it can fail)', () => {
    const log = JSON.parse(renderSarif([FINDING], { rules: ALL_RULES, toolVersion: '0.1.0' }));
    delete log.runs[0].tool.driver.name;
    expect(validateSarif(log)).toBe(false);
  });

  test('one result per finding (a Finding is a failing result: passes cannot reach the renderer)', () => {
    const run = runOf([FINDING, finding({ subKey: 'us-east1', severity: 'MEDIUM' })]);
    expect(run.results).toHaveLength(2);
    expect(run.results[0]).toMatchObject({ ruleId: 'neg.no-network-endpoints', level: 'error' });
    expect(run.results[1]).toMatchObject({ level: 'warning' });
  });

  test.each([
    ['CRITICAL', 'error', '9.5'],
    ['HIGH', 'error', '8.0'],
    ['MEDIUM', 'warning', '5.5'],
    ['LOW', 'note', '3.0'],
  ] as const)('%s is level %s with security-severity %s', (severity: Severity, level, score) => {
    expect(levelOf(severity)).toBe(level);
    expect(securitySeverityOf(severity)).toBe(score);
  });

  test('rules carry name, descriptions, help text and markdown, helpUri, security-severity and tags', () => {
    const rule = runOf([FINDING]).tool.driver.rules.find((entry) => entry.id === negNoNetworkEndpoints.id);
    expect(rule).toMatchObject({
      name: 'neg.no-network-endpoints',
      shortDescription: { text: negNoNetworkEndpoints.title },
      fullDescription: { text: negNoNetworkEndpoints.rationale },
      helpUri: negNoNetworkEndpoints.references[0],
      properties: { 'security-severity': '8.0', tags: expect.arrayContaining(['security', 'neg', 'seed']) },
    });
    const help = rule?.help as { text: string; markdown: string };
    expect(help.text).toContain(negNoNetworkEndpoints.remediation.summary);
    expect(help.markdown).toContain('```hcl');
  });

  test('locations point at the .tf file relative to the repository root, with the Terraform address', () => {
    const [location] = (runOf([FINDING]).results[0] as { locations: Record<string, unknown>[] }).locations;
    expect(location).toMatchObject({
      physicalLocation: {
        artifactLocation: { uri: 'infra/modules/edge/main.tf', uriBaseId: '%SRCROOT%' },
        region: { startLine: 3 },
      },
      logicalLocations: [
        { fullyQualifiedName: NEG, name: 'module.edge.google_compute_region_network_endpoint_group.orders' },
      ],
    });
  });

  // SARIF 2.1.0 §3.4.3: artifactLocation.uri is a URI reference. A root module under `live infra/` put a raw space in
  // it, which the schema (format uri-reference) refuses, and a `#` cut the path short as a fragment.
  test.each([
    ['a space', 'live infra/edge/main.tf', 'live%20infra/edge/main.tf'],
    ['a # and a %', 'infra/#1 edge/100%/main.tf', 'infra/%231%20edge/100%25/main.tf'],
    ['non-ASCII', 'infra/région/main.tf', 'infra/r%C3%A9gion/main.tf'],
  ])('a .tf path with %s is percent-encoded, so the log stays valid', (_name, path, uri) => {
    const place: TerraformPlace = { ...PLACE, file: { uri: path, line: 3 } };
    const log = JSON.parse(
      renderSarif([FINDING], { rules: ALL_RULES, toolVersion: '0.1.0', terraformOf: () => place }),
    );
    expect(validateSarif(log), JSON.stringify(validateSarif.errors, null, 2)).toBe(true);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(uri);
  });

  test('partial fingerprints are stable per finding and do not move with the line', () => {
    const moved = { ...FINDING };
    const other = finding({ subKey: 'us-east1' });
    const places = new Map([
      [FINDING, PLACE],
      [moved, { ...PLACE, file: { uri: 'infra/modules/edge/main.tf', line: 40 } }],
    ]);
    const [a, b, c] = runOf([FINDING, moved, other], places).results.map(
      (entry) => entry.partialFingerprints,
    );
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  test('muted findings carry a suppression with the justification', () => {
    const muted = finding({
      exemption: {
        reason: 'Migration to Cloud Run NEGs tracked in OPS-412',
        expires: '2026-09-30',
        pattern: NEG,
      },
    });
    expect(runOf([muted]).results[0]).toMatchObject({
      suppressions: [
        { kind: 'external', status: 'accepted', justification: expect.stringContaining('OPS-412') },
      ],
    });
    expect(runOf([FINDING]).results[0]).not.toHaveProperty('suppressions');
  });
});

describe('the rules of a SARIF log, in the same order on every machine', () => {
  test('code-unit order, not the locale’s (which puts `a` before `B`, and in Estonian `z` before `t`)', () => {
    const renamed = (id: string) => ({ ...negNoNetworkEndpoints, id });
    const log = toSarifLog([], {
      rules: [renamed('x.a'), renamed('x.B'), renamed('x.z'), renamed('x.t')],
      toolVersion: '0.1.0',
    });
    expect(log.runs[0]?.tool.driver.rules?.map((rule) => rule.id)).toEqual(['x.B', 'x.a', 'x.t', 'x.z']);
  });
});
