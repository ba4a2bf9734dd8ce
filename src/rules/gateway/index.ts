// The gateway rules, keyed by ID.

import type { Rule } from '../define-rule.js';
import { gatewayApiConfigAuthenticated } from './api-config-authenticated.js';
import { gatewayDirectUrlProtected } from './direct-url-protected.js';

export const GATEWAY_RULES = {
  'gateway.api-config-authenticated': gatewayApiConfigAuthenticated,
  'gateway.direct-url-protected': gatewayDirectUrlProtected,
} satisfies Record<string, Rule>;
