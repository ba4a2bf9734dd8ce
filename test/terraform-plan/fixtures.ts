// Loads the plan fixtures (test/fixtures/plans/<scenario>/plan.json, as `terraform show -json` prints them).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlan, type TerraformPlan } from '../../src/terraform-plan/plan-file.js';

export const PLANS_DIR = join(import.meta.dirname, '..', 'fixtures', 'plans');

export function planPath(scenario: string): string {
  return join(PLANS_DIR, scenario, 'plan.json');
}

export function loadPlan(scenario: string): TerraformPlan {
  return parsePlan(readFileSync(planPath(scenario), 'utf8'), planPath(scenario));
}
