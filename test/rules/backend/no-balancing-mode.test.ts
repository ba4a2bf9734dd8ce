import { backendNoBalancingMode } from '../../../src/rules/backend/no-balancing-mode.js';
import {
  apiGatewayNeg,
  backendService,
  fullName,
  instanceGroupBackend,
  negBackend,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');
const NEGS = [
  apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
  apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw'),
];

function serviceWith(usc1: Record<string, unknown>, euw2: Record<string, unknown> = {}) {
  return {
    backendService: [
      backendService('orders-bs', {
        backends: [
          negBackend('orders-neg-usc1', 'us-central1', usc1),
          negBackend('orders-neg-euw2', 'europe-west2', euw2),
        ],
      }),
    ],
    networkEndpointGroup: NEGS,
  };
}

testRule(backendNoBalancingMode, [
  {
    name: 'UTILIZATION, as the API and Terraform fill it in',
    records: serviceWith({}),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'no balancing mode at all',
    records: serviceWith({ balancingMode: undefined }, { balancingMode: undefined }),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'RATE on one serverless backend',
    records: serviceWith({ balancingMode: 'RATE', maxRatePerEndpoint: 100 }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /orders-bs.*RATE/,
        evidence: {
          backends: [
            {
              group: fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'),
              balancingMode: 'RATE',
            },
          ],
        },
      },
    ],
  },
  {
    name: 'CONNECTION and CUSTOM_METRICS',
    records: serviceWith({ balancingMode: 'CONNECTION' }, { balancingMode: 'CUSTOM_METRICS' }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /CONNECTION, CUSTOM_METRICS/,
        evidence: { backends: [{ balancingMode: 'CONNECTION' }, { balancingMode: 'CUSTOM_METRICS' }] },
      },
    ],
  },
  {
    name: 'an instance group with RATE: not fronting',
    records: {
      backendService: [
        backendService('vm-bs', {
          backends: [instanceGroupBackend('web', 'us-central1-a', { balancingMode: 'RATE' })],
        }),
      ],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
