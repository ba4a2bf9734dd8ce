// A plan check as the shared report shape (ScanReport), so the table and JSON renderers serve check-plan too,
// with each finding's Terraform address alongside.

import { compareFindings, countBy, type ScanFinding, type ScanReport } from '../app/scan.js';
import { isAtLeast, SEVERITIES, type Severity } from '../domain/severity.js';
import { enabledRules, type ResultStatus } from '../engine/evaluate.js';
import { DEFAULT_POLICY, type Policy } from '../engine/policy.js';
import type { Rule } from '../rules/define-rule.js';
import type { CheckPlanOutcome, PlanResult } from './check-plan.js';

export type PlanFinding = ScanFinding & Pick<PlanResult, 'address' | 'causedBy'>;

export interface PlanReport extends ScanReport {
  readonly findings: readonly PlanFinding[];
  readonly results: readonly PlanResult[];
  /** Results withdrawn because they rest on values known only after apply. */
  readonly unknownUntilApply: number;
}

export function toPlanReport(
  outcome: CheckPlanOutcome,
  options: { rules: readonly Rule[]; policy?: Policy; now: Date; warnings?: readonly string[] },
): PlanReport {
  const findings = outcome.results
    .filter((result) => result.status === 'fail')
    .map((result): PlanFinding => ({ ...result, state: result.exemption ? 'muted' : 'open' }))
    .sort(compareFindings);
  const muted = findings.filter((finding) => finding.state === 'muted').length;
  const statuses: readonly ResultStatus[] = ['pass', 'fail', 'not-applicable', 'error'];
  return {
    results: outcome.results,
    findings,
    unknownUntilApply: outcome.results.filter((result) => 'unknownUntilApply' in result.evidence).length,
    summary: {
      scannedAt: options.now.toISOString(),
      findings: findings.length,
      open: findings.length - muted,
      muted,
      bySeverity: countBy(SEVERITIES, findings, (finding) => finding.severity),
      byStatus: countBy(statuses, outcome.results, (result) => result.status),
      resources: outcome.planned.resources.filter((resource) => !resource.deleted).length,
      rules: enabledRules(options.rules, options.policy ?? DEFAULT_POLICY).length,
      skipped: outcome.graph.skipped.length,
      warnings: options.warnings ?? [],
      errors: outcome.results
        .filter((result) => result.status === 'error')
        .map(({ ruleId, resource, message }) => ({ ruleId, resource, message })),
    },
  };
}

export function hasOpenPlanFindingAtOrAbove(report: PlanReport, minimum: Severity): boolean {
  return report.findings.some((finding) => finding.state === 'open' && isAtLeast(finding.severity, minimum));
}
