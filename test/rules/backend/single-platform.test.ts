import { backendSinglePlatform } from '../../../src/rules/backend/single-platform.js';
import {
  apiGatewayNeg,
  appEngineNeg,
  backendService,
  cloudRunNeg,
  fullName,
  instanceGroupBackend,
  negBackend,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');
const APIGW_NEG = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');
const TO_APIGW_NEG = negBackend('orders-neg-usc1', 'us-central1');

testRule(backendSinglePlatform, [
  {
    name: 'API Gateway NEGs in two regions',
    records: {
      backendService: [
        backendService('orders-bs', {
          backends: [TO_APIGW_NEG, negBackend('orders-neg-euw2', 'europe-west2')],
        }),
      ],
      networkEndpointGroup: [APIGW_NEG, apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw')],
    },
    resource: BS,
    expected: [
      {
        status: 'pass',
        evidence: {
          platforms: {
            'apigateway.googleapis.com': [
              fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'),
              fullName('regions/europe-west2/networkEndpointGroups/orders-neg-euw2'),
            ],
          },
        },
      },
    ],
  },
  {
    name: 'a Cloud Run NEG mixed with an API Gateway NEG',
    records: {
      backendService: [
        backendService('orders-bs', { backends: [TO_APIGW_NEG, negBackend('run-neg', 'europe-west2')] }),
      ],
      networkEndpointGroup: [APIGW_NEG, cloudRunNeg('run-neg', 'europe-west2', 'orders')],
    },
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /orders-bs.*apigateway\.googleapis\.com, run\.googleapis\.com/,
        evidence: {
          platforms: {
            'apigateway.googleapis.com': [
              fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'),
            ],
            'run.googleapis.com': [fullName('regions/europe-west2/networkEndpointGroups/run-neg')],
          },
        },
      },
    ],
  },
  {
    name: 'App Engine and Cloud Run NEGs',
    records: {
      backendService: [
        backendService('web-bs', {
          backends: [negBackend('app-neg', 'us-central1'), negBackend('run-neg', 'europe-west2')],
        }),
      ],
      networkEndpointGroup: [
        appEngineNeg('app-neg', 'us-central1', 'default'),
        cloudRunNeg('run-neg', 'europe-west2', 'web'),
      ],
    },
    resource: fullName('global/backendServices/web-bs'),
    expected: 'fail',
  },
  {
    name: 'a serverless NEG exported with v1 (no target) next to an API Gateway NEG cannot be told apart',
    records: {
      backendService: [
        backendService('orders-bs', {
          backends: [TO_APIGW_NEG, negBackend('orders-neg-euw2', 'europe-west2')],
        }),
      ],
      networkEndpointGroup: [
        APIGW_NEG,
        apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw', { serverlessDeployment: undefined }),
      ],
    },
    resource: BS,
    expected: [
      {
        status: 'pass',
        evidence: {
          platforms: { unknown: [fullName('regions/europe-west2/networkEndpointGroups/orders-neg-euw2')] },
        },
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
