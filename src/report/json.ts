// The `--format json` report (DESIGN.md §6): failing results only, with their state, and the scan summary.

import type { Finding } from '../domain/finding.js';
import type { FindingsReport } from './findings-report.js';

/** A finding as the JSON contract prints it (DESIGN.md §6): its state, and the exemption when one mutes it. */
export function jsonFindingOf(finding: Finding): Record<string, unknown> {
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

export function renderJson(report: FindingsReport): string {
  return renderJsonDocument({ findings: report.findings.map(jsonFindingOf), summary: report.summary });
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
