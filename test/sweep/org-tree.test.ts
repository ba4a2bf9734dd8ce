// An organisation is a tree: the sweep walks every folder beneath its scope (Resource Manager v3 on the simulator,
// through the real googleapis client) and fans out to exactly the ACTIVE projects it can see, at every depth.

import type { CloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createHandlers, type FunctionDeps } from '../../functions/handlers.js';
import {
  createResourceManagerReader,
  type ResourceManagerReader,
} from '../../src/adapters/googleapis/resource-tree.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryQuarantineStore } from '../../src/adapters/memory/quarantine-store.js';
import { MemoryRunStore } from '../../src/adapters/memory/run-store.js';
import { MemoryScopeStore } from '../../src/adapters/memory/scope-store.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import type { ScopeRunRecord } from '../../src/app/run-record.js';
import { emptyInventory } from '../../src/domain/inventory.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { HIERARCHY, ORG } from './hierarchy.js';

const SWEEP_SOURCE = '//pubsub.googleapis.com/projects/acme-sec/topics/gatewarden-sweep';
const clock: Clock = { now: () => new Date('2026-05-11T15:00:00.000Z'), sleep: async () => {} };

let simulator: Simulator;
let reader: ResourceManagerReader;

beforeAll(async () => {
  simulator = await startSimulator({
    inventory: emptyInventory(),
    projects: HIERARCHY.projects,
    folders: HIERARCHY.folders,
    faults: [{ path: '/v3/folders/3001', status: 403, reason: 'forbidden' }],
  });
  reader = await createResourceManagerReader({ endpoint: simulator.url });
});

afterAll(async () => {
  await simulator?.close();
});

beforeEach(() => simulator.clearRequests());

function sweepTick(body: unknown, messageId = `tick-${Math.random()}`): CloudEvent<unknown> {
  return {
    specversion: '1.0',
    id: messageId,
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: SWEEP_SOURCE,
    data: { message: { data: Buffer.from(JSON.stringify(body)).toString('base64'), messageId } },
  } as CloudEvent<unknown>;
}

/** onSweep with in-memory stores, the simulator's Resource Manager, and a publisher that records the fan-out. */
function sweepHandlers(extra: Partial<FunctionDeps> = {}) {
  const published: string[][] = [];
  const runs = new MemoryRunStore();
  const scopes = new MemoryScopeStore();
  const store = new MemoryStore();
  const log = new MemoryLogger();
  const deps: FunctionDeps = {
    source: new InventorySource(emptyInventory()),
    snapshots: store,
    findings: store,
    judgements: store,
    outbox: store,
    quarantine: new MemoryQuarantineStore(),
    sinks: [],
    rules: [],
    policy: { rules: {}, exemptions: [] },
    clock,
    log,
    sweepProjects: [],
    instanceId: 'org-tree-test',
    runs,
    treeReader: reader,
    sweptScopes: scopes,
    sweepPublisherFor: () => ({
      async publishProjectSweeps(projects) {
        published.push([...projects]);
      },
    }),
    ...extra,
  };
  return { handlers: createHandlers(deps), published, runs, scopes, log };
}

const ACTIVE_VISIBLE = [
  'acme-depth1-a', // folders/1001
  'acme-depth1-b', // folders/1002
  'acme-depth2-a', // folders/2001 in 1001
  'acme-depth3-a', // folders/3002 in 2001
  'acme-depth3-b', // folders/3002 in 2001
  'acme-org-root', // directly under the organisation
  'acme-sandbox', // folders/2002 in 1002
];

describe('the whole tree', () => {
  test('an organisation sweep fans out to exactly the ACTIVE projects it can see, at every depth, and records the unreadable folder', async () => {
    const { handlers, published, runs } = sweepHandlers();
    await handlers.onSweep(sweepTick({ organization: ORG }));

    expect(published).toEqual([ACTIVE_VISIBLE]);
    const [record, ...more] = runs.records as ScopeRunRecord[];
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      kind: 'scope-walk',
      scope: ORG,
      status: 'incomplete',
      counts: { projects: ACTIVE_VISIBLE.length, folders: 6 },
    });
    // The 403 folder: neither its folders nor its projects were listed, and it says so.
    expect(record?.unreadable.map((part) => `${part.node} ${part.missing}`)).toEqual([
      'folders/3001 folders',
      'folders/3001 projects',
    ]);
    expect(record?.unreadable[0]?.reason).toContain('403');
    // Each node was asked once for each list: the root and six folders, the denied one answering 403 to both.
    const calls = simulator.requests().filter((request) => request.path.startsWith('/v3/'));
    expect(calls.filter((request) => request.path === '/v3/folders')).toHaveLength(7);
    expect(calls.filter((request) => request.path === '/v3/projects')).toHaveLength(7);
    expect(calls.filter((request) => request.status === 403)).toHaveLength(2);
  });

  test('a folder sweep covers its subtree only', async () => {
    const { handlers, published, runs } = sweepHandlers();
    await handlers.onSweep(sweepTick({ folder: 'folders/2001' }));
    expect(published).toEqual([['acme-depth2-a', 'acme-depth3-a', 'acme-depth3-b']]);
    expect(runs.records[0]).toMatchObject({ scope: 'folders/2001', status: 'incomplete' });
    await handlers.onSweep(sweepTick({ folder: 'folders/1002' }));
    expect(published[1]).toEqual(['acme-depth1-b', 'acme-sandbox']);
    expect(runs.records[1]).toMatchObject({ scope: 'folders/1002', status: 'complete', unreadable: [] });
  });

  test('projects pending deletion and projects of other organisations are never swept', async () => {
    const tree = await reader.readTree(ORG);
    const ids = tree.projects.map((project) => project.projectId);
    expect(ids).not.toContain('acme-leaving'); // DELETE_REQUESTED, in folders/2001
    expect(ids).not.toContain('globex-edge'); // another organisation
    expect(ids).not.toContain('acme-hidden'); // beneath the 403 folder: unseen, so not judged at all
    expect(tree.projects.find((project) => project.projectId === 'acme-depth3-a')).toMatchObject({
      parent: 'folders/3002',
      projectNumber: '300200000001',
    });
  });

  test('a project moved from one folder to another between two sweeps is swept once, under its new place', async () => {
    const { handlers, published, scopes } = sweepHandlers({ sweepRoot: ORG });
    await handlers.onSweep(sweepTick({}));
    simulator.hierarchy.moveProject('acme-depth3-a', 'folders/1002');
    try {
      await handlers.onSweep(sweepTick({}));
      const tree = await reader.readTree(ORG);
      expect(tree.projects.filter((project) => project.projectId === 'acme-depth3-a')).toEqual([
        { projectId: 'acme-depth3-a', projectNumber: '300200000001', parent: 'folders/1002' },
      ]);
    } finally {
      simulator.hierarchy.moveProject('acme-depth3-a', 'folders/3002');
    }
    expect(published).toHaveLength(2);
    for (const projects of published) {
      expect(projects.filter((project) => project === 'acme-depth3-a')).toHaveLength(1);
      expect(projects).toEqual(ACTIVE_VISIBLE);
    }
    // The installation's own tree (a tick naming no scope) is kept for the event path, with numbers and nodes.
    expect(scopes.scopes.get(ORG)).toMatchObject({ root: ORG, sweptAt: '2026-05-11T15:00:00.000Z' });
    expect(scopes.scopes.get(ORG)?.projects).toContain('300200000001');
    expect(scopes.scopes.get(ORG)?.nodes).toContain('folders/3002');
    // The denied folder's place is known (its parent listed it); only what lies beneath it is not.
    expect(scopes.scopes.get(ORG)?.nodes).toContain('folders/3001');
    expect(scopes.scopes.get(ORG)?.nodes).not.toContain('folders/4001');
  });

  test('a root that cannot be read is a sweep that cannot start: nothing is fanned out and the reason is logged', async () => {
    const { handlers, published, log } = sweepHandlers();
    await handlers.onSweep(sweepTick({ organization: 'organizations/999999' }));
    expect(published).toEqual([]);
    expect(log.text()).toContain('sweep scope could not be resolved');
    expect(log.text()).toContain('403');
  });
});
