// The stored-report filters as the report function's query and `gatewarden report`'s flags give them: one parser,
// each caller's own names in the messages.

import { describe, expect, test } from 'vitest';
import {
  parseReportFilters,
  parseReportQuery,
  type ReportFilterName,
  type ReportFilterSyntax,
} from '../../src/app/report-query.js';

const FLAGS: ReportFilterSyntax = { label: (name) => `--${name}`, defaultLimit: 5000, maxLimit: 100_000 };

function parseFlags(values: Partial<Record<ReportFilterName, string>>) {
  return parseReportFilters((name) => values[name], FLAGS);
}

describe('parseReportFilters', () => {
  test.each([
    [
      'nothing given: open and undetermined findings, the default limit',
      {},
      { states: ['open', 'undetermined'], limit: 5000 },
    ],
    [
      'every filter',
      {
        project: 'acme-edge',
        state: 'open,muted,open',
        severity: 'high',
        rule: 'backend.no-port',
        since: '2026-05-01',
        until: '2026-05-02T12:00:00Z',
        limit: '20',
      },
      {
        project: 'acme-edge',
        states: ['open', 'muted'],
        minimumSeverity: 'HIGH',
        ruleId: 'backend.no-port',
        since: '2026-05-01T00:00:00.000Z',
        until: '2026-05-02T12:00:00.000Z',
        limit: 20,
      },
    ],
    [
      'all states, in the report order',
      { state: 'all' },
      { states: ['open', 'undetermined', 'muted', 'resolved'], limit: 5000 },
    ],
    [
      'a project number',
      { project: '314159265358' },
      { project: '314159265358', states: ['open', 'undetermined'], limit: 5000 },
    ],
    [
      'the 29th of February of a leap year, with a zone',
      { since: '2028-02-29', until: '2028-02-29T23:30:00+01:00' },
      {
        states: ['open', 'undetermined'],
        since: '2028-02-29T00:00:00.000Z',
        until: '2028-02-29T22:30:00.000Z',
        limit: 5000,
      },
    ],
    [
      'a bare until date: the end of that day',
      { until: '2026-05-01' },
      { states: ['open', 'undetermined'], until: '2026-05-01T23:59:59.999Z', limit: 5000 },
    ],
  ])('%s', (_name, values, expected) => {
    expect(parseFlags(values)).toEqual(expected);
  });

  test.each([
    ['a project that is not an ID', { project: '../etc' }, '--project "../etc" is not a project ID'],
    [
      'an unknown state',
      { state: 'open,closed' },
      '--state must be open, undetermined, muted, resolved or all (or a comma-separated list), got "closed"',
    ],
    ['an empty state', { state: '' }, '--state must be'],
    ['an unknown severity', { severity: 'urgent' }, '--severity must be one of LOW, MEDIUM, HIGH, CRITICAL'],
    ['a rule that is not an ID', { rule: 'DROP TABLE' }, '--rule "DROP TABLE" is not a rule ID'],
    ['a limit of 0', { limit: '0' }, '--limit must be a whole number from 1 to 100000'],
    ['a limit past the maximum', { limit: '100001' }, '--limit must be'],
    ['a limit that is not whole', { limit: '2.5' }, '--limit must be'],
    ['a time without a zone', { since: '2026-05-01T10:00' }, '--since must be a date'],
    // A review's find: Date.parse rolled these over into March, so they were accepted as other days.
    ['a day February does not have', { since: '2026-02-30' }, '--since must be a date'],
    ['the 31st of February', { until: '2026-02-31' }, '--until must be a date'],
    ['the 31st of February with a time', { since: '2026-02-31T10:00Z' }, '--since must be a date'],
    ['the 29th of February outside a leap year', { since: '2026-02-29' }, '--since must be a date'],
    ['the 31st of April', { until: '2026-04-31T00:00:00+02:00' }, '--until must be a date'],
    ['month 13', { since: '2026-13-01' }, '--since must be a date'],
    ['hour 24', { since: '2026-05-01T24:00Z' }, '--since must be a date'],
    ['minute 60', { since: '2026-05-01T10:60Z' }, '--since must be a date'],
    ['an offset of 24 hours', { since: '2026-05-01T10:00+24:00' }, '--since must be a date'],
    ['since after until', { since: '2026-05-10', until: '2026-05-01' }, '--since is after --until'],
  ])('refuses %s', (_name, values, message) => {
    const parsed = parseFlags(values);
    expect(parsed).toEqual({ problem: expect.stringContaining(message) });
  });

  test('a problem from reading a filter is passed on as it is', () => {
    const parsed = parseReportFilters(
      (name) => (name === 'rule' ? { problem: 'rule may be given once' } : undefined),
      FLAGS,
    );
    expect(parsed).toEqual({ problem: 'rule may be given once' });
  });
});

describe('parseReportQuery', () => {
  test('names the filters as the query does, with its own limits', () => {
    expect(parseReportQuery({})).toEqual({
      format: 'json',
      filters: { states: ['open', 'undetermined'], limit: 1000 },
    });
    expect(parseReportQuery({ format: 'html', state: 'all', project: '' })).toEqual({
      format: 'html',
      filters: { states: ['open', 'undetermined', 'muted', 'resolved'], limit: 1000 },
    });
    expect(parseReportQuery({ limit: '5001' })).toEqual({
      status: 400,
      problem: 'limit must be a whole number from 1 to 5000',
    });
    expect(parseReportQuery({ since: '2026-05-10', until: '2026-05-01' })).toEqual({
      status: 400,
      problem: 'since is after until',
    });
  });

  test.each([
    ['a format it does not serve', { format: 'sarif' }, 'format must be json, html, csv or markdown'],
    ['a filter given twice', { state: ['open', 'muted'] }, 'state may be given once'],
    ['a bad project', { project: '../../etc' }, 'project "../../etc" is not a project ID'],
    ['a bad severity', { severity: 'urgent' }, 'severity must be'],
  ])('refuses %s with a 400', (_name, query, message) => {
    expect(parseReportQuery(query)).toEqual({ status: 400, problem: expect.stringContaining(message) });
  });
});
