// `gatewarden scan --organization O` / `--folder F` against the simulator: every ACTIVE project beneath, at any depth,
// read with progress per project; the folder that answers 403 is named in the summary and nothing beneath it judged.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { mergeInventories } from '../../src/domain/inventory.js';
import {
  type AnswerRequest,
  type SimulatedAnswer,
  type Simulator,
  startSimulator,
} from '../../src/simulator/server.js';
import { cloneEstate } from '../support/clone-estate.js';
import { HIERARCHY, ORG } from '../sweep/hierarchy.js';
import { runCaptured } from './capture-io.js';

let simulator: Simulator;
/** What Resource Manager's answers go through: none unless a test sets it. */
let hostile: ((request: AnswerRequest, answer: SimulatedAnswer) => SimulatedAnswer | undefined) | undefined;

beforeAll(async () => {
  const estate = (await loadEstate('examples/acme-edge')).inventory;
  // The sample load balancer in a project directly under the organisation and in one three folders down.
  simulator = await startSimulator({
    inventory: mergeInventories(
      cloneEstate(estate, 'acme-org-root', '555000000001'),
      cloneEstate(estate, 'acme-depth3-a', '300200000001'),
      cloneEstate(estate, 'acme-hidden', '555000000003'),
    ),
    projects: HIERARCHY.projects,
    folders: HIERARCHY.folders,
    faults: [{ path: '/v3/folders/3001', status: 403, reason: 'forbidden' }],
    reshapeAnswer: (request, answer) => hostile?.(request, answer),
  });
});

afterAll(async () => {
  await simulator?.close();
});

/** `gatewarden scan` of a part of the simulator's tree (`--organization O` or `--folder F`), as JSON, and `extra`. */
function scanTreeAsJson(flag: '--organization' | '--folder', target: string, ...extra: string[]) {
  return runCaptured(['scan', flag, target, '--endpoint', simulator.url, '--format', 'json', ...extra]);
}

describe('gatewarden scan --organization / --folder', () => {
  test('an organisation scan reads every ACTIVE project beneath it with progress, and names the unreadable folder', async () => {
    const run = await scanTreeAsJson('--organization', ORG);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`gatewarden: ${ORG}: 7 ACTIVE project(s) in 6 folder(s) beneath it`);
    expect(run.stderr).toContain(
      'gatewarden: unreadable: folders/3001 (folders: folders.list folders/3001: 403',
    );
    // Progress per project, at every depth, and none for the projects it must not read.
    for (const project of ['acme-org-root', 'acme-depth1-b', 'acme-depth3-a', 'acme-sandbox']) {
      expect(run.stderr).toContain(`gatewarden: ${project}: `);
    }
    for (const project of ['acme-hidden', 'acme-leaving', 'globex-edge']) {
      expect(run.stderr).not.toContain(`gatewarden: ${project}: `);
    }
    const report = JSON.parse(run.stdout) as {
      findings: { resource: string }[];
      summary: { warnings: string[] };
    };
    const projectsWithFindings = new Set(
      report.findings.map((finding) => /projects\/([^/]+)/.exec(finding.resource)?.[1]),
    );
    expect(projectsWithFindings).toEqual(new Set(['acme-org-root', 'acme-depth3-a']));
    expect(report.summary.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^folders\/3001: its folders could not be listed \(.*403.*\); nothing beneath it is judged$/,
        ),
        expect.stringMatching(/^folders\/3001: its projects could not be listed/),
      ]),
    );
    // Resource Manager's own words, naming the permission the walk lacked on that folder.
    expect(report.summary.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "Permission 'resourcemanager.folders.list' denied on resource 'folders/3001'",
        ),
        expect.stringContaining(
          "Permission 'resourcemanager.projects.list' denied on resource 'folders/3001'",
        ),
      ]),
    );
  });

  test('--fail-on cannot pass when a folder beneath could not be read: exit 2, whatever the rest holds', async () => {
    // The readable projects hold no CRITICAL finding (the sample's one needs Cloud Armor), so only the folder
    // nobody could list stands between the gate and a pass: the projects beneath it were never judged.
    const run = await scanTreeAsJson('--organization', ORG, '--fail-on', 'CRITICAL');
    expect(run.stderr).toMatch(
      /^gatewarden scan: --fail-on CRITICAL: 2 record\(s\) or scope\(s\) could not be read .*the gate cannot pass$/m,
    );
    expect(run.code).toBe(2);
    expect(() => JSON.parse(run.stdout)).not.toThrow();
  });

  // One project of the organisation the caller lacks a permission in (or has Compute switched off in): its findings
  // cannot be known, but the other projects' can. The run judges those, names the project and the permission, and
  // exits 2 as a scan of that project alone does, so no one mistakes the report for the whole organisation's.
  test.each([
    {
      name: 'a 403 for a missing permission on one API',
      faults: [
        {
          path: '/compute/v1/projects/acme-depth3-a/aggregated/sslPolicies',
          status: 403 as const,
          reason: 'forbidden' as const,
        },
      ],
      platform: {},
      why: /permission denied in project "acme-depth3-a": .*needs compute\.sslPolicies\.list/,
    },
    {
      name: 'Compute switched off',
      faults: [],
      platform: { disabledServices: [{ project: 'acme-depth3-a', service: 'compute.googleapis.com' }] },
      why: /compute\.googleapis\.com is not enabled/,
    },
  ])('$name in one project: the others are judged, that one is named, exit 2', async (example) => {
    simulator.setFaults([{ path: '/v3/folders/3001', status: 403, reason: 'forbidden' }, ...example.faults]);
    simulator.setPlatform(example.platform);
    try {
      const run = await scanTreeAsJson('--organization', ORG);
      const report = JSON.parse(run.stdout) as {
        findings: { resource: string }[];
        summary: { warnings: string[] };
      };
      const projectsWithFindings = new Set(
        report.findings.map((finding) => /projects\/([^/]+)/.exec(finding.resource)?.[1]),
      );
      expect(projectsWithFindings).toEqual(new Set(['acme-org-root']));
      const warning = report.summary.warnings.find((text) => text.startsWith('project acme-depth3-a'));
      expect(warning).toMatch(example.why);
      expect(warning).toMatch(/nothing in it is judged$/);
      expect(run.stderr).toMatch(/^gatewarden scan: 1 of 7 projects could not be read .*$/m);
      expect(run.code).toBe(2);
    } finally {
      simulator.setFaults([{ path: '/v3/folders/3001', status: 403, reason: 'forbidden' }]);
      simulator.setPlatform({});
    }
  });

  test('a folder scan reads its subtree only', async () => {
    const run = await scanTreeAsJson('--folder', '1002');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('gatewarden: folders/1002: 2 ACTIVE project(s) in 1 folder(s) beneath it');
    expect(run.stderr).toContain('gatewarden: acme-sandbox: ');
    expect(run.stderr).not.toContain('gatewarden: acme-org-root: ');
    expect((JSON.parse(run.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  test('an organisation that cannot be read is bad input: exit 2 with one line', async () => {
    const run = await runCaptured(['scan', '--organization', '999', '--endpoint', simulator.url]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gatewarden scan: (folders|projects)\.list organizations\/999: 403 .*\n$/);
  });

  /** projects.list of `parent` with its projects as `reshape` makes them. */
  const projectsOf =
    (parent: string, reshape: (projects: unknown[]) => unknown[]) =>
    (request: AnswerRequest, answer: SimulatedAnswer): SimulatedAnswer | undefined => {
      if (request.path !== '/v3/projects' || request.query.parent !== parent || !('body' in answer)) return;
      const body = answer.body as { projects?: unknown[] };
      return { status: answer.status, body: { ...body, projects: reshape(body.projects ?? []) } };
    };

  test.each([
    {
      name: 'a null among the projects',
      hostile: projectsOf('folders/1002', (projects) => [null, ...projects]),
      skipped: 'skipped 1 entry (entry 0 is null)',
    },
    {
      name: 'a project whose ID is a path, and one whose ID is a number',
      hostile: projectsOf('folders/1002', (projects) => [
        ...projects,
        { name: 'projects/1', projectId: 'Bad/../ID', state: 'ACTIVE' },
        { name: 'projects/2', projectId: 7, state: 'ACTIVE' },
      ]),
      skipped:
        'skipped 2 entries (entry 1 has projectId "Bad/../ID", not a project ID; ' +
        'entry 2 has projectId 7, not a project ID)',
    },
  ])('$name: the entry is skipped and named, the rest of the folder scanned', async (testCase) => {
    hostile = testCase.hostile;
    try {
      const run = await scanTreeAsJson('--folder', '1002');
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain('gatewarden: folders/1002: 2 ACTIVE project(s) in 1 folder(s) beneath it');
      expect(run.stderr).toContain('gatewarden: acme-sandbox: ');
      expect(run.stderr).not.toContain('--project');
      expect((JSON.parse(run.stdout) as { summary: { warnings: string[] } }).summary.warnings).toContain(
        `folders/1002: some of its projects could not be read (projects.list folders/1002: ${testCase.skipped}); ` +
          'those are not judged',
      );
    } finally {
      hostile = undefined;
    }
  });
});
