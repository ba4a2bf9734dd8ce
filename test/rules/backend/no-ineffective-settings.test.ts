import { expect } from 'vitest';
import { backendNoIneffectiveSettings } from '../../../src/rules/backend/no-ineffective-settings.js';
import {
  apiGatewayNeg,
  backendService,
  fullName,
  instanceGroupBackend,
  negBackend,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');
const NEGS = [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw')];
const TO_APIGW_NEG = [negBackend('orders-neg-usc1', 'us-central1')];
const OUTLIER_DETECTION = { consecutiveErrors: 5, baseEjectionTime: { seconds: 180 } };

function serviceWith(overrides: Record<string, unknown>) {
  return {
    backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG, ...overrides })],
    networkEndpointGroup: NEGS,
  };
}

testRule(backendNoIneffectiveSettings, [
  {
    name: 'defaults as the API echoes them (sessionAffinity NONE)',
    records: serviceWith({}),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'no sessionAffinity at all (NONE)',
    records: serviceWith({ sessionAffinity: undefined }),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'outlier detection on a global external (EXTERNAL_MANAGED) service without IAP',
    records: serviceWith({ outlierDetection: OUTLIER_DETECTION }),
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'cookie session affinity',
    records: serviceWith({ sessionAffinity: 'GENERATED_COOKIE', affinityCookieTtlSec: 3600 }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /orders-bs.*sessionAffinity/,
        evidence: { settings: { sessionAffinity: 'GENERATED_COOKIE' } },
      },
    ],
  },
  {
    name: 'ring hash with a consistent hash on a header',
    records: serviceWith({ localityLbPolicy: 'RING_HASH', consistentHash: { httpHeaderName: 'X-User' } }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        evidence: {
          settings: { localityLbPolicy: 'RING_HASH', consistentHash: { httpHeaderName: 'X-User' } },
        },
      },
    ],
  },
  {
    name: 'outlier detection on a classic (EXTERNAL) service',
    records: serviceWith({ loadBalancingScheme: 'EXTERNAL', outlierDetection: OUTLIER_DETECTION }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        evidence: {
          settings: { outlierDetection: OUTLIER_DETECTION },
          why: { outlierDetection: expect.stringMatching(/classic/) },
        },
      },
    ],
  },
  {
    name: 'outlier detection together with IAP',
    records: serviceWith({
      outlierDetection: OUTLIER_DETECTION,
      iap: { enabled: true, oauth2ClientId: 'client' },
    }),
    resource: BS,
    expected: [{ status: 'fail', evidence: { why: { outlierDetection: expect.stringMatching(/IAP/) } } }],
  },
  {
    name: 'every ineffective setting at once is listed',
    records: serviceWith({
      loadBalancingScheme: 'EXTERNAL',
      sessionAffinity: 'CLIENT_IP',
      localityLbPolicy: 'LEAST_REQUEST',
      consistentHash: { minimumRingSize: 1024 },
      outlierDetection: OUTLIER_DETECTION,
    }),
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /sessionAffinity, localityLbPolicy, consistentHash, outlierDetection/,
      },
    ],
  },
  {
    name: 'an instance-group service with session affinity: not fronting',
    records: {
      backendService: [
        backendService('vm-bs', {
          backends: [instanceGroupBackend('web', 'us-central1-a')],
          sessionAffinity: 'CLIENT_IP',
        }),
      ],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
