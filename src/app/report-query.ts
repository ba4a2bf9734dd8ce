// The report endpoint's query string, validated into a format and the stored-report filters (400 with a reason).

import type { FindingState } from '../domain/finding.js';
import { parseSeverity } from '../domain/severity.js';
import { isReportFormat, type ReportFormat } from '../report/render-report.js';
import { parseReportTime, type StoredReportFilters } from './stored-report.js';

const REPORT_LIMIT_DEFAULT = 1000;
const REPORT_LIMIT_MAX = 5000;
const FINDING_STATES: readonly FindingState[] = ['open', 'resolved', 'muted'];
const PROJECT_PATTERN = /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})$/;
const RULE_ID_PATTERN = /^[a-z]+\.[a-z0-9-]+$/;

export interface ReportQuery {
  readonly format: ReportFormat;
  readonly filters: StoredReportFilters;
}

export function parseReportQuery(
  query: Readonly<Record<string, unknown>>,
): ReportQuery | { readonly status: number; readonly problem: string } {
  const single = (name: string): string | undefined | { problem: string } => {
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

  const project = single('project');
  if (typeof project === 'object') return { status: 400, ...project };
  if (project !== undefined && !PROJECT_PATTERN.test(project)) {
    return { status: 400, problem: `project ${JSON.stringify(project.slice(0, 40))} is not a project ID` };
  }
  const state = single('state') ?? 'open';
  if (typeof state === 'object') return { status: 400, ...state };
  const states =
    state === 'all' ? FINDING_STATES : state.split(',').map((part) => part.trim() as FindingState);
  const badState = states.find((part) => !FINDING_STATES.includes(part));
  if (badState !== undefined) {
    return {
      status: 400,
      problem: `state must be open, resolved, muted or all, got ${JSON.stringify(badState.slice(0, 20))}`,
    };
  }
  const severityText = single('severity');
  if (typeof severityText === 'object') return { status: 400, ...severityText };
  const severity = severityText === undefined ? undefined : parseSeverity(severityText);
  if (severityText !== undefined && severity === undefined) {
    return { status: 400, problem: 'severity must be LOW, MEDIUM, HIGH or CRITICAL (the minimum shown)' };
  }
  const ruleId = single('rule');
  if (typeof ruleId === 'object') return { status: 400, ...ruleId };
  if (ruleId !== undefined && !RULE_ID_PATTERN.test(ruleId)) {
    return {
      status: 400,
      problem: `rule ${JSON.stringify(ruleId.slice(0, 60))} is not a rule ID like backend.no-port`,
    };
  }
  const limitText = single('limit');
  if (typeof limitText === 'object') return { status: 400, ...limitText };
  const limit = limitText === undefined ? REPORT_LIMIT_DEFAULT : Number(limitText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > REPORT_LIMIT_MAX) {
    return { status: 400, problem: `limit must be a whole number from 1 to ${REPORT_LIMIT_MAX}` };
  }
  const times: Partial<Record<'since' | 'until', string>> = {};
  for (const name of ['since', 'until'] as const) {
    const text = single(name);
    if (typeof text === 'object') return { status: 400, ...text };
    if (text === undefined) continue;
    const time = parseReportTime(text, name === 'since' ? 'start' : 'end');
    if (time === undefined) {
      return { status: 400, problem: `${name} must be a date (2026-05-01) or an ISO time with a zone` };
    }
    times[name] = time;
  }
  if (times.since && times.until && times.since > times.until) {
    return { status: 400, problem: 'since is after until' };
  }
  return {
    format,
    filters: {
      ...(project ? { project } : {}),
      states: [...new Set(states)],
      ...(severity ? { minimumSeverity: severity } : {}),
      ...(ruleId ? { ruleId } : {}),
      ...times,
      limit,
    },
  };
}
