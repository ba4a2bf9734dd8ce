// End to end: the real `bin/gatewarden.js` (dist/ built by the global setup) in a child process.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

const run = promisify(execFile);

async function gatewarden(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['bin/gatewarden.js', ...args], {
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface JsonReport {
  findings: { ruleId: string; severity: string; resource: string; state: string; evidence: object }[];
  summary: { findings: number; resources: number; rules: number };
}

describe('bin/gatewarden.js on the orders-edge fixture', () => {
  test('scan --format json --fail-on HIGH: the report on stdout, exit 1', async () => {
    const result = await gatewarden([
      'scan',
      '--estate',
      'test/fixtures/estates/orders-edge',
      '--format',
      'json',
      '--fail-on',
      'HIGH',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.summary.resources).toBe(17);
    expect(report.summary.findings).toBe(report.findings.length);
    expect(report.findings).toContainEqual(
      expect.objectContaining({
        ruleId: 'neg.no-network-endpoints',
        severity: 'HIGH',
        resource:
          '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/legacy-neg-usc1',
        state: 'open',
      }),
    );
    expect(result.stderr).toMatch(
      /^Loaded 17 resources from test\/fixtures\/estates\/orders-edge in \d+ ms$/m,
    );
  });

  test('a missing estate: one line on stderr, exit 2', async () => {
    const result = await gatewarden(['scan', '--estate', 'test/fixtures/estates/missing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'gatewarden scan: test/fixtures/estates/missing: cannot read the estate directory (no such file or directory)\n',
    );
  });
});

describe('bin/gatewarden.js on the acme-edge sample (npm start)', () => {
  test('scan prints a table with findings and exits 0 without --fail-on', async () => {
    const result = await gatewarden(['scan', '--estate', 'examples/acme-edge']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d+ findings: .* across \d+ resources, \d+ rules$/m);
  });

  test('scan --format json --fail-on LOW: findings are sorted most severe first, exit 1', async () => {
    const result = await gatewarden([
      'scan',
      '--estate',
      'examples/acme-edge',
      '--format',
      'json',
      '--fail-on',
      'LOW',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.findings.length).toBeGreaterThan(0);
    const order = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
    const ranks = report.findings.map((finding) => order.indexOf(finding.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    for (const finding of report.findings) {
      expect(finding.resource).toMatch(/^\/\/(compute|apigateway)\.googleapis\.com\/projects\/[^/]+\//);
    }
  });
});
