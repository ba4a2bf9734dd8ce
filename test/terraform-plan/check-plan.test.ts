import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { checkPlan, type PlanResult } from '../../src/terraform-plan/check-plan.js';
import { readPlan } from '../../src/terraform-plan/read-plan.js';
import { apiConfig, gateway, inventoryOf } from '../support/records.js';
import { loadPlan, PLANS_DIR } from './fixtures.js';

const NOW = new Date('2026-05-02T10:20:00Z');
const BS = 'google_compute_backend_service.api';

function failing(results: readonly PlanResult[]): string[] {
  return results
    .filter((result) => result.status === 'fail')
    .map((result) => `${result.ruleId} @ ${result.address ?? result.causedBy ?? result.resource}`)
    .sort();
}

function judge(scenario: string): PlanResult[] {
  return [...checkPlan({ plan: loadPlan(scenario), rules: ALL_RULES, now: NOW }).results];
}

describe('check-plan over plan fixtures', () => {
  const scenarios: readonly { name: string; scenario: string; fails: readonly string[] }[] = [
    {
      name: 'the guide setup is clean apart from the exposed direct gateway URL',
      scenario: 'guide',
      fails: ['gateway.direct-url-protected @ google_api_gateway_gateway.orders'],
    },
    {
      name: 'a NEG pointing at a gateway in another region',
      scenario: 'other-region',
      fails: ['neg.gateway-same-region @ google_compute_region_network_endpoint_group.orders_euw1'],
    },
    {
      name: 'a backend service with a health check and protocol HTTP2',
      scenario: 'health-check-http2',
      fails: [
        `backend.http-protocol @ ${BS}`,
        `backend.no-health-checks @ ${BS}`,
        'gateway.direct-url-protected @ google_api_gateway_gateway.orders',
      ],
    },
    {
      name: 'an API Gateway NEG, a Cloud Run NEG and a VM NEG in one backend service',
      scenario: 'mixed-negs',
      fails: [
        `backend.serverless-not-mixed @ ${BS}`,
        `backend.single-platform @ ${BS}`,
        'gateway.direct-url-protected @ google_api_gateway_gateway.orders',
      ],
    },
    {
      name: 'a module-nested backend service without Cloud Armor or logging',
      scenario: 'module-nested',
      fails: [
        'backend.cloud-armor-attached @ module.edge.google_compute_backend_service.api',
        'backend.logging-enabled @ module.edge.google_compute_backend_service.api',
      ],
    },
    {
      name: 'a URL-mask NEG fronting a gateway with an operation open to anyone, behind Cloud Armor',
      scenario: 'mask-neg',
      fails: [
        'gateway.api-config-authenticated @ google_api_gateway_gateway.orders',
        'gateway.direct-url-protected @ google_api_gateway_gateway.orders',
      ],
    },
    {
      name: 'values unknown until apply never fail',
      scenario: 'unknown-values',
      fails: [],
    },
  ];

  test.each(scenarios.map((s) => [s.name, s] as const))('%s', (_name, { scenario, fails }) => {
    const results = judge(scenario);
    expect(failing(results)).toEqual([...fails].sort());
    expect(results.filter((result) => result.status === 'error')).toEqual([]);
  });

  test('the guide exposure finding is MEDIUM: protections present, API config fully authenticated', () => {
    const exposure = judge('guide').find((result) => result.ruleId === 'gateway.direct-url-protected');
    expect(exposure?.severity).toBe('MEDIUM');
  });

  test('the mask NEG reaches the planned gateway: CRITICAL exposure, and no gateway-exists failure', () => {
    const results = judge('mask-neg');
    const exposure = results.find((result) => result.ruleId === 'gateway.direct-url-protected');
    expect(exposure?.severity).toBe('CRITICAL');
    expect(exposure?.evidence).toMatchObject({ reachedByMask: [{ urlMask: '<gateway>.api.acme.example' }] });
    const exists = results.find((result) => result.ruleId === 'neg.gateway-exists');
    expect(exists).toMatchObject({ status: 'pass', evidence: { urlMask: '<gateway>.api.acme.example' } });
  });

  test('a planned NEG in another project than the backend service fails backend.gateways-same-project', () => {
    const plan = loadPlan('mask-neg');
    const inOtherProject = (values: unknown) =>
      values && typeof values === 'object' ? { ...values, project: 'acme-api' } : values;
    const moved = {
      ...plan,
      planned_values: plan.planned_values && {
        ...plan.planned_values,
        root_module: {
          ...plan.planned_values.root_module,
          resources: (plan.planned_values.root_module?.resources ?? []).map((resource) =>
            resource.type === 'google_compute_region_network_endpoint_group'
              ? { ...resource, values: inOtherProject(resource.values) as typeof resource.values }
              : resource,
          ),
        },
      },
      resource_changes: (plan.resource_changes ?? []).map((change) =>
        change.type === 'google_compute_region_network_endpoint_group'
          ? { ...change, change: { ...change.change, after: inOtherProject(change.change.after) } }
          : change,
      ),
    };
    const results = checkPlan({ plan: moved, rules: ALL_RULES, now: NOW }).results;
    expect(results.find((result) => result.ruleId === 'backend.gateways-same-project')).toMatchObject({
      status: 'fail',
      address: BS,
      subKey:
        '//compute.googleapis.com/projects/acme-api/regions/us-central1/networkEndpointGroups/orders-neg-usc1',
      evidence: { negProject: 'acme-api', serviceProject: 'acme-edge' },
    });
  });

  test('every result on a planned resource carries its Terraform address', () => {
    const results = judge('module-nested');
    expect(results.length).toBeGreaterThan(0);
    for (const result of results) expect(result.address).toMatch(/^(module\.edge\.)?google_/);
  });
});

describe('values unknown until apply', () => {
  test('logging with log_config.enable unknown is not-applicable, naming the attribute', () => {
    const logging = judge('unknown-values').find((result) => result.ruleId === 'backend.logging-enabled');
    expect(logging?.status).toBe('not-applicable');
    expect(logging?.message).toMatch(/google_compute_backend_service\.api\.log_config\[0\]\.enable/);
    expect(logging?.evidence).toMatchObject({ verdictWithPlannedValues: { status: 'fail' } });
  });

  test('without the post-pass the same planned values would fail: the withdrawal is what keeps it honest', () => {
    const planned = readPlan(loadPlan('unknown-values'));
    const results = evaluate(ResourceGraph.build(planned.inventory), ALL_RULES, { now: NOW });
    expect(results.find((result) => result.ruleId === 'backend.logging-enabled')?.status).toBe('fail');
  });

  test('a NEG whose region comes from the gateway (unknown) gets no region verdict', () => {
    const sameRegion = judge('unknown-values').find((result) => result.ruleId === 'neg.gateway-same-region');
    expect(sameRegion?.status).toBe('not-applicable');
    expect(sameRegion?.message).toMatch(/google_api_gateway_gateway\.orders\.region/);
  });

  test('known values on the same resource are still judged', () => {
    const armor = judge('unknown-values').find((result) => result.ruleId === 'backend.cloud-armor-attached');
    expect(armor?.status).toBe('pass');
  });
});

describe('a plan that adds a NEG to an existing backend service', () => {
  test('alone, it cannot see the gateway or the NEG already there', () => {
    const results = judge('adds-neg');
    expect(failing(results)).toEqual([
      'neg.gateway-exists @ google_compute_region_network_endpoint_group.orders_usc1_b',
    ]);
    expect(results.find((result) => result.ruleId === 'backend.one-neg-per-region')?.status).toBe('pass');
  });

  test('over the estate, it is judged in context: a second NEG in us-central1', async () => {
    const estate = await loadEstate(`${PLANS_DIR}/adds-neg/estate`);
    const { results } = checkPlan({
      plan: loadPlan('adds-neg'),
      rules: ALL_RULES,
      existing: estate.inventory,
      now: NOW,
    });
    expect(failing(results)).toEqual([`backend.one-neg-per-region @ ${BS}`]);
    const finding = results.find((result) => result.ruleId === 'backend.one-neg-per-region');
    expect(finding?.subKey).toBe('us-central1');
    expect(results.find((result) => result.ruleId === 'neg.gateway-exists')?.status).toBe('pass');
  });

  test('planned values win over the existing record with the same identity', async () => {
    const estate = await loadEstate(`${PLANS_DIR}/adds-neg/estate`);
    const { graph } = checkPlan({
      plan: loadPlan('adds-neg'),
      rules: ALL_RULES,
      existing: estate.inventory,
      now: NOW,
    });
    const service = graph.nodes('backendService');
    expect(service).toHaveLength(1);
    expect(service[0]?.data.backends).toHaveLength(2);
  });

  test('failures the estate already had on resources the plan does not manage are not reported', async () => {
    const estate = await loadEstate(`${PLANS_DIR}/adds-neg/estate`);
    // The precondition: judged alone, the estate already fails gateway.direct-url-protected on orders-gw.
    const before = evaluate(ResourceGraph.build(estate.inventory), ALL_RULES, { now: NOW });
    expect(
      before.find((result) => result.ruleId === 'gateway.direct-url-protected' && result.status === 'fail')
        ?.resource,
    ).toBe('//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/orders-gw');
    const { results } = checkPlan({
      plan: loadPlan('adds-neg'),
      rules: ALL_RULES,
      existing: estate.inventory,
      now: NOW,
    });
    const unmanaged = results.filter((result) => result.address === undefined);
    expect(unmanaged).toEqual([]);
  });
});

describe('planned deletes', () => {
  test('remove the existing resource from the judged estate', async () => {
    const plan = loadPlan('adds-neg');
    const service = plan.resource_changes?.find((change) => change.address === BS);
    const deleting = {
      ...plan,
      planned_values: {
        root_module: {
          resources: (plan.planned_values.root_module.resources ?? []).filter(
            (resource) => resource.address !== BS,
          ),
        },
      },
      resource_changes: (plan.resource_changes ?? []).map((change) =>
        change === service
          ? { ...change, change: { ...change.change, actions: ['delete'], after: null, after_unknown: {} } }
          : change,
      ),
    };
    const estate = await loadEstate(`${PLANS_DIR}/adds-neg/estate`);
    const { graph, planned } = checkPlan({
      plan: deleting,
      rules: ALL_RULES,
      existing: estate.inventory,
      now: NOW,
    });
    expect([...planned.deleted]).toEqual([
      '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-api',
    ]);
    expect(graph.nodes('backendService')).toEqual([]);
    expect(graph.nodes('networkEndpointGroup')).toHaveLength(2);
  });
});

describe('failures the plan brings to resources it does not manage', () => {
  test('are reported, attributed to the nearest planned resource', () => {
    const openapi = readFileSync(join(PLANS_DIR, 'guide', 'openapi.yaml'), 'utf8');
    const existing = inventoryOf({
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v1')],
      apiConfig: [apiConfig('orders/configs/orders-v1', openapi)],
    });
    const { results } = checkPlan({ plan: loadPlan('adds-neg'), rules: ALL_RULES, existing, now: NOW });
    const exposure = results.find((result) => result.ruleId === 'gateway.direct-url-protected');
    expect(exposure).toMatchObject({
      status: 'fail',
      resource: '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/orders-gw',
      causedBy: 'google_compute_region_network_endpoint_group.orders_usc1_b',
    });
    expect(exposure?.address).toBeUndefined();
  });
});
