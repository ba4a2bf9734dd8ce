// The backend rules, keyed by ID.

import type { Rule } from '../define-rule.js';

export const BACKEND_RULES = {} satisfies Record<string, Rule>;
