// The drift rules, keyed by ID.

import type { Rule } from '../define-rule.js';

export const DRIFT_RULES = {} satisfies Record<string, Rule>;
