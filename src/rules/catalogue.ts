// The rule catalogue: an explicit map of every rule, by ID (RULES.md). No registration by import side effect.

import { BACKEND_RULES } from './backend/index.js';
import type { Rule } from './define-rule.js';
import { DRIFT_RULES } from './drift/index.js';
import { FRONTEND_RULES } from './frontend/index.js';
import { GATEWAY_RULES } from './gateway/index.js';
import { NEG_RULES } from './neg/index.js';

export const CATALOGUE = {
  ...NEG_RULES,
  ...BACKEND_RULES,
  ...GATEWAY_RULES,
  ...FRONTEND_RULES,
  ...DRIFT_RULES,
} satisfies Record<string, Rule>;

export const ALL_RULES: readonly Rule[] = Object.values(CATALOGUE);

export function findRule(id: string): Rule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}
