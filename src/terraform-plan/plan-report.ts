// A plan check as the shared report shape (ScanReport), so the table, JSON and SARIF renderers serve check-plan
// too, with each finding's Terraform address alongside.

import { compareFindings, countBy, graphWarnings, type ScanReport } from '../app/scan.js';
import { SEVERITIES } from '../domain/severity.js';
import { enabledRules, findingOf, type ResultStatus } from '../engine/evaluate.js';
import { DEFAULT_POLICY, type Policy } from '../engine/policy.js';
import type { TerraformPlace } from '../report/sarif.js';
import type { Rule } from '../rules/define-rule.js';
import type { CheckPlanOutcome, PlanResult } from './check-plan.js';

export interface PlanReport extends ScanReport {
  readonly results: readonly PlanResult[];
  /** Each finding's Terraform address (or the planned change that brought it), by finding ID. */
  readonly terraform: ReadonlyMap<string, TerraformPlace>;
  /** Results withdrawn because they rest on values known only after apply. */
  readonly unknownUntilApply: number;
}

export function toPlanReport(
  outcome: CheckPlanOutcome,
  options: { rules: readonly Rule[]; policy?: Policy; now: Date; warnings?: readonly string[] },
): PlanReport {
  const checkedAt = options.now.toISOString();
  const terraform = new Map<string, TerraformPlace>();
  const findings = outcome.results
    .filter((result) => result.status === 'fail')
    .map((result) => {
      const finding = findingOf(result, checkedAt);
      terraform.set(finding.id, {
        ...(result.address ? { address: result.address } : {}),
        ...(result.causedBy ? { causedBy: result.causedBy } : {}),
      });
      return finding;
    })
    .sort(compareFindings);
  const muted = findings.filter((finding) => finding.state === 'muted').length;
  const statuses: readonly ResultStatus[] = ['pass', 'fail', 'not-applicable', 'error'];
  return {
    results: outcome.results,
    findings,
    terraform,
    unknownUntilApply: outcome.results.filter((result) => 'unknownUntilApply' in result.evidence).length,
    summary: {
      scannedAt: checkedAt,
      findings: findings.length,
      open: findings.length - muted,
      muted,
      bySeverity: countBy(SEVERITIES, findings, (finding) => finding.severity),
      byStatus: countBy(statuses, outcome.results, (result) => result.status),
      resources: outcome.planned.resources.filter((resource) => !resource.deleted).length,
      rules: enabledRules(options.rules, options.policy ?? DEFAULT_POLICY).length,
      skipped: outcome.graph.skipped.length,
      warnings: [...(options.warnings ?? []), ...graphWarnings(outcome.graph)],
      errors: outcome.results
        .filter((result) => result.status === 'error')
        .map(({ ruleId, resource, message }) => ({ ruleId, resource, message })),
    },
  };
}
