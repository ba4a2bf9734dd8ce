import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { renderCsv } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import {
  isReportFormat,
  REPORT_CONTENT_TYPES,
  REPORT_FORMATS,
  renderReport,
} from '../../src/report/render-report.js';
import { runCaptured } from '../cli/capture-io.js';
import { sampleModel } from './report-model-sample.js';

const ESTATE = 'test/fixtures/estates/orders-edge';
const scratch = await mkdtemp(join(tmpdir(), 'gatewarden-report-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('renderReport', () => {
  const model = sampleModel();

  test.each([
    ['html', renderHtml(model)],
    ['csv', renderCsv(model)],
    ['markdown', renderMarkdown(model)],
  ] as const)('%s is the %s renderer', (format, text) => {
    expect(renderReport(model, format)).toBe(text);
  });

  test('json is the model, each finding in the report contract (matches the golden file)', async () => {
    await expect(renderReport(model, 'json')).toMatchFileSnapshot('./report-model.golden.json');
  });

  test('every format has a content type, and only those are formats', () => {
    expect(Object.keys(REPORT_CONTENT_TYPES).sort()).toEqual([...REPORT_FORMATS].sort());
    expect(REPORT_FORMATS.every(isReportFormat)).toBe(true);
    expect(isReportFormat('xml')).toBe(false);
    expect(isReportFormat('toString')).toBe(false);
  });
});

describe('gatewarden scan --format csv|markdown|html', () => {
  test.each([
    { format: 'csv', start: 'finding_id,rule_id,rule_title,', contains: '\r\n' },
    { format: 'markdown', start: '# Gatewarden audit report\n', contains: '### HIGH (' },
    { format: 'html', start: '<!DOCTYPE html>', contains: 'from test/fixtures/estates/orders-edge' },
  ])('--format $format prints the report on stdout', async ({ format, start, contains }) => {
    const run = await runCaptured(['scan', '--estate', ESTATE, '--format', format]);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith(start)).toBe(true);
    expect(run.stdout).toContain(contains);
    expect(run.stdout).toContain('neg.no-network-endpoints');
  });

  test('--out writes the HTML file; --fail-on still decides the exit code', async () => {
    const out = join(scratch, 'report.html');
    const run = await runCaptured([
      'scan',
      '--estate',
      ESTATE,
      '--format',
      'html',
      '--out',
      out,
      '--fail-on',
      'HIGH',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Wrote \d+ findings to .*report\.html$/m);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('legacy-neg-usc1');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  test('the same estate gives the same CSV twice (the scan time is the report time)', async () => {
    const first = await runCaptured(['scan', '--estate', ESTATE, '--format', 'csv']);
    const second = await runCaptured(['scan', '--estate', ESTATE, '--format', 'csv']);
    const withoutTimes = (text: string) => text.replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, 'T');
    expect(withoutTimes(second.stdout)).toBe(withoutTimes(first.stdout));
  });
});
