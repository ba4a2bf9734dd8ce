// `gatewarden scan --project` end to end: the CLI reads the simulator through googleapis and judges what it read.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEstateHierarchy } from '../../../src/adapters/estate-files/hierarchy-files.js';
import { loadEstate } from '../../../src/adapters/estate-files/load-estate.js';
import { createGoogleApisSource } from '../../../src/adapters/googleapis/googleapis-source.js';
import { scanInventory } from '../../../src/app/scan.js';
import { ALL_RULES } from '../../../src/rules/catalogue.js';
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

/**
 * Tricky estates (test/fixtures/estates/live-*, each with a README.txt) served by the simulator and scanned live, then
 * scanned as exported files: the same findings, message for message. `scope` is what the live scan is given; `gone`
 * names the projects a live scan must not read (DELETE_REQUESTED), whose findings only the files can give.
 */
const TRICKY_ESTATES = [
  {
    name: 'live-regional',
    scope: ['--project', 'reg-edge'],
    gone: [],
    // Findings only a regional read can give: the regional HTTP rule, the regional SSL policy, the regional service.
    expected: [
      'frontend.https-only //compute.googleapis.com/projects/reg-edge/regions/us-central1/forwardingRules/reg-http-fr',
      'frontend.modern-tls //compute.googleapis.com/projects/reg-edge/regions/us-central1/forwardingRules/reg-https-fr',
      'backend.supported-scheme //compute.googleapis.com/projects/reg-edge/regions/us-central1/backendServices/reg-bs',
      'gateway.direct-url-protected //apigateway.googleapis.com/projects/reg-edge/locations/us-central1/gateways/reg-gw',
    ],
  },
  {
    name: 'live-cross-project',
    scope: ['--project', 'xp-lb-edge', '--project', '220000000002'],
    gone: [],
    expected: [
      'backend.gateways-same-project //compute.googleapis.com/projects/xp-lb-edge/global/backendServices/xp-bs',
      'neg.gateway-exists //compute.googleapis.com/projects/xp-lb-edge/regions/us-central1/networkEndpointGroups/a-neg',
      'gateway.direct-url-protected //apigateway.googleapis.com/projects/xp-gw-host/locations/us-central1/gateways/b-gw',
    ],
  },
  {
    name: 'live-mask',
    scope: ['--project', 'mask-edge'],
    gone: [],
    expected: [
      'neg.gateway-not-streaming //compute.googleapis.com/projects/mask-edge/regions/us-central1/networkEndpointGroups/mask-neg',
      'neg.gateway-exists //compute.googleapis.com/projects/mask-edge/regions/asia-northeast1/networkEndpointGroups/mask-none',
      'backend.gateways-equivalent //compute.googleapis.com/projects/mask-edge/global/backendServices/mask-bs',
    ],
  },
  {
    name: 'live-mixed',
    scope: ['--project', 'mixed-edge'],
    gone: [],
    expected: [
      'backend.serverless-not-mixed //compute.googleapis.com/projects/mixed-edge/global/backendServices/mx-bs',
      'backend.one-neg-per-region //compute.googleapis.com/projects/mixed-edge/global/backendServices/mx-two-bs',
      'frontend.https-only //compute.googleapis.com/projects/mixed-edge/global/forwardingRules/mx-http-plain-fr',
    ],
  },
  {
    name: 'live-org',
    scope: ['--organization', '301122334455'],
    gone: ['gone-edge-old'],
    // One record of each kind per project: no Compute or API Gateway list has a second page to ask for.
    onePerList: true,
    expected: [
      'gateway.direct-url-protected //apigateway.googleapis.com/projects/deep-edge-prod/locations/us-central1/gateways/deep-edge-prod-gw',
      'frontend.https-only //compute.googleapis.com/projects/mid-edge-apis/global/forwardingRules/mid-edge-apis-fr',
    ],
  },
] as const;

interface JsonFinding {
  readonly ruleId: string;
  readonly severity: string;
  readonly resource: string;
  readonly subKey: string | null;
  readonly message: string;
}

/** Each finding as one comparable line (drift needs a baseline, which no live project has), sorted. */
function lines(findings: readonly JsonFinding[], gone: readonly string[]): string[] {
  return findings
    .filter((finding) => !finding.ruleId.startsWith('drift.'))
    .filter((finding) => !gone.some((project) => finding.resource.includes(`/projects/${project}/`)))
    .map((finding) =>
      [finding.ruleId, finding.severity, finding.resource, finding.subKey ?? '-', finding.message].join(
        ' | ',
      ),
    )
    .sort();
}

describe.each(TRICKY_ESTATES)('$name: live and exported give the same findings', (estate) => {
  const dir = `test/fixtures/estates/${estate.name}`;
  let served: Simulator;
  const unknownRequests: string[] = [];

  beforeAll(async () => {
    const hierarchy = await loadEstateHierarchy(dir);
    served = await startSimulator({
      inventory: (await loadEstate(dir)).inventory,
      projects: hierarchy.projects,
      folders: hierarchy.folders,
      onUnknownRequest: (request) => unknownRequests.push(request),
    });
  });

  afterAll(async () => {
    await served?.close();
  });

  it('gatewarden scan live, then --estate', async () => {
    const live = await runCaptured([
      'scan',
      ...estate.scope,
      '--endpoint',
      served.url,
      '--format',
      'json',
      '--fail-on',
      'CRITICAL',
    ]);
    const offline = await runCaptured(['scan', '--estate', dir, '--format', 'json']);
    expect(unknownRequests).toEqual([]);
    // Complete reads: the gate is decided by findings (1 or 0), never by a scope that could not be read (2).
    expect([0, 1], live.stderr).toContain(live.code);
    expect(live.stderr).not.toMatch(/could not be read|warning:/);
    const text = live.stdout.replaceAll(`${served.url}/`, 'https://www.googleapis.com/');
    const liveLines = lines((JSON.parse(text) as { findings: JsonFinding[] }).findings, []);
    const offlineLines = lines(
      (JSON.parse(offline.stdout) as { findings: JsonFinding[] }).findings,
      estate.gone,
    );
    expect(liveLines).toEqual(offlineLines);
    for (const expected of estate.expected) {
      const [ruleId, resource] = expected.split(' ');
      expect(
        liveLines.some((line) => line.startsWith(`${ruleId} | `) && line.includes(` | ${resource} | `)),
      ).toBe(true);
    }
    for (const project of estate.gone) expect(live.stderr).not.toContain(`gatewarden: ${project}:`);
  });

  it('read one record per page, every list paged to its end', async () => {
    const hierarchy = await loadEstateHierarchy(dir);
    const projects = hierarchy.projects
      .filter((project) => project.state === 'ACTIVE')
      .map((project) => project.projectId);
    const source = await createGoogleApisSource({ endpoint: served.url, pageSize: 1 });
    served.clearRequests();
    const inventory = await source.readInventory(projects);
    expect(inventory.incomplete).toEqual([]);
    // Lists with a second page were asked for it.
    if (!('onePerList' in estate)) {
      expect(served.requests().some((request) => request.query.pageToken)).toBe(true);
    }
    const clock = { now: () => new Date('2026-06-01T00:00:00Z') };
    const judged = (scanned: Parameters<typeof scanInventory>[0]) =>
      lines(
        scanInventory(scanned, { rules: ALL_RULES, clock }).findings.map((finding) => ({
          ...finding,
          subKey: finding.subKey ?? null,
        })),
        estate.gone,
      );
    expect(judged(inventory).join('\n').replaceAll(`${served.url}/`, 'https://www.googleapis.com/')).toEqual(
      judged((await loadEstate(dir)).inventory).join('\n'),
    );
  });
});

describe('live-cross-project: the load balancer project alone', () => {
  it('warns that its backend service holds NEGs of a project that was not read', async () => {
    const dir = 'test/fixtures/estates/live-cross-project';
    const served = await startSimulator({ inventory: (await loadEstate(dir)).inventory });
    try {
      const run = await runCaptured([
        'scan',
        '--project',
        'xp-lb-edge',
        '--endpoint',
        served.url,
        '--format',
        'json',
      ]);
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(
        /^warning: backend service xp-bs \(xp-lb-edge, global\) holds 2 network endpoint group\(s\) of project\(s\) .*xp-gw-host, which were not read/m,
      );
    } finally {
      await served.close();
    }
  });
});
