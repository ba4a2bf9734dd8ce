import { backendGatewaysEquivalent } from '../../../src/rules/backend/gateways-equivalent.js';
import {
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  fullName,
  gateway,
  maskNeg,
  negBackend,
  PROJECT_NUMBER,
  zonalNeg,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const SERVICE = fullName('global/backendServices/apigw-bs');

const MULTI_REGION = {
  networkEndpointGroup: [
    apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
    apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw'),
  ],
  backendService: [
    backendService('apigw-bs', {
      backends: [negBackend('orders-neg-usc1', 'us-central1'), negBackend('orders-neg-euw2', 'europe-west2')],
    }),
  ],
};

const MASK_FRONTED = {
  networkEndpointGroup: [maskNeg('apis-mask-usc1', 'us-central1', '<gateway>.api.acme.example')],
  backendService: [backendService('apigw-bs', { backends: [negBackend('apis-mask-usc1', 'us-central1')] })],
};

testRule(backendGatewaysEquivalent, [
  {
    name: 'a mask NEG reaching gateways on two different configs is drift within one region',
    records: {
      ...MASK_FRONTED,
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway('orders-canary-gw', 'us-central1', 'orders/configs/orders-v8'),
      ],
    },
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        message: /2 gateways behind .*apigw-bs.* serve 2 different API configs/,
        evidence: {
          regions: {
            'us-central1': {
              gateway: fullName('locations/us-central1/gateways/orders-canary-gw'),
              apiConfig: 'apis/orders/configs/orders-v8',
            },
            'us-central1/orders-gw': {
              gateway: fullName('locations/us-central1/gateways/orders-gw'),
              apiConfig: 'apis/orders/configs/orders-v7',
            },
          },
          configs: ['apis/orders/configs/orders-v8', 'apis/orders/configs/orders-v7'],
        },
      },
    ],
  },
  {
    name: 'a mask NEG reaching gateways that all serve one config',
    records: {
      ...MASK_FRONTED,
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway('orders-b-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v9'),
      ],
    },
    resource: SERVICE,
    expected: [{ status: 'pass', message: /apis\/orders\/configs\/orders-v7/ }],
  },
  {
    name: 'a mask NEG in a region with no gateway reaches none',
    records: { ...MASK_FRONTED, gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v9')] },
    resource: SERVICE,
    expected: 'not-applicable',
  },
  {
    name: 'a mask NEG and a named NEG: the mask gateways count beside the named one',
    records: {
      networkEndpointGroup: [
        maskNeg('apis-mask-usc1', 'us-central1', '<gateway>.api.acme.example'),
        apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw'),
      ],
      backendService: [
        backendService('apigw-bs', {
          backends: [
            negBackend('apis-mask-usc1', 'us-central1'),
            negBackend('orders-neg-euw2', 'europe-west2'),
          ],
        }),
      ],
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v6'),
      ],
    },
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        evidence: { configs: ['apis/orders/configs/orders-v7', 'apis/orders/configs/orders-v6'] },
      },
    ],
  },
  {
    name: 'two regions serving the same config',
    records: {
      ...MULTI_REGION,
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7'),
      ],
    },
    resource: SERVICE,
    expected: [
      {
        status: 'pass',
        evidence: {
          regions: {
            'us-central1': {
              gateway: fullName('locations/us-central1/gateways/orders-gw'),
              apiConfig: 'apis/orders/configs/orders-v7',
            },
            'europe-west2': { apiConfig: 'apis/orders/configs/orders-v7' },
          },
        },
      },
    ],
  },
  {
    name: 'the same config named by project number in one region and project ID in the other',
    records: {
      ...MULTI_REGION,
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway(
          'orders-gw',
          'europe-west2',
          `projects/${PROJECT_NUMBER}/locations/global/apis/orders/configs/orders-v7`,
        ),
      ],
    },
    resource: SERVICE,
    expected: 'pass',
  },
  {
    name: 'a rollout that stopped half-way: europe-west2 still on the previous config',
    records: {
      ...MULTI_REGION,
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v8'),
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7'),
      ],
    },
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        evidence: {
          regions: {
            'us-central1': { apiConfig: 'apis/orders/configs/orders-v8' },
            'europe-west2': { apiConfig: 'apis/orders/configs/orders-v7' },
          },
          configs: ['apis/orders/configs/orders-v8', 'apis/orders/configs/orders-v7'],
        },
      },
    ],
  },
  {
    name: 'gateways of two projects serving configs of the same API and config IDs serve different configs',
    records: {
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
        apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw', {}, 'other-proj'),
      ],
      backendService: [
        backendService('apigw-bs', {
          backends: [
            negBackend('orders-neg-usc1', 'us-central1'),
            negBackend('orders-neg-euw2', 'europe-west2', {}, 'other-proj'),
          ],
        }),
      ],
      gateway: [
        gateway(
          'orders-gw',
          'us-central1',
          `projects/${PROJECT_NUMBER}/locations/global/apis/orders/configs/orders-v7`,
        ),
        gateway(
          'orders-gw',
          'europe-west2',
          'projects/222222222222/locations/global/apis/orders/configs/orders-v7',
          {},
          'other-proj',
        ),
      ],
      projectIds: { [PROJECT_NUMBER]: 'acme-edge', '222222222222': 'other-proj' },
    },
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        evidence: {
          regions: {
            'us-central1': { apiConfig: 'apis/orders/configs/orders-v7' },
            'europe-west2': {
              apiConfig: 'projects/other-proj/locations/global/apis/orders/configs/orders-v7',
            },
          },
          configs: [
            'apis/orders/configs/orders-v7',
            'projects/other-proj/locations/global/apis/orders/configs/orders-v7',
          ],
        },
      },
    ],
  },
  {
    name: "a gateway's config named by an unmapped project number is taken to be in the gateway's project",
    records: {
      ...MULTI_REGION,
      gateway: [
        gateway('orders-gw', 'us-central1', 'projects/999/locations/global/apis/orders/configs/orders-v7'),
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7'),
      ],
    },
    resource: SERVICE,
    expected: [{ status: 'pass', message: /serves apis\/orders\/configs\/orders-v7/ }],
  },
  {
    name: 'gateways with one ID in one region of two projects are each kept in the evidence',
    records: {
      networkEndpointGroup: [
        maskNeg('apis-mask-usc1', 'us-central1', '<gateway>.api.acme.example'),
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', {}, 'other-proj'),
      ],
      backendService: [
        backendService('apigw-bs', {
          backends: [
            negBackend('apis-mask-usc1', 'us-central1'),
            negBackend('orders-neg-usc1', 'us-central1', {}, 'other-proj'),
          ],
        }),
      ],
      gateway: [
        gateway('billing-gw', 'us-central1', 'orders/configs/orders-v7'),
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v8'),
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {}, 'other-proj'),
      ],
    },
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        message: /3 gateways .* serve 3 different API configs/,
        evidence: {
          regions: {
            'us-central1': { gateway: fullName('locations/us-central1/gateways/billing-gw') },
            'us-central1/orders-gw': { gateway: fullName('locations/us-central1/gateways/orders-gw') },
            [fullName('locations/us-central1/gateways/orders-gw', 'other-proj')]: {
              apiConfig: 'projects/other-proj/locations/global/apis/orders/configs/orders-v7',
            },
          },
        },
      },
    ],
  },
  {
    name: 'same config ID but a different API counts as different',
    records: {
      ...MULTI_REGION,
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/v1'),
        gateway('orders-gw', 'europe-west2', 'billing/configs/v1'),
      ],
    },
    resource: SERVICE,
    expected: 'fail',
  },
  {
    name: 'a single region',
    records: {
      networkEndpointGroup: [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw')],
      backendService: [
        backendService('apigw-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
      ],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: SERVICE,
    expected: 'pass',
  },
  {
    name: 'a Cloud Run backend reaches no gateway',
    records: {
      networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders')],
      backendService: [backendService('apigw-bs', { backends: [negBackend('run-neg', 'us-central1')] })],
    },
    resource: SERVICE,
    expected: 'not-applicable',
  },
  {
    name: 'a VM backend service is not fronting',
    records: {
      networkEndpointGroup: [zonalNeg('vm-neg', 'us-central1-a')],
      backendService: [
        backendService('apigw-bs', {
          backends: [
            {
              group:
                'https://www.googleapis.com/compute/v1/projects/acme-edge/zones/us-central1-a/networkEndpointGroups/vm-neg',
            },
          ],
        }),
      ],
    },
    resource: SERVICE,
    expected: 'not-applicable',
  },
]);
