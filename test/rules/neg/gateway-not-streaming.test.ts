import { negGatewayNotStreaming } from '../../../src/rules/neg/gateway-not-streaming.js';
import { apiGatewayNeg, cloudRunNeg, fullName, gateway, maskNeg } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const NEG_RECORD = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');
const MASK_NEG = fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1');
const MASK_RECORD = maskNeg('apis-mask-usc1', 'us-central1', '<gateway>.api.acme.example');
const STREAMING = {
  streamingMode: 'STREAMING_MODE_ENABLED',
  effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_ENABLED',
};

testRule(negGatewayNotStreaming, [
  {
    name: 'a mask NEG reaching a streaming gateway: one result per reached gateway, keyed by gateway ID',
    records: {
      networkEndpointGroup: [MASK_RECORD],
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', STREAMING),
        gateway('billing-gw', 'us-central1', 'billing/configs/billing-v2'),
        gateway('chat-gw', 'europe-west2', 'chat/configs/chat-v1', STREAMING),
      ],
    },
    resource: MASK_NEG,
    expected: [
      {
        status: 'pass',
        subKey: 'billing-gw',
        evidence: { gateway: fullName('locations/us-central1/gateways/billing-gw') },
      },
      {
        status: 'fail',
        subKey: 'orders-gw',
        message: /apis-mask-usc1.*orders-gw.*streaming enabled/,
        evidence: {
          gateway: fullName('locations/us-central1/gateways/orders-gw'),
          effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_ENABLED',
          urlMask: '<gateway>.api.acme.example',
          directUrl: 'https://orders-gw-8k2j4h1q.uc.gateway.dev',
        },
      },
    ],
  },
  {
    name: 'a mask NEG reaching two streaming gateways: two findings',
    records: {
      networkEndpointGroup: [MASK_RECORD],
      gateway: [
        gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', STREAMING),
        gateway('billing-gw', 'us-central1', 'billing/configs/billing-v2', STREAMING),
      ],
    },
    resource: MASK_NEG,
    expected: [
      { status: 'fail', subKey: 'billing-gw' },
      { status: 'fail', subKey: 'orders-gw' },
    ],
  },
  {
    name: 'a mask NEG in a region with no gateway reaches none',
    records: {
      networkEndpointGroup: [MASK_RECORD],
      gateway: [gateway('chat-gw', 'europe-west2', 'chat/configs/chat-v1', STREAMING)],
    },
    resource: MASK_NEG,
    expected: 'not-applicable',
  },
  {
    name: 'a NEG naming one gateway keeps no subKey',
    records: {
      networkEndpointGroup: [NEG_RECORD],
      gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', STREAMING)],
    },
    resource: NEG,
    expected: [{ status: 'fail', subKey: null }],
  },
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
