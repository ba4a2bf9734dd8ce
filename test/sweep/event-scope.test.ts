// Scope on the event path, through onAuditLog with the googleapis source on the simulator: an entry from a project
// created in a nested folder after the last sweep is judged; an entry from outside the scope is acknowledged and
// counted with no call to Compute or API Gateway (counted from the simulator's request log), in organisation mode
// and in project mode alike.

import type { CloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createHandlers, type FunctionDeps } from '../../functions/handlers.js';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createGoogleApisSource } from '../../src/adapters/googleapis/googleapis-source.js';
import {
  createResourceManagerReader,
  type ResourceManagerReader,
} from '../../src/adapters/googleapis/resource-tree.js';
import { MemoryQuarantineStore } from '../../src/adapters/memory/quarantine-store.js';
import { MemoryScopeStore } from '../../src/adapters/memory/scope-store.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { createProjectIdResolver } from '../../src/app/project-ids.js';
import { createScopeMembership, type InstallationScope } from '../../src/app/scope-membership.js';
import { mergeInventories } from '../../src/domain/inventory.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import type { ResourceSource } from '../../src/ports/resource-source.js';
import type { AncestryReader } from '../../src/ports/scope-tree.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { auditEntry, eventarcCloudEvent } from '../support/audit-entries.js';
import { cloneEstate } from '../support/clone-estate.js';
import { HIERARCHY, ORG } from './hierarchy.js';

const SWEEP_SOURCE = '//pubsub.googleapis.com/projects/acme-sec/topics/gatewarden-sweep';
const clock: Clock = { now: () => new Date('2026-05-11T14:13:00.000Z'), sleep: async () => {} };
/** Created after the last sweep, in a folder that did not exist then either (beneath folders/3002). */
const NEW_PROJECT = 'acme-new-team';
const NEW_FOLDER = 'folders/5001';

let simulator: Simulator;
let source: ResourceSource;
let reader: ResourceManagerReader;
let entries = 0;

beforeAll(async () => {
  const estate = (await loadEstate('examples/acme-edge')).inventory;
  simulator = await startSimulator({
    inventory: mergeInventories(
      cloneEstate(estate, 'acme-depth3-a', '300200000001'),
      cloneEstate(estate, NEW_PROJECT, '555000000010'),
      cloneEstate(estate, 'globex-edge', '555000000011'),
    ),
    projects: HIERARCHY.projects,
    folders: HIERARCHY.folders,
  });
  source = await createGoogleApisSource({ endpoint: simulator.url });
  reader = await createResourceManagerReader({ endpoint: simulator.url });
});

afterAll(async () => {
  await simulator?.close();
});

beforeEach(() => simulator.clearRequests());

/** The `last` entry of a backend service patch in `project`, as Eventarc delivers it. */
function patchOf(project: string): CloudEvent<unknown> {
  entries += 1;
  return eventarcCloudEvent(
    auditEntry({
      method: 'v1.compute.backendServices.patch',
      resourceName: `projects/${project}/global/backendServices/orders-bs`,
      insertId: `scope-entry-${entries}`,
      principal: 'mallory@acme.example',
    }),
  ) as unknown as CloudEvent<unknown>;
}

function handlersFor(
  scope: InstallationScope,
  scopes = new MemoryScopeStore(),
  ancestry: AncestryReader = reader,
) {
  const store = new MemoryStore();
  const quarantine = new MemoryQuarantineStore();
  const deps: FunctionDeps = {
    source,
    findings: store,
    judgements: store,
    snapshots: store,
    outbox: store,
    quarantine,
    sinks: [],
    rules: ALL_RULES,
    policy: { rules: {}, exemptions: [] },
    clock,
    log: new MemoryLogger(),
    digestWindowMs: 0,
    sweepProjects: scope.kind === 'projects' ? scope.projects : [],
    instanceId: 'event-scope-test',
    treeReader: reader,
    ...(scope.kind === 'tree' ? { sweepRoot: scope.root, sweptScopes: scopes } : {}),
    // The fan-out's messages are not delivered here: the tick only walks the tree and keeps it.
    sweepPublisherFor: () => ({ async publishProjectSweeps() {} }),
    membership: createScopeMembership(scope, { store: scopes, ancestry, now: () => 0 }),
    projectIdOf: createProjectIdResolver(ancestry),
  };
  return { handlers: createHandlers(deps), store, quarantine };
}

/** What the simulator was asked, by API: Resource Manager (`/v3/`), Compute and API Gateway. */
function callsByApi() {
  const paths = simulator.requests().map((request) => request.path);
  return {
    resourceManager: paths.filter((path) => path.startsWith('/v3/')),
    computeOrGateway: paths.filter((path) => path.startsWith('/compute/') || path.startsWith('/v1/')),
  };
}

describe('the scope of an event, by ancestry', () => {
  test('an entry from a project created in a nested folder after the last sweep is judged', async () => {
    const { handlers, store } = handlersFor({ kind: 'tree', root: ORG });
    await handlers.onSweep({
      specversion: '1.0',
      id: 'tick-1',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: SWEEP_SOURCE,
      data: { message: { data: Buffer.from('{}').toString('base64'), messageId: 'tick-1' } },
    } as CloudEvent<unknown>);

    simulator.hierarchy.putFolder({ name: NEW_FOLDER, parent: 'folders/3002', displayName: 'New team' });
    simulator.hierarchy.putProject({
      projectId: NEW_PROJECT,
      parent: NEW_FOLDER,
      projectNumber: '555000000010',
    });
    simulator.clearRequests();
    try {
      await handlers.onAuditLog(patchOf(NEW_PROJECT));
    } finally {
      simulator.hierarchy.removeProject(NEW_PROJECT);
    }
    expect(handlers.counters).toMatchObject({ judged: 1, outOfScope: 0 });
    // Placed by its ancestry: the project, then the new folder, whose parent the sweep had walked.
    expect(callsByApi().resourceManager).toEqual([`/v3/projects/${NEW_PROJECT}`, `/v3/${NEW_FOLDER}`]);
    expect(callsByApi().computeOrGateway.length).toBeGreaterThan(0);
    const open = await store.query({ project: NEW_PROJECT, states: ['open'] });
    expect(open.length).toBeGreaterThan(0);
  });

  test('organisation mode: an entry from another organisation is acknowledged and counted, with no Compute or API Gateway call', async () => {
    const { handlers, store } = handlersFor({ kind: 'tree', root: ORG });
    await handlers.onAuditLog(patchOf('globex-edge'));
    expect(handlers.counters).toMatchObject({ outOfScope: 1, judged: 0, failed: 0 });
    expect(callsByApi().computeOrGateway).toEqual([]);
    // The ancestry lookups are the only calls, and a second entry from it costs none.
    expect(callsByApi().resourceManager).toEqual(['/v3/projects/globex-edge', '/v3/folders/9001']);
    await handlers.onAuditLog(patchOf('globex-edge'));
    expect(handlers.counters).toMatchObject({ outOfScope: 2 });
    expect(simulator.requests()).toHaveLength(2);
    expect(await store.query({ project: 'globex-edge' })).toEqual([]);
    expect(store.events.size).toBe(0);
  });

  test('project mode: an entry from a project that is not watched is acknowledged with no call at all', async () => {
    const { handlers } = handlersFor({ kind: 'projects', projects: ['acme-depth3-a'] });
    await handlers.onAuditLog(patchOf('globex-edge'));
    expect(handlers.counters).toMatchObject({ outOfScope: 1, judged: 0 });
    expect(simulator.requests()).toEqual([]);
    await handlers.onAuditLog(patchOf('acme-depth3-a'));
    expect(handlers.counters).toMatchObject({ outOfScope: 1, judged: 1 });
    expect(callsByApi().resourceManager).toEqual([]);
  });

  // Resource Manager answers a project name it cannot parse with 400 INVALID_ARGUMENT, and will every time: the entry
  // is poison. It was redelivered, to fail again on each attempt before the delivery count could stop it (a review's
  // find). A lookup that may succeed later (an outage) still asks for a redelivery.
  test('an entry whose project Resource Manager refuses (a 400) is quarantined on its first delivery', async () => {
    const { handlers, quarantine } = handlersFor({ kind: 'tree', root: ORG });
    simulator.setFaults([{ path: '/v3/projects/*', status: 400 }]);
    try {
      await handlers.onAuditLog(patchOf('acme-unplaced'));
    } finally {
      simulator.setFaults([]);
    }
    expect(handlers.counters).toMatchObject({ quarantined: 1, judged: 0, failed: 0 });
    expect(quarantine.records).toHaveLength(1);
    expect(quarantine.records[0]?.reason).toMatch(/^project "acme-unplaced" cannot be placed: /);
    expect(callsByApi().computeOrGateway).toEqual([]);
  });

  test('an entry whose project cannot be placed for a reason of the deployment (the API off) is acknowledged, not quarantined', async () => {
    const switchedOff: AncestryReader = {
      async parentOf() {
        throw Object.assign(new Error('projects.get: 403 SERVICE_DISABLED'), { retryable: false });
      },
    };
    const { handlers, quarantine } = handlersFor({ kind: 'tree', root: ORG }, undefined, switchedOff);
    await handlers.onAuditLog(patchOf('acme-unplaced'));
    expect(handlers.counters).toMatchObject({ failed: 1, quarantined: 0, judged: 0 });
    expect(quarantine.records).toEqual([]);
    expect(callsByApi().computeOrGateway).toEqual([]);
  });

  test('an entry whose project cannot be placed for now (a lookup that may succeed later) is redelivered', async () => {
    const unavailable: AncestryReader = {
      async parentOf() {
        throw Object.assign(new Error('projects.get: 503 backendError'), { retryable: true });
      },
    };
    const { handlers, quarantine } = handlersFor({ kind: 'tree', root: ORG }, undefined, unavailable);
    await expect(handlers.onAuditLog(patchOf('acme-unplaced'))).rejects.toThrow('503');
    expect(quarantine.records).toEqual([]);
    expect(callsByApi().computeOrGateway).toEqual([]);
  });

  // API Gateway's entries may name the project by number, while every snapshot and finding is keyed by the ID a
  // sweep reads from selfLinks. Judged under the number, a delete found no stored neighbourhood and re-judged nothing
  // (a review's find): the NEG naming the deleted gateway stayed passing until the next sweep.
  test('a gateway deleted in an entry that names its project by number fails the NEG naming it', async () => {
    const { handlers, store } = handlersFor({ kind: 'projects', projects: ['acme-depth3-a'] });
    await handlers.onSweep({
      specversion: '1.0',
      id: 'tick-number',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: SWEEP_SOURCE,
      data: { message: { data: Buffer.from('{}').toString('base64'), messageId: 'tick-number' } },
    } as CloudEvent<unknown>);
    const exists = async () =>
      (await store.query({ project: 'acme-depth3-a', states: ['open'] })).filter(
        (finding) => finding.ruleId === 'neg.gateway-exists',
      );
    const NEG =
      '//compute.googleapis.com/projects/acme-depth3-a/regions/us-central1/networkEndpointGroups/orders-neg-usc1';
    expect((await exists()).map((finding) => finding.resource)).not.toContain(NEG);
    const gateway = 'projects/acme-depth3-a/locations/us-central1/gateways/orders-gw-usc1';
    const record = simulator.store.get(gateway);
    expect(record).toBeDefined();
    simulator.store.delete(gateway);
    try {
      entries += 1;
      await handlers.onAuditLog(
        eventarcCloudEvent(
          auditEntry({
            method: 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway',
            resourceName: 'projects/300200000001/locations/us-central1/gateways/orders-gw-usc1',
            insertId: `scope-entry-${entries}`,
          }),
        ) as unknown as CloudEvent<unknown>,
      );
    } finally {
      if (record) simulator.store.put(gateway, record);
    }
    expect(handlers.counters).toMatchObject({ judged: 1, failed: 0 });
    const opened = (await exists()).find((finding) => finding.resource === NEG);
    expect(opened?.lastChange?.method).toBe('google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway');
  });
});
