import { negGatewaySameRegion } from '../../../src/rules/neg/gateway-same-region.js';
import { apiGatewayNeg, cloudRunNeg, fullName, gateway, maskNeg } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const NEG_RECORD = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');

testRule(negGatewaySameRegion, [
  {
    name: 'a mask NEG is not judged: it reaches only gateways of its own region',
    records: {
      networkEndpointGroup: [maskNeg('apis-mask-usc1', 'us-central1', '<gateway>.api.acme.example')],
      gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7')],
    },
    resource: fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1'),
    expected: 'not-applicable',
  },
  {
    name: 'resource and urlMask both set: the resource is judged, the mask ignored',
    records: {
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', {
          serverlessDeployment: {
            platform: 'apigateway.googleapis.com',
            resource: 'orders-gw',
            urlMask: '<gateway>.api.acme.example',
          },
        }),
      ],
      gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [{ status: 'fail', evidence: { gatewayRegions: ['europe-west2'] } }],
  },
  {
    name: 'the gateway is in the NEG region',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [{ status: 'pass', evidence: { negRegion: 'us-central1' } }],
  },
  {
    name: 'the gateway exists only in another region of the project',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        message: /orders-neg-usc1.*europe-west2/,
        evidence: {
          negRegion: 'us-central1',
          gatewayRegions: ['europe-west2'],
          gateways: [fullName('locations/europe-west2/gateways/orders-gw')],
        },
      },
    ],
  },
  {
    name: 'gateways with that ID in the NEG region and another: the NEG reaches its own region',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7'),
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
      ],
    },
    resource: NEG,
    expected: 'pass',
  },
  {
    name: 'the gateway was deleted (neg.gateway-exists reports it)',
    records: { networkEndpointGroup: [NEG_RECORD] },
    resource: NEG,
    expected: 'not-applicable',
  },
  {
    name: 'the gateway exists only in another project (neg.gateway-exists reports it)',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {}, 'acme-api')],
    },
    resource: NEG,
    expected: 'not-applicable',
  },
  {
    name: 'another region found, but the project gateways could not all be read',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7')],
      incomplete: [{ project: 'acme-edge', kind: 'gateway', scope: 'regions/us-central1', reason: '503' }],
    },
    resource: NEG,
    expected: 'error',
  },
  {
    name: 'a Cloud Run NEG',
    records: { networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders')] },
    resource: fullName('regions/us-central1/networkEndpointGroups/run-neg'),
    expected: 'not-applicable',
  },
]);
