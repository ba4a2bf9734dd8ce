// The report endpoint's query string, validated into a format and the stored-report filters (400 with a reason),
// and the filter parsing it shares with `gatewarden report`'s flags.

import type { FindingState } from '../domain/finding.js';
import { isProjectId } from '../domain/resource-name.js';
import { parseSeverity, SEVERITIES } from '../domain/severity.js';
import { isReportFormat, type ReportFormat } from '../report/render-report.js';
import { FINDING_STATES } from '../report/report-model.js';
import { parseReportTime, type StoredReportFilters } from './stored-report.js';

const REPORT_LIMIT_DEFAULT = 1000;
const REPORT_LIMIT_MAX = 5000;
const RULE_ID_PATTERN = /^[a-z]+\.[a-z0-9-]+$/;
/** A finding ID as findingIdOf makes it (SHA-256 hex, 40 characters). */
const FINDING_ID_PATTERN = /^[0-9a-f]{40}$/;

export type ReportFilterName =
  | 'project'
  | 'state'
  | 'severity'
  | 'rule'
  | 'finding'
  | 'since'
  | 'until'
  | 'limit';

/** How a caller names the filters in its messages (`state`, `--state`) and how many findings it allows. */
export interface ReportFilterSyntax {
  readonly label: (name: ReportFilterName) => string;
  readonly defaultLimit: number;
  readonly maxLimit: number;
}

export type ReportFilterProblem = { readonly problem: string };

/**
 * Validates the stored-report filters, each read by name (undefined when not given, a problem when given wrongly);
 * the first bad one becomes the problem, worded with the caller's own names for the filters.
 */
export function parseReportFilters(
  read: (name: ReportFilterName) => string | undefined | ReportFilterProblem,
  syntax: ReportFilterSyntax,
): StoredReportFilters | ReportFilterProblem {
  const { label } = syntax;
  const project = read('project');
  if (typeof project === 'object') return project;
  if (project !== undefined && !isProjectId(project)) {
    return { problem: `${label('project')} ${JSON.stringify(project.slice(0, 40))} is not a project ID` };
  }
  const findingId = read('finding');
  if (typeof findingId === 'object') return findingId;
  if (findingId !== undefined && !FINDING_ID_PATTERN.test(findingId)) {
    return { problem: `${label('finding')} ${JSON.stringify(findingId.slice(0, 60))} is not a finding ID` };
  }
  // Undetermined findings are shown by default: a resource the rules could not judge must not look fine. One finding
  // asked for by ID (an SCC finding's report link) is shown in whatever state it is: resolved ones are linked too.
  const state = read('state') ?? (findingId === undefined ? 'open,undetermined' : 'all');
  if (typeof state === 'object') return state;
  const states =
    state === 'all' ? FINDING_STATES : state.split(',').map((part) => part.trim() as FindingState);
  const badState = states.find((part) => !FINDING_STATES.includes(part));
  if (badState !== undefined) {
    return {
      problem: `${label('state')} must be ${FINDING_STATES.join(', ')} or all (or a comma-separated list), got ${JSON.stringify(badState.slice(0, 20))}`,
    };
  }
  const severityText = read('severity');
  if (typeof severityText === 'object') return severityText;
  const severity = severityText === undefined ? undefined : parseSeverity(severityText);
  if (severityText !== undefined && severity === undefined) {
    return {
      problem: `${label('severity')} must be one of ${SEVERITIES.join(', ')} (the minimum shown), got ${JSON.stringify(severityText.slice(0, 20))}`,
    };
  }
  const ruleId = read('rule');
  if (typeof ruleId === 'object') return ruleId;
  if (ruleId !== undefined && !RULE_ID_PATTERN.test(ruleId)) {
    return {
      problem: `${label('rule')} ${JSON.stringify(ruleId.slice(0, 60))} is not a rule ID like backend.no-port`,
    };
  }
  const limitText = read('limit');
  if (typeof limitText === 'object') return limitText;
  const limit = limitText === undefined ? syntax.defaultLimit : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > syntax.maxLimit) {
    return { problem: `${label('limit')} must be a whole number from 1 to ${syntax.maxLimit}` };
  }
  const times: Partial<Record<'since' | 'until', string>> = {};
  for (const name of ['since', 'until'] as const) {
    const text = read(name);
    if (typeof text === 'object') return text;
    if (text === undefined) continue;
    const time = parseReportTime(text, name === 'since' ? 'start' : 'end');
    if (time === undefined) {
      return { problem: `${label(name)} must be a date (2026-05-01) or an ISO time with a zone` };
    }
    times[name] = time;
  }
  if (times.since && times.until && times.since > times.until) {
    return { problem: `${label('since')} is after ${label('until')}` };
  }
  return {
    ...(project ? { project } : {}),
    states: [...new Set(states)],
    ...(severity ? { minimumSeverity: severity } : {}),
    ...(ruleId ? { ruleId } : {}),
    ...(findingId ? { findingId } : {}),
    ...times,
    limit,
  };
}

export function isReportFilterProblem(
  parsed: StoredReportFilters | ReportFilterProblem,
): parsed is ReportFilterProblem {
  return 'problem' in parsed;
}

export interface ReportQuery {
  readonly format: ReportFormat;
  readonly filters: StoredReportFilters;
}

export function parseReportQuery(
  query: Readonly<Record<string, unknown>>,
): ReportQuery | { readonly status: number; readonly problem: string } {
  const single = (name: string): string | undefined | ReportFilterProblem => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') return { problem: `${name} may be given once` };
    return value;
  };
  const format = single('format') ?? 'json';
  if (typeof format !== 'string') return { status: 400, ...format };
  if (!isReportFormat(format)) {
    return {
      status: 400,
      problem: `format must be json, html, csv or markdown, got ${JSON.stringify(format.slice(0, 20))}`,
    };
  }
  const filters = parseReportFilters(single, {
    label: (name) => name,
    defaultLimit: REPORT_LIMIT_DEFAULT,
    maxLimit: REPORT_LIMIT_MAX,
  });
  if (isReportFilterProblem(filters)) return { status: 400, ...filters };
  return { format, filters };
}
