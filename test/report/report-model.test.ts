import { describe, expect, test } from 'vitest';
import type { FindingState } from '../../src/domain/finding.js';
import {
  countOpenOverTime,
  formatEvidence,
  type ReportFinding,
  type ReportHistoryEntry,
  reportFromFindings,
  reportFromScan,
} from '../../src/report/report-model.js';
import { REPORT_NOW, SAMPLE_FINDINGS, sampleModel } from './report-model-sample.js';
import { FIXED_CLOCK, SAMPLE_RULES, sampleReport } from './table-and-json-sample.js';

describe('reportFromFindings (the Firestore path)', () => {
  const model = sampleModel();

  test('sorts most severe first, then open before muted before resolved', () => {
    expect(model.findings.map((finding) => `${finding.severity} ${finding.state} ${finding.ruleId}`)).toEqual(
      [
        'CRITICAL open gateway.direct-url-protected',
        'HIGH open backend.one-neg-per-region',
        'HIGH open backend.one-neg-per-region',
        'HIGH resolved neg.gateway-exists',
        'MEDIUM muted backend.cloud-armor-attached',
        'MEDIUM muted backend.cloud-armor-attached',
        'LOW open backend.no-port',
      ],
    );
  });

  test('takes titles and remediation from the catalogue it is given', () => {
    const [critical] = model.findings;
    expect(critical?.ruleTitle).toBe('The direct gateway URL cannot be used to bypass the load balancer');
    expect(critical?.remediation?.gcloud).toContain('gcloud api-gateway gateways update');
    expect(model.rules.map((rule) => rule.id)).toEqual([
      'backend.cloud-armor-attached',
      'backend.no-port',
      'backend.one-neg-per-region',
      'gateway.direct-url-protected',
      'neg.gateway-exists',
    ]);
  });

  test('a rule no longer in the catalogue keeps its ID as title and has no remediation', () => {
    const orphan = reportFromFindings(
      SAMPLE_FINDINGS.map((sample) => sample.finding),
      new Map(),
      {
        rules: [],
        now: REPORT_NOW,
      },
    );
    expect(orphan.findings[0]).toMatchObject({
      ruleTitle: 'gateway.direct-url-protected',
      remediation: null,
    });
    expect(orphan.rules).toEqual([]);
  });

  test('the direct gateway URL comes from evidence.directUrl, and only there', () => {
    expect(model.findings.map((finding) => finding.directUrl)).toEqual([
      'https://legacy-gw-3xk2a9bc.uc.gateway.dev',
      `https://evil.example/"><script>document.title='PWNED'</script>`,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  test('history is oldest first, with who and how', () => {
    expect(model.findings[0]?.history.map((entry) => [entry.transition, entry.actor, entry.method])).toEqual([
      ['opened', 'alice@acme.example', 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway'],
      ['escalated', 'bob@acme.example', 'v1.compute.backendServices.setSecurityPolicy'],
    ]);
  });

  test('summary counts by state, severity and rule', () => {
    expect(model.summary.byState).toEqual({ open: 4, undetermined: 0, muted: 2, resolved: 1, total: 7 });
    expect(model.summary.bySeverity.HIGH).toEqual({
      open: 2,
      undetermined: 0,
      muted: 0,
      resolved: 1,
      total: 3,
    });
    expect(model.summary.byRule.map((rule) => [rule.ruleId, rule.severity, rule.total])).toEqual([
      ['gateway.direct-url-protected', 'CRITICAL', 1],
      ['backend.one-neg-per-region', 'HIGH', 2],
      ['neg.gateway-exists', 'HIGH', 1],
      ['backend.cloud-armor-attached', 'MEDIUM', 2],
      ['backend.no-port', 'LOW', 1],
    ]);
  });

  test('lists exemptions that end within 30 days, not later ones', () => {
    expect(model.expiringExemptions).toEqual([
      expect.objectContaining({
        ruleId: 'backend.cloud-armor-attached',
        reason: 'legacy API retires in June (CHG-1142)',
        owner: 'platform-team@acme.example',
        expires: '2026-05-20',
        daysLeft: 16,
        findings: [expect.objectContaining({ resourceShort: 'acme-edge/global/legacy-bs' })],
      }),
    ]);
  });

  test('a wider window lists the later exemption too', () => {
    const wide = reportFromFindings(
      SAMPLE_FINDINGS.map((sample) => sample.finding),
      new Map(),
      {
        rules: [],
        now: REPORT_NOW,
        expiringWithinDays: 180,
      },
    );
    expect(wide.expiringExemptions.map((exemption) => exemption.expires)).toEqual([
      '2026-05-20',
      '2026-09-30',
    ]);
  });

  test('the chart runs from the first recorded day to the report day', () => {
    expect(model.openOverTime[0]).toEqual({ day: '2026-04-01', open: 1 });
    expect(model.openOverTime.at(-1)).toEqual({ day: '2026-05-04', open: 4 });
    expect(model.openOverTime).toHaveLength(34);
    const byDay = Object.fromEntries(model.openOverTime.map((point) => [point.day, point.open]));
    // legacy-bs opened 04-01 and muted 04-02; the gateway opened 04-20; the NEG was open 04-22 .. 04-25.
    expect([byDay['2026-04-02'], byDay['2026-04-20'], byDay['2026-04-22'], byDay['2026-04-25']]).toEqual([
      0, 1, 2, 1,
    ]);
  });
});

describe('reportFromScan (the offline path)', () => {
  const model = reportFromScan(sampleReport(), {
    rules: SAMPLE_RULES,
    now: FIXED_CLOCK.now(),
    source: 'estate x',
  });

  test('every failing result becomes a finding, muted ones with their exemption and pattern', () => {
    expect(model.findings).toHaveLength(7);
    const muted = model.findings.filter((finding) => finding.state === 'muted');
    expect(muted.map((finding) => finding.exemption)).toEqual([
      {
        reason: 'legacy API retires in June (CHG-1142)',
        owner: 'platform-team@acme.example',
        expires: '2026-06-30',
        pattern: '//compute.googleapis.com/projects/acme-edge/global/backendServices/legacy-*',
      },
    ]);
  });

  test('no history, seen at scan time, one chart point, warnings and errors carried', () => {
    expect(model.findings.every((finding) => finding.history.length === 0)).toBe(true);
    expect(model.findings[0]?.lastSeenAt).toBe('2026-05-04T10:00:00.000Z');
    expect(model.openOverTime).toEqual([{ day: '2026-05-04', open: 6 }]);
    expect(model.warnings).toHaveLength(1);
    expect(model.errors.map((error) => error.ruleId)).toEqual(['sample.always-throws']);
  });
});

describe('countOpenOverTime', () => {
  const now = new Date('2026-03-10T12:00:00.000Z');
  const entry = (at: string, to: FindingState): ReportHistoryEntry => ({
    transition: to === 'open' ? 'opened' : to === 'muted' ? 'muted' : 'resolved',
    from: null,
    to,
    severity: 'HIGH',
    at,
    message: '',
    actor: null,
    method: null,
  });
  const finding = (
    state: FindingState,
    history: readonly ReportHistoryEntry[],
    times: Partial<Pick<ReportFinding, 'firstSeenAt' | 'resolvedAt'>> = {},
  ) =>
    ({
      state,
      history,
      firstSeenAt: times.firstSeenAt ?? null,
      lastSeenAt: null,
      resolvedAt: times.resolvedAt ?? null,
    }) as unknown as ReportFinding;

  test.each([
    {
      name: 'opened, resolved, reopened: counted only on the days it ended open',
      findings: [
        finding('open', [
          entry('2026-03-07T10:00:00Z', 'open'),
          entry('2026-03-08T09:00:00Z', 'resolved'),
          entry('2026-03-09T23:00:00Z', 'open'),
        ]),
      ],
      counts: [1, 0, 1, 1],
    },
    {
      name: 'open and resolved the same day is not open at the end of it',
      findings: [
        finding('resolved', [
          entry('2026-03-08T01:00:00Z', 'open'),
          entry('2026-03-08T02:00:00Z', 'resolved'),
        ]),
      ],
      counts: [0, 0, 0],
    },
    {
      name: 'opened today, after midnight, counts today',
      findings: [
        finding('open', [entry('2026-03-07T00:00:00Z', 'resolved'), entry('2026-03-10T11:00:00Z', 'open')]),
      ],
      counts: [0, 0, 0, 1],
    },
    {
      name: 'without history: open from first seen to resolved; a muted one is left out',
      findings: [
        finding('resolved', [], { firstSeenAt: '2026-03-07T05:00:00Z', resolvedAt: '2026-03-09T05:00:00Z' }),
        finding('open', [], { firstSeenAt: '2026-03-08T05:00:00Z' }),
        finding('muted', [], { firstSeenAt: '2026-03-07T05:00:00Z' }),
      ],
      counts: [1, 2, 1, 1],
    },
    {
      name: 'unreadable times are skipped rather than breaking the chart',
      findings: [finding('open', [entry('not a time', 'open'), entry('2026-03-09T00:00:00Z', 'open')])],
      counts: [1, 1],
    },
  ])('$name', ({ findings, counts }) => {
    expect(countOpenOverTime(findings, now).map((point) => point.open)).toEqual(counts);
  });

  test('`since` fixes the first day; the chart never exceeds 366 days', () => {
    expect(countOpenOverTime([], now, '2026-03-01T00:00:00Z')).toHaveLength(10);
    const old = finding('open', [entry('2020-01-01T00:00:00Z', 'open')]);
    const points = countOpenOverTime([old], now);
    expect(points).toHaveLength(366);
    expect(points.every((point) => point.open === 1)).toBe(true);
  });

  test('10,000 findings opened across a year are all counted open on the last day', () => {
    const many = Array.from({ length: 10_000 }, (_, index) =>
      finding('open', [
        entry(new Date(Date.parse('2025-03-11T00:00:00Z') + index * 3_000_000).toISOString(), 'open'),
      ]),
    );
    const points = countOpenOverTime(many, now);
    expect(points.at(-1)?.open).toBe(10_000);
  });
});

describe('formatEvidence', () => {
  test.each([
    {
      name: 'small objects and arrays stay on one line',
      evidence: { port: 8443, names: ['a', 'b'] },
      text: '{ "port": 8443, "names": ["a", "b"] }',
    },
    { name: 'empty evidence', evidence: {}, text: '{}' },
    {
      name: 'a bigint is shown as its digits',
      evidence: { bytes: 10n ** 20n },
      text: '{ "bytes": "100000000000000000000" }',
    },
    {
      name: 'what does not fit on a line is indented, the parts that fit stay whole',
      evidence: { directUrl: `https://${'x'.repeat(60)}.uc.gateway.dev`, bypassed: ['securityPolicy'] },
      text: `{\n  "directUrl": "https://${'x'.repeat(60)}.uc.gateway.dev",\n  "bypassed": ["securityPolicy"]\n}`,
    },
  ])('$name', ({ evidence, text }) => {
    expect(formatEvidence(evidence)).toBe(text);
    expect(JSON.parse(formatEvidence(evidence))).toEqual(
      JSON.parse(JSON.stringify(evidence, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
    );
  });

  test('past the budget it is cut, and says so', () => {
    const text = formatEvidence({ list: Array.from({ length: 200 }, (_, index) => `item-${index}`) }, 300);
    expect(text.length).toBeLessThan(400);
    expect(text).toMatch(/\n… \([\d,]+ more characters cut: the JSON report holds the full evidence\)$/);
  });

  test('a cycle is reported, not thrown', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatEvidence(cyclic)).toMatch(/^\(evidence cannot be shown: /);
  });
});
