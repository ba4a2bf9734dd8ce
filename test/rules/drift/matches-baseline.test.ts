import { describe, expect, test } from 'vitest';
import { captureBaseline } from '../../../src/app/capture-baseline.js';
import type { Baseline } from '../../../src/domain/baseline.js';
import type { Inventory } from '../../../src/domain/inventory.js';
import { evaluate } from '../../../src/engine/evaluate.js';
import { DEFAULT_GOVERNED_FIELDS } from '../../../src/rules/drift/governed-fields.js';
import { driftMatchesBaseline } from '../../../src/rules/drift/matches-baseline.js';
import {
  apiGatewayNeg,
  backendService,
  computeLink,
  fullName,
  gateway,
  graphOf,
  httpsProxy,
  negBackend,
  PROJECT_NUMBER,
  urlMap,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/apigw-bs');
const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const GW = fullName('locations/us-central1/gateways/orders-gw');
const MAP = fullName('global/urlMaps/apigw-map');
const PROXY = fullName('global/targetHttpsProxies/apigw-proxy');
const WAF = fullName('global/securityPolicies/api-waf');

/** The approved estate: one LB in front of two API Gateway NEGs. */
function approved(overrides: { service?: Record<string, unknown> } = {}): Partial<Inventory> {
  return {
    backendService: [
      backendService('apigw-bs', {
        backends: [
          negBackend('orders-neg-usc1', 'us-central1'),
          negBackend('orders-neg-euw1', 'europe-west1'),
        ],
        ...overrides.service,
      }),
      backendService('apigw-v2-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
    ],
    networkEndpointGroup: [
      apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
      apiGatewayNeg('orders-neg-euw1', 'europe-west1', 'orders-gw'),
    ],
    gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    urlMap: [urlMap('apigw-map', 'apigw-bs')],
    targetHttpsProxy: [httpsProxy('apigw-proxy', 'apigw-map')],
  };
}

function baselineOf(records: Partial<Inventory>): Baseline {
  return captureBaseline(
    graphOf(records),
    DEFAULT_GOVERNED_FIELDS,
    new Date('2026-05-01T10:00:00Z'),
    'alice@acme.example',
  );
}

const BASELINE = baselineOf(approved());

/** The approved estate with some kinds of records replaced. */
function changed(replacements: Partial<Inventory>): Partial<Inventory> {
  return { ...approved(), ...replacements };
}

testRule(driftMatchesBaseline, [
  {
    name: 'a backend service equal to its baseline',
    records: approved(),
    resource: BS,
    baseline: BASELINE,
    expected: 'pass',
  },
  {
    name: 'Cloud Armor policy removed from the backend service',
    records: approved({ service: { securityPolicy: undefined } }),
    resource: BS,
    baseline: BASELINE,
    expected: [
      {
        status: 'fail',
        subKey: 'securityPolicy',
        evidence: {
          field: 'securityPolicy',
          baseline: WAF,
          current: null,
          approvedBy: 'alice@acme.example',
          approvedAt: '2026-05-01T10:00:00.000Z',
        },
        message: /securityPolicy is none, the approved baseline has ".*api-waf"/,
      },
    ],
  },
  {
    name: 'two fields drift at once: one finding per field',
    records: approved({ service: { enableCDN: true, cdnPolicy: { cacheMode: 'FORCE_CACHE_ALL' } } }),
    resource: BS,
    baseline: BASELINE,
    expected: [
      { status: 'fail', subKey: 'enableCDN', evidence: { baseline: false, current: true } },
      {
        status: 'fail',
        subKey: 'cdnPolicy.cacheMode',
        evidence: { baseline: null, current: 'FORCE_CACHE_ALL' },
      },
    ],
  },
  {
    name: 'a NEG swapped for another gateway behind the service',
    records: approved({
      service: {
        backends: [negBackend('orders-neg-usc1', 'us-central1'), negBackend('rogue-neg', 'europe-west1')],
      },
    }),
    resource: BS,
    baseline: BASELINE,
    expected: [{ status: 'fail', subKey: 'backends[].group', evidence: { field: 'backends[].group' } }],
  },
  {
    name: 'the same NEGs listed in another order (order is not drift)',
    records: approved({
      service: {
        backends: [
          negBackend('orders-neg-euw1', 'europe-west1'),
          negBackend('orders-neg-usc1', 'us-central1'),
        ],
      },
    }),
    resource: BS,
    baseline: BASELINE,
    expected: 'pass',
  },
  {
    name: 'links read through the beta API equal the v1 links approved',
    records: approved({
      service: {
        securityPolicy: computeLink('global/securityPolicies/api-waf', 'acme-edge', 'beta'),
        backends: [
          negBackend('orders-neg-usc1', 'us-central1', {
            group: computeLink(
              'regions/us-central1/networkEndpointGroups/orders-neg-usc1',
              'acme-edge',
              'beta',
            ),
          }),
          negBackend('orders-neg-euw1', 'europe-west1'),
        ],
      },
    }),
    resource: BS,
    baseline: BASELINE,
    expected: 'pass',
  },
  {
    name: 'a resource with no approved baseline entry',
    records: approved(),
    resource: BS,
    baseline: { version: 1, savedAt: '2026-05-01T10:00:00Z', resources: {} },
    expected: 'not-applicable',
  },
  {
    name: 'no baseline at all',
    records: approved(),
    resource: BS,
    expected: 'not-applicable',
  },
  {
    name: 'a NEG pointed at another gateway',
    records: changed({
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw-canary'),
        apiGatewayNeg('orders-neg-euw1', 'europe-west1', 'orders-gw'),
      ],
    }),
    resource: NEG,
    baseline: BASELINE,
    expected: [
      {
        status: 'fail',
        subKey: 'serverlessDeployment',
        evidence: {
          baseline: { platform: 'apigateway.googleapis.com', resource: 'orders-gw' },
          current: { platform: 'apigateway.googleapis.com', resource: 'orders-gw-canary' },
        },
      },
    ],
  },
  {
    name: 'a gateway switched to another API config',
    records: changed({ gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v8-open')] }),
    resource: GW,
    baseline: BASELINE,
    expected: [{ status: 'fail', subKey: 'apiConfig' }],
  },
  {
    name: 'a gateway naming its config by project number, where the estate maps it to the ID',
    records: changed({
      gateway: [
        gateway(
          'orders-gw',
          'us-central1',
          `projects/${PROJECT_NUMBER}/locations/global/apis/orders/configs/orders-v7`,
        ),
      ],
      projectIds: { [PROJECT_NUMBER]: 'acme-edge' },
    }),
    resource: GW,
    baseline: BASELINE,
    expected: 'pass',
  },
  {
    name: 'a URL map now routing to another fronting backend service',
    records: changed({ urlMap: [urlMap('apigw-map', 'apigw-v2-bs')] }),
    resource: MAP,
    baseline: BASELINE,
    expected: [
      {
        status: 'fail',
        subKey: 'frontingBackendServices',
        evidence: { baseline: [BS], current: [fullName('global/backendServices/apigw-v2-bs')] },
      },
    ],
  },
  {
    name: 'a target HTTPS proxy that lost its approved SSL policy',
    records: approved(),
    resource: PROXY,
    baseline: baselineOf(
      changed({
        targetHttpsProxy: [
          httpsProxy('apigw-proxy', 'apigw-map', { sslPolicy: computeLink('global/sslPolicies/modern-tls') }),
        ],
      }),
    ),
    expected: [
      {
        status: 'fail',
        subKey: 'sslPolicy',
        evidence: { baseline: fullName('global/sslPolicies/modern-tls'), current: null },
      },
    ],
  },
]);

describe('drift.matches-baseline with a policy field set', () => {
  test('only the governed fields the policy names are compared', () => {
    const records = approved({ service: { securityPolicy: undefined, protocol: 'HTTP' } });
    const results = evaluate(graphOf(records), [driftMatchesBaseline], {
      policy: { rules: {}, exemptions: [], governedFields: { backendService: ['protocol'] } },
      baseline: BASELINE,
    }).filter((result) => result.resource === BS);
    expect(results.map((result) => [result.status, result.subKey])).toEqual([['fail', 'protocol']]);
  });

  test('a field added to the governed set after approval has nothing to drift from', () => {
    const results = evaluate(graphOf(approved()), [driftMatchesBaseline], {
      policy: { rules: {}, exemptions: [], governedFields: { backendService: ['protocol', 'timeoutSec'] } },
      baseline: BASELINE,
    }).filter((result) => result.resource === BS);
    expect(results).toMatchObject([{ status: 'pass', evidence: { fields: ['protocol'] } }]);
  });

  test('whole backend entries governed: list and key order in the baseline file are not drift, a capacity is', () => {
    const policy = { rules: {}, exemptions: [], governedFields: { backendService: ['backends'] } };
    const approvedBackends = [
      negBackend('orders-neg-usc1', 'us-central1'),
      negBackend('orders-neg-euw1', 'europe-west1'),
    ];
    // As a hand-edited baseline might hold them: the other list order, each entry's keys reversed.
    const reordered = [...approvedBackends]
      .reverse()
      .map((backend) => Object.fromEntries(Object.entries(backend).reverse()));
    const baseline: Baseline = {
      ...BASELINE,
      resources: { ...BASELINE.resources, [BS]: { fields: { backends: reordered } } },
    };
    const judge = (service: Record<string, unknown>) =>
      evaluate(graphOf(approved({ service })), [driftMatchesBaseline], { policy, baseline })
        .filter((result) => result.resource === BS)
        .map((result) => [result.status, result.subKey]);
    expect(judge({ backends: approvedBackends })).toEqual([['pass', null]]);
    expect(
      judge({
        backends: [
          approvedBackends[0],
          negBackend('orders-neg-euw1', 'europe-west1', { capacityScaler: 0.5 }),
        ],
      }),
    ).toEqual([['fail', 'backends']]);
  });

  test('a failing result carries the resource, rule severity and a sentence naming the resource', () => {
    const [result] = evaluate(graphOf(approved({ service: { protocol: 'HTTP2' } })), [driftMatchesBaseline], {
      baseline: BASELINE,
    }).filter((r) => r.resource === BS && r.status === 'fail');
    expect(result).toMatchObject({ severity: 'HIGH', subKey: 'protocol', resource: BS });
    expect(result?.message).toMatch(/^Backend service apigw-bs \(acme-edge, global\): protocol is "HTTP2"/);
  });
});
