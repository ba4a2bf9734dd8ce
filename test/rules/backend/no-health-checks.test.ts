import { backendNoHealthChecks } from '../../../src/rules/backend/no-health-checks.js';
import {
  apiGatewayNeg,
  backendService,
  computeLink,
  fullName,
  instanceGroupBackend,
  negBackend,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');
const APIGW_NEG = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');
const TO_APIGW_NEG = [negBackend('orders-neg-usc1', 'us-central1')];
const HEALTH_CHECK = computeLink('global/healthChecks/http-basic');

testRule(backendNoHealthChecks, [
  {
    name: 'no healthChecks field, as the API echoes a serverless service',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG })],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'an empty healthChecks list',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG, healthChecks: [] })],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'a health check left from an instance-group backend',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG, healthChecks: [HEALTH_CHECK] })],
      networkEndpointGroup: [APIGW_NEG],
    },
    resource: BS,
    expected: [
      { status: 'fail', message: /orders-bs.*1 health check/, evidence: { healthChecks: [HEALTH_CHECK] } },
    ],
  },
  {
    name: 'an instance-group service needs its health check: not fronting',
    records: {
      backendService: [
        backendService('vm-bs', {
          backends: [instanceGroupBackend('web', 'us-central1-a')],
          healthChecks: [HEALTH_CHECK],
        }),
      ],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
  {
    name: 'a NEG backend whose NEG is absent from the inventory: not known to be fronting',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG, healthChecks: [HEALTH_CHECK] })],
    },
    resource: BS,
    expected: 'not-applicable',
  },
]);
