import { negGatewayNotStreaming } from '../../../src/rules/neg/gateway-not-streaming.js';
import { apiGatewayNeg, cloudRunNeg, fullName, gateway } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const NEG_RECORD = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');

testRule(negGatewayNotStreaming, [
  {
    name: 'the reached gateway does not stream',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    },
    resource: NEG,
    expected: [{ status: 'pass', evidence: { effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_DISABLED' } }],
  },
  {
    name: 'the reached gateway streams',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {
          streamingMode: 'STREAMING_MODE_ENABLED',
          effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_ENABLED',
        }),
      ],
    },
    resource: NEG,
    expected: [
      {
        status: 'fail',
        message: /orders-neg-usc1.*orders-gw.*streaming enabled/,
        evidence: {
          gateway: fullName('locations/us-central1/gateways/orders-gw'),
          effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_ENABLED',
        },
      },
    ],
  },
  {
    name: 'a gateway read before the API knew streaming (no effectiveStreamingMode)',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', {
          streamingMode: undefined,
          effectiveStreamingMode: undefined,
        }),
      ],
    },
    resource: NEG,
    expected: 'pass',
  },
  {
    name: 'a streaming gateway in another region is not reached',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [
        gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7', {
          effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_ENABLED',
        }),
      ],
    },
    resource: NEG,
    expected: 'not-applicable',
  },
  {
    name: 'the gateway was deleted',
    records: { networkEndpointGroup: [NEG_RECORD] },
    resource: NEG,
    expected: 'not-applicable',
  },
  {
    name: 'a Cloud Run NEG',
    records: { networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders')] },
    resource: fullName('regions/us-central1/networkEndpointGroups/run-neg'),
    expected: 'not-applicable',
  },
]);
