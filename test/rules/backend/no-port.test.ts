import { backendNoPort } from '../../../src/rules/backend/no-port.js';
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

testRule(backendNoPort, [
  {
    name: 'port 80 and portName http, as the API echoes by default',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG })],
      networkEndpointGroup: NEGS,
    },
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'no port fields at all',
    records: {
      backendService: [
        backendService('orders-bs', { backends: TO_APIGW_NEG, port: undefined, portName: undefined }),
      ],
      networkEndpointGroup: NEGS,
    },
    resource: BS,
    expected: 'pass',
  },
  {
    name: 'port 443 and portName https copied from an instance-group service',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG, port: 443, portName: 'https' })],
      networkEndpointGroup: NEGS,
    },
    resource: BS,
    expected: [
      {
        status: 'fail',
        message: /orders-bs.*port 443 and portName https/,
        evidence: { port: 443, portName: 'https' },
      },
    ],
  },
  {
    name: 'only a named port',
    records: {
      backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG, portName: 'grpc' })],
      networkEndpointGroup: NEGS,
    },
    resource: BS,
    expected: [{ status: 'fail', evidence: { portName: 'grpc' } }],
  },
  {
    name: 'an instance-group service on port 8080: not fronting',
    records: {
      backendService: [
        backendService('vm-bs', {
          backends: [instanceGroupBackend('web', 'us-central1-a')],
          port: 8080,
          portName: 'web',
        }),
      ],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
