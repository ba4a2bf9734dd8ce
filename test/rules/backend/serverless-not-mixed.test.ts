import { backendServerlessNotMixed } from '../../../src/rules/backend/serverless-not-mixed.js';
import {
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  fullName,
  instanceGroupBackend,
  internetNeg,
  negBackend,
  scopedNegBackend,
  zonalNeg,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');
const APIGW_NEG = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');
const TO_APIGW_NEG = negBackend('orders-neg-usc1', 'us-central1');

testRule(backendServerlessNotMixed, [
  {
    name: 'only API Gateway NEGs in two regions',
    records: {
      backendService: [
        backendService('orders-bs', {
          backends: [TO_APIGW_NEG, negBackend('orders-neg-euw2', 'europe-west2')],
        }),
      ],
      networkEndpointGroup: [APIGW_NEG, apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw')],
    },
    resource: BS,
    expected: [{ status: 'pass', evidence: { other: [] } }],
  },
  {
    name: 'a Cloud Run NEG with an API Gateway NEG is still all serverless (backend.single-platform judges that)',
    records: {
      backendService: [
        backendService('orders-bs', { backends: [TO_APIGW_NEG, negBackend('run-neg', 'europe-west2')] }),
      ],
      networkEndpointGroup: [APIGW_NEG, cloudRunNeg('run-neg', 'europe-west2', 'orders')],
    },
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'an instance group mixed in',
    records: {
      backendService: [
        backendService('orders-bs', {
          backends: [TO_APIGW_NEG, instanceGroupBackend('web', 'us-central1-a')],
        }),
      ],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /orders-bs.*1 other backend/,
        evidence: {
          serverless: [fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1')],
          other: [{ group: fullName('zones/us-central1-a/instanceGroups/web'), type: 'instance group' }],
        },
      },
    ],
  },
  {
    name: 'a zonal VM NEG mixed in',
    records: {
      backendService: [
        backendService('orders-bs', {
          backends: [TO_APIGW_NEG, scopedNegBackend('vm-neg', 'zones/us-central1-a')],
        }),
      ],
      networkEndpointGroup: [APIGW_NEG, zonalNeg('vm-neg', 'us-central1-a')],
    },
    resource: BS,
    expected: [
      {
        status: 'fail',
        evidence: {
          other: [
            { group: fullName('zones/us-central1-a/networkEndpointGroups/vm-neg'), type: 'GCE_VM_IP_PORT' },
          ],
        },
      },
    ],
  },
  {
    name: 'a global internet NEG mixed in',
    records: {
      backendService: [
        backendService('orders-bs', { backends: [TO_APIGW_NEG, scopedNegBackend('origin', 'global')] }),
      ],
      networkEndpointGroup: [APIGW_NEG, internetNeg('origin')],
    },
    resource: BS,
    expected: [{ status: 'fail', evidence: { other: [{ type: 'INTERNET_FQDN_PORT' }] } }],
  },
  {
    name: 'a NEG absent from the inventory cannot be judged, and does not fail alone',
    records: {
      backendService: [
        backendService('orders-bs', {
          backends: [TO_APIGW_NEG, scopedNegBackend('unseen', 'zones/us-east1-b')],
        }),
      ],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: [
      {
        status: 'pass',
        message: /not in the inventory/,
        evidence: { notJudged: [fullName('zones/us-east1-b/networkEndpointGroups/unseen')] },
      },
    ],
  },
  {
    name: 'instance groups only: not fronting',
    records: {
      backendService: [backendService('vm-bs', { backends: [instanceGroupBackend('web', 'us-central1-a')] })],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
