// `gatewarden report`: the audit report over the findings and history the functions keep in Firestore, filtered,
// in any report format (the same renderers as `scan`, the same JSON as the `report` HTTP function).

import { isReportFilterProblem, parseReportFilters, type ReportFilterName } from '../../app/report-query.js';
import {
  buildStoredReport,
  renderStoredReportJson,
  type StoredReport,
  type StoredReportFilters,
} from '../../app/stored-report.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { FindingQueries } from '../../ports/finding-queries.js';
import { isReportFormat, renderReport } from '../../report/render-report.js';
import type { ReportModel } from '../../report/report-model.js';
import { renderSarif } from '../../report/sarif.js';
import { ALL_RULES } from '../../rules/catalogue.js';
import { GATEWARDEN_VERSION } from '../../version.js';
import { openFirestore } from '../firestore-stores.js';
import { type CliIo, type Command, EXIT_OK, parseFlags, UsageError } from '../io.js';
import { formatFlag, outFileFlag, writeReport } from '../report-output.js';

const USAGE = `Usage: gatewarden report [--project P] [--state open|undetermined|muted|resolved|all] [--severity S] [--rule RULE_ID] [--finding ID]
                         [--since TIME] [--until TIME] [--limit N] [--format table|json|csv|markdown|html|sarif] [--out FILE]

  Reads Firestore as the functions write it: GOOGLE_CLOUD_PROJECT, GATEWARDEN_FIRESTORE_DATABASE, FIRESTORE_EMULATOR_HOST.
  --state      open and undetermined (default), muted, resolved, all, or a comma-separated list
  --severity   the minimum severity shown: LOW, MEDIUM, HIGH or CRITICAL
  --finding    one finding by its ID (any state unless --state is given), as an SCC finding's report link names it
  --since      findings last seen at or after TIME (2026-05-01 or an ISO time); history from then
  --until      findings first seen at or before TIME; history up to then
  --limit      at most N findings (default 5000)
`;

const OPTIONS = {
  project: { type: 'string' },
  state: { type: 'string' },
  severity: { type: 'string' },
  rule: { type: 'string' },
  finding: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string', default: 'table' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const FORMATS = ['table', 'json', 'csv', 'markdown', 'html', 'sarif'] as const;
const DEFAULT_LIMIT = 5000;
const MAX_LIMIT = 100_000;

export interface ReportCommandDeps {
  readonly clock?: Clock;
  /** Where findings are read from; Firestore from the environment when absent (tests inject one). */
  readonly openStore?: (io: CliIo) => Promise<{ store: FindingQueries; close(): Promise<void> }>;
}

export function createReportCommand(deps: ReportCommandDeps = {}): Command {
  const clock = deps.clock ?? systemClock;
  const open = deps.openStore ?? openFirestoreFindings;
  return async (args, io) => {
    const { values } = parseFlags(args, OPTIONS);
    if (values.help) {
      io.stdout.write(USAGE);
      return EXIT_OK;
    }
    const format = formatFlag(values.format ?? 'table', FORMATS);
    const outFile = outFileFlag(values.out);
    const filters = filtersOf(values);
    const { store, close } = await open(io);
    let report: StoredReport;
    try {
      report = await buildStoredReport(store, filters, { rules: ALL_RULES, now: clock.now() });
    } finally {
      await close();
    }
    if (report.truncated) {
      io.stderr.write(
        `warning: more than ${filters.limit} findings match; raise --limit or narrow the filters\n`,
      );
    }
    // Stored findings left out as unreadable: the formats carry them, the terminal is told too (the table has no room).
    for (const warning of report.model.warnings) io.stderr.write(`warning: ${warning}\n`);
    const text = render(report, filters, format);
    if (outFile === undefined) {
      io.stdout.write(text);
    } else {
      await writeReport(outFile, text);
      io.stderr.write(`Wrote ${report.model.findings.length} findings to ${outFile}\n`);
    }
    return EXIT_OK;
  };
}

function render(report: StoredReport, filters: StoredReportFilters, format: string): string {
  if (format === 'json') return renderStoredReportJson(report, filters);
  if (format === 'table') return renderStoredTable(report.model);
  if (format === 'sarif') {
    // Resolved findings are not results; a muted one carries its exemption as a suppression.
    return renderSarif(
      report.model.findings.filter((finding) => finding.state !== 'resolved'),
      { rules: ALL_RULES, toolVersion: GATEWARDEN_VERSION, automationId: 'gatewarden/report/' },
    );
  }
  if (isReportFormat(format)) return renderReport(report.model, format);
  throw new UsageError(`--format ${format} is not available`);
}

function filtersOf(values: Partial<Record<ReportFilterName, string | undefined>>): StoredReportFilters {
  const filters = parseReportFilters((name) => values[name], {
    label: (name) => `--${name}`,
    defaultLimit: DEFAULT_LIMIT,
    maxLimit: MAX_LIMIT,
  });
  if (isReportFilterProblem(filters)) throw new UsageError(filters.problem);
  return filters;
}

// Terminal control characters from estate text (names, messages) must not reach the terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line per finding for a terminal: severity, state, rule, resource, last seen; exemptions spelt out. */
export function renderStoredTable(model: ReportModel): string {
  if (model.findings.length === 0) return `No findings match (${model.source}).\n`;
  const rows = model.findings.map((finding) => [
    finding.severity,
    finding.state,
    finding.ruleId,
    finding.resourceShort,
    finding.lastSeenAt ?? '',
  ]);
  const header = ['SEVERITY', 'STATE', 'RULE', 'RESOURCE', 'LAST SEEN'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => clean(row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => clean(cell).padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [line(header), ...rows.map(line)];
  const muted = model.findings.filter((finding) => finding.state === 'muted' && finding.exemption);
  if (muted.length > 0) {
    lines.push('', 'Muted by exemptions:');
    for (const finding of muted) {
      const exemption = finding.exemption;
      if (!exemption) continue;
      lines.push(
        `  ${clean(finding.ruleId)} ${clean(finding.resourceShort)}: ${clean(exemption.reason)} (owner ${clean(exemption.owner ?? 'unknown')}, expires ${clean(exemption.expires)})`,
      );
    }
  }
  if (model.expiringExemptions.length > 0) {
    lines.push('', `Exemptions ending within ${model.expiringWithinDays} days:`);
    for (const exemption of model.expiringExemptions) {
      const left = exemption.daysLeft === null ? 'unreadable expiry' : `${exemption.daysLeft} days left`;
      lines.push(
        `  ${clean(exemption.ruleId)} expires ${clean(exemption.expires)} (${left}), owner ${clean(exemption.owner ?? 'unknown')}: ${exemption.findings.length} finding(s)`,
      );
    }
  }
  const { byState } = model.summary;
  lines.push(
    '',
    `${byState.total} findings: ${byState.open} open, ${byState.undetermined} undetermined, ${byState.muted} muted, ` +
      `${byState.resolved} resolved`,
  );
  return `${lines.join('\n')}\n`;
}

function clean(text: string): string {
  return text.replace(CONTROL, '?');
}

async function openFirestoreFindings(io: CliIo): Promise<{ store: FindingQueries; close(): Promise<void> }> {
  const db = await openFirestore(io);
  const { createFirestoreStores } = await import('../../adapters/firestore/stores.js');
  return { store: createFirestoreStores(db).findings, close: () => db.terminate() };
}
