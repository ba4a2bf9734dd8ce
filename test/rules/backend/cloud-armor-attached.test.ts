import { backendCloudArmorAttached } from '../../../src/rules/backend/cloud-armor-attached.js';
import { apiGatewayNeg, backendService, computeLink, fullName, negBackend } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const SERVICE = fullName('global/backendServices/apigw-bs');
const NEG = [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw')];
const BACKENDS = [negBackend('orders-neg-usc1', 'us-central1')];

testRule(backendCloudArmorAttached, [
  {
    name: 'a fronting service with a Cloud Armor policy',
    records: {
      networkEndpointGroup: NEG,
      backendService: [backendService('apigw-bs', { backends: BACKENDS })],
    },
    resource: SERVICE,
    expected: [
      { status: 'pass', evidence: { securityPolicy: computeLink('global/securityPolicies/api-waf') } },
    ],
  },
  {
    name: 'a fronting service without one',
    records: {
      networkEndpointGroup: NEG,
      backendService: [backendService('apigw-bs', { backends: BACKENDS, securityPolicy: undefined })],
    },
    resource: SERVICE,
    expected: [{ status: 'fail', severity: 'MEDIUM', evidence: { securityPolicy: null } }],
  },
  {
    name: 'an edge policy alone is not a backend policy',
    records: {
      networkEndpointGroup: NEG,
      backendService: [
        backendService('apigw-bs', {
          backends: BACKENDS,
          securityPolicy: undefined,
          edgeSecurityPolicy: computeLink('global/securityPolicies/api-edge'),
        }),
      ],
    },
    resource: SERVICE,
    expected: [
      { status: 'fail', evidence: { edgeSecurityPolicy: computeLink('global/securityPolicies/api-edge') } },
    ],
  },
  {
    name: 'a service with no serverless NEG',
    records: { backendService: [backendService('apigw-bs', { securityPolicy: undefined })] },
    resource: SERVICE,
    expected: 'not-applicable',
  },
]);
