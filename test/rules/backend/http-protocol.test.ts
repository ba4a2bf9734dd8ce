import { backendHttpProtocol } from '../../../src/rules/backend/http-protocol.js';
import {
  apiGatewayNeg,
  backendService,
  fullName,
  instanceGroupBackend,
  negBackend,
} from '../../support/records.js';
import { type RuleCase, testRule } from '../../support/rule-tester.js';

const BS = fullName('global/backendServices/orders-bs');
const NEGS = [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw')];
const TO_APIGW_NEG = [negBackend('orders-neg-usc1', 'us-central1')];

function withProtocol(protocol: string | undefined) {
  return {
    backendService: [backendService('orders-bs', { backends: TO_APIGW_NEG, protocol })],
    networkEndpointGroup: NEGS,
  };
}

const UNSUPPORTED = ['HTTP2', 'H2C', 'GRPC', 'TCP', 'SSL', 'UDP', 'UNSPECIFIED'];

testRule(backendHttpProtocol, [
  { name: 'HTTPS', records: withProtocol('HTTPS'), resource: BS, expected: 'pass' },
  { name: 'HTTP', records: withProtocol('HTTP'), resource: BS, expected: 'pass' },
  {
    name: 'no protocol: the API default is HTTP',
    records: withProtocol(undefined),
    resource: BS,
    expected: [{ status: 'pass', evidence: { protocol: 'HTTP' } }],
  },
  ...UNSUPPORTED.map(
    (protocol): RuleCase => ({
      name: `${protocol}`,
      records: withProtocol(protocol),
      resource: BS,
      expected: [{ status: 'fail', message: new RegExp(`orders-bs.*${protocol}`), evidence: { protocol } }],
    }),
  ),
  {
    name: 'an instance-group service on TCP: not fronting',
    records: {
      backendService: [
        backendService('vm-bs', {
          backends: [instanceGroupBackend('web', 'us-central1-a')],
          protocol: 'TCP',
        }),
      ],
    },
    resource: fullName('global/backendServices/vm-bs'),
    expected: 'not-applicable',
  },
]);
