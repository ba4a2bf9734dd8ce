import { negGatewayExists } from '../../../src/rules/neg/gateway-exists.js';
import { apiConfig, apiGatewayNeg, cloudRunNeg, fullName, gateway, maskNeg } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const OPENAPI = { swagger: '2.0', info: { title: 'orders', version: '1' }, paths: {} };
const MASK_NEG = fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1');
const MASK = '<gateway>.api.acme.example';

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
    name: 'a gateway with that ID is in a project named by a number nothing maps: cannot tell, never a HIGH failure',
    records: {
      networkEndpointGroup: [negNaming('orders-gw')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {}, '123456789012')],
    },
    resource: NEG,
    expected: [
      {
        status: 'error',
        message: /orders-gw.*123456789012.*may be the NEG's own project/,
        evidence: {
          cause: 'unmapped-project-number',
          foundInProjectsNamedByNumber: [
            '//apigateway.googleapis.com/projects/123456789012/locations/us-central1/gateways/orders-gw',
          ],
        },
      },
    ],
  },
  {
    name: 'the same number mapped to the NEG project: the gateway exists',
    records: {
      networkEndpointGroup: [negNaming('orders-gw')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {}, '123456789012')],
      projectIds: { '123456789012': 'acme-edge' },
    },
    resource: NEG,
    expected: 'pass',
  },
  {
    name: 'the same number mapped to another project: the gateway is elsewhere',
    records: {
      networkEndpointGroup: [negNaming('orders-gw')],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {}, '123456789012')],
      projectIds: { '123456789012': 'acme-api' },
    },
    resource: NEG,
    expected: [{ status: 'fail', evidence: { cause: 'other-project' } }],
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
    name: 'a mask NEG whose region holds gateways of its project reaches them all',
    records: {
      networkEndpointGroup: [maskNeg('apis-mask-usc1', 'us-central1', MASK)],
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway('billing-gw', 'us-central1', 'billing/configs/billing-v2'),
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7'),
      ],
    },
    resource: MASK_NEG,
    expected: [
      {
        status: 'pass',
        message: /URL mask "<gateway>\.api\.acme\.example".*reaches 2 gateway/,
        evidence: {
          lookedFor: 'projects/acme-edge/locations/us-central1/gateways/*',
          urlMask: MASK,
          found: [
            fullName('locations/us-central1/gateways/billing-gw'),
            fullName('locations/us-central1/gateways/orders-gw'),
          ],
          directUrls: [
            'https://billing-gw-8k2j4h1q.uc.gateway.dev',
            'https://orders-gw-8k2j4h1q.uc.gateway.dev',
          ],
        },
      },
    ],
  },
  {
    name: 'a mask NEG in a region where its project has no gateway: the hint speaks of the mask, not the gateway ID',
    records: {
      networkEndpointGroup: [maskNeg('apis-mask-usc1', 'us-central1', MASK)],
      gateway: [
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7'),
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {}, 'acme-api'),
      ],
    },
    resource: MASK_NEG,
    expected: [
      {
        status: 'fail',
        message:
          /^(?!.*gateway ID).*URL mask "<gateway>\.api\.acme\.example".*reaches no gateway: project acme-edge in us-central1 has no gateway/,
        evidence: {
          lookedFor: 'projects/acme-edge/locations/us-central1/gateways/*',
          urlMask: MASK,
          cause: 'no-gateway-in-region',
          gatewaysInOtherRegions: [fullName('locations/europe-west2/gateways/orders-gw')],
        },
      },
    ],
  },
  {
    name: 'a mask NEG whose gateways could not all be read is not failed',
    records: {
      networkEndpointGroup: [maskNeg('apis-mask-usc1', 'us-central1', MASK)],
      incomplete: [{ project: 'acme-edge', kind: 'gateway', scope: '*', reason: '403 on gateways.list' }],
    },
    resource: MASK_NEG,
    expected: [{ status: 'error', evidence: { urlMask: MASK } }],
  },
  {
    name: 'resource and urlMask both set: resource alone decides, so a missing gateway fails though the mask would reach one',
    records: {
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', {
          serverlessDeployment: {
            platform: 'apigateway.googleapis.com',
            resource: 'orders-gw',
            urlMask: MASK,
          },
        }),
      ],
      gateway: [gateway('billing-gw', 'us-central1', 'billing/configs/billing-v2')],
    },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        evidence: { cause: 'not-found', resource: 'orders-gw', ignoredUrlMask: MASK },
      },
    ],
  },
  {
    name: 'resource and urlMask both set, and the named gateway exists',
    records: {
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', {
          serverlessDeployment: {
            platform: 'apigateway.googleapis.com',
            resource: 'orders-gw',
            urlMask: MASK,
          },
        }),
      ],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [
      { status: 'pass', evidence: { found: [fullName('locations/us-central1/gateways/orders-gw')] } },
    ],
  },
  {
    name: 'resource and urlMask both empty fail as an empty resource',
    records: {
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', '', {
          serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: '', urlMask: '' },
        }),
      ],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        message: /resource and urlMask are both empty/,
        evidence: { cause: 'empty-resource' },
      },
    ],
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
