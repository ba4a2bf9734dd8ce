import { gatewayApiConfigAuthenticated } from '../../../src/rules/gateway/api-config-authenticated.js';
import { apiConfig, backendService, fullName, gateway, maskNeg, negBackend } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';
import { ALLOW_ALL_SPEC, frontedGateway, GATEWAY, OPEN_HEALTH_SPEC, URL_MASK } from './fixtures.js';

testRule(gatewayApiConfigAuthenticated, [
  {
    name: 'a gateway fronted only through a mask NEG is judged, with the mask as evidence',
    records: frontedGateway({ spec: OPEN_HEALTH_SPEC, mask: true }),
    resource: GATEWAY,
    expected: [
      {
        status: 'fail',
        evidence: {
          unauthenticated: ['GET /health'],
          reachedByMask: [
            { neg: fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'), urlMask: URL_MASK },
          ],
        },
      },
    ],
  },
  {
    name: 'a mask NEG of another project does not front the gateway',
    records: {
      ...frontedGateway({ spec: OPEN_HEALTH_SPEC }),
      networkEndpointGroup: [maskNeg('apis-mask-usc1', 'us-central1', URL_MASK, {}, 'acme-api')],
      backendService: [
        backendService(
          'apis-bs',
          { backends: [negBackend('apis-mask-usc1', 'us-central1', {}, 'acme-api')] },
          { project: 'acme-api' },
        ),
      ],
    },
    resource: GATEWAY,
    expected: 'not-applicable',
  },
  {
    name: 'a fronted gateway whose config requires an API key everywhere',
    records: frontedGateway(),
    resource: GATEWAY,
    expected: [{ status: 'pass', evidence: { unauthenticated: [], allowAll: false } }],
  },
  {
    name: 'one operation opts out with security: []',
    records: frontedGateway({ spec: OPEN_HEALTH_SPEC }),
    resource: GATEWAY,
    expected: [{ status: 'fail', severity: 'HIGH', evidence: { unauthenticated: ['GET /health'] } }],
  },
  {
    name: 'x-google-allow: all fails even when every listed operation is authenticated',
    records: frontedGateway({ spec: ALLOW_ALL_SPEC }),
    resource: GATEWAY,
    expected: [
      { status: 'fail', evidence: { unauthenticated: [], allowAll: true }, message: /x-google-allow/ },
    ],
  },
  {
    name: 'the config is referenced by project number and stored under the project ID',
    records: {
      ...frontedGateway({ spec: OPEN_HEALTH_SPEC }),
      gateway: [
        gateway(
          'orders-gw',
          'us-central1',
          'projects/123456789012/locations/global/apis/orders/configs/orders-v7',
        ),
      ],
    },
    resource: GATEWAY,
    expected: [{ status: 'fail', evidence: { unauthenticated: ['GET /health'] } }],
  },
  {
    name: "another project's config of the same API and config IDs is not the gateway's",
    records: frontedGateway({
      config: apiConfig('orders/configs/orders-v7', OPEN_HEALTH_SPEC, {}, 'acme-dev'),
    }),
    resource: GATEWAY,
    expected: [{ status: 'error', message: /not in the inventory/ }],
  },
  {
    name: "a config stored under a project number the estate cannot map may be the gateway project's",
    records: frontedGateway({
      config: apiConfig('orders/configs/orders-v7', OPEN_HEALTH_SPEC, {}, '999888777666'),
    }),
    resource: GATEWAY,
    expected: [{ status: 'fail', evidence: { unauthenticated: ['GET /health'] } }],
  },
  {
    name: 'a config exported with view=BASIC cannot be judged',
    records: frontedGateway({
      config: { ...apiConfig('orders/configs/orders-v7', '{}'), openapiDocuments: undefined },
    }),
    resource: GATEWAY,
    expected: [{ status: 'error', message: /view=FULL/ }],
  },
  {
    name: 'the config is missing from the inventory',
    records: frontedGateway({ config: null }),
    resource: GATEWAY,
    expected: [{ status: 'error', message: /not in the inventory/ }],
  },
  {
    name: 'a gRPC config cannot be checked here',
    records: frontedGateway({
      config: {
        ...apiConfig('orders/configs/orders-v7', '{}'),
        openapiDocuments: undefined,
        grpcServices: [{ source: [{ path: 'orders.pb', contents: 'CgZvcmRlcnM=' }] }],
      },
    }),
    resource: GATEWAY,
    expected: 'not-applicable',
  },
  {
    name: 'an unfronted gateway (no NEG reaches it)',
    records: { ...frontedGateway({ spec: OPEN_HEALTH_SPEC }), networkEndpointGroup: [], backendService: [] },
    resource: GATEWAY,
    expected: 'not-applicable',
  },
  {
    name: 'a NEG in another region does not front the gateway',
    records: {
      ...frontedGateway({ spec: OPEN_HEALTH_SPEC }),
      gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7')],
    },
    resource: fullName('locations/europe-west2/gateways/orders-gw'),
    expected: 'not-applicable',
  },
]);
