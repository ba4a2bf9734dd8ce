// The `--format csv` report (pure): one row per finding, the columns an auditor files, safe to open in a spreadsheet.

import type { ReportFinding, ReportModel } from './report-model.js';

export const CSV_COLUMNS = [
  'finding_id',
  'rule_id',
  'rule_title',
  'severity',
  'state',
  'project',
  'location',
  'resource',
  'sub_key',
  'message',
  'first_seen',
  'last_seen',
  'resolved_at',
  'exemption_reason',
  'exemption_owner',
  'exemption_expires',
  'remediation_summary',
] as const;

/** RFC 4180: CRLF between records, every record the same number of fields. */
const RECORD_END = '\r\n';

export function renderCsv(model: ReportModel): string {
  const rows = [CSV_COLUMNS, ...model.findings.map(rowOf)];
  return rows.map((row) => row.map(csvCell).join(',')).join(RECORD_END) + RECORD_END;
}

function rowOf(finding: ReportFinding): string[] {
  return [
    finding.id,
    finding.ruleId,
    finding.ruleTitle,
    finding.severity,
    finding.state,
    finding.project,
    finding.location,
    finding.resource,
    finding.subKey ?? '',
    finding.message,
    finding.firstSeenAt ?? '',
    finding.lastSeenAt ?? '',
    finding.resolvedAt ?? '',
    finding.exemption?.reason ?? '',
    finding.exemption?.owner ?? '',
    finding.exemption?.expires ?? '',
    finding.remediation?.summary ?? '',
  ];
}

/**
 * One field: neutralised against formula injection, then quoted per RFC 4180 when it holds a comma, quote or
 * line break. Spreadsheets run a cell starting with = + - @ (or a tab or CR before one) as a formula; a leading
 * single quote makes them show it as text (OWASP "CSV Injection").
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
