import { gatewayDirectUrlProtected } from '../../../src/rules/gateway/direct-url-protected.js';
import { apiConfig, fullName, gateway } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';
import {
  ALLOW_ALL_SPEC,
  frontedGateway,
  GATEWAY,
  NO_PROTECTIONS,
  OPEN_HEALTH_SPEC,
  SERVICE,
  URL_MASK,
} from './fixtures.js';

const MASK_NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const OTHER_GATEWAY = fullName('locations/us-central1/gateways/billing-gw');

/** The fronted scenario with a mask NEG, plus billing-gw in the same region, which no NEG names. */
function maskFronting(options: Parameters<typeof frontedGateway>[0] = {}) {
  const records = frontedGateway({ ...options, mask: true });
  return {
    ...records,
    gateway: [...(records.gateway ?? []), gateway('billing-gw', 'us-central1', 'orders/configs/orders-v7')],
  };
}

const DIRECT_URL = 'https://orders-gw-8k2j4h1q.uc.gateway.dev';
const GRPC_CONFIG = {
  ...apiConfig('orders/configs/orders-v7', '{}'),
  openapiDocuments: undefined,
  grpcServices: [{ source: [{ path: 'orders.pb', contents: 'CgZvcmRlcnM=' }] }],
};

testRule(gatewayDirectUrlProtected, [
  {
    name: 'CRITICAL through a mask NEG: Cloud Armor in front, an open operation, no NEG naming the gateway',
    records: maskFronting({ spec: OPEN_HEALTH_SPEC }),
    resource: GATEWAY,
    expected: [
      {
        status: 'fail',
        severity: 'CRITICAL',
        evidence: {
          directUrl: DIRECT_URL,
          backendServices: [{ backendService: SERVICE, bypassed: ['securityPolicy'] }],
          unauthenticated: ['GET /health'],
          reachedByMask: [{ neg: MASK_NEG, urlMask: URL_MASK }],
        },
      },
    ],
  },
  {
    name: 'a mask NEG exposes every gateway of its region, not only the one a NEG would name',
    records: maskFronting({ spec: OPEN_HEALTH_SPEC }),
    resource: OTHER_GATEWAY,
    expected: [
      {
        status: 'fail',
        severity: 'CRITICAL',
        message:
          /billing-gw .*\(fronted through the URL mask "<gateway>\.api\.acme\.example" of NEG orders-neg-usc1\) is reachable directly/,
        evidence: {
          directUrl: 'https://billing-gw-8k2j4h1q.uc.gateway.dev',
          reachedByMask: [{ neg: MASK_NEG, urlMask: URL_MASK }],
        },
      },
    ],
  },
  {
    name: 'a gateway in another region than the mask NEG is not fronted',
    records: {
      ...frontedGateway({ spec: OPEN_HEALTH_SPEC, mask: true }),
      gateway: [gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7')],
    },
    resource: fullName('locations/europe-west2/gateways/orders-gw'),
    expected: 'not-applicable',
  },
  {
    name: 'CRITICAL: Cloud Armor on the LB and an operation open to anyone at the direct URL',
    records: frontedGateway({ spec: OPEN_HEALTH_SPEC }),
    resource: GATEWAY,
    expected: [
      {
        status: 'fail',
        severity: 'CRITICAL',
        evidence: {
          directUrl: DIRECT_URL,
          backendServices: [{ backendService: SERVICE, bypassed: ['securityPolicy'] }],
          bypassed: ['securityPolicy'],
          unauthenticated: ['GET /health'],
          probe: { ran: false },
        },
      },
    ],
  },
  {
    name: 'CRITICAL: IAP and an edge policy bypassed, x-google-allow: all',
    records: frontedGateway({
      spec: ALLOW_ALL_SPEC,
      service: {
        securityPolicy: undefined,
        edgeSecurityPolicy:
          'https://www.googleapis.com/compute/v1/projects/acme-edge/global/securityPolicies/edge',
        iap: { enabled: true },
      },
    }),
    resource: GATEWAY,
    expected: [
      {
        status: 'fail',
        severity: 'CRITICAL',
        evidence: { bypassed: ['edgeSecurityPolicy', 'iap'], allowAll: true },
        message: /bypassing edgeSecurityPolicy, iap/,
      },
    ],
  },
  {
    name: 'CRITICAL: a gRPC config behind Cloud Armor counts as not fully authenticated',
    records: frontedGateway({ config: GRPC_CONFIG }),
    resource: GATEWAY,
    expected: [
      { status: 'fail', severity: 'CRITICAL', evidence: { directUrl: DIRECT_URL, apiConfigKind: 'grpc' } },
    ],
  },
  {
    name: 'HIGH: no LB protections and an operation open to anyone',
    records: frontedGateway({ spec: OPEN_HEALTH_SPEC, service: NO_PROTECTIONS }),
    resource: GATEWAY,
    expected: [
      {
        status: 'fail',
        severity: 'HIGH',
        evidence: {
          directUrl: DIRECT_URL,
          backendServices: [{ backendService: SERVICE, bypassed: [] }],
          bypassed: [],
        },
      },
    ],
  },
  {
    name: 'MEDIUM: fully authenticated, but Cloud Armor is still bypassable by key holders',
    records: frontedGateway(),
    resource: GATEWAY,
    expected: [
      {
        status: 'fail',
        severity: 'MEDIUM',
        evidence: {
          directUrl: DIRECT_URL,
          bypassed: ['securityPolicy'],
          unauthenticated: [],
          allowAll: false,
        },
      },
    ],
  },
  {
    name: 'pass: fully authenticated and nothing at the LB to bypass',
    records: frontedGateway({ service: NO_PROTECTIONS }),
    resource: GATEWAY,
    expected: [{ status: 'pass', evidence: { directUrl: DIRECT_URL, bypassed: [] } }],
  },
  {
    name: 'error: the API config cannot be read',
    records: frontedGateway({
      config: apiConfig('orders/configs/orders-v7', '{}', {
        openapiDocuments: [{ document: { path: 'openapi.yaml', contents: '%%%' } }],
      }),
    }),
    resource: GATEWAY,
    expected: [{ status: 'error', evidence: { directUrl: DIRECT_URL }, message: /not valid base64/ }],
  },
  {
    name: 'not applicable: the gateway is not fronted by a load balancer',
    records: { ...frontedGateway({ spec: OPEN_HEALTH_SPEC }), backendService: [] },
    resource: GATEWAY,
    expected: 'not-applicable',
  },
  {
    name: 'a probe result handed in through the rule context lands in the evidence',
    records: frontedGateway({ spec: OPEN_HEALTH_SPEC, service: NO_PROTECTIONS }),
    resource: GATEWAY,
    probes: {
      [GATEWAY]: {
        ran: true,
        url: `${DIRECT_URL}/health`,
        statusCode: 200,
        answeredUnauthenticated: true,
        probedAt: '2026-05-03T10:00:00Z',
      },
    },
    expected: [
      { status: 'fail', evidence: { probe: { ran: true, statusCode: 200, answeredUnauthenticated: true } } },
    ],
  },
  {
    // A policy file cannot set it (parsePolicy refuses the key); a policy built in code that does is ignored.
    name: 'a probe result in the rule parameters is ignored: only a probe run supplies one',
    records: frontedGateway({ spec: OPEN_HEALTH_SPEC, service: NO_PROTECTIONS }),
    resource: GATEWAY,
    params: {
      probeResults: {
        [GATEWAY]: {
          ran: true,
          url: `${DIRECT_URL}/health`,
          statusCode: 401,
          answeredUnauthenticated: false,
          probedAt: '2026-05-03T10:00:00Z',
        },
      },
    },
    expected: [{ status: 'fail', evidence: { probe: { ran: false } } }],
  },
]);
