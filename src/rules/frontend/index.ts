// The frontend rules, keyed by ID.

import type { Rule } from '../define-rule.js';

export const FRONTEND_RULES = {} satisfies Record<string, Rule>;
