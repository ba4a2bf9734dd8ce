// `gatewarden scan --project` end to end: the CLI reads the simulator through googleapis and judges what it read.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEstate } from '../../../src/adapters/estate-files/load-estate.js';
import { type Simulator, startSimulator } from '../../../src/simulator/server.js';
import { runCaptured } from '../../cli/capture-io.js';

const ESTATE = 'examples/acme-edge';
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ inventory: (await loadEstate(ESTATE)).inventory });
});

afterAll(async () => {
  await simulator.close();
});

describe('gatewarden scan --project', () => {
  it('finds what a scan of the same estate exported to files finds', async () => {
    const live = await runCaptured([
      'scan',
      '--project',
      'acme-edge',
      '--endpoint',
      simulator.url,
      '--format',
      'json',
    ]);
    const offline = await runCaptured(['scan', '--estate', ESTATE, '--format', 'json']);
    expect(live.code).toBe(0);
    // The simulator writes links with its own base URL where Google writes https://www.googleapis.com/.
    const liveText = live.stdout.replaceAll(`${simulator.url}/`, 'https://www.googleapis.com/');
    // Drift needs the approved baseline, which sits beside the exported files but is no part of a live project.
    const judged = (text: string) =>
      (JSON.parse(text).findings as { ruleId: string }[]).filter(
        (finding) => !finding.ruleId.startsWith('drift.'),
      );
    expect(judged(liveText).length).toBeGreaterThan(10);
    expect(judged(liveText)).toEqual(judged(offline.stdout));
  });

  it('reports resource counts per type and project on stderr, the report alone on stdout', async () => {
    const run = await runCaptured(['scan', '--project', 'acme-edge', '--format', 'json'], {
      env: { GATEWARDEN_API_ENDPOINT: simulator.url },
    });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('gatewarden: acme-edge: 7 backend services\n');
    expect(run.stderr).toContain('gatewarden: acme-edge: 10 API gateways\n');
    expect(run.stderr).toMatch(
      new RegExp(`^Loaded 52 resources from project acme-edge via ${simulator.url}`, 'm'),
    );
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  it('exits 2 with one line naming the project and the missing permission', async () => {
    simulator.setFaults([
      { path: '/v1/projects/acme-edge/locations/-/gateways', status: 403, reason: 'forbidden' },
    ]);
    try {
      const run = await runCaptured(['scan', '--project', 'acme-edge', '--endpoint', simulator.url]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(
        /^gatewarden scan: permission denied in project "acme-edge": .* needs apigateway\.gateways\.list; .*\n$/m,
      );
    } finally {
      simulator.setFaults([]);
    }
  });

  it('works from the built binary, with the --fail-on exit code of the findings', async () => {
    const run = await promisify(execFile)(
      process.execPath,
      [
        'bin/gatewarden.js',
        'scan',
        '--project',
        'acme-edge',
        '--endpoint',
        simulator.url,
        '--fail-on',
        'CRITICAL',
      ],
      { encoding: 'utf8' },
    ).then(
      (done) => ({ code: 0, ...done }),
      (failed: { code: number; stdout: string; stderr: string }) => failed,
    );
    expect(run.stderr).toContain('gatewarden: acme-edge: 11 network endpoint groups');
    expect(run.stdout).toMatch(/^SEVERITY +RULE +RESOURCE +MESSAGE$/m);
    // The simulated estate has CRITICAL findings, so --fail-on CRITICAL must fail the run.
    expect(run.code).toBe(1);
  });
});
