// A fixed scan report for the renderer golden files: its own small rules, so catalogue changes never move them.

import { type ScanReport, scanInventory } from '../../src/app/scan.js';
import type { Policy } from '../../src/engine/policy.js';
import { defineRule, describe, fail, notApplicable, pass, type Rule } from '../../src/rules/define-rule.js';
import { negNoNetworkEndpoints } from '../../src/rules/neg/no-network-endpoints.js';
import {
  apiGatewayNeg,
  backendService,
  forwardingRule,
  fullName,
  gateway,
  inventoryOf,
  negBackend,
} from '../support/records.js';

export const FIXED_CLOCK = { now: () => new Date('2026-05-04T10:00:00.000Z') };

const cloudArmorAttached = defineRule({
  id: 'sample.cloud-armor-attached',
  title: 'Backend services have a Cloud Armor policy',
  severity: 'MEDIUM',
  source: 'gov',
  appliesTo: ['backendService'],
  rationale: 'Sample rule.',
  remediation: { summary: 'Attach a policy.' },
  references: [],
  evaluate(service) {
    return service.data.securityPolicy
      ? pass(`${describe(service)} has a Cloud Armor policy.`)
      : fail(`${describe(service)} has no Cloud Armor policy.`, { securityPolicy: null });
  },
});

const directUrl = defineRule({
  id: 'sample.direct-url-protected',
  title: 'Gateways are not reachable around the load balancer',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['gateway'],
  rationale: 'Sample rule.',
  remediation: { summary: 'Require credentials.' },
  references: [],
  evaluate(gw) {
    const url = `https://${gw.data.defaultHostname}`;
    return gw.ref.name.startsWith('legacy')
      ? fail(
          `Gateway ${gw.ref.name} answers anyone at ${url}, bypassing Cloud Armor.`,
          { directUrl: url },
          {
            severity: 'CRITICAL',
          },
        )
      : fail(`Gateway ${gw.ref.name} is reachable at ${url} | "quoted" <b>text</b>.`, { directUrl: url });
  },
});

const perRegion = defineRule({
  id: 'sample.one-neg-per-region',
  title: 'One serverless NEG per region',
  severity: 'LOW',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale: 'Sample rule.',
  remediation: { summary: 'Remove one.' },
  references: [],
  evaluate(service) {
    if (service.data.name !== 'orders-bs') return notApplicable('not the orders service');
    return [
      fail('Two NEGs in us-central1\nback orders-bs.', { region: 'us-central1' }, { subKey: 'us-central1' }),
      fail(
        'Two NEGs in europe-west2 back orders-bs.',
        { region: 'europe-west2' },
        { subKey: 'europe-west2' },
      ),
    ];
  },
});

const throwing = defineRule({
  id: 'sample.always-throws',
  title: 'A rule with a bug',
  severity: 'HIGH',
  source: 'gov',
  appliesTo: ['forwardingRule'],
  rationale: 'Sample rule.',
  remediation: { summary: 'Fix the rule.' },
  references: [],
  evaluate() {
    throw new Error('cannot read properties of undefined');
  },
});

export const SAMPLE_RULES: readonly Rule[] = [
  negNoNetworkEndpoints,
  cloudArmorAttached,
  directUrl,
  perRegion,
  throwing,
];

export const SAMPLE_POLICY: Policy = {
  rules: {},
  exemptions: [
    {
      ruleId: 'sample.cloud-armor-attached',
      resource: '//compute.googleapis.com/projects/acme-edge/global/backendServices/legacy-*',
      reason: 'legacy API retires in June (CHG-1142)',
      expires: '2026-06-30',
      owner: 'platform-team@acme.example',
    },
  ],
};

export const SAMPLE_INVENTORY = inventoryOf({
  backendService: [
    backendService('orders-bs', {
      backends: [negBackend('orders-neg-usc1', 'us-central1'), negBackend('orders-neg-euw2', 'europe-west2')],
    }),
    backendService('legacy-bs', {
      securityPolicy: undefined,
      backends: [negBackend('legacy-neg', 'us-central1')],
    }),
    backendService('billing-bs', { securityPolicy: undefined }),
  ],
  networkEndpointGroup: [
    apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
    apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw-euw2'),
    apiGatewayNeg('legacy-neg', 'us-central1', 'legacy-gw', { defaultPort: 443 }),
  ],
  gateway: [
    gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
    gateway('legacy-gw', 'us-central1', 'legacy/configs/legacy-v1'),
  ],
  forwardingRule: [forwardingRule('orders-fr', 'global/targetHttpsProxies/orders-https')],
});

export const LEGACY_BS = fullName('global/backendServices/legacy-bs');

export function sampleReport(): ScanReport {
  return scanInventory(SAMPLE_INVENTORY, {
    rules: SAMPLE_RULES,
    policy: SAMPLE_POLICY,
    clock: FIXED_CLOCK,
    warnings: ['estate/network-endpoint-groups.json: 1 serverless NEG names no target (x)'],
  });
}
