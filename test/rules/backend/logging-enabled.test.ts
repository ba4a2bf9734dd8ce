import { backendLoggingEnabled } from '../../../src/rules/backend/logging-enabled.js';
import { apiGatewayNeg, backendService, fullName, negBackend } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const SERVICE = fullName('global/backendServices/apigw-bs');
const NEG = [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw')];
const BACKENDS = [negBackend('orders-neg-usc1', 'us-central1')];

testRule(backendLoggingEnabled, [
  {
    name: 'logging on at full sample rate',
    records: {
      networkEndpointGroup: NEG,
      backendService: [backendService('apigw-bs', { backends: BACKENDS })],
    },
    resource: SERVICE,
    expected: 'pass',
  },
  {
    name: 'logging explicitly off',
    records: {
      networkEndpointGroup: NEG,
      backendService: [backendService('apigw-bs', { backends: BACKENDS, logConfig: { enable: false } })],
    },
    resource: SERVICE,
    expected: [{ status: 'fail', evidence: { logConfig: { enable: false } } }],
  },
  {
    name: 'no logConfig at all (as the API returns a service created without it)',
    records: {
      networkEndpointGroup: NEG,
      backendService: [backendService('apigw-bs', { backends: BACKENDS, logConfig: undefined })],
    },
    resource: SERVICE,
    expected: [{ status: 'fail', evidence: { logConfig: null } }],
  },
  {
    name: 'a service with no serverless NEG',
    records: { backendService: [backendService('apigw-bs', { logConfig: { enable: false } })] },
    resource: SERVICE,
    expected: 'not-applicable',
  },
]);
