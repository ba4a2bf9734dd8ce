// The same misconfiguration, planned in Terraform and exported from the API, must give the same rule IDs.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Inventory } from '../../src/domain/inventory.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { checkPlan } from '../../src/terraform-plan/check-plan.js';
import {
  apiConfig,
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  computeLink,
  forwardingRule,
  gateway,
  graphOf,
  httpsProxy,
  maskNeg,
  negBackend,
  securityPolicy,
  sslPolicy,
  urlMap,
  zonalNeg,
} from '../support/records.js';
import { loadPlan, PLANS_DIR } from './fixtures.js';

const NOW = new Date('2026-05-02T10:20:00Z');
const OPENAPI = readFileSync(join(PLANS_DIR, 'guide', 'openapi.yaml'), 'utf8');

/** The guide's load balancer and gateway, as the APIs would return them once the plan is applied. */
function guideEstate(
  service: ReturnType<typeof backendService>,
  extra: Partial<Inventory> & { openapi?: string } = {},
): Partial<Inventory> {
  return {
    backendService: [service],
    networkEndpointGroup: extra.networkEndpointGroup ?? [
      apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
    ],
    gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v1')],
    apiConfig: [apiConfig('orders/configs/orders-v1', extra.openapi ?? OPENAPI)],
    securityPolicy: [securityPolicy('api-waf')],
    sslPolicy: [sslPolicy('modern-tls', 'TLS_1_2')],
    urlMap: [urlMap('api-map', 'orders-api')],
    targetHttpsProxy: [
      httpsProxy('api-https-proxy', 'api-map', { sslPolicy: computeLink('global/sslPolicies/modern-tls') }),
    ],
    forwardingRule: [forwardingRule('api-https', 'global/targetHttpsProxies/api-https-proxy')],
  };
}

const CASES: readonly {
  name: string;
  scenario: string;
  estate: Partial<Inventory>;
  /** Rule IDs the case is about, which both sides must report. */
  expected?: readonly string[];
}[] = [
  {
    name: 'a URL-mask NEG in front of a gateway with an unauthenticated operation',
    scenario: 'mask-neg',
    estate: guideEstate(
      backendService('orders-api', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
      {
        networkEndpointGroup: [maskNeg('orders-neg-usc1', 'us-central1', '<gateway>.api.acme.example')],
        openapi: readFileSync(join(PLANS_DIR, 'mask-neg', 'openapi.yaml'), 'utf8'),
      },
    ),
    expected: ['gateway.api-config-authenticated', 'gateway.direct-url-protected'],
  },
  {
    name: 'the guide setup',
    scenario: 'guide',
    estate: guideEstate(
      backendService('orders-api', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
    ),
  },
  {
    name: 'a health check and protocol HTTP2',
    scenario: 'health-check-http2',
    estate: guideEstate(
      backendService('orders-api', {
        protocol: 'HTTP2',
        healthChecks: [computeLink('global/healthChecks/api-hc')],
        backends: [negBackend('orders-neg-usc1', 'us-central1')],
      }),
    ),
  },
  {
    name: 'a NEG pointing at a gateway in another region',
    scenario: 'other-region',
    estate: guideEstate(
      backendService('orders-api', { backends: [negBackend('orders-neg-euw1', 'europe-west1')] }),
      {
        networkEndpointGroup: [
          apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
          apiGatewayNeg('orders-neg-euw1', 'europe-west1', 'orders-gw'),
        ],
      },
    ),
  },
  {
    name: 'mixed NEG types',
    scenario: 'mixed-negs',
    estate: guideEstate(
      backendService('orders-api', {
        backends: [
          negBackend('orders-neg-usc1', 'us-central1'),
          negBackend('orders-run-neg', 'europe-west1'),
          {
            group: computeLink('zones/us-central1-a/networkEndpointGroups/orders-vm-neg'),
            balancingMode: 'UTILIZATION',
          },
        ],
      }),
      {
        networkEndpointGroup: [
          apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
          cloudRunNeg('orders-run-neg', 'europe-west1', 'orders'),
          zonalNeg('orders-vm-neg', 'us-central1-a'),
        ],
      },
    ),
  },
];

test.each(CASES.map((c) => [c.name, c] as const))(
  '%s: same failing rule IDs from plan and estate',
  (_name, c) => {
    const fromPlan = checkPlan({ plan: loadPlan(c.scenario), rules: ALL_RULES, now: NOW }).results;
    const fromEstate = evaluate(graphOf(c.estate), ALL_RULES, { now: NOW });
    const ids = (results: readonly { ruleId: string; status: string }[]) =>
      [
        ...new Set(results.filter((result) => result.status === 'fail').map((result) => result.ruleId)),
      ].sort();
    expect(ids(fromPlan).length).toBeGreaterThan(0);
    expect(ids(fromPlan)).toEqual(ids(fromEstate));
    for (const id of c.expected ?? []) expect(ids(fromPlan)).toContain(id);
  },
);
