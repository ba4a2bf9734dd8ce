// Organisation sweeps on the local stack: a folder scope walked with Resource Manager folders.list and projects.list on the simulator, fanned out
// through the Pub/Sub emulator to onSweep served by `npx functions-framework`, findings and run records in the
// Firestore emulator. Deletions behind the auditor's back resolve; unreachable scopes and 403s resolve nothing.

import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../../src/adapters/firestore/stores.js';
import { mergeInventories } from '../../src/domain/inventory.js';
import type { FindingQueries } from '../../src/ports/finding-queries.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import {
  createSubscription,
  createTopic,
  eventually,
  type LogLine,
  publish,
  pushSweep,
  type ServedFunction,
  serveFunction,
} from '../e2e/local-stack.js';
import { cloneEstate } from '../support/clone-estate.js';
import { type Emulator, startFirestoreEmulator, startPubSubEmulator } from '../support/emulators.js';

const FOLDER = 'folders/314159265358';
const PROJECTS = ['acme-edge-a1', 'acme-edge-b2', 'acme-edge-c3'] as const;
const OUTSIDE = 'acme-elsewhere';
const RUN = randomBytes(4).toString('hex');
const HOST_PROJECT = `gw-sweep-${RUN}`;
const SWEEP_TOPIC = `projects/${HOST_PROJECT}/topics/gatewarden-sweep`;
const SWEEP_PUSH = `projects/${HOST_PROJECT}/subscriptions/sweep-push`;
/** terraform/variables.tf sweep_function_timeout_seconds' default, the deployed sweep subscription's ack deadline. */
const SWEEP_ACK_DEADLINE_SECONDS = 540;

let pubsub: Emulator;
let firestoreEmulator: Emulator;
let simulator: Simulator;
let onSweep: ServedFunction;
let db: Firestore;
let findings: FindingQueries;

beforeAll(async () => {
  [pubsub, firestoreEmulator] = await Promise.all([startPubSubEmulator(), startFirestoreEmulator()]);
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  db = createFirestore({ projectId: HOST_PROJECT });
  findings = createFirestoreStores(db).findings;

  const estate = (await loadEstate('examples/acme-edge')).inventory;
  // The example estate under three project IDs and numbers, so each project holds the same kind of load balancer.
  const clones = PROJECTS.map((project, index) => cloneEstate(estate, project, `55500000000${index}`));
  simulator = await startSimulator({
    inventory: mergeInventories(...clones),
    projects: [
      ...PROJECTS.map((projectId) => ({ projectId, parent: FOLDER })),
      { projectId: OUTSIDE, parent: 'folders/271828182845' },
    ],
  });

  onSweep = await serveFunction('onSweep', 'cloudevent', {
    GOOGLE_CLOUD_PROJECT: HOST_PROJECT,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
  });
  await createTopic(pubsub.host, SWEEP_TOPIC);
  // Pub/Sub delivers at least once: a push not answered within the ack deadline is delivered again, and a second
  // delivery is a second sweep with its own run record. Terraform gives the sweep subscription the function's
  // timeout (sweep_function_timeout_seconds, 540 s); with the helper's 10 s a project sweep on a loaded machine
  // outlived it and was swept twice. Under the deployed deadline, one message is one sweep unless the handler fails.
  await createSubscription(
    pubsub.host,
    SWEEP_PUSH,
    SWEEP_TOPIC,
    `${onSweep.url}/${SWEEP_TOPIC}`,
    SWEEP_ACK_DEADLINE_SECONDS,
  );
}, 180_000);

afterAll(async () => {
  await onSweep?.stop();
  await simulator?.close();
  await db?.terminate();
  await Promise.allSettled([pubsub?.stop(), firestoreEmulator?.stop()]);
}, 60_000);

function finishedSweeps(lines: readonly LogLine[]): LogLine[] {
  return lines.filter((line) => line.message === 'sweep finished');
}

/** Sweeps one project through the served function, as the fan-out's own message would, and waits for it. */
async function sweepProjectNow(project: string): Promise<LogLine> {
  const summary = await pushSweep(onSweep, SWEEP_TOPIC, { project }, `direct-${project}-${Date.now()}`);
  expect(summary).toBeDefined();
  return summary as LogLine;
}

async function runsOf(project: string): Promise<Record<string, unknown>[]> {
  const snapshot = await db.collection('runs').where('project', '==', project).get();
  return snapshot.docs
    .map((doc) => doc.data())
    .sort(
      (a, b) =>
        (a.startedAt as { toMillis(): number }).toMillis() -
        (b.startedAt as { toMillis(): number }).toMillis(),
    );
}

/** Every findings/ document's update time and every history document: what a write would change. */
async function findingsFingerprint(): Promise<{ updates: string[]; history: number }> {
  const snapshot = await db.collection('findings').get();
  const updates = snapshot.docs.map((doc) => `${doc.id}@${doc.updateTime.toMillis()}`).sort();
  const history = (await db.collectionGroup('history').get()).size;
  return { updates, history };
}

describe('organisation sweeps on the local stack', () => {
  test('a folder sweep finds its three projects by walking the folder and fans out: three handlers, one run record each', async () => {
    const before = onSweep.logs().length;
    await publish(pubsub.host, SWEEP_TOPIC, [JSON.stringify({ folder: FOLDER })]);
    const finished = await eventually(
      'three project sweeps',
      () => {
        const lines = finishedSweeps(onSweep.logs().slice(before));
        return lines.length >= 3 ? lines : undefined;
      },
      90_000,
    );
    const fannedOut = onSweep
      .logs()
      .slice(before)
      .filter((line) => line.message === 'sweep fanned out');
    expect(fannedOut).toHaveLength(1);
    expect(fannedOut[0]).toMatchObject({ projects: 3, topic: SWEEP_TOPIC });
    // One invocation per project, each sweeping exactly one project (the fan-out tick itself swept none).
    expect(finished).toHaveLength(3);
    expect(finished.every((line) => line.projects === 1)).toBe(true);
    expect(simulator.requests().some((request) => request.path === '/v3/projects')).toBe(true);

    for (const project of PROJECTS) {
      const [run, ...more] = await eventually(`the run record of ${project}`, async () => {
        const runs = await runsOf(project);
        return runs.length > 0 ? runs : undefined;
      });
      expect(more).toEqual([]);
      expect(run).toMatchObject({
        kind: 'project-sweep',
        status: 'complete',
        incompleteScopes: [],
        errors: [],
      });
      expect((run?.counts as { resources: number } | undefined)?.resources).toBeGreaterThan(10);
      expect((await findings.query({ project, states: ['open'] })).length).toBeGreaterThan(0);
    }
    // The project in another folder was not swept.
    expect(await runsOf(OUTSIDE)).toEqual([]);
    // Let stragglers settle before the next test counts log lines.
    await new Promise((done) => setTimeout(done, 500));
  }, 120_000);

  test('an unchanged estate swept twice writes nothing to findings/ (only a run record)', async () => {
    const project = PROJECTS[0];
    await sweepProjectNow(project);
    const before = await findingsFingerprint();
    const runsBefore = (await runsOf(project)).length;
    const summary = await sweepProjectNow(project);
    expect(summary).toMatchObject({ transitions: 0, snapshotsWritten: 0, deleted: 0 });
    expect(await findingsFingerprint()).toEqual(before);
    expect(await runsOf(project)).toHaveLength(runsBefore + 1);
  }, 60_000);

  test('a backend service deleted behind the auditor’s back (no audit entry) is resolved by the next sweep', async () => {
    const project = PROJECTS[1];
    const open = await findings.query({ project, states: ['open'] });
    const target = open.find((finding) => finding.resource.includes('/global/backendServices/'));
    expect(target).toBeDefined();
    const path = (target?.resource ?? '').replace('//compute.googleapis.com/', '');
    expect(simulator.store.has(path)).toBe(true);
    simulator.store.delete(path);

    const summary = await sweepProjectNow(project);
    expect(Number(summary.deleted)).toBeGreaterThanOrEqual(1);
    const after = await findings.query({ project, resource: target?.resource ?? '' });
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((finding) => finding.state === 'resolved')).toBe(true);
    expect(after.find((finding) => finding.id === target?.id)?.message).toContain('no longer exists');
    const [run] = (await runsOf(project)).slice(-1);
    expect(run).toMatchObject({ status: 'complete' });
    expect((run?.counts as { deleted: number } | undefined)?.deleted).toBeGreaterThanOrEqual(1);
  }, 60_000);

  test('an unreachable region resolves nothing, even of a resource that is gone, and the run record names the scope', async () => {
    const project = PROJECTS[2];
    const open = await findings.query({ project, states: ['open'] });
    const target = open.find((finding) => finding.resource.includes('/global/backendServices/'));
    const path = (target?.resource ?? '').replace('//compute.googleapis.com/', '');
    simulator.store.delete(path);
    simulator.setFaults([
      {
        path: `/compute/*/projects/${project}/aggregated/networkEndpointGroups`,
        unreachableScopes: ['regions/europe-west2'],
      },
    ]);
    const before = await findingsFingerprint();
    try {
      const summary = await sweepProjectNow(project);
      expect(summary).toMatchObject({ transitions: 0, deleted: 0, incompleteProjects: [project] });
    } finally {
      simulator.setFaults([]);
    }
    expect(await findingsFingerprint()).toEqual(before);
    expect(
      (await findings.query({ project, resource: target?.resource ?? '', states: ['open'] })).length,
    ).toBe(open.filter((finding) => finding.resource === target?.resource).length);
    const [run] = (await runsOf(project)).slice(-1);
    expect(run).toMatchObject({ status: 'incomplete' });
    expect(run?.incompleteScopes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ project, kind: 'networkEndpointGroup', scope: 'regions/europe-west2' }),
      ]),
    );

    // Once the region answers again, the deletion is seen and resolved.
    const next = await sweepProjectNow(project);
    expect(Number(next.deleted)).toBeGreaterThanOrEqual(1);
    expect(
      (await findings.query({ project, resource: target?.resource ?? '', states: ['open'] })).length,
    ).toBe(0);
  }, 60_000);

  test('a 403 on one project resolves nothing there and is reported in its run record; the others sweep normally', async () => {
    const denied = PROJECTS[0];
    simulator.setFaults([{ path: `/compute/*/projects/${denied}/**`, status: 403, reason: 'forbidden' }]);
    const before = await findingsFingerprint();
    try {
      const summary = await sweepProjectNow(denied);
      expect(summary).toMatchObject({
        transitions: 0,
        deleted: 0,
        failedProjects: [],
        incompleteProjects: [denied],
      });
    } finally {
      simulator.setFaults([]);
    }
    expect(await findingsFingerprint()).toEqual(before);
    const [run] = (await runsOf(denied)).slice(-1);
    expect(run).toMatchObject({ status: 'incomplete' });
    expect(run?.incompleteScopes).toEqual([
      expect.objectContaining({ project: denied, kind: 'project', scope: '*' }),
    ]);
    expect(String((run?.errors as string[] | undefined)?.[0])).toContain('PERMISSION_DENIED');
    expect(String((run?.errors as string[] | undefined)?.[0])).toContain('compute.');
    expect((await findings.query({ project: denied, states: ['open'] })).length).toBeGreaterThan(0);
  }, 60_000);
});
