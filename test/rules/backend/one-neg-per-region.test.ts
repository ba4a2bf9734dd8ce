import { backendOneNegPerRegion } from '../../../src/rules/backend/one-neg-per-region.js';
import {
  apiGatewayNeg,
  backendService,
  fullName,
  instanceGroupBackend,
  negBackend,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');

function negsIn(...placements: [name: string, region: string][]) {
  return {
    backendService: [
      backendService('orders-bs', { backends: placements.map(([name, region]) => negBackend(name, region)) }),
    ],
    networkEndpointGroup: placements.map(([name, region]) => apiGatewayNeg(name, region, 'orders-gw')),
  };
}

testRule(backendOneNegPerRegion, [
  {
    name: 'one NEG in us-central1 and one in europe-west2',
    records: negsIn(['orders-neg-usc1', 'us-central1'], ['orders-neg-euw2', 'europe-west2']),
    resource: BS,
    expected: [{ status: 'pass', subKey: null, evidence: { regions: ['europe-west2', 'us-central1'] } }],
  },
  {
    name: 'two NEGs in us-central1 plus one in europe-west2',
    records: negsIn(
      ['orders-neg-usc1', 'us-central1'],
      ['orders-neg-usc1-b', 'us-central1'],
      ['orders-neg-euw2', 'europe-west2'],
    ),
    resource: BS,
    expected: [
      {
        status: 'fail',
        subKey: 'us-central1',
        message: /orders-bs.*2 serverless NEGs in us-central1/,
        evidence: {
          region: 'us-central1',
          negs: [
            fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'),
            fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1-b'),
          ],
        },
      },
    ],
  },
  {
    name: 'two regions each with two NEGs: one failure per region',
    records: negsIn(
      ['a-usc1', 'us-central1'],
      ['b-usc1', 'us-central1'],
      ['a-euw2', 'europe-west2'],
      ['b-euw2', 'europe-west2'],
    ),
    resource: BS,
    expected: [
      { status: 'fail', subKey: 'europe-west2', evidence: { region: 'europe-west2' } },
      { status: 'fail', subKey: 'us-central1', evidence: { region: 'us-central1' } },
    ],
  },
  {
    name: 'a single NEG',
    records: negsIn(['orders-neg-usc1', 'us-central1']),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'instance groups only: not fronting',
    records: {
      backendService: [backendService('vm-bs', { backends: [instanceGroupBackend('web', 'us-central1-a')] })],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
