// Use case: the audit report over stored findings (Firestore): filters, each finding's history, the report model;
// shared by `gatewarden report` and the `report` HTTP function so both show the same thing for the same filters.

import type { Finding, FindingState, HistoryRecord } from '../domain/finding.js';
import type { Severity } from '../domain/severity.js';
import type { FindingQueries } from '../ports/finding-queries.js';
import { type ReportModel, reportFromFindings, reportModelJson } from '../report/report-model.js';
import type { Rule } from '../rules/define-rule.js';

export interface StoredReportFilters {
  readonly project?: string;
  readonly states: readonly FindingState[];
  readonly minimumSeverity?: Severity;
  readonly ruleId?: string;
  /** One finding, by its ID: what the report link of an SCC finding (externalUri) names. */
  readonly findingId?: string;
  /** ISO time: findings last seen at or after it (and history from it). */
  readonly since?: string;
  /** ISO time: findings first seen at or before it (and history up to it). */
  readonly until?: string;
  readonly limit: number;
}

export interface StoredReport {
  readonly model: ReportModel;
  /** More findings matched than `limit`. */
  readonly truncated: boolean;
}

// History reads run a few at a time: a report of thousands of findings must not open thousands of streams at once.
const HISTORY_CONCURRENCY = 16;

export async function buildStoredReport(
  store: FindingQueries,
  filters: StoredReportFilters,
  options: { readonly rules: readonly Rule[]; readonly now: Date; readonly title?: string },
): Promise<StoredReport> {
  const until = filters.until === undefined ? undefined : Date.parse(filters.until);
  const warnings: string[] = [];
  const matched = (
    await store.query({
      onUnreadable: (warning) => warnings.push(warning),
      ...(filters.project ? { project: filters.project } : {}),
      states: filters.states,
      ...(filters.minimumSeverity ? { minimumSeverity: filters.minimumSeverity } : {}),
      ...(filters.ruleId ? { ruleId: filters.ruleId } : {}),
      ...(filters.findingId ? { id: filters.findingId } : {}),
      ...(filters.since ? { since: filters.since } : {}),
      // Without `until` the store may stop at limit + 1; with it, filtering happens after the read.
      ...(until === undefined ? { limit: filters.limit + 1 } : {}),
    })
  ).filter((finding) => until === undefined || Date.parse(finding.firstSeenAt ?? '') <= until);
  const truncated = matched.length > filters.limit;
  const findings = matched.slice(0, filters.limit);
  const histories = await readHistories(store, findings, filters);
  const model = reportFromFindings(findings, histories, {
    rules: options.rules,
    now: until !== undefined && until < options.now.getTime() ? new Date(until) : options.now,
    source: describeFilters(filters),
    ...(options.title ? { title: options.title } : {}),
    ...(filters.since ? { since: filters.since } : {}),
    warnings,
  });
  return { model, truncated };
}

async function readHistories(
  store: FindingQueries,
  findings: readonly Finding[],
  filters: StoredReportFilters,
): Promise<Map<string, readonly HistoryRecord[]>> {
  const since = filters.since === undefined ? Number.NEGATIVE_INFINITY : Date.parse(filters.since);
  const until = filters.until === undefined ? Number.POSITIVE_INFINITY : Date.parse(filters.until);
  const histories = new Map<string, readonly HistoryRecord[]>();
  let next = 0;
  const worker = async () => {
    while (next < findings.length) {
      const finding = findings[next++] as Finding;
      const records = await store.history(finding.id);
      histories.set(
        finding.id,
        records.filter((record) => {
          const at = Date.parse(record.at);
          return at >= since && at <= until;
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(HISTORY_CONCURRENCY, findings.length) }, worker));
  return histories;
}

export function describeFilters(filters: StoredReportFilters): string {
  const parts = [
    filters.project ? `project ${filters.project}` : 'all projects',
    `state ${filters.states.join(', ')}`,
    filters.minimumSeverity ? `severity ${filters.minimumSeverity} and above` : '',
    filters.ruleId ? `rule ${filters.ruleId}` : '',
    filters.findingId ? `finding ${filters.findingId}` : '',
    filters.since ? `since ${filters.since}` : '',
    filters.until ? `until ${filters.until}` : '',
  ].filter(Boolean);
  return `Firestore findings: ${parts.join('; ')}`;
}

/** The JSON form both the CLI and the `report` function give: the report model, the filters, and totals. */
export function renderStoredReportJson(report: StoredReport, filters: StoredReportFilters): string {
  const { model, truncated } = report;
  return `${JSON.stringify(
    {
      ...(reportModelJson(model) as object),
      filters: {
        project: filters.project ?? null,
        states: filters.states,
        severity: filters.minimumSeverity ?? null,
        rule: filters.ruleId ?? null,
        ...(filters.findingId ? { finding: filters.findingId } : {}),
        since: filters.since ?? null,
        until: filters.until ?? null,
        limit: filters.limit,
      },
      summary: { total: model.findings.length, truncated, ...model.summary },
    },
    null,
    2,
  )}\n`;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * Whether the date exists and each time part is in range: Date.parse rolls 2026-02-31 over to 3 March (and
 * 2026-02-30 to the 2nd), so a day it accepts is not proof the calendar has it.
 */
function isRealTime(parts: RegExpExecArray): boolean {
  const [year, month, day, hour, minute, second, offsetHour, offsetMinute] = parts
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part))) as [number, ...number[]];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(month ?? 0) - 1] ?? 0;
  return (
    (day ?? 0) >= 1 &&
    (day ?? 0) <= days &&
    (hour ?? 0) <= 23 &&
    (minute ?? 0) <= 59 &&
    (second ?? 0) <= 59 &&
    (offsetHour ?? 0) <= 23 &&
    (offsetMinute ?? 0) <= 59
  );
}

/**
 * `2026-05-01` or an ISO time with a zone -> ISO time; undefined when it is neither. A bare date means the start of
 * that day (UTC) for `since` and its end for `until`, so `--since D --until D` covers the whole day.
 */
export function parseReportTime(text: string, edge: 'start' | 'end'): string | undefined {
  const date = DATE_ONLY.exec(text);
  if (date) {
    if (!isRealTime(date)) return undefined;
    const start = Date.parse(`${text}T00:00:00.000Z`);
    if (Number.isNaN(start)) return undefined;
    return new Date(edge === 'start' ? start : start + 24 * 60 * 60 * 1000 - 1).toISOString();
  }
  const dateTime = DATE_TIME.exec(text);
  if (!dateTime || !isRealTime(dateTime)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
