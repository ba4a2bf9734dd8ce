// The `--format table` report: one line per finding, readable at a glance, then a one-line summary.

import type { Finding } from '../domain/finding.js';
import { parseResourceRef } from '../domain/resource-name.js';
import { SEVERITIES_DESCENDING, type Severity } from '../domain/severity.js';
import type { FindingsReport } from './findings-report.js';
import { formatCount, plural } from './plural.js';

export interface TableOptions {
  /** ANSI colours; the caller decides (a TTY, and NO_COLOR unset). */
  readonly color?: boolean;
}

const SEVERITY_STYLE: Readonly<Record<Severity, string>> = {
  CRITICAL: '1;31',
  HIGH: '31',
  MEDIUM: '33',
  LOW: '36',
};
const DIM = '2';
const BOLD = '1';

export function renderTable(report: FindingsReport, options: TableOptions = {}): string {
  const paint = (style: string, text: string): string =>
    options.color ? `\x1b[${style}m${text}\x1b[0m` : text;
  const lines: string[] = [];
  if (report.findings.length > 0) {
    const rows = report.findings.map((finding) => ({
      finding,
      cells: [
        finding.severity,
        finding.ruleId,
        shortResource(finding.resource, finding.subKey),
        messageOf(finding),
      ],
    }));
    const header = ['SEVERITY', 'RULE', 'RESOURCE', 'MESSAGE'];
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row.cells[column] ?? '').length)),
    );
    const layout = (cells: readonly string[]): string[] =>
      cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)));
    lines.push(paint(BOLD, layout(header).join('  ')));
    for (const { finding, cells } of rows) {
      const [severity = '', ...rest] = layout(cells);
      const line = `${paint(SEVERITY_STYLE[finding.severity], severity)}  ${rest.join('  ')}`;
      lines.push(
        finding.state === 'muted' ? paint(DIM, line.replaceAll('\x1b[0m', `\x1b[0m\x1b[${DIM}m`)) : line,
      );
    }
    lines.push('');
  }
  lines.push(paint(BOLD, summaryLine(report)));
  if (report.summary.errors.length > 0) {
    const count = report.summary.errors.length;
    lines.push('', paint('31', `${count} ${count === 1 ? 'result' : 'results'} could not be judged:`));
    for (const error of report.summary.errors) {
      lines.push(`  ${error.ruleId}  ${shortResource(error.resource, null)}  ${oneLine(error.message)}`);
    }
  }
  if (report.summary.warnings.length > 0) {
    lines.push('');
    for (const warning of report.summary.warnings) lines.push(paint('33', `warning: ${oneLine(warning)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** `12 findings: 1 CRITICAL, 5 HIGH, 4 MEDIUM, 2 LOW (1 muted) across 48 resources, 22 rules`. */
export function summaryLine(report: FindingsReport): string {
  const { summary } = report;
  const scope = `across ${plural(summary.resources, 'resource')}, ${plural(summary.rules, 'rule')}`;
  if (summary.findings === 0) return `No findings ${scope}`;
  const counts = SEVERITIES_DESCENDING.filter((severity) => summary.bySeverity[severity] > 0)
    .map((severity) => `${formatCount(summary.bySeverity[severity])} ${severity}`)
    .join(', ');
  const muted = summary.muted > 0 ? ` (${formatCount(summary.muted)} muted)` : '';
  return `${plural(summary.findings, 'finding')}: ${counts}${muted} ${scope}`;
}

/** `project/location/name` (an API config: `project/global/api/config`), with the sub-key when there is one. */
export function shortResource(fullName: string, subKey: string | null): string {
  const ref = parseResourceRef(fullName);
  const name = ref
    ? `${ref.project}/${ref.location}/${ref.collection === 'configs' ? `${ref.path.split('/')[3]}/${ref.name}` : ref.name}`
    : fullName;
  return oneLine(subKey ? `${name} (${subKey})` : name);
}

function messageOf(finding: Finding): string {
  const mark = finding.exemption
    ? `[muted until ${finding.exemption.expires}: ${finding.exemption.reason}] `
    : '';
  return oneLine(`${mark}${finding.message}`);
}

// Names and messages come from the estate: control characters (an ANSI escape in a description) must not
// reach the terminal, and a newline would break the one-line-per-finding layout.
function oneLine(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}
