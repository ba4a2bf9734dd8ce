// The `--format markdown` report (pure): summary tables, then findings by severity, for pull requests and wikis.

import { SEVERITIES_DESCENDING } from '../domain/severity.js';
import { formatCount } from './plural.js';
import {
  type ExpiringExemption,
  formatEvidence,
  hasUndeterminedState,
  type ReportFinding,
  type ReportHistoryEntry,
  type ReportModel,
  type StateCounts,
} from './report-model.js';

export function renderMarkdown(model: ReportModel): string {
  const blocks: string[] = [
    `# ${escapeMarkdown(model.title)}`,
    `Generated ${escapeMarkdown(model.generatedAt)}${model.source ? ` from ${escapeMarkdown(model.source)}` : ''}.`,
    ...summaryBlocks(model),
    ...expiringBlocks(model),
    ...findingBlocks(model),
    ...remediationBlocks(model),
    ...problemBlocks(model),
  ];
  return `${blocks.join('\n\n')}\n`;
}

function summaryBlocks(model: ReportModel): string[] {
  const { summary } = model;
  // Stored findings may be undetermined (DESIGN.md §3), and must be seen; a scan's findings are open or muted, its
  // undecided results listed under "Could not judge".
  const undetermined = hasUndeterminedState(model);
  const stateCells = (counts: StateCounts): number[] =>
    undetermined
      ? [counts.open, counts.undetermined, counts.muted, counts.resolved]
      : [counts.open, counts.muted, counts.resolved];
  const stateTitles = undetermined
    ? ['Open', 'Undetermined', 'Muted', 'Resolved']
    : ['Open', 'Muted', 'Resolved'];
  const numberColumns = (count: number): string => '--:|'.repeat(count);
  const countsRow = (label: string, counts: StateCounts): string =>
    row([label, ...[...stateCells(counts), counts.total].map(String)]);
  const bySeverity = [
    row(['Severity', ...stateTitles, 'Total']),
    `|---|${numberColumns(stateTitles.length + 1)}`,
    ...SEVERITIES_DESCENDING.map((severity) => countsRow(severity, summary.bySeverity[severity])),
    countsRow('**All**', summary.byState),
  ].join('\n');
  const blocks = ['## Summary', bySeverity];
  if (summary.byRule.length > 0) {
    blocks.push(
      '### By rule',
      [
        row(['Rule', 'Title', 'Severity', ...stateTitles]),
        `|---|---|---|${numberColumns(stateTitles.length)}`,
        ...summary.byRule.map((rule) =>
          row([
            escapeCell(rule.ruleId),
            escapeCell(rule.ruleTitle),
            rule.severity,
            ...stateCells(rule).map(String),
          ]),
        ),
      ].join('\n'),
    );
  }
  return blocks;
}

function expiringBlocks(model: ReportModel): string[] {
  const heading = `## Exemptions expiring within ${model.expiringWithinDays} days`;
  if (model.expiringExemptions.length === 0) return [heading, 'None.'];
  return [
    heading,
    [
      row(['Expires', 'Days left', 'Rule', 'Reason', 'Owner', 'Findings']),
      '|---|--:|---|---|---|---|',
      ...model.expiringExemptions.map((exemption) =>
        row([
          escapeCell(exemption.expires),
          daysLeftText(exemption),
          escapeCell(exemption.ruleId),
          escapeCell(exemption.reason),
          escapeCell(exemption.owner ?? '—'),
          escapeCell(exemption.findings.map((finding) => finding.resourceShort).join(', ')),
        ]),
      ),
    ].join('\n'),
  ];
}

function findingBlocks(model: ReportModel): string[] {
  if (model.findings.length === 0) return ['## Findings', 'No findings.'];
  const blocks = ['## Findings'];
  for (const severity of SEVERITIES_DESCENDING) {
    const findings = model.findings.filter((finding) => finding.severity === severity);
    if (findings.length === 0) continue;
    blocks.push(`### ${severity} (${formatCount(findings.length)})`);
    for (const finding of findings) blocks.push(findingBlock(finding));
  }
  return blocks;
}

function findingBlock(finding: ReportFinding): string {
  const facts = [
    `- **State:** ${stateText(finding)}`,
    `- **Rule:** ${codeSpan(finding.ruleId)} ${escapeMarkdown(finding.ruleTitle)}`,
    `- **Resource:** ${codeSpan(finding.resource)}${finding.subKey !== null ? ` (${escapeMarkdown(finding.subKey)})` : ''}`,
    `- **Message:** ${escapeMarkdown(finding.message)}`,
    // As code, never as a link: the host comes from the estate.
    ...(finding.directUrl ? [`- **Direct gateway URL:** ${codeSpan(finding.directUrl)}`] : []),
    ...(finding.exemption
      ? [
          `- **Muted:** ${escapeMarkdown(finding.exemption.reason)} (owner ${escapeMarkdown(finding.exemption.owner ?? 'not named')}, until ${escapeMarkdown(finding.exemption.expires)})`,
        ]
      : []),
    `- **Seen:** ${seenText(finding)}`,
    ...(finding.remediation
      ? [
          `- **Fix:** ${escapeMarkdown(finding.remediation.summary)} (commands under Remediation, ${escapeMarkdown(finding.ruleId)})`,
        ]
      : []),
  ];
  const parts = [
    `#### ${escapeMarkdown(finding.resourceShort)}: ${escapeMarkdown(finding.ruleId)}`,
    facts.join('\n'),
    details('Evidence', fenced(formatEvidence(finding.evidence), 'json')),
  ];
  if (finding.history.length > 0) {
    parts.push(details(`History (${finding.history.length})`, historyTable(finding.history)));
  }
  return parts.join('\n\n');
}

function historyTable(history: readonly ReportHistoryEntry[]): string {
  return [
    row(['When', 'Change', 'Severity', 'Who', 'Method']),
    '|---|---|---|---|---|',
    ...history.map((entry) =>
      row([
        escapeCell(entry.at),
        escapeCell(`${entry.transition}: ${entry.from ?? '—'} → ${entry.to}`),
        entry.severity,
        escapeCell(entry.actor ?? (entry.method ? 'unknown' : 'sweep or scan')),
        escapeCell(entry.method ?? '—'),
      ]),
    ),
  ].join('\n');
}

function remediationBlocks(model: ReportModel): string[] {
  if (model.rules.length === 0) return [];
  const blocks = ['## Remediation'];
  for (const rule of model.rules) {
    const { summary, gcloud, terraform } = rule.remediation;
    blocks.push(`### ${escapeMarkdown(rule.id)}: ${escapeMarkdown(rule.title)}`, escapeMarkdown(summary));
    if (gcloud) blocks.push(fenced(gcloud, 'sh'));
    if (terraform) blocks.push(fenced(terraform, 'hcl'));
    if (rule.references.length > 0) {
      blocks.push(rule.references.map((link) => `- ${codeSpan(link)}`).join('\n'));
    }
  }
  return blocks;
}

function problemBlocks(model: ReportModel): string[] {
  const blocks: string[] = [];
  if (model.errors.length > 0) {
    blocks.push(
      '## Could not judge',
      model.errors
        .map(
          (error) =>
            `- ${codeSpan(error.ruleId)} on ${codeSpan(error.resource)}: ${escapeMarkdown(error.message)}`,
        )
        .join('\n'),
    );
  }
  if (model.warnings.length > 0) {
    blocks.push('## Warnings', model.warnings.map((warning) => `- ${escapeMarkdown(warning)}`).join('\n'));
  }
  return blocks;
}

function stateText(finding: ReportFinding): string {
  return finding.state === 'resolved' && finding.resolvedAt
    ? `resolved ${escapeMarkdown(finding.resolvedAt)}`
    : finding.state;
}

function seenText(finding: ReportFinding): string {
  const first = finding.firstSeenAt ? `first ${escapeMarkdown(finding.firstSeenAt)}, ` : '';
  return `${first}last ${escapeMarkdown(finding.lastSeenAt ?? 'unknown')}`;
}

function daysLeftText(exemption: ExpiringExemption): string {
  if (exemption.daysLeft === null) return 'unreadable';
  return exemption.daysLeft < 0 ? 'expired' : String(exemption.daysLeft);
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Collapsible on GitHub and most renderers; the blank lines let the Markdown inside render. */
function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/**
 * Text from the estate as inert inline Markdown: no HTML (entities), no emphasis, code, links or table cell
 * breaks (backslash escapes), no block syntax at its start, no autolinked attacker host, one line.
 */
export function escapeMarkdown(text: string): string {
  return (
    oneLine(text)
      .replace(/[\\`*_[\]|~]/g, '\\$&')
      .replaceAll('&', '&amp;')
      .replaceAll('<', '&lt;')
      .replaceAll('>', '&gt;')
      // A list, heading, quote or setext underline only starts a line; our text may be a line of its own.
      .replace(/^[#+\-=]/, '\\$&')
      .replace(/^(\d+)([.)])/, '$1\\$2')
      // GitHub links bare `https://host` and `www.host`: an escaped colon or dot is not matched.
      .replace(/:\/\//g, '\\://')
      .replace(/\bwww\./gi, (match) => `${match.slice(0, 3)}\\.`)
  );
}

/** A table cell: escaped like any text (pipes included, which is what keeps the row's columns). */
function escapeCell(text: string): string {
  return escapeMarkdown(text);
}

/** Inline code: a delimiter longer than any backtick run inside, so the text cannot close it. */
export function codeSpan(text: string): string {
  const line = oneLine(text);
  const longest = Math.max(0, ...[...line.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** A fenced block whose fence is longer than any backtick run in the text, so the text cannot close it. */
export function fenced(text: string, language: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

function oneLine(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters and line breaks are the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
}
