// Realistic but unusual plans: replacements that rename, ambiguous references, identities known only after apply,
// deletes that break what the plan does not manage.

import { describe, expect, test } from 'vitest';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { checkPlan, type PlanResult } from '../../src/terraform-plan/check-plan.js';
import { readPlan } from '../../src/terraform-plan/read-plan.js';
import {
  buildPlan,
  negLink,
  OPENAPI_OPEN,
  OPENAPI_WITH_KEY,
  type PlannedChange,
  plannedApiConfig,
  plannedBackend,
  plannedBackendService,
  plannedGateway,
  plannedNeg,
} from './plan-builder.js';

const NOW = new Date('2026-05-02T10:20:00Z');
const CONFIG_V1 = 'projects/acme-edge/locations/global/apis/orders/configs/orders-v1';
const CONFIG_V0 = 'projects/acme-edge/locations/global/apis/orders/configs/orders-v0';

function failing(results: readonly PlanResult[]): string[] {
  return results
    .filter((result) => result.status === 'fail')
    .map((result) => `${result.ruleId} ${result.severity} @ ${result.address ?? `via ${result.causedBy}`}`)
    .sort();
}

/** What is deployed: the same configuration applied (its planned values, all no-op), as an estate would hold it. */
function deployed(changes: readonly PlannedChange[]) {
  return readPlan(buildPlan(changes.map((change) => ({ ...change, actions: ['no-op'] })))).inventory;
}

const NEG = 'google_compute_region_network_endpoint_group.orders';
const BS = 'google_compute_backend_service.api';
const GW = 'google_api_gateway_gateway.orders';

type Json = Record<string, unknown>;

interface ReplacementCase {
  readonly name: string;
  /** Deployed values that differ from the base, by address. */
  readonly before: Readonly<Record<string, Json>>;
  /** The replacing values, by address. */
  readonly after: Readonly<Record<string, Json>>;
  readonly mask?: boolean;
  readonly fails: readonly string[];
}

describe('a replacement that renames a resource removes the old one from the existing estate', () => {
  test.each<ReplacementCase>([
    {
      name: 'a backend service renamed and left without Cloud Armor: the old one no longer protects the gateway',
      before: {
        [BS]: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
      },
      after: {
        [BS]: plannedBackendService('orders-api-v2', [plannedBackend(negLink('orders-neg', 'us-central1'))], {
          security_policy: null,
        }),
      },
      fails: [
        `backend.cloud-armor-attached MEDIUM @ ${BS}`,
        `gateway.api-config-authenticated HIGH @ ${GW}`,
        `gateway.direct-url-protected HIGH @ ${GW}`,
      ],
    },
    {
      name: 'a gateway renamed behind a URL mask: the mask no longer reaches the old gateway and its old config',
      before: { [GW]: plannedGateway('orders-gw', 'us-central1', CONFIG_V0) },
      after: { [GW]: plannedGateway('orders-gw-2', 'us-central1', CONFIG_V1) },
      mask: true,
      fails: [
        `gateway.api-config-authenticated HIGH @ ${GW}`,
        `gateway.direct-url-protected CRITICAL @ ${GW}`,
      ],
    },
  ])('$name', ({ before, after, mask, fails }) => {
    const base: PlannedChange[] = [
      {
        address: NEG,
        after: plannedNeg(
          'orders-neg',
          'us-central1',
          mask ? { urlMask: '<gateway>.api.acme.example' } : { resource: 'orders-gw' },
        ),
      },
      {
        address: BS,
        after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
      },
      { address: GW, after: plannedGateway('orders-gw', 'us-central1', CONFIG_V1) },
      {
        address: 'google_api_gateway_api_config.v0',
        after: plannedApiConfig('orders', 'orders-v0', OPENAPI_WITH_KEY),
      },
      {
        address: 'google_api_gateway_api_config.v1',
        after: plannedApiConfig('orders', 'orders-v1', OPENAPI_OPEN),
      },
    ];
    const current = base.map((change) => ({ ...change, after: before[change.address] ?? change.after }));
    const plan = buildPlan(
      current.map((change) =>
        after[change.address]
          ? { ...change, actions: ['delete', 'create'], before: change.after, after: after[change.address] }
          : { ...change, actions: ['no-op'], before: change.after },
      ),
    );
    const { results, planned } = checkPlan({ plan, rules: ALL_RULES, existing: deployed(current), now: NOW });
    expect(failing(results)).toEqual([...fails].sort());
    expect(planned.deleted.size).toBe(1);
  });
});

describe('a value known after apply that the configuration computes from several resources is not guessed', () => {
  const blueGreen = (references: readonly string[]): PlannedChange[] => [
    { address: NEG, after: plannedNeg('orders-neg', 'us-central1', { resource: 'orders-gw' }) },
    {
      address: BS,
      after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
    },
    {
      address: GW,
      after: plannedGateway('orders-gw', 'us-central1', null),
      afterUnknown: { api_config: true, id: true },
      // api_config = var.green ? google_api_gateway_api_config.green.id : google_api_gateway_api_config.blue.id
      expressions: { gateway_id: { constant_value: 'orders-gw' }, api_config: { references } },
    },
    {
      address: 'google_api_gateway_api_config.green',
      after: plannedApiConfig('orders', 'orders-green', OPENAPI_OPEN),
      afterUnknown: { id: true },
    },
    {
      address: 'google_api_gateway_api_config.blue',
      after: plannedApiConfig('orders', 'orders-blue', OPENAPI_WITH_KEY),
      afterUnknown: { id: true },
    },
  ];

  test('a conditional between two new API configs: the gateway results wait for api_config', () => {
    const plan = buildPlan(
      blueGreen([
        'var.green',
        'google_api_gateway_api_config.green.id',
        'google_api_gateway_api_config.green',
        'google_api_gateway_api_config.blue.id',
        'google_api_gateway_api_config.blue',
      ]),
    );
    const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
    for (const ruleId of ['gateway.api-config-authenticated', 'gateway.direct-url-protected']) {
      expect(results.find((result) => result.ruleId === ruleId)).toMatchObject({
        status: 'not-applicable',
        evidence: { unknownUntilApply: [{ address: GW, attribute: 'api_config' }] },
      });
    }
    expect(failing(results)).toEqual([]);
  });

  test('one API config named by its id and by the resource: it is that config', () => {
    const plan = buildPlan(
      blueGreen(['google_api_gateway_api_config.green.id', 'google_api_gateway_api_config.green']),
    );
    const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
    expect(failing(results)).toEqual([
      `gateway.api-config-authenticated HIGH @ ${GW}`,
      `gateway.direct-url-protected CRITICAL @ ${GW}`,
    ]);
  });
});

describe('a gateway whose project or region is known only after apply may be the one a NEG looks for', () => {
  test.each([
    {
      name: 'a NEG naming the gateway by ID, the gateway project unknown',
      target: { resource: 'orders-gw' },
      unknown: 'project',
    },
    {
      name: 'a URL-mask NEG, the gateway region unknown',
      target: { urlMask: '<gateway>.api.acme.example' },
      unknown: 'region',
    },
    {
      name: 'a URL-mask NEG, the gateway project unknown',
      target: { urlMask: '<gateway>.api.acme.example' },
      unknown: 'project',
    },
  ])('$name: neg.gateway-exists waits for it instead of failing', ({ target, unknown }) => {
    const gatewayValues: Json = plannedGateway('orders-gw', 'us-central1', CONFIG_V1);
    delete gatewayValues[unknown];
    const plan = buildPlan(
      [
        { address: NEG, after: plannedNeg('orders-neg', 'us-central1', target) },
        {
          address: BS,
          after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
        },
        // project = google_project.edge.project_id (a random suffix) or region from a module output known at apply.
        { address: GW, after: gatewayValues, afterUnknown: { [unknown]: true, id: true } },
        {
          address: 'google_api_gateway_api_config.v1',
          after: plannedApiConfig('orders', 'orders-v1', OPENAPI_WITH_KEY),
        },
      ],
      { provider: { project: 'acme-edge' } },
    );
    const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
    expect(failing(results)).toEqual([]);
    expect(results.find((result) => result.ruleId === 'neg.gateway-exists')).toMatchObject({
      status: 'not-applicable',
      evidence: { unknownUntilApply: [{ address: GW, attribute: unknown }] },
    });
  });

  test('a gateway of known project and region elsewhere still leaves the NEG failing', () => {
    const plan = buildPlan([
      {
        address: NEG,
        after: plannedNeg('orders-neg', 'us-central1', { urlMask: '<gateway>.api.acme.example' }),
      },
      {
        address: BS,
        after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
      },
      { address: GW, after: plannedGateway('orders-gw', 'europe-west1', CONFIG_V1) },
      {
        address: 'google_api_gateway_api_config.v1',
        after: plannedApiConfig('orders', 'orders-v1', OPENAPI_WITH_KEY),
      },
    ]);
    const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
    expect(failing(results)).toEqual([`neg.gateway-exists HIGH @ ${NEG}`]);
  });
  test('sixty gateways of unknown region: a NEG result names twenty of them and counts the rest', () => {
    const gateways = Array.from({ length: 60 }, (_, index) => {
      const values: Json = plannedGateway(`gw-${index}`, 'us-central1', CONFIG_V1);
      delete values.region;
      return {
        address: `google_api_gateway_gateway.regional["${index}"]`,
        after: values,
        afterUnknown: { region: true, id: true },
      };
    });
    const plan = buildPlan([
      { address: NEG, after: plannedNeg('orders-neg', 'us-central1', { resource: 'orders-gw' }) },
      {
        address: BS,
        after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
      },
      ...gateways,
    ]);
    const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
    const exists = results.find((result) => result.ruleId === 'neg.gateway-exists' && result.address === NEG);
    expect(exists?.status).toBe('not-applicable');
    expect(exists?.message).toMatch(
      /^Cannot judge before apply: depends on .*\.region and 40 more, known only after apply\.$/,
    );
    expect(exists?.evidence.unknownUntilApply).toHaveLength(20);
    expect(exists?.evidence.moreUnknownUntilApply).toBe(40);
  });
});

describe('a failure the plan brings by deleting what an unmanaged resource names is located at the delete', () => {
  const unmanaged: PlannedChange[] = [
    { address: NEG, after: plannedNeg('orders-neg', 'us-central1', { resource: 'orders-gw' }) },
    {
      address: BS,
      after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
    },
  ];
  const gatewayAndConfig: PlannedChange[] = [
    { address: GW, after: plannedGateway('orders-gw', 'us-central1', CONFIG_V1) },
    {
      address: 'google_api_gateway_api_config.v1',
      after: plannedApiConfig('orders', 'orders-v1', OPENAPI_WITH_KEY),
    },
  ];
  const existing = deployed([...unmanaged, ...gatewayAndConfig]);

  test.each([
    {
      name: 'the gateway deleted',
      changes: gatewayAndConfig.map((change) => ({
        ...change,
        actions: ['delete'],
        before: change.after ?? null,
      })),
    },
    {
      name: 'the gateway replaced under another ID',
      changes: [
        {
          address: GW,
          actions: ['delete', 'create'],
          before: plannedGateway('orders-gw', 'us-central1', CONFIG_V1),
          after: plannedGateway('orders-gw-2', 'us-central1', CONFIG_V1),
        },
        { ...(gatewayAndConfig[1] as PlannedChange), actions: ['no-op'] },
      ],
    },
  ])('$name: neg.gateway-exists on the NEG, caused by the gateway', ({ changes }) => {
    const { results } = checkPlan({ plan: buildPlan(changes), rules: ALL_RULES, existing, now: NOW });
    expect(results.filter((result) => result.status === 'fail')).toMatchObject([
      {
        ruleId: 'neg.gateway-exists',
        resource:
          '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/orders-neg',
        causedBy: GW,
      },
    ]);
  });
});

test('a backend whose group is known only after apply has no group field, not group: undefined', () => {
  // dynamic "backend" { for_each = google_compute_region_network_endpoint_group.neg ... }: no expressions to follow.
  const plan = buildPlan([
    {
      address: BS,
      after: plannedBackendService('orders-api', [plannedBackend(null)]),
      afterUnknown: { backend: [{ group: true }] },
    },
  ]);
  const { inventory, resources } = readPlan(plan);
  const backend = inventory.backendService[0]?.backends?.[0];
  expect(backend).toBeDefined();
  expect(Object.hasOwn(backend as object, 'group')).toBe(false);
  expect(resources[0]?.unknownFields).toEqual([{ attribute: 'backend[0].group', field: 'backends[].group' }]);
});

describe('a failure the plan makes more severe on a resource it does not manage', () => {
  test('a new Cloud Armor service in front of an existing open gateway: HIGH today, CRITICAL with the plan', () => {
    const existingChanges: PlannedChange[] = [
      { address: NEG, after: plannedNeg('orders-neg', 'us-central1', { resource: 'orders-gw' }) },
      {
        address: BS,
        after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))], {
          security_policy: null,
        }),
      },
      { address: GW, after: plannedGateway('orders-gw', 'us-central1', CONFIG_V1) },
      {
        address: 'google_api_gateway_api_config.v1',
        after: plannedApiConfig('orders', 'orders-v1', OPENAPI_OPEN),
      },
    ];
    // Another team's plan: a second, protected backend service for the same NEG.
    const plan = buildPlan([
      {
        address: 'google_compute_backend_service.partner',
        after: plannedBackendService('partner-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
      },
    ]);
    const { results } = checkPlan({ plan, rules: ALL_RULES, existing: deployed(existingChanges), now: NOW });
    expect(failing(results)).toEqual([
      'gateway.direct-url-protected CRITICAL @ via google_compute_backend_service.partner',
    ]);
  });
});

describe('an object a failed create_before_destroy left deposed', () => {
  test('its delete, listed after the current change at the same address, does not hide what is unknown', () => {
    const plan = buildPlan([
      {
        address: NEG,
        actions: ['create'],
        after: plannedNeg('orders-neg-2', 'us-central1', {}),
        // resource = random_pet.gateway.id: known at apply.
        afterUnknown: { id: true, self_link: true, serverless_deployment: [{ resource: true }] },
        expressions: {
          serverless_deployment: [
            { resource: { references: ['random_pet.gateway.id', 'random_pet.gateway'] } },
          ],
        },
      },
      {
        address: NEG,
        actions: ['delete'],
        deposed: '4b1f3a2c',
        before: plannedNeg('orders-neg-1', 'us-central1', { resource: 'orders-gw' }),
      },
      {
        address: BS,
        after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg-2', 'us-central1'))]),
      },
    ]);
    const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
    expect(failing(results)).toEqual([]);
    expect(results.find((result) => result.ruleId === 'neg.gateway-exists')).toMatchObject({
      status: 'not-applicable',
      address: NEG,
      evidence: { unknownUntilApply: [{ address: NEG, attribute: 'serverless_deployment[0].resource' }] },
    });
  });

  test('its delete removes it from the existing estate: a deposed Cloud Armor service protects nothing', () => {
    const neg = { address: NEG, after: plannedNeg('orders-neg', 'us-central1', { resource: 'orders-gw' }) };
    const gateway = [
      { address: GW, after: plannedGateway('orders-gw', 'us-central1', CONFIG_V1) },
      {
        address: 'google_api_gateway_api_config.v1',
        after: plannedApiConfig('orders', 'orders-v1', OPENAPI_OPEN),
      },
    ];
    const backends = [plannedBackend(negLink('orders-neg', 'us-central1'))];
    const old = plannedBackendService('orders-api-1', backends);
    const current = plannedBackendService('orders-api-2', backends, { security_policy: null });
    const existing = deployed([
      neg,
      ...gateway,
      { address: BS, after: old },
      { address: 'google_compute_backend_service.x', after: current },
    ]);
    const plan = buildPlan([
      { ...neg, actions: ['no-op'] },
      ...gateway.map((change) => ({ ...change, actions: ['no-op'] })),
      { address: BS, actions: ['no-op'], after: current },
      { address: BS, actions: ['delete'], deposed: '00f1e2d3', before: old },
    ]);
    const { results, planned } = checkPlan({ plan, rules: ALL_RULES, existing, now: NOW });
    expect(results.find((result) => result.ruleId === 'gateway.direct-url-protected')).toMatchObject({
      status: 'fail',
      severity: 'HIGH',
    });
    expect([...planned.deleted]).toEqual([
      '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-api-1',
    ]);
  });
});

describe('a module output or variable computed from several values is not guessed either', () => {
  // output "neg_id" { value = var.enabled ? google_compute_region_network_endpoint_group.orders.id : null }
  function withOutput(outputReferences: readonly string[]) {
    const plan = buildPlan([
      {
        address: `module.edge.${NEG}`,
        after: plannedNeg('orders-neg', 'us-central1', { resource: 'orders-gw' }),
        afterUnknown: { id: true, self_link: true },
      },
      {
        address: BS,
        after: plannedBackendService('orders-api', [plannedBackend(null)]),
        afterUnknown: { backend: [{ group: true }] },
        expressions: { backend: [{ group: { references: ['module.edge.neg_id', 'module.edge'] } }] },
      },
    ]);
    const edge = plan.configuration?.root_module?.module_calls?.edge as {
      expressions?: Record<string, unknown>;
      module: { outputs?: Record<string, unknown> };
    };
    edge.expressions = { enabled: { constant_value: true } };
    edge.module.outputs = { neg_id: { expression: { references: outputReferences } } };
    return readPlan(plan).inventory.backendService[0]?.backends?.[0];
  }

  test('a conditional on a module variable: the group waits for apply', () => {
    expect(withOutput(['var.enabled', `${NEG}.id`, NEG])).not.toHaveProperty('group');
  });

  test('a plain reference through the output: the NEG', () => {
    expect(withOutput([`${NEG}.id`, NEG])?.group).toBe(negLink('orders-neg', 'us-central1'));
  });
});

test('a module variable map indexed by a value known at apply is not taken for the link (no bad-input exit)', () => {
  // In module "edge": backend { group = var.negs[random_shuffle.pick.result[0]] }, the call passing a constant map.
  const plan = buildPlan([
    {
      address: `module.edge.${BS}`,
      after: plannedBackendService('orders-api', [plannedBackend(null)]),
      afterUnknown: { backend: [{ group: true }] },
      expressions: {
        backend: [
          {
            group: {
              references: [
                'var.negs',
                'random_shuffle.pick.result[0]',
                'random_shuffle.pick.result',
                'random_shuffle.pick',
              ],
            },
          },
        ],
      },
    },
  ]);
  const edge = plan.configuration?.root_module?.module_calls?.edge as {
    expressions?: Record<string, unknown>;
  };
  edge.expressions = { negs: { constant_value: { eu: negLink('orders-neg', 'europe-west1') } } };
  const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
  expect(failing(results)).toEqual([]);
});

describe('an API config whose OpenAPI contents the plan marks sensitive', () => {
  test('the gateway rules cannot decide, and say why: Terraform shows no sensitive value', () => {
    const plan = buildPlan([
      { address: NEG, after: plannedNeg('orders-neg', 'us-central1', { resource: 'orders-gw' }) },
      {
        address: BS,
        after: plannedBackendService('orders-api', [plannedBackend(negLink('orders-neg', 'us-central1'))]),
      },
      { address: GW, after: plannedGateway('orders-gw', 'us-central1', CONFIG_V1) },
      {
        address: 'google_api_gateway_api_config.v1',
        after: plannedApiConfig('orders', 'orders-v1', OPENAPI_OPEN),
        // contents = file(var.spec_path) with the variable declared sensitive.
        afterSensitive: { openapi_documents: [{ document: [{ contents: true }] }] },
      },
    ]);
    const { results } = checkPlan({ plan, rules: ALL_RULES, now: NOW });
    const authenticated = results.find(
      (result) => result.ruleId === 'gateway.api-config-authenticated' && result.address === GW,
    );
    expect(authenticated?.status).toBe('error');
    expect(authenticated?.message).toMatch(/sensitive/);
    // Nothing of the sensitive document reaches a finding.
    expect(JSON.stringify(results)).not.toContain(Buffer.from(OPENAPI_OPEN, 'utf8').toString('base64'));
  });
});
