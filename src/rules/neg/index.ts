// The NEG rules, keyed by ID.

import type { Rule } from '../define-rule.js';
import { negGatewayExists } from './gateway-exists.js';
import { negGatewayNotStreaming } from './gateway-not-streaming.js';
import { negGatewaySameRegion } from './gateway-same-region.js';
import { negNoNetworkEndpoints } from './no-network-endpoints.js';

export const NEG_RULES = {
  'neg.no-network-endpoints': negNoNetworkEndpoints,
  'neg.gateway-exists': negGatewayExists,
  'neg.gateway-same-region': negGatewaySameRegion,
  'neg.gateway-not-streaming': negGatewayNotStreaming,
} satisfies Record<string, Rule>;
