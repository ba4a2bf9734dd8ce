import { backendNoCapacityLimits } from '../../../src/rules/backend/no-capacity-limits.js';
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
const USC1 = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const EUW2 = fullName('regions/europe-west2/networkEndpointGroups/orders-neg-euw2');

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

testRule(backendNoCapacityLimits, [
  {
    name: 'backends as the API echoes them (capacityScaler 1 only)',
    records: serviceWith({}),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'capacity fields echoed as zero',
    records: serviceWith({ maxUtilization: 0, maxRatePerEndpoint: 0, maxConnections: 0 }),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'a capacityScaler below 1 is not a capacity limit here',
    records: serviceWith({ capacityScaler: 0.5 }),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'a rate limit per endpoint and a max utilization',
    records: serviceWith({ balancingMode: 'RATE', maxRatePerEndpoint: 100 }, { maxUtilization: 0.8 }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /orders-bs.*2 serverless backend/,
        evidence: {
          backends: [
            { group: USC1, limits: ['maxRatePerEndpoint=100'] },
            { group: EUW2, limits: ['maxUtilization=0.8'] },
          ],
        },
      },
    ],
  },
  {
    name: 'connection and in-flight limits on one backend',
    records: serviceWith({ maxConnectionsPerEndpoint: 50, maxInFlightRequests: 10, maxRate: 0 }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        evidence: {
          backends: [{ group: USC1, limits: ['maxConnectionsPerEndpoint=50', 'maxInFlightRequests=10'] }],
        },
      },
    ],
  },
  {
    name: 'an instance group with max utilization: not fronting',
    records: {
      backendService: [backendService('vm-bs', { backends: [instanceGroupBackend('web', 'us-central1-a')] })],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
