// The frontend rules, keyed by ID.

import type { Rule } from '../define-rule.js';
import { frontendHttpsOnly } from './https-only.js';
import { frontendModernTls } from './modern-tls.js';

export const FRONTEND_RULES = {
  'frontend.https-only': frontendHttpsOnly,
  'frontend.modern-tls': frontendModernTls,
} satisfies Record<string, Rule>;
