import { negNoNetworkEndpoints } from '../../../src/rules/neg/no-network-endpoints.js';
import { apiGatewayNeg, cloudRunNeg, fullName, zonalNeg } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');

testRule(negNoNetworkEndpoints, [
  {
    name: 'an API Gateway NEG as gcloud beta creates it',
    records: { networkEndpointGroup: [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw')] },
    resource: NEG,
    expected: 'pass',
  },
  {
    name: 'a serverless NEG with a default port',
    records: {
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', { defaultPort: 443 }),
      ],
    },
    resource: NEG,
    expected: [{ status: 'fail', evidence: { defaultPort: 443 } }],
  },
  {
    name: 'a serverless NEG reporting attached endpoints',
    records: {
      networkEndpointGroup: [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', { size: 2 })],
    },
    resource: NEG,
    expected: [{ status: 'fail', evidence: { size: 2 } }],
  },
  {
    name: 'a Cloud Run NEG is judged too (any serverless NEG)',
    records: { networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders')] },
    resource: fullName('regions/us-central1/networkEndpointGroups/run-neg'),
    expected: 'pass',
  },
  {
    name: 'a zonal VM NEG is not serverless',
    records: { networkEndpointGroup: [zonalNeg('vm-neg', 'us-central1-a')] },
    resource: fullName('zones/us-central1-a/networkEndpointGroups/vm-neg'),
    expected: 'not-applicable',
  },
]);
