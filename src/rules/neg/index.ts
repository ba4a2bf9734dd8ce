// The NEG rules, keyed by ID.

import type { Rule } from '../define-rule.js';
import { negNoNetworkEndpoints } from './no-network-endpoints.js';

export const NEG_RULES = {
  'neg.no-network-endpoints': negNoNetworkEndpoints,
} satisfies Record<string, Rule>;
