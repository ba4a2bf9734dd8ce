// A project set to DELETE_REQUESTED has its resources shut down and is gone for good 30 days later; the walk of an
// organisation no longer sweeps it. Once a complete walk sees it pending deletion, its stored open, muted and
// undetermined findings resolve (history and a `resolved` alert, naming why). An incomplete walk resolves nothing, and
// a project merely no longer listed (moved out of the scope) keeps its findings as they are.

import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import {
  createResourceManagerReader,
  type ResourceManagerReader,
} from '../../src/adapters/googleapis/resource-tree.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryRunStore } from '../../src/adapters/memory/run-store.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import type { ScopeRunRecord } from '../../src/app/run-record.js';
import { type RunSweepDeps, runSweep } from '../../src/app/run-sweep.js';
import type { Finding } from '../../src/domain/finding.js';
import { mergeInventories } from '../../src/domain/inventory.js';
import { isAtLeast } from '../../src/domain/severity.js';
import { type SimulatedProject, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { cloneEstate } from '../support/clone-estate.js';
import { memoryDeps } from '../support/memory-deps.js';

const ORG = 'organizations/100000000001';
const LEAVING: SimulatedProject = { projectId: 'acme-leaving', parent: 'folders/1001' };
const STAYING: SimulatedProject = { projectId: 'acme-staying', parent: 'folders/1002' };
const ACTIVE_FINDINGS = ['open', 'muted', 'undetermined'] as const;

let simulator: Simulator;
let reader: ResourceManagerReader;
let source: InventorySource;

beforeAll(async () => {
  const estate = (await loadEstate('examples/acme-edge')).inventory;
  source = new InventorySource(
    mergeInventories(
      cloneEstate(estate, LEAVING.projectId, '555000000001'),
      cloneEstate(estate, STAYING.projectId, '555000000002'),
    ),
  );
  simulator = await startSimulator({
    inventory: source.inventory,
    projects: [LEAVING, STAYING],
    folders: [
      { name: 'folders/1001', parent: ORG, displayName: 'Production' },
      { name: 'folders/1002', parent: ORG, displayName: 'Staging' },
      { name: 'folders/9001', parent: 'organizations/200000000002', displayName: 'Elsewhere' },
    ],
  });
  reader = await createResourceManagerReader({ endpoint: simulator.url });
});

afterAll(async () => {
  await simulator?.close();
});

beforeEach(() => {
  simulator.setFaults([]);
  simulator.hierarchy.putProject(LEAVING);
  simulator.hierarchy.putProject(STAYING);
});

/** An organisation sweep run here (no fan-out), its findings in memory. */
function sweeper(overrides: Partial<RunSweepDeps> = {}) {
  const store = new MemoryStore();
  const runs = new MemoryRunStore();
  const deps: RunSweepDeps = {
    ...memoryDeps(source, store),
    sweepProjects: [],
    runs,
    treeReader: reader,
    deliverAlerts: async () => ({ sent: 0, failedSinks: [], refusedBy: [] }),
    ...overrides,
  };
  const sweep = () => runSweep(JSON.stringify({ organization: ORG }), 'tick', deps);
  return { store, runs, sweep, deps };
}

const notResolved = (findings: readonly Finding[]) => findings.filter((f) => f.state !== 'resolved');

async function findingsOf(store: MemoryStore, project: string): Promise<Finding[]> {
  return store.query({ project });
}

/** Both projects swept while ACTIVE: each holds open findings. */
async function sweptBoth(overrides: Partial<RunSweepDeps> = {}) {
  const swept = sweeper(overrides);
  await swept.sweep();
  for (const project of [LEAVING.projectId, STAYING.projectId]) {
    const active = await swept.store.query({ project, states: [...ACTIVE_FINDINGS] });
    expect(active.length, project).toBeGreaterThan(0);
  }
  return swept;
}

describe('a project pending deletion', () => {
  test('a complete walk that sees it DELETE_REQUESTED resolves its findings, with history and a resolved alert naming why', async () => {
    const { store, sweep, runs } = await sweptBoth();
    const staying = await findingsOf(store, STAYING.projectId);
    const before = notResolved(await findingsOf(store, LEAVING.projectId));
    const alertsBefore = (await store.pendingAlerts(10_000)).length;

    simulator.hierarchy.putProject({ ...LEAVING, state: 'DELETE_REQUESTED' });
    await sweep();

    const after = await findingsOf(store, LEAVING.projectId);
    expect(notResolved(after)).toEqual([]);
    for (const finding of before) {
      const now = after.find((f) => f.id === finding.id);
      expect(now).toMatchObject({ state: 'resolved', resolvedAt: expect.any(String) });
      expect(now?.message).toContain('pending deletion');
      const history = await store.history(finding.id);
      expect(history.at(-1)).toMatchObject({ transition: 'resolved', from: finding.state, to: 'resolved' });
    }
    const alerts = (await store.pendingAlerts(10_000)).slice(alertsBefore);
    const resolvedAlerts = alerts.filter((alert) => alert.transition === 'resolved');
    // Every resolution at or above the alert minimum (LOW by default) is alerted.
    expect(resolvedAlerts.map((alert) => alert.findingId).sort()).toEqual(
      before
        .filter((f) => isAtLeast(f.severity, 'LOW'))
        .map((f) => f.id)
        .sort(),
    );
    expect(resolvedAlerts.length).toBeGreaterThan(0);
    for (const alert of resolvedAlerts) expect(alert.finding.project).toBe(LEAVING.projectId);
    // The other project is judged as before: nothing of it resolved.
    expect(await findingsOf(store, STAYING.projectId)).toEqual(staying);
    // The walk's record says how many projects it saw pending deletion.
    const walks = runs.records.filter((record) => record.kind === 'scope-walk') as ScopeRunRecord[];
    expect(walks.at(-1)).toMatchObject({ status: 'complete', counts: { deleting: 1 } });

    // A second walk finds nothing left to resolve and writes nothing.
    const alertsNow = (await store.pendingAlerts(10_000)).length;
    await sweep();
    expect(await findingsOf(store, LEAVING.projectId)).toEqual(after);
    expect((await store.pendingAlerts(10_000)).length).toBe(alertsNow);
  });

  test('a walk that could not read part of the tree resolves nothing, even of the project it saw pending deletion', async () => {
    const { store, sweep, runs } = await sweptBoth();
    const before = await findingsOf(store, LEAVING.projectId);
    simulator.hierarchy.putProject({ ...LEAVING, state: 'DELETE_REQUESTED' });
    simulator.setFaults([{ path: '/v3/folders/1002', status: 403, reason: 'forbidden' }]);
    await sweep();
    expect(await findingsOf(store, LEAVING.projectId)).toEqual(before);
    expect(runs.records.at(-1)).toMatchObject({ kind: 'scope-walk', status: 'incomplete' });
  });

  test('a project that is merely unreadable (its folder answers 403) keeps its findings', async () => {
    const { store, sweep } = await sweptBoth();
    const before = await findingsOf(store, LEAVING.projectId);
    simulator.setFaults([{ path: '/v3/folders/1001', status: 403, reason: 'forbidden' }]);
    await sweep();
    expect(await findingsOf(store, LEAVING.projectId)).toEqual(before);
  });

  test('a project moved out of the scope (no longer listed, not pending deletion) keeps its findings', async () => {
    const { store, sweep } = await sweptBoth();
    const before = await findingsOf(store, LEAVING.projectId);
    simulator.hierarchy.moveProject(LEAVING.projectId, 'folders/9001');
    await sweep();
    expect(await findingsOf(store, LEAVING.projectId)).toEqual(before);
  });

  test('a fanned-out sweep resolves them too, before it publishes the ACTIVE projects', async () => {
    const published: string[][] = [];
    const { store, deps } = await sweptBoth();
    simulator.hierarchy.putProject({ ...LEAVING, state: 'DELETE_REQUESTED' });
    // A third ACTIVE project, so the walk holds more than one and fans out.
    simulator.hierarchy.putProject({ projectId: 'acme-third', parent: 'folders/1002' });
    try {
      const fanOut: RunSweepDeps['fanOut'] = {
        topic: 'projects/acme-sec/topics/gatewarden-sweep',
        publisher: {
          async publishProjectSweeps(projects) {
            published.push([...projects]);
          },
        },
      };
      const outcome = await runSweep(JSON.stringify({ organization: ORG }), 'tick', { ...deps, fanOut });
      expect(outcome).toMatchObject({ kind: 'fanned-out', projects: 2 });
    } finally {
      simulator.hierarchy.removeProject('acme-third');
    }
    expect(published).toEqual([['acme-staying', 'acme-third']]);
    expect(notResolved(await findingsOf(store, LEAVING.projectId))).toEqual([]);
  });
});
