// With every Google endpoint local (emulators, the simulator) no client asks the metadata server for credentials:
// the probe's failure printed a MetadataLookupWarning at the start of `npm run demo`, soak and bench:pipeline.

import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { type Emulator, startFirestoreEmulator, startPubSubEmulator } from '../support/emulators.js';
import { postJson, pushBody } from '../support/push-delivery.js';
import {
  createSubscription,
  createTopic,
  REPO_ROOT,
  type ServedFunction,
  serveFunction,
} from './local-stack.js';

const PROJECT = `gw-probe-${randomBytes(4).toString('hex')}`;
const ALERT_TOPIC = `projects/${PROJECT}/topics/gatewarden-alerts`;

let pubsub: Emulator;
let firestore: Emulator;
/** Stands in for 169.254.169.254 (GCE_METADATA_HOST): answers 403 as a proxy on a developer's network does. */
let metadataServer: Server;
const metadataRequests: string[] = [];
let metadataHost: string;

beforeAll(async () => {
  [pubsub, firestore] = await Promise.all([startPubSubEmulator(), startFirestoreEmulator()]);
  metadataServer = createServer((request, response) => {
    metadataRequests.push(request.url ?? '');
    response.writeHead(403).end('Forbidden');
  });
  await new Promise<void>((listening) => metadataServer.listen(0, '127.0.0.1', listening));
  metadataHost = `127.0.0.1:${(metadataServer.address() as AddressInfo).port}`;
  await createTopic(pubsub.host, ALERT_TOPIC);
  await createSubscription(pubsub.host, `projects/${PROJECT}/subscriptions/alerts-pull`, ALERT_TOPIC);
}, 120_000);

afterAll(async () => {
  await new Promise((closed) => metadataServer?.close(closed));
  await Promise.allSettled([pubsub?.stop(), firestore?.stop()]);
});

test('the simulator audit sink and the Firestore client reach their emulators without a credential probe', async () => {
  // A fresh process: the auth library remembers a probe's outcome for the life of the process.
  const script = `
    import { createFirestore } from './dist/src/adapters/firestore/client.js';
    import { createPubSubAuditSink } from './dist/src/simulator/pubsub-audit-sink.js';
    const sink = createPubSubAuditSink('projects/${PROJECT}/topics/gatewarden-audit', process.env.PUBSUB_EMULATOR_HOST);
    await sink.ensureTopic();
    await sink.publish([{ timestamp: new Date().toISOString(), protoPayload: {} }]);
    await sink.close();
    const db = createFirestore({ projectId: '${PROJECT}' });
    await db.doc('probe/one').set({ at: 1 });
    await db.terminate();
    process.stdout.write('done');
  `;
  const { code, stdout, stderr } = await runNode(['--input-type=module', '-e', script], {
    PUBSUB_EMULATOR_HOST: pubsub.host,
    FIRESTORE_EMULATOR_HOST: firestore.host,
  });
  expect({ code, stdout }).toEqual({ code: 0, stdout: 'done' });
  expect(stderr).not.toContain('MetadataLookupWarning');
  expect(metadataRequests).toEqual([]);
});

test('a sweep by onSweep against the emulators and the simulator never asks the metadata server', async () => {
  let simulator: Simulator | undefined;
  let onSweep: ServedFunction | undefined;
  try {
    simulator = await startSimulator({ inventory: (await loadEstate('examples/acme-edge')).inventory });
    onSweep = await serveFunction('onSweep', 'cloudevent', {
      GOOGLE_CLOUD_PROJECT: PROJECT,
      FIRESTORE_EMULATOR_HOST: firestore.host,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      GATEWARDEN_API_ENDPOINT: simulator.url,
      GATEWARDEN_ALERT_TOPIC: ALERT_TOPIC,
      GATEWARDEN_DIGEST_WINDOW_MS: '0',
      GATEWARDEN_SWEEP_PROJECTS: 'acme-edge',
      GCE_METADATA_HOST: metadataHost,
    });
    const answer = await postJson(
      `${onSweep.url}/projects/${PROJECT}/topics/gatewarden-sweep`,
      pushBody(JSON.stringify({ projects: ['acme-edge'] }), 'probe-sweep', undefined, { attributes: {} }),
    );
    expect(answer.status).toBe(204);
    const finished = onSweep.logs().find((line) => line.message === 'sweep finished');
    // Findings were stored in Firestore and alerts published on Pub/Sub: both clients were used.
    expect(finished?.alertsSent).toBeGreaterThan(0);
    expect(onSweep.stderr()).not.toContain('MetadataLookupWarning');
    // Nor does serving it print the framework's TypeError (the readiness probe used to send a body-less request).
    expect(onSweep.stderr()).not.toContain('TypeError');
    expect(metadataRequests).toEqual([]);
  } finally {
    await onSweep?.stop();
    await simulator?.close();
  }
}, 120_000);

function runNode(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        GCE_METADATA_HOST: metadataHost,
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', failed);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
