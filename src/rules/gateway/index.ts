// The gateway rules, keyed by ID.

import type { Rule } from '../define-rule.js';

export const GATEWAY_RULES = {} satisfies Record<string, Rule>;
