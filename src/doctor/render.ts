// The doctor's report as a terminal checklist (one screen: a heading per project, a line per check, the fix under a
// failure) or as JSON for CI.

import type { CheckResult, CheckStatus } from './checks.js';
import type { DoctorReport } from './run-doctor.js';

const MARKS: Readonly<Record<CheckStatus, string>> = { pass: 'ok  ', fail: 'FAIL', warn: 'warn' };
const COLORS: Readonly<Record<CheckStatus, string>> = {
  pass: '\u001b[32m',
  fail: '\u001b[31m',
  warn: '\u001b[33m',
};
const RESET = '\u001b[0m';

export function renderDoctorTable(report: DoctorReport, options: { readonly color?: boolean } = {}): string {
  const byScope = new Map<string, CheckResult[]>();
  for (const check of report.checks) {
    const list = byScope.get(check.scope) ?? [];
    list.push(check);
    byScope.set(check.scope, list);
  }
  const lines: string[] = [];
  for (const [scope, checks] of byScope) {
    lines.push(oneLine(scope));
    for (const check of checks) {
      const mark = options.color
        ? `${COLORS[check.status]}${MARKS[check.status]}${RESET}`
        : MARKS[check.status];
      const detail = check.detail && check.status !== 'pass' ? ` (${oneLine(check.detail)})` : '';
      lines.push(`  ${mark}  ${oneLine(check.title)}${detail}`);
      if (check.fix && check.status !== 'pass') lines.push(`        fix: ${oneLine(check.fix)}`);
    }
    lines.push('');
  }
  const { pass, fail, warn } = report.summary;
  const total = pass + fail + warn;
  lines.push(
    fail === 0
      ? `All ${total} checks pass${warn > 0 ? ` (${warn} with a warning)` : ''}.`
      : `${fail} of ${total} checks fail${warn > 0 ? `, ${warn} warn` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(
    {
      ok: report.summary.fail === 0,
      projects: report.projects,
      checks: report.checks,
      summary: report.summary,
    },
    null,
    2,
  )}\n`;
}

// Names come from the APIs and the deployment file: control characters must not reach the terminal.
function oneLine(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}
