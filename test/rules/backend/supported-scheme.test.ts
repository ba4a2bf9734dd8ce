import { backendSupportedScheme } from '../../../src/rules/backend/supported-scheme.js';
import {
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  fullName,
  instanceGroupBackend,
  negBackend,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');
const REGIONAL_BS = fullName('regions/us-central1/backendServices/orders-bs');
const APIGW_NEG = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');
const TO_APIGW_NEG = [negBackend('orders-neg-usc1', 'us-central1')];

testRule(backendSupportedScheme, [
  {
    name: 'a global external Application Load Balancer service (EXTERNAL_MANAGED)',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG })],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: [{ status: 'pass', evidence: { scope: 'global', loadBalancingScheme: 'EXTERNAL_MANAGED' } }],
  },
  {
    name: 'a classic Application Load Balancer service (EXTERNAL)',
    records: {
      backendService: [
        backendService('orders-bs', { backends: TO_APIGW_NEG, loadBalancingScheme: 'EXTERNAL' }),
      ],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'a regional external service with an API Gateway NEG',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG }, { region: 'us-central1' })],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: REGIONAL_BS,
    expected: [
      {
        status: 'fail',
        message: /Regional backend service orders-bs/,
        evidence: {
          scope: 'regional',
          location: 'us-central1',
          apiGatewayNegs: [fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1')],
        },
      },
    ],
  },
  {
    name: 'a cross-region internal service (INTERNAL_MANAGED, global)',
    records: {
      backendService: [
        backendService('orders-bs', { backends: TO_APIGW_NEG, loadBalancingScheme: 'INTERNAL_MANAGED' }),
      ],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: [
      { status: 'fail', message: /INTERNAL_MANAGED/, evidence: { loadBalancingScheme: 'INTERNAL_MANAGED' } },
    ],
  },
  {
    name: 'a Traffic Director service (INTERNAL_SELF_MANAGED)',
    records: {
      backendService: [
        backendService('orders-bs', { backends: TO_APIGW_NEG, loadBalancingScheme: 'INTERNAL_SELF_MANAGED' }),
      ],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: 'fail',
  },
  {
    name: 'a regional internal service with a Cloud Run NEG (allowed for Cloud Run)',
    records: {
      backendService: [
        backendService(
          'run-bs',
          { backends: [negBackend('run-neg', 'us-central1')], loadBalancingScheme: 'INTERNAL_MANAGED' },
          { region: 'us-central1' },
        ),
      ],
      networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders')],
    },
    resource: fullName('regions/us-central1/backendServices/run-bs'),
    expected: 'not-applicable',
  },
  {
    name: 'an instance-group service',
    records: {
      backendService: [backendService('vm-bs', { backends: [instanceGroupBackend('web', 'us-central1-a')] })],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
