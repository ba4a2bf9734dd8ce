import { describe, expect, test } from 'vitest';
import { renderJson } from '../../src/report/json.js';
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
