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
  return renderJsonDocument({ findings: report.findings.map(toJsonFinding), summary: report.summary });
}

/** A JSON document as every report prints one: indented by two, bigints as strings, ending in a newline. */
export function renderJsonDocument(document: unknown): string {
  return `${JSON.stringify(document, replaceUnserialisable, 2)}\n`;
}

/**
 * The JSON.stringify replacer for anything holding evidence: evidence is whatever a rule or an API record put
 * there, and a bigint would make JSON.stringify throw, losing the report or the alert.
 */
export function replaceUnserialisable(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
