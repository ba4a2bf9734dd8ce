// The `--format json` report (DESIGN.md §6): failing results only, with their state, and the scan summary.

import type { ScanFinding, ScanReport } from '../app/scan.js';

export interface JsonFinding {
  readonly ruleId: string;
  readonly severity: string;
  /** Full resource name (Cloud Asset Inventory style). */
  readonly resource: string;
  readonly subKey: string | null;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly state: ScanFinding['state'];
  readonly exemption?: ScanFinding['exemption'];
}

export function toJsonFinding(finding: ScanFinding): JsonFinding {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    resource: finding.resource,
    subKey: finding.subKey,
    message: finding.message,
    evidence: finding.evidence,
    state: finding.state,
    ...(finding.exemption ? { exemption: finding.exemption } : {}),
  };
}

export function renderJson(report: ScanReport): string {
  const document = { findings: report.findings.map(toJsonFinding), summary: report.summary };
  return `${JSON.stringify(document, replaceUnserialisable, 2)}\n`;
}

// Evidence is whatever a rule put there; a bigint or a cycle-free oddity must not crash the report.
function replaceUnserialisable(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
