import { negGatewayExists } from '../../../src/rules/neg/gateway-exists.js';
import { apiConfig, apiGatewayNeg, cloudRunNeg, fullName, gateway } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const OPENAPI = { swagger: '2.0', info: { title: 'orders', version: '1' }, paths: {} };

function negNaming(resource: string) {
  return apiGatewayNeg('orders-neg-usc1', 'us-central1', resource);
}

testRule(negGatewayExists, [
  {
    name: 'the gateway exists in the NEG project and region',
    records: {
      networkEndpointGroup: [negNaming('orders-gw')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [
      {
        status: 'pass',
        evidence: {
          lookedFor: 'projects/acme-edge/locations/*/gateways/orders-gw',
          found: [fullName('locations/us-central1/gateways/orders-gw')],
        },
      },
    ],
  },
  {
    name: 'the gateway exists in another region of the project (neg.gateway-same-region judges that)',
    records: {
      networkEndpointGroup: [negNaming('orders-gw')],
      gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: 'pass',
  },
  {
    name: 'the gateway was deleted',
    records: { networkEndpointGroup: [negNaming('orders-gw')], gateway: [] },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        message: /orders-neg-usc1.*deleted or never created/,
        evidence: {
          lookedFor: 'projects/acme-edge/locations/*/gateways/orders-gw',
          resource: 'orders-gw',
          cause: 'not-found',
        },
      },
    ],
  },
  {
    name: 'resource holds the full gateway name (Terraform .id instead of .gateway_id)',
    records: {
      networkEndpointGroup: [negNaming('projects/acme-edge/locations/us-central1/gateways/orders-gw')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        message: /use the gateway ID "orders-gw"/,
        evidence: {
          resource: 'projects/acme-edge/locations/us-central1/gateways/orders-gw',
          cause: 'full-resource-name',
          suggestedResource: 'orders-gw',
        },
      },
    ],
  },
  {
    name: 'resource holds the API ID, and a gateway serves that API',
    records: {
      networkEndpointGroup: [negNaming('orders')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
      apiConfig: [apiConfig('orders/configs/orders-v7', OPENAPI)],
    },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        message: /API ID, not a gateway ID/,
        evidence: {
          cause: 'api-id',
          lookedFor: 'projects/acme-edge/locations/*/gateways/orders',
          gatewaysServingApi: [fullName('locations/us-central1/gateways/orders-gw')],
        },
      },
    ],
  },
  {
    name: 'resource holds the API ID of an API with a config but no gateway yet',
    records: {
      networkEndpointGroup: [negNaming('orders')],
      apiConfig: [apiConfig('orders/configs/orders-v7', OPENAPI)],
    },
    resource: NEG,
    expected: [{ status: 'fail', evidence: { cause: 'api-id', gatewaysServingApi: [] } }],
  },
  {
    name: 'a gateway with that ID exists only in another project',
    records: {
      networkEndpointGroup: [negNaming('orders-gw')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {}, 'acme-api')],
    },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        message: /another project/,
        evidence: {
          cause: 'other-project',
          foundInOtherProjects: [
            '//apigateway.googleapis.com/projects/acme-api/locations/us-central1/gateways/orders-gw',
          ],
        },
      },
    ],
  },
  {
    name: 'resource is empty',
    records: {
      networkEndpointGroup: [negNaming('')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [{ status: 'fail', message: /empty/, evidence: { cause: 'empty-resource', resource: '' } }],
  },
  {
    name: 'the gateways of the project could not all be read: a missing gateway is not taken as deleted',
    records: {
      networkEndpointGroup: [negNaming('orders-gw')],
      incomplete: [{ project: 'acme-edge', kind: 'gateway', scope: '*', reason: '403 on gateways.list' }],
    },
    resource: NEG,
    expected: [
      { status: 'error', evidence: { lookedFor: 'projects/acme-edge/locations/*/gateways/orders-gw' } },
    ],
  },
  {
    name: 'a Cloud Run NEG names no gateway',
    records: { networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders')] },
    resource: fullName('regions/us-central1/networkEndpointGroups/run-neg'),
    expected: 'not-applicable',
  },
]);
