// Judges Google's reference configuration and the acme-edge sample estate with the whole catalogue.
// Expectations name rules by ID; every one must be in the catalogue (a removed rule fails here, never skips).

import { describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { readBaselineFile } from '../../src/config/baseline-file.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import type { Severity } from '../../src/domain/severity.js';
import { evaluate, type RuleResult } from '../../src/engine/evaluate.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

interface ExpectedFailure {
  readonly ruleId: string;
  readonly resource: string;
  readonly severity: Severity;
  readonly subKey?: string;
  /** Why it fails: shown in the test name. */
  readonly because: string;
}

function caseRows(expected: readonly ExpectedFailure[]): (readonly [string, ExpectedFailure])[] {
  return expected.map((e) => [`${e.ruleId} on ${e.resource.split('/').pop()}: ${e.because}`, e] as const);
}

function computeName(project: string, path: string): string {
  return `//compute.googleapis.com/projects/${project}/${path}`;
}

function gatewayName(project: string, region: string, id: string): string {
  return `//apigateway.googleapis.com/projects/${project}/locations/${region}/gateways/${id}`;
}

async function judgeEstate(dir: string, options: { withBaseline?: boolean } = {}): Promise<RuleResult[]> {
  const { inventory, baselinePath } = await loadEstate(dir);
  const baseline = options.withBaseline && baselinePath ? await readBaselineFile(baselinePath) : undefined;
  return evaluate(ResourceGraph.build(inventory), ALL_RULES, {
    now: new Date('2026-06-01T00:00:00Z'),
    ...(baseline ? { baseline } : {}),
  });
}

function failureKeys(results: readonly RuleResult[]): string[] {
  const keys = results.filter((r) => r.status === 'fail').map((r) => `${r.ruleId} ${r.resource}`);
  return [...new Set(keys)].sort();
}

function expectedKeys(expected: readonly ExpectedFailure[]): string[] {
  return [...new Set(expected.map((e) => `${e.ruleId} ${e.resource}`))].sort();
}

function describeFailures(results: readonly RuleResult[]): string {
  return results
    .filter((r) => r.status === 'fail' || r.status === 'error')
    .map((r) => `${r.status} ${r.severity} ${r.ruleId} ${r.resource}${r.subKey ? ` [${r.subKey}]` : ''}`)
    .join('\n');
}

function expectFailure(results: readonly RuleResult[], expected: ExpectedFailure): void {
  const matching = results.filter(
    (r) => r.status === 'fail' && r.ruleId === expected.ruleId && r.resource === expected.resource,
  );
  expect(matching.length, describeFailures(results)).toBeGreaterThan(0);
  expect(matching.map((r) => r.severity)).toContain(expected.severity);
  if (expected.subKey !== undefined) expect(matching.map((r) => r.subKey)).toContain(expected.subKey);
}

describe('Google guide reference configuration (test/fixtures/google-guide)', () => {
  // The "Getting started with load balancing for API Gateway" and "multi-region deployment" guides, done to
  // the letter: a gateway per region serving the quickstart's openapi2-run.yaml (no `security` anywhere),
  // `backend-services create --global` with no other flag, no Cloud Armor, no logging, no SSL policy.
  const project = 'my-project';
  const service = computeName(project, 'global/backendServices/backend-service');
  const frontend = computeName(project, 'global/forwardingRules/https-forwarding-rule');
  const gateways = [
    gatewayName(project, 'us-central1', 'my-gateway-us'),
    gatewayName(project, 'europe-west1', 'my-gateway-eu'),
  ];
  const expected: ExpectedFailure[] = [
    ...gateways.flatMap((gateway): ExpectedFailure[] => [
      {
        ruleId: 'gateway.api-config-authenticated',
        resource: gateway,
        severity: 'HIGH',
        because: 'the quickstart config declares no security requirement',
      },
      {
        ruleId: 'gateway.direct-url-protected',
        resource: gateway,
        severity: 'HIGH',
        because: 'the *.gateway.dev URL answers anyone, and nothing at the LB is bypassed',
      },
    ]),
    {
      ruleId: 'backend.cloud-armor-attached',
      resource: service,
      severity: 'MEDIUM',
      because: 'the guide attaches no Cloud Armor policy',
    },
    {
      ruleId: 'backend.logging-enabled',
      resource: service,
      severity: 'MEDIUM',
      because: 'the guide does not pass --enable-logging',
    },
    {
      ruleId: 'frontend.modern-tls',
      resource: frontend,
      severity: 'MEDIUM',
      because: 'the guide sets no SSL policy, so TLS 1.0 is accepted',
    },
  ];

  test('every rule judges every resource without an error', async () => {
    const results = await judgeEstate('test/fixtures/google-guide');
    expect(results.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 'error').map((r) => r.message)).toEqual([]);
  });

  test('the only failures are the exposure and governance gaps the guide leaves', async () => {
    const results = await judgeEstate('test/fixtures/google-guide');
    expect(failureKeys(results), describeFailures(results)).toEqual(expectedKeys(expected));
  });

  test.for(caseRows(expected))('%s', async ([, want]) => {
    expectFailure(await judgeEstate('test/fixtures/google-guide'), want);
  });

  test('the NEGs, their regions and the backend service composition all pass', async () => {
    const results = await judgeEstate('test/fixtures/google-guide');
    const seedAndDoc = results.filter(
      (r) =>
        r.ruleId.startsWith('neg.') ||
        ['backend.supported-scheme', 'backend.one-neg-per-region', 'backend.gateways-equivalent'].includes(
          r.ruleId,
        ),
    );
    expect(seedAndDoc.length).toBeGreaterThan(0);
    expect(seedAndDoc.filter((r) => r.status !== 'pass' && r.status !== 'not-applicable')).toEqual([]);
  });
});

describe('acme-edge sample estate (examples/acme-edge)', () => {
  const project = 'acme-edge';
  const bs = (name: string) => computeName(project, `global/backendServices/${name}`);
  const neg = (region: string, name: string) =>
    computeName(project, `regions/${region}/networkEndpointGroups/${name}`);
  const fr = (name: string) => computeName(project, `global/forwardingRules/${name}`);

  const ordersResources = [
    bs('orders-bs'),
    neg('us-central1', 'orders-neg-usc1'),
    neg('europe-west2', 'orders-neg-euw2'),
    neg('asia-northeast1', 'orders-neg-ane1'),
    gatewayName(project, 'us-central1', 'orders-gw-usc1'),
    gatewayName(project, 'europe-west2', 'orders-gw-euw2'),
    gatewayName(project, 'asia-northeast1', 'orders-gw-ane1'),
    computeName(project, 'global/urlMaps/orders-map'),
    computeName(project, 'global/targetHttpsProxies/orders-https-proxy'),
    fr('orders-https-fr'),
  ];

  // The orders LB follows Google's guide; its API config requires an API key on every operation.
  const ordersGaps: ExpectedFailure[] = [
    {
      ruleId: 'backend.cloud-armor-attached',
      resource: bs('orders-bs'),
      severity: 'MEDIUM',
      because: 'no Cloud Armor policy, as in the guide',
    },
    {
      ruleId: 'backend.logging-enabled',
      resource: bs('orders-bs'),
      severity: 'MEDIUM',
      because: 'LB logging left off, as in the guide',
    },
    {
      ruleId: 'frontend.modern-tls',
      resource: fr('orders-https-fr'),
      severity: 'MEDIUM',
      because: 'no SSL policy, as in the guide',
    },
  ];

  const payments = (region: string, id: string) => gatewayName(project, region, id);
  const unauthenticatedGateways = [
    payments('us-central1', 'payments-gw-usc1'),
    payments('europe-west2', 'payments-gw-euw2'),
    payments('asia-northeast1', 'payments-events-gw-ane1'),
  ];
  const planted: ExpectedFailure[] = [
    {
      ruleId: 'neg.gateway-exists',
      resource: neg('us-central1', 'payments-neg-usc1-canary'),
      severity: 'HIGH',
      because: 'serverlessDeployment.resource holds the full gateway name',
    },
    {
      ruleId: 'neg.gateway-same-region',
      resource: neg('asia-northeast1', 'payments-neg-ane1'),
      severity: 'HIGH',
      because: 'the Tokyo NEG names the London gateway',
    },
    {
      ruleId: 'neg.gateway-not-streaming',
      resource: neg('asia-northeast1', 'payments-events-neg-ane1'),
      severity: 'MEDIUM',
      because: 'its gateway has streaming enabled',
    },
    {
      ruleId: 'backend.one-neg-per-region',
      resource: bs('payments-bs'),
      severity: 'HIGH',
      subKey: 'us-central1',
      because: 'two NEGs in us-central1 (the canary)',
    },
    {
      ruleId: 'backend.no-health-checks',
      resource: bs('payments-bs'),
      severity: 'MEDIUM',
      because: 'payments-hc is attached',
    },
    {
      ruleId: 'backend.no-balancing-mode',
      resource: bs('payments-bs'),
      severity: 'LOW',
      because: 'the canary backend uses RATE',
    },
    {
      ruleId: 'backend.no-capacity-limits',
      resource: bs('payments-bs'),
      severity: 'LOW',
      because: 'the canary backend sets maxRatePerEndpoint',
    },
    {
      ruleId: 'backend.http-protocol',
      resource: bs('payments-bs'),
      severity: 'HIGH',
      because: 'protocol is HTTP2',
    },
    {
      ruleId: 'backend.no-ineffective-settings',
      resource: bs('payments-bs'),
      severity: 'LOW',
      because: 'sessionAffinity GENERATED_COOKIE does nothing with serverless NEGs',
    },
    {
      ruleId: 'backend.gateways-equivalent',
      resource: bs('payments-bs'),
      severity: 'HIGH',
      because: 'London still serves payments-v11 while us-central1 serves payments-v12',
    },
    ...unauthenticatedGateways.flatMap((gateway): ExpectedFailure[] => [
      {
        ruleId: 'gateway.api-config-authenticated',
        resource: gateway,
        severity: 'HIGH',
        because: 'POST /v1/webhooks/card-network has security: []',
      },
      {
        ruleId: 'gateway.direct-url-protected',
        resource: gateway,
        severity: 'CRITICAL',
        because: 'Cloud Armor at the LB while the direct URL serves an unauthenticated operation',
      },
    ]),
    {
      ruleId: 'frontend.modern-tls',
      resource: fr('payments-https-fr'),
      severity: 'MEDIUM',
      because: 'SSL policy legacy-clients allows TLS 1.0',
    },
    {
      ruleId: 'frontend.https-only',
      resource: fr('payments-http-fr'),
      severity: 'MEDIUM',
      because: 'port 80 serves the payments URL map instead of redirecting',
    },
  ];

  // URL-mask NEGs: partners-bs's mask reaches both partner gateways, all right; reports-bs's mask also reaches the
  // internal ops-admin gateway, which no NEG names, and puts it behind the load balancer.
  const partnersResources = [
    neg('us-west1', 'partners-mask-neg-usw1'),
    gatewayName(project, 'us-west1', 'partners-gold-gw-usw1'),
    gatewayName(project, 'us-west1', 'partners-silver-gw-usw1'),
  ];
  const masks: ExpectedFailure[] = [
    {
      ruleId: 'backend.cloud-armor-attached',
      resource: bs('partners-bs'),
      severity: 'MEDIUM',
      because: 'no Cloud Armor policy on the partners service (its mask NEG itself is right)',
    },
    {
      ruleId: 'gateway.direct-url-protected',
      resource: gatewayName(project, 'europe-west1', 'ops-admin-gw-euw1'),
      severity: 'CRITICAL',
      because:
        'the reports mask reaches the ops console gateway, whose rerun and health calls need no credentials',
    },
    {
      ruleId: 'gateway.api-config-authenticated',
      resource: gatewayName(project, 'europe-west1', 'ops-admin-gw-euw1'),
      severity: 'HIGH',
      because: 'ops-admin-v3 leaves two operations with security: []',
    },
    {
      ruleId: 'gateway.direct-url-protected',
      resource: gatewayName(project, 'europe-west1', 'reports-gw-euw1'),
      severity: 'MEDIUM',
      because: 'Cloud Armor at the LB, bypassable by key holders at the direct URL',
    },
    {
      ruleId: 'backend.gateways-equivalent',
      resource: bs('reports-bs'),
      severity: 'HIGH',
      because: 'the mask reaches reports-v1 and ops-admin-v3 behind one service',
    },
  ];

  test('a mask NEG that reaches gateways passes neg.gateway-exists, and judges every gateway it reaches', async () => {
    const results = await judgeEstate('examples/acme-edge');
    const partners = results.filter((r) => partnersResources.includes(r.resource) && r.status === 'fail');
    expect(partners).toEqual([]);
    const exists = results.filter(
      (r) => r.ruleId === 'neg.gateway-exists' && r.resource.includes('-mask-neg-'),
    );
    expect(exists.map((r) => [r.resource.split('/').pop(), r.status])).toEqual([
      ['partners-mask-neg-usw1', 'pass'],
      ['reports-mask-neg-euw1', 'pass'],
    ]);
    const directOnPartners = results.filter(
      (r) => r.ruleId === 'gateway.direct-url-protected' && r.resource.includes('/gateways/partners-'),
    );
    expect(directOnPartners.map((r) => r.status)).toEqual(['pass', 'pass']);
  });

  test.for(caseRows(masks))('mask: %s', async ([, want]) => {
    expectFailure(await judgeEstate('examples/acme-edge'), want);
  });

  test('the estate loads without warnings and every rule judges it without an error', async () => {
    const { warnings } = await loadEstate('examples/acme-edge');
    expect(warnings).toEqual([]);
    const results = await judgeEstate('examples/acme-edge');
    expect(results.filter((r) => r.status === 'error').map((r) => r.message)).toEqual([]);
  });

  test('the guide-faithful orders LB fails only the governance gaps the guide leaves', async () => {
    const results = await judgeEstate('examples/acme-edge');
    const orders = results.filter((r) => ordersResources.includes(r.resource));
    expect(orders.length).toBeGreaterThan(0);
    expect(failureKeys(orders), describeFailures(orders)).toEqual(expectedKeys(ordersGaps));
  });

  test('an authenticated API behind an LB without protections passes the direct-URL rule', async () => {
    const results = await judgeEstate('examples/acme-edge');
    const direct = results.filter(
      (r) => r.ruleId === 'gateway.direct-url-protected' && r.resource.includes('/gateways/orders-gw-'),
    );
    expect(direct.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
  });

  test.for(caseRows(planted))('planted: %s', async ([, want]) => {
    expectFailure(await judgeEstate('examples/acme-edge'), want);
  });

  test('nothing else fails: the README lists every finding', async () => {
    const results = await judgeEstate('examples/acme-edge');
    expect(failureKeys(results), describeFailures(results)).toEqual(
      expectedKeys([...ordersGaps, ...planted, ...masks]),
    );
  });

  test('with its baseline.json, the one drifted field is found and nothing else drifts', async () => {
    const results = await judgeEstate('examples/acme-edge', { withBaseline: true });
    const drift = results.filter((r) => r.ruleId === 'drift.matches-baseline');
    expect(drift.filter((r) => r.status === 'pass').length).toBeGreaterThan(20);
    const failing = drift.filter((r) => r.status === 'fail');
    expect(failing.map((r) => [r.resource, r.severity])).toEqual([
      [computeName(project, 'global/targetHttpsProxies/payments-https-proxy'), 'HIGH'],
    ]);
    expect(JSON.stringify(failing[0]?.evidence)).toContain('modern-tls12');
    expect(JSON.stringify(failing[0]?.evidence)).toContain('legacy-clients');
  });

  test('the Cloud Run and VM services are judged not-applicable by API Gateway rules', async () => {
    const results = await judgeEstate('examples/acme-edge');
    const runNeg = neg('us-central1', 'storefront-run-neg-usc1');
    const gatewayRulesOnRun = results.filter(
      (r) => r.resource === runNeg && r.ruleId.startsWith('neg.gateway-'),
    );
    const backendRulesOnVm = results.filter(
      (r) => r.resource === bs('legacy-vm-bs') && r.ruleId.startsWith('backend.'),
    );
    for (const result of [...gatewayRulesOnRun, ...backendRulesOnVm]) {
      expect(result.status, `${result.ruleId}: ${result.message}`).toBe('not-applicable');
    }
    expect(gatewayRulesOnRun.length + backendRulesOnVm.length).toBe(
      ALL_RULES.filter((r) => r.id.startsWith('neg.gateway-') || r.id.startsWith('backend.')).length,
    );
  });
});
