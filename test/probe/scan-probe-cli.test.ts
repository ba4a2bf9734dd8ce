// `gatewarden scan --probe`: it takes both the policy switch and the flag, and its results reach the JSON report.
// The policy's allow-list keeps every request of these runs from leaving the machine (refused before DNS).

import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCaptured } from '../cli/capture-io.js';

const ESTATE = 'test/fixtures/estates/orders-edge';

async function policyFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gatewarden-probe-policy-'));
  const path = join(dir, 'policy.yaml');
  await writeFile(path, text);
  return path;
}

const ENABLED_ELSEWHERE = 'probe:\n  enabled: true\n  allowHosts: ["*.probe.test"]\n';

function probeEvidence(stdout: string): unknown[] {
  const report = JSON.parse(stdout) as { findings: { ruleId: string; evidence: { probe?: unknown } }[] };
  return report.findings
    .filter((finding) => finding.ruleId === 'gateway.direct-url-protected')
    .map((finding) => finding.evidence.probe);
}

describe('gatewarden scan --probe', () => {
  test('without probe.enabled in the policy, --probe is bad input (exit 2) and nothing is probed', async () => {
    const run = await runCaptured(['scan', '--estate', ESTATE, '--probe']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--probe needs probe.enabled: true in the policy file');
    expect(run.stderr).not.toMatch(/Probed/);
  });

  test('with both, every fronted gateway is probed and the evidence says what happened', async () => {
    const policy = await policyFile(ENABLED_ELSEWHERE);
    const run = await runCaptured([
      'scan',
      '--estate',
      ESTATE,
      '--policy',
      policy,
      '--probe',
      '--format',
      'json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^Probed \d+ gateways? with 0 requests in \d+ ms$/m);
    const probes = probeEvidence(run.stdout);
    expect(probes.length).toBeGreaterThan(0);
    for (const probe of probes) {
      expect(probe).toMatchObject({
        ran: false,
        reason: expect.stringMatching(/\.gateway\.dev is not on the probe allow-list \(\*\.probe\.test\)/),
      });
    }
  });

  test('the policy switch alone does not probe: the run must ask with --probe', async () => {
    const policy = await policyFile(ENABLED_ELSEWHERE);
    const run = await runCaptured(['scan', '--estate', ESTATE, '--policy', policy, '--format', 'json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('add --probe to call the direct gateway URLs');
    const probes = probeEvidence(run.stdout);
    expect(probes.length).toBeGreaterThan(0);
    for (const probe of probes) {
      expect(probe).toEqual({ ran: false, reason: 'the active probe is off (enable it in the policy file)' });
    }
  });
});
