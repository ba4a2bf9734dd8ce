import { describe, expect, test } from 'vitest';
import { jsonFindingOf, renderJson, renderJsonDocument, renderJsonPieces } from '../../src/report/json.js';
import { sampleReport } from './table-and-json-sample.js';

describe('renderJson', () => {
  test('matches the golden file', async () => {
    await expect(renderJson(sampleReport())).toMatchFileSnapshot('./json.golden.json');
  });

  const document = JSON.parse(renderJson(sampleReport()));

  test('holds exactly findings and summary', () => {
    expect(Object.keys(document)).toEqual(['findings', 'summary']);
  });

  test('each finding carries the contract fields (DESIGN.md §6) and its state', () => {
    for (const finding of document.findings) {
      expect(Object.keys(finding).slice(0, 7)).toEqual([
        'ruleId',
        'severity',
        'resource',
        'subKey',
        'message',
        'evidence',
        'state',
      ]);
      expect(finding.resource).toMatch(/^\/\/(compute|apigateway)\.googleapis\.com\/projects\//);
    }
  });

  test('failing results only: no pass, not-applicable or error result is a finding', () => {
    expect(document.findings).toHaveLength(7);
    expect(document.findings.map((finding: { ruleId: string }) => finding.ruleId)).not.toContain(
      'sample.always-throws',
    );
  });

  test('muted findings carry their exemption; open ones carry none', () => {
    const muted = document.findings.filter((finding: { state: string }) => finding.state === 'muted');
    expect(muted).toEqual([
      expect.objectContaining({
        exemption: {
          reason: 'legacy API retires in June (CHG-1142)',
          expires: '2026-06-30',
          pattern: '//compute.googleapis.com/projects/acme-edge/global/backendServices/legacy-*',
          owner: 'platform-team@acme.example',
        },
      }),
    ]);
    const open = document.findings.filter((finding: { state: string }) => finding.state === 'open');
    expect(open.every((finding: object) => !('exemption' in finding))).toBe(true);
  });

  test('a bigint in evidence does not crash the report', () => {
    const report = sampleReport();
    const [first] = report.findings;
    if (!first) throw new Error('test bug: the sample report has findings');
    const odd = { ...report, findings: [{ ...first, evidence: { bytes: 10n ** 20n } }] };
    expect(JSON.parse(renderJson(odd)).findings[0].evidence).toEqual({ bytes: '100000000000000000000' });
  });
});

describe('renderJsonPieces', () => {
  /** The sample's findings repeated `count` times, each with its own resource. */
  function reportOf(count: number) {
    const report = sampleReport();
    const findings = Array.from({ length: count }, (_, index) => {
      const finding = report.findings[index % report.findings.length];
      if (!finding) throw new Error('test bug: the sample report has findings');
      return { ...finding, resource: `${finding.resource}-${index}` };
    });
    return { ...report, findings };
  }

  test.each([0, 1, 7, 49, 50, 51, 100, 499, 500, 501, 1_000, 1_234])(
    '%i findings: the pieces make the document JSON.stringify prints whole',
    (count) => {
      const report = reportOf(count);
      const whole = renderJsonDocument({
        findings: report.findings.map(jsonFindingOf),
        summary: report.summary,
      });
      const pieces = [...renderJsonPieces(report)];
      expect(pieces.join('')).toBe(whole);
      // Pieces of 50 findings (small enough for V8's young generation), between the opening and the summary.
      expect(pieces.length).toBe(count === 0 ? 1 : Math.ceil(count / 50) + 2);
    },
  );

  test('a bigint in a later piece prints as a string there, the rest unchanged', () => {
    const report = reportOf(700);
    const findings = report.findings.map((finding, index) =>
      index === 650 ? { ...finding, evidence: { bytes: 10n ** 20n } } : finding,
    );
    const document = JSON.parse([...renderJsonPieces({ ...report, findings })].join(''));
    expect(document.findings[650].evidence).toEqual({ bytes: '100000000000000000000' });
    expect(document.findings[649].resource).toBe(findings[649]?.resource);
  });
});
