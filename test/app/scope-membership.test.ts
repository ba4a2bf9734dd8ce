// Scope membership by ancestry: the last sweep's tree answers without a call; a project it does not list is placed
// by projects.get and folders.get on the simulator (through the real googleapis client), once, then cached.

import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createResourceManagerReader } from '../../src/adapters/googleapis/resource-tree.js';
import { MemoryScopeStore } from '../../src/adapters/memory/scope-store.js';
import { createScopeMembership, sweptScopeOf } from '../../src/app/scope-membership.js';
import { emptyInventory } from '../../src/domain/inventory.js';
import type { AncestryReader } from '../../src/ports/scope-tree.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { HIERARCHY, ORG } from '../sweep/hierarchy.js';

let simulator: Simulator;
let reader: Awaited<ReturnType<typeof createResourceManagerReader>>;
let store: MemoryScopeStore;
let now = 0;

beforeAll(async () => {
  simulator = await startSimulator({
    inventory: emptyInventory(),
    projects: HIERARCHY.projects,
    folders: HIERARCHY.folders,
    faults: [{ path: '/v3/folders/3001', status: 403, reason: 'forbidden' }],
  });
  reader = await createResourceManagerReader({ endpoint: simulator.url });
  store = new MemoryScopeStore();
  await store.save(sweptScopeOf(await reader.readTree(ORG), '2026-05-11T15:00:00.000Z'));
});

afterAll(async () => {
  await simulator?.close();
});

beforeEach(() => {
  simulator.clearRequests();
  now = 0;
});

const resourceManagerCalls = () => simulator.requests().map((request) => `${request.path} ${request.status}`);

describe('scope membership', () => {
  test('project mode: the watched projects are in, any other is out, and nothing is asked', async () => {
    const membership = createScopeMembership(
      { kind: 'projects', projects: ['acme-edge'] },
      { ancestry: reader, now: () => now },
    );
    expect(await membership.check('acme-edge')).toEqual({ inScope: true, by: 'configured' });
    expect(await membership.check('globex-edge')).toMatchObject({ inScope: false, by: 'configured' });
    expect(resourceManagerCalls()).toEqual([]);
  });

  test('project mode: a project named by number is looked up once and matched by its ID', async () => {
    const membership = createScopeMembership(
      { kind: 'projects', projects: ['acme-depth3-a'] },
      { ancestry: reader, now: () => now },
    );
    expect(await membership.check('300200000001')).toEqual({ inScope: true, by: 'ancestry' });
    expect(await membership.check('300200000001')).toEqual({ inScope: true, by: 'ancestry' });
    expect(resourceManagerCalls()).toEqual(['/v3/projects/300200000001 200']);
  });

  test('a project the last sweep found is in without a call, by ID or by number', async () => {
    const membership = createScopeMembership(
      { kind: 'tree', root: ORG },
      { store, ancestry: reader, now: () => now },
    );
    expect(await membership.check('acme-depth3-a')).toEqual({ inScope: true, by: 'last-sweep' });
    expect(await membership.check('300200000001')).toEqual({ inScope: true, by: 'last-sweep' });
    expect(resourceManagerCalls()).toEqual([]);
  });

  test('a project created in a nested folder after the last sweep is placed by one projects.get, then cached', async () => {
    simulator.hierarchy.putProject({ projectId: 'acme-new-team', parent: 'folders/3002' });
    try {
      const membership = createScopeMembership(
        { kind: 'tree', root: ORG },
        { store, ancestry: reader, now: () => now },
      );
      expect(await membership.check('acme-new-team')).toEqual({ inScope: true, by: 'ancestry' });
      expect(await membership.check('acme-new-team')).toEqual({ inScope: true, by: 'ancestry' });
      // Its parent is a folder the sweep walked: no folders.get is needed.
      expect(resourceManagerCalls()).toEqual(['/v3/projects/acme-new-team 200']);
    } finally {
      simulator.hierarchy.removeProject('acme-new-team');
    }
  });

  test('a project in a folder created after the last sweep climbs to a folder the sweep saw', async () => {
    simulator.hierarchy.putFolder({ name: 'folders/5001', parent: 'folders/2002', displayName: 'New' });
    simulator.hierarchy.putFolder({ name: 'folders/5002', parent: 'folders/5001', displayName: 'Newer' });
    simulator.hierarchy.putProject({ projectId: 'acme-newest', parent: 'folders/5002' });
    try {
      const membership = createScopeMembership(
        { kind: 'tree', root: ORG },
        { store, ancestry: reader, now: () => now },
      );
      expect(await membership.check('acme-newest')).toEqual({ inScope: true, by: 'ancestry' });
      expect(resourceManagerCalls()).toEqual([
        '/v3/projects/acme-newest 200',
        '/v3/folders/5002 200',
        '/v3/folders/5001 200',
      ]);
    } finally {
      simulator.hierarchy.removeProject('acme-newest');
    }
  });

  test.each([
    ['a project of another organisation', 'globex-edge', 'is not beneath'],
    ['a project that does not exist (403, as the real API answers)', 'acme-nowhere', '403'],
    ['a project pending deletion', 'acme-leaving', 'pending deletion'],
  ])('%s is out', async (_name, project, reason) => {
    const membership = createScopeMembership(
      { kind: 'tree', root: ORG },
      { store, ancestry: reader, now: () => now },
    );
    const verdict = await membership.check(project);
    expect(verdict).toMatchObject({ inScope: false, by: 'ancestry' });
    expect((verdict as { reason: string }).reason).toContain(reason);
    // Out is cached too: the next event from it costs nothing.
    const calls = resourceManagerCalls().length;
    await membership.check(project);
    expect(resourceManagerCalls()).toHaveLength(calls);
  });

  test('beneath a folder the sweep could not list, a project is placed by its own ancestry; an unreadable ancestor makes it out', async () => {
    const membership = createScopeMembership(
      { kind: 'tree', root: ORG },
      { store, ancestry: reader, now: () => now },
    );
    // folders/4001 lies beneath the folder that answers 403 to lists; its own parent is readable, and known.
    expect(await membership.check('acme-deep-hidden')).toEqual({ inScope: true, by: 'ancestry' });
    simulator.setFaults([
      { path: '/v3/folders/3001', status: 403, reason: 'forbidden' },
      { path: '/v3/folders/4001', status: 403, reason: 'forbidden' },
    ]);
    simulator.hierarchy.putProject({ projectId: 'acme-deeper', parent: 'folders/4001' });
    try {
      // A new instance: the first one keeps folders/4001's parent cached, as it should.
      const fresh = createScopeMembership(
        { kind: 'tree', root: ORG },
        { store, ancestry: reader, now: () => now },
      );
      const verdict = await fresh.check('acme-deeper');
      expect(verdict).toMatchObject({ inScope: false, by: 'ancestry' });
      expect((verdict as { reason: string }).reason).toContain('folders.get folders/4001: 403');
    } finally {
      simulator.setFaults([{ path: '/v3/folders/3001', status: 403, reason: 'forbidden' }]);
      simulator.hierarchy.removeProject('acme-deeper');
    }
  });

  test('a verdict expires: a project moved into the scope is found in once the cache has aged', async () => {
    const membership = createScopeMembership(
      { kind: 'tree', root: ORG },
      { store, ancestry: reader, now: () => now, cacheMs: 1000 },
    );
    expect(await membership.check('globex-edge')).toMatchObject({ inScope: false });
    simulator.hierarchy.moveProject('globex-edge', 'folders/1001');
    try {
      expect(await membership.check('globex-edge')).toMatchObject({ inScope: false });
      now = 1001;
      expect(await membership.check('globex-edge')).toEqual({ inScope: true, by: 'ancestry' });
    } finally {
      simulator.hierarchy.moveProject('globex-edge', 'folders/9001');
    }
  });

  test('a lookup that could succeed on retry is thrown, not taken as out', async () => {
    const failing: AncestryReader = {
      async parentOf() {
        throw Object.assign(new Error('projects.get: 503 backendError'), { retryable: true });
      },
    };
    const membership = createScopeMembership(
      { kind: 'tree', root: ORG },
      { store, ancestry: failing, now: () => now },
    );
    await expect(membership.check('acme-unknown')).rejects.toThrow('503');
  });

  test('a watched project named outside the tree (folder mode) is in without a call', async () => {
    const membership = createScopeMembership(
      { kind: 'tree', root: 'folders/1001', alsoWatched: ['globex-edge'] },
      { store, ancestry: reader, now: () => now },
    );
    expect(await membership.check('globex-edge')).toEqual({ inScope: true, by: 'configured' });
    expect(resourceManagerCalls()).toEqual([]);
  });

  test('with no sweep yet, the whole ancestry is climbed to the root', async () => {
    const membership = createScopeMembership(
      { kind: 'tree', root: 'folders/1001' },
      { store: new MemoryScopeStore(), ancestry: reader, now: () => now },
    );
    expect(await membership.check('acme-depth3-b')).toEqual({ inScope: true, by: 'ancestry' });
    expect(await membership.check('acme-sandbox')).toMatchObject({
      inScope: false,
      reason: expect.stringContaining('not beneath folders/1001'),
    });
  });
});
