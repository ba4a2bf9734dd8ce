// The drift rules, keyed by ID.

import type { Rule } from '../define-rule.js';
import { driftMatchesBaseline } from './matches-baseline.js';

export const DRIFT_RULES = {
  'drift.matches-baseline': driftMatchesBaseline,
} satisfies Record<string, Rule>;
