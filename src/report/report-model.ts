// The audit report model (pure): scans and stored findings with history both turn into it, for every renderer.

import { compareText } from '../domain/compare-text.js';
import type { Finding, FindingState, HistoryRecord, Transition } from '../domain/finding.js';
import { compareSeverityDescending, SEVERITIES, type Severity } from '../domain/severity.js';
import { parseExpiry } from '../engine/exemptions.js';
import type { Remediation, Rule } from '../rules/define-rule.js';
import type { FindingsReport } from './findings-report.js';
import { replaceUnserialisable } from './json.js';
import { formatCount } from './plural.js';
import { shortResource } from './table.js';

export const FINDING_STATES: readonly FindingState[] = ['open', 'undetermined', 'muted', 'resolved'];
export const DEFAULT_EXPIRING_WITHIN_DAYS = 30;
/** The chart covers at most this many days (the most recent ones): a longer range is unreadable anyway. */
export const MAX_CHART_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface ReportHistoryEntry {
  readonly transition: Transition;
  readonly from: FindingState | null;
  readonly to: FindingState;
  readonly severity: Severity;
  readonly at: string;
  readonly message: string;
  /** Who made the change (the audit entry's principal); null from a sweep or a scan. */
  readonly actor: string | null;
  /** The API method of the audit entry; null from a sweep or a scan. */
  readonly method: string | null;
}

export interface ReportExemption {
  readonly reason: string;
  readonly owner: string | null;
  readonly expires: string;
  /** The resource pattern of the policy exemption, when known (scans know it; stored findings do not). */
  readonly pattern: string | null;
}

/** A finding with what the audit formats show beside it: its rule's catalogue entry and its history. */
export interface ReportFinding extends Finding {
  /** The rule's title from the catalogue; the rule ID when the rule is no longer in it. */
  readonly ruleTitle: string;
  /** `project/location/name`, for tables. */
  readonly resourceShort: string;
  /** The always-reachable gateway URL (`evidence.directUrl`) where the finding has one. Attacker-influenced text. */
  readonly directUrl: string | null;
  readonly remediation: Remediation | null;
  /** Oldest first; empty when unknown (a scan has no history). */
  readonly history: readonly ReportHistoryEntry[];
}

export interface StateCounts {
  readonly open: number;
  /** Rules that could not decide (DESIGN.md §3): shown, never counted as passing. */
  readonly undetermined: number;
  readonly muted: number;
  readonly resolved: number;
  readonly total: number;
}

export interface RuleCounts extends StateCounts {
  readonly ruleId: string;
  readonly ruleTitle: string;
  /** The worst severity among this rule's findings. */
  readonly severity: Severity;
}

export interface ReportSummary {
  readonly byState: StateCounts;
  readonly bySeverity: Readonly<Record<Severity, StateCounts>>;
  /** Worst severity first, then by rule ID. */
  readonly byRule: readonly RuleCounts[];
}

export interface ExpiringExemption extends ReportExemption {
  readonly ruleId: string;
  /** Whole days from the report time to the end of the exemption; negative once expired; null when unreadable. */
  readonly daysLeft: number | null;
  readonly findings: readonly {
    readonly id: string;
    readonly resource: string;
    readonly resourceShort: string;
  }[];
}

export interface OpenCountPoint {
  /** `YYYY-MM-DD` (UTC): the count is the findings open at the end of that day (or at report time, today). */
  readonly day: string;
  readonly open: number;
}

export interface ReportRule {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly rationale: string;
  readonly remediation: Remediation;
  readonly references: readonly string[];
}

export interface ReportProblem {
  readonly ruleId: string;
  readonly resource: string;
  readonly message: string;
}

export interface ReportModel {
  readonly title: string;
  readonly generatedAt: string;
  /** What was judged, in words: `estate examples/acme-edge`, `Firestore findings, project acme-edge`. */
  readonly source: string;
  /** Where the findings came from: a scan (one point in time) or stored findings, whose history makes the chart. */
  readonly origin: 'scan' | 'stored';
  /** Most severe first; within a severity open, muted, resolved; then rule, resource, sub-key. */
  readonly findings: readonly ReportFinding[];
  readonly summary: ReportSummary;
  readonly expiringWithinDays: number;
  /** Exemptions that end within `expiringWithinDays` (or already have, or cannot be read), soonest first. */
  readonly expiringExemptions: readonly ExpiringExemption[];
  /** One point per day, oldest first; a single point when there is no history (a scan). */
  readonly openOverTime: readonly OpenCountPoint[];
  /** The catalogue entries of the rules that have findings, by ID: renderers show each remediation once. */
  readonly rules: readonly ReportRule[];
  readonly warnings: readonly string[];
  /** Results a rule could not decide. */
  readonly errors: readonly ReportProblem[];
}

export interface ReportOptions {
  /** The catalogue: titles and remediation come from it. */
  readonly rules: readonly Rule[];
  /** Report time; exemption expiry and the chart's last day are measured from it. */
  readonly now: Date;
  readonly title?: string;
  readonly source?: string;
  readonly expiringWithinDays?: number;
}

export interface StoredReportOptions extends ReportOptions {
  /** First day of the chart (ISO time); the earliest first-seen or history time when absent. */
  readonly since?: string;
  /** What reading the findings left out (a stored finding that cannot be read), shown with the report. */
  readonly warnings?: readonly string[];
}

const DEFAULT_TITLE = 'Gatewarden audit report';

/**
 * Whether the report's summaries count the `undetermined` state: stored findings can be in it, and it is counted
 * where it can occur. A scan's findings are open or muted only; its undecided results are the report's `errors`.
 */
export function hasUndeterminedState(model: Pick<ReportModel, 'origin'>): boolean {
  return model.origin === 'stored';
}

/** The offline path: a scan's findings (open and muted) without history. */
export function reportFromScan(report: FindingsReport, options: ReportOptions): ReportModel {
  const catalogue = catalogueOf(options.rules);
  const findings = report.findings.map((finding) => toReportFinding(catalogue, finding, []));
  return assemble(findings, catalogue, options, {
    origin: 'scan',
    openOverTime: [
      { day: dayOf(options.now.getTime()), open: findings.filter((f) => f.state === 'open').length },
    ],
    warnings: report.summary.warnings,
    errors: report.summary.errors,
  });
}

/** The Firestore path: stored findings and, where read, their history (keyed by finding ID, any order). */
export function reportFromFindings(
  stored: readonly Finding[],
  histories: ReadonlyMap<string, readonly HistoryRecord[]>,
  options: StoredReportOptions,
): ReportModel {
  const catalogue = catalogueOf(options.rules);
  const findings = stored.map((finding) =>
    toReportFinding(
      catalogue,
      finding,
      [...(histories.get(finding.id) ?? [])].sort(compareByTime).map(toHistoryEntry),
    ),
  );
  return assemble(findings, catalogue, options, {
    origin: 'stored',
    openOverTime: countOpenOverTime(findings, options.now, options.since),
    warnings: [...(options.warnings ?? [])],
    errors: [],
  });
}

/**
 * For each day from the first known event (or `since`) to `now`, how many findings were open at the end of it.
 * Open intervals come from the history (state after each transition); a finding without history counts as
 * open from first seen until resolved, and a muted one without history is left out (when it was muted is unknown).
 */
export function countOpenOverTime(
  findings: readonly ReportFinding[],
  now: Date,
  since?: string,
): OpenCountPoint[] {
  const end = now.getTime();
  const intervals = findings.flatMap((finding) => openIntervalsOf(finding, end));
  const sinceMs = since === undefined ? Number.NaN : Date.parse(since);
  let earliest = Number.isNaN(sinceMs) ? end : Math.min(sinceMs, end);
  if (Number.isNaN(sinceMs)) {
    for (const finding of findings) {
      for (const time of [finding.firstSeenAt, ...finding.history.map((entry) => entry.at)]) {
        earliest = Math.min(earliest, parseTime(time) ?? earliest);
      }
    }
  }
  const lastDay = startOfDay(end);
  const firstDay = Math.max(startOfDay(earliest), lastDay - (MAX_CHART_DAYS - 1) * DAY_MS);
  const days = Math.round((lastDay - firstDay) / DAY_MS) + 1;
  // A difference array over days: +1 on the first day an interval covers at its end, -1 on the first it does not.
  const delta = new Array<number>(days + 1).fill(0);
  for (const [start, stop] of intervals) {
    const from = firstDayMeasuredAtOrAfter(start, firstDay, days - 1, end);
    const to = firstDayMeasuredAtOrAfter(stop, firstDay, days - 1, end);
    if (from >= to) continue;
    delta[from] = (delta[from] ?? 0) + 1;
    delta[to] = (delta[to] ?? 0) - 1;
  }
  const points: OpenCountPoint[] = [];
  let open = 0;
  for (let index = 0; index < days; index++) {
    open += delta[index] ?? 0;
    points.push({ day: dayOf(firstDay + index * DAY_MS), open });
  }
  return points;
}

/** The first day whose measuring instant (its last millisecond; `now` for today) is at or after `instant`. */
function firstDayMeasuredAtOrAfter(
  instant: number,
  firstDay: number,
  lastIndex: number,
  now: number,
): number {
  const index = Math.max(0, Math.ceil((instant - firstDay + 1) / DAY_MS) - 1);
  if (index < lastIndex) return index;
  return instant <= now ? lastIndex : lastIndex + 1;
}

function openIntervalsOf(finding: ReportFinding, now: number): [number, number][] {
  if (finding.history.length === 0) {
    if (finding.state === 'muted') return [];
    const start = parseTime(finding.firstSeenAt) ?? parseTime(finding.lastSeenAt);
    if (start === undefined) return [];
    const stop = finding.state === 'resolved' ? (parseTime(finding.resolvedAt) ?? start) : now + 1;
    return stop > start ? [[start, stop]] : [];
  }
  const intervals: [number, number][] = [];
  let openSince: number | undefined;
  for (const entry of finding.history) {
    const at = parseTime(entry.at);
    if (at === undefined) continue;
    if (entry.to === 'open' && openSince === undefined) openSince = at;
    if (entry.to !== 'open' && openSince !== undefined) {
      if (at > openSince) intervals.push([openSince, at]);
      openSince = undefined;
    }
  }
  if (openSince !== undefined) intervals.push([openSince, now + 1]);
  return intervals;
}

function toReportFinding(
  catalogue: ReadonlyMap<string, Rule>,
  finding: Finding,
  history: readonly ReportHistoryEntry[],
): ReportFinding {
  const rule = catalogue.get(finding.ruleId);
  const directUrl = finding.evidence.directUrl;
  return {
    ...finding,
    ruleTitle: rule?.title ?? finding.ruleId,
    resourceShort: shortResource(finding.resource, finding.subKey),
    directUrl: typeof directUrl === 'string' && directUrl !== '' ? directUrl : null,
    remediation: rule?.remediation ?? null,
    history,
  };
}

/** An exemption as the report shows it: owner and pattern always present, null when not known. */
function reportExemptionOf(exemption: NonNullable<Finding['exemption']>): ReportExemption {
  return {
    reason: exemption.reason,
    owner: exemption.owner ?? null,
    expires: exemption.expires,
    pattern: exemption.pattern ?? null,
  };
}

/**
 * The model as `--format json` prints it: each finding with the fields of the report contract, in its order (the
 * stored lifecycle counters and attribution stay out; the exemption always names owner and pattern).
 */
export function reportModelJson(model: ReportModel): unknown {
  return {
    ...model,
    findings: model.findings.map((finding) => ({
      id: finding.id,
      ruleId: finding.ruleId,
      severity: finding.severity,
      state: finding.state,
      resource: finding.resource,
      resourceType: finding.resourceType,
      project: finding.project,
      location: finding.location,
      subKey: finding.subKey,
      message: finding.message,
      evidence: finding.evidence,
      firstSeenAt: finding.firstSeenAt,
      lastSeenAt: finding.lastSeenAt,
      resolvedAt: finding.resolvedAt,
      history: finding.history,
      exemption: finding.exemption ? reportExemptionOf(finding.exemption) : null,
      ruleTitle: finding.ruleTitle,
      resourceShort: finding.resourceShort,
      directUrl: finding.directUrl,
      remediation: finding.remediation,
    })),
  };
}

function toHistoryEntry(record: HistoryRecord): ReportHistoryEntry {
  return {
    transition: record.transition,
    from: record.from,
    to: record.to,
    severity: record.severity,
    at: record.at,
    message: record.message,
    actor: record.change?.actor ?? null,
    method: record.change?.method ?? null,
  };
}

function assemble(
  unsorted: readonly ReportFinding[],
  catalogue: ReadonlyMap<string, Rule>,
  options: ReportOptions,
  extra: Pick<ReportModel, 'origin' | 'openOverTime' | 'warnings' | 'errors'>,
): ReportModel {
  const findings = [...unsorted].sort(compareReportFindings);
  const expiringWithinDays = options.expiringWithinDays ?? DEFAULT_EXPIRING_WITHIN_DAYS;
  const ruleIds = [...new Set(findings.map((finding) => finding.ruleId))].sort(compareText);
  return {
    title: options.title ?? DEFAULT_TITLE,
    generatedAt: options.now.toISOString(),
    source: options.source ?? '',
    findings,
    summary: summarise(findings),
    expiringWithinDays,
    expiringExemptions: findExpiringExemptions(findings, options.now, expiringWithinDays),
    rules: ruleIds.flatMap((id) => {
      const rule = catalogue.get(id);
      return rule
        ? [
            {
              id: rule.id,
              title: rule.title,
              severity: rule.severity,
              rationale: rule.rationale,
              remediation: rule.remediation,
              references: rule.references,
            },
          ]
        : [];
    }),
    ...extra,
  };
}

function summarise(findings: readonly ReportFinding[]): ReportSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, emptyCounts()])) as Record<
    Severity,
    MutableCounts
  >;
  const byState = emptyCounts();
  const byRule = new Map<string, MutableCounts & { ruleId: string; ruleTitle: string; severity: Severity }>();
  for (const finding of findings) {
    count(byState, finding.state);
    count(bySeverity[finding.severity], finding.state);
    let rule = byRule.get(finding.ruleId);
    if (!rule) {
      rule = {
        ...emptyCounts(),
        ruleId: finding.ruleId,
        ruleTitle: finding.ruleTitle,
        severity: finding.severity,
      };
      byRule.set(finding.ruleId, rule);
    }
    // Findings arrive most severe first, so the first one seen carries the rule's worst severity.
    count(rule, finding.state);
  }
  return {
    byState,
    bySeverity,
    byRule: [...byRule.values()].sort(
      (a, b) => compareSeverityDescending(a.severity, b.severity) || compareText(a.ruleId, b.ruleId),
    ),
  };
}

type MutableCounts = { open: number; undetermined: number; muted: number; resolved: number; total: number };

function emptyCounts(): MutableCounts {
  return { open: 0, undetermined: 0, muted: 0, resolved: 0, total: 0 };
}

function count(counts: MutableCounts, state: FindingState): void {
  counts[state] += 1;
  counts.total += 1;
}

function findExpiringExemptions(
  findings: readonly ReportFinding[],
  now: Date,
  withinDays: number,
): ExpiringExemption[] {
  const horizon = now.getTime() + withinDays * DAY_MS;
  const groups = new Map<string, ExpiringExemption & { findings: ExpiringExemption['findings'][number][] }>();
  for (const finding of findings) {
    if (finding.state !== 'muted' || !finding.exemption) continue;
    const exemption = reportExemptionOf(finding.exemption);
    const end = parseExpiry(exemption.expires);
    if (end !== undefined && end > horizon) continue;
    const key = JSON.stringify([
      finding.ruleId,
      exemption.pattern,
      exemption.reason,
      exemption.owner,
      exemption.expires,
    ]);
    let group = groups.get(key);
    if (!group) {
      group = {
        ...exemption,
        ruleId: finding.ruleId,
        daysLeft: end === undefined ? null : Math.floor((end - now.getTime()) / DAY_MS),
        findings: [],
      };
      groups.set(key, group);
    }
    group.findings.push({ id: finding.id, resource: finding.resource, resourceShort: finding.resourceShort });
  }
  // Unreadable expiries first (they never mute anything once re-judged), then soonest first.
  return [...groups.values()].sort(
    (a, b) =>
      (a.daysLeft ?? Number.NEGATIVE_INFINITY) - (b.daysLeft ?? Number.NEGATIVE_INFINITY) ||
      compareText(a.ruleId, b.ruleId) ||
      compareText(a.expires, b.expires),
  );
}

const STATE_ORDER: Readonly<Record<FindingState, number>> = {
  open: 0,
  undetermined: 1,
  muted: 2,
  resolved: 3,
};

export function compareReportFindings(a: ReportFinding, b: ReportFinding): number {
  return (
    compareSeverityDescending(a.severity, b.severity) ||
    STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.resource, b.resource) ||
    compareText(a.subKey ?? '', b.subKey ?? '')
  );
}

function catalogueOf(rules: readonly Rule[]): ReadonlyMap<string, Rule> {
  return new Map(rules.map((rule) => [rule.id, rule]));
}

function compareByTime(a: HistoryRecord, b: HistoryRecord): number {
  return (parseTime(a.at) ?? 0) - (parseTime(b.at) ?? 0);
}

function parseTime(text: string | null): number | undefined {
  if (text === null) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

function startOfDay(instant: number): number {
  return Math.floor(instant / DAY_MS) * DAY_MS;
}

function dayOf(instant: number): string {
  return new Date(startOfDay(instant)).toISOString().slice(0, 10);
}

/**
 * Evidence as JSON for people: indented, with any object or array that fits on one line kept on one line (as
 * Prettier does), which keeps 10,000 findings readable and small. Cut (and said so) past `maxChars`.
 */
export function formatEvidence(evidence: Readonly<Record<string, unknown>>, maxChars = 20_000): string {
  let plain: unknown;
  try {
    // Through JSON first: toJSON, undefined and functions behave as everywhere else; a cycle is reported.
    plain = JSON.parse(JSON.stringify(evidence, replaceUnserialisable) ?? '{}');
  } catch (error) {
    return `(evidence cannot be shown: ${error instanceof Error ? error.message : String(error)})`;
  }
  const text = printJson(plain, '');
  return text.length > maxChars
    ? `${text.slice(0, maxChars)}\n… (${formatCount(text.length - maxChars)} more characters cut: the JSON report holds the full evidence)`
    : text;
}

const JSON_LINE_WIDTH = 80;

function printJson(value: unknown, indent: string): string {
  const flat = printFlat(value);
  if (typeof value !== 'object' || value === null || indent.length + flat.length <= JSON_LINE_WIDTH)
    return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => inner + printJson(item, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{\n${entries
    .map(([key, item]) => `${inner}${JSON.stringify(key)}: ${printJson(item, inner)}`)
    .join(',\n')}\n${indent}}`;
}

function printFlat(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(printFlat).join(', ')}]`;
  const entries = Object.entries(value);
  return entries.length === 0
    ? '{}'
    : `{ ${entries.map(([key, item]) => `${JSON.stringify(key)}: ${printFlat(item)}`).join(', ')} }`;
}
