import type { BackendService } from '../../../src/domain/resources.js';
import { backendCdnRespectsAuth } from '../../../src/rules/backend/cdn-respects-auth.js';
import {
  apiConfig,
  backendService,
  cloudRunNeg,
  fullName,
  gateway,
  negBackend,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';
import { AUTHENTICATED_SPEC, frontedGateway, GATEWAY } from '../gateway/fixtures.js';

const SERVICE = fullName('global/backendServices/apigw-bs');
const FORCE_CACHE: Partial<BackendService> = {
  enableCDN: true,
  cdnPolicy: { cacheMode: 'FORCE_CACHE_ALL', defaultTtl: 3600 },
};
const PUBLIC_SPEC =
  'swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths:\n  /catalogue:\n    get: { responses: {} }\n';

/**
 * A force-caching service in front of a URL-mask NEG whose region holds orders-gw, serving a config of `spec`, and
 * billing-gw, whose config the inventory does not hold.
 */
function besideAMissingConfig(spec: string) {
  return {
    ...frontedGateway({ spec, mask: true }),
    gateway: [
      gateway('billing-gw', 'us-central1', 'billing/configs/billing-v1'),
      gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
    ],
    backendService: [
      backendService('apigw-bs', {
        backends: [negBackend('orders-neg-usc1', 'us-central1')],
        ...FORCE_CACHE,
      }),
    ],
  };
}

testRule(backendCdnRespectsAuth, [
  {
    name: 'FORCE_CACHE_ALL in front of a mask NEG whose region holds an API requiring a key',
    records: frontedGateway({ spec: AUTHENTICATED_SPEC, service: FORCE_CACHE, mask: true }),
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        evidence: { gateways: [{ gateway: GATEWAY, authenticated: ['GET /orders'] }] },
      },
    ],
  },
  {
    name: 'CDN off',
    records: frontedGateway(),
    resource: SERVICE,
    expected: [{ status: 'pass', evidence: { enableCDN: false } }],
  },
  {
    name: 'CDN on with origin headers deciding',
    records: frontedGateway({ service: { enableCDN: true, cdnPolicy: { cacheMode: 'USE_ORIGIN_HEADERS' } } }),
    resource: SERVICE,
    expected: 'pass',
  },
  {
    name: 'FORCE_CACHE_ALL in front of an API that requires an API key',
    records: frontedGateway({ spec: AUTHENTICATED_SPEC, service: FORCE_CACHE }),
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        severity: 'HIGH',
        evidence: {
          cacheMode: 'FORCE_CACHE_ALL',
          gateways: [{ gateway: GATEWAY, authenticated: ['GET /orders'] }],
        },
      },
    ],
  },
  {
    name: 'FORCE_CACHE_ALL in front of a fully public catalogue',
    records: frontedGateway({ spec: PUBLIC_SPEC, service: FORCE_CACHE }),
    resource: SERVICE,
    expected: [{ status: 'pass', evidence: { gateways: [] } }],
  },
  {
    name: 'FORCE_CACHE_ALL with an API config that cannot be read',
    records: frontedGateway({
      service: FORCE_CACHE,
      config: { ...apiConfig('orders/configs/orders-v7', '{}'), openapiDocuments: undefined },
    }),
    resource: SERVICE,
    expected: 'error',
  },
  {
    name: 'FORCE_CACHE_ALL in front of an API requiring a key, beside a gateway whose config is missing',
    records: besideAMissingConfig(AUTHENTICATED_SPEC),
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        evidence: {
          gateways: [{ gateway: GATEWAY, authenticated: ['GET /orders'] }],
          unreadable: [
            {
              gateway: fullName('locations/us-central1/gateways/billing-gw'),
              apiConfig: 'projects/acme-edge/locations/global/apis/billing/configs/billing-v1',
            },
          ],
        },
      },
    ],
  },
  {
    name: 'FORCE_CACHE_ALL in front of a public API and a gateway whose config is missing',
    records: besideAMissingConfig(PUBLIC_SPEC),
    resource: SERVICE,
    expected: [{ status: 'error', message: /billing-gw/ }],
  },
  {
    name: 'FORCE_CACHE_ALL in front of Cloud Run only (no gateway to read)',
    records: {
      networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders')],
      backendService: [
        backendService('apigw-bs', { backends: [negBackend('run-neg', 'us-central1')], ...FORCE_CACHE }),
      ],
    },
    resource: SERVICE,
    expected: 'not-applicable',
  },
  {
    name: 'a service with no serverless NEG',
    records: { backendService: [backendService('apigw-bs', FORCE_CACHE)] },
    resource: SERVICE,
    expected: 'not-applicable',
  },
]);
