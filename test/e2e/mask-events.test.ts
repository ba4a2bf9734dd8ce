// URL-mask NEGs on the local stack (Pub/Sub and Firestore emulators, the simulator, onAuditLog and onSweep served by
// `npx functions-framework`): a mask NEG reaches every gateway of its project in its region, so a gateway created
// there is fronted the moment it exists, and deleting the last one leaves the mask nothing to reach. Each shows in
// the one event that caused it, with its alert.

import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { apigateway_v1 } from 'googleapis/build/src/apis/apigateway/v1.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { createPubSubAuditSink, type Simulator, startSimulator } from '../../src/simulator/index.js';
import {
  type Emulator,
  type PulledMessage,
  pullMessages,
  startFirestoreEmulator,
  startPubSubEmulator,
} from '../support/emulators.js';
import {
  createSubscription,
  createTopic,
  eventually,
  type LogLine,
  pushSweep,
  type ServedFunction,
  serveFunction,
} from './local-stack.js';

const ESTATE = 'acme-edge';
const ACTOR = 'platform@acme-edge.iam.gserviceaccount.com';
const RUN = randomBytes(4).toString('hex');
const HOST = `gw-mask-${RUN}`;
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit`;
const AUDIT_PUSH = `projects/${HOST}/subscriptions/audit-push`;
const ALERT_TOPIC = `projects/${HOST}/topics/gatewarden-alerts`;
const ALERT_PULL = `projects/${HOST}/subscriptions/alerts-pull`;
const SWEEP_TOPIC = `projects/${HOST}/topics/gatewarden-sweep`;

const CREATE_GATEWAY = 'google.cloud.apigateway.v1.ApiGatewayService.CreateGateway';
const DELETE_GATEWAY = 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway';
const gatewayPath = (region: string, id: string) => `projects/${ESTATE}/locations/${region}/gateways/${id}`;
const gatewayFullName = (region: string, id: string) =>
  `//apigateway.googleapis.com/${gatewayPath(region, id)}`;
const negFullName = (region: string, name: string) =>
  `//compute.googleapis.com/projects/${ESTATE}/regions/${region}/networkEndpointGroups/${name}`;
/** The reports mask NEG reaches every gateway of acme-edge in europe-west1 (examples/README.md). */
const REPORTS_REGION = 'europe-west1';
/** The partners mask NEG reaches the two partner gateways of us-west1, and nothing else. */
const PARTNERS_REGION = 'us-west1';
const PARTNERS_MASK_NEG = negFullName(PARTNERS_REGION, 'partners-mask-neg-usw1');

let pubsub: Emulator;
let firestoreEmulator: Emulator;
let simulator: Simulator;
let auditSink: ReturnType<typeof createPubSubAuditSink>;
let onAuditLog: ServedFunction;
let onSweep: ServedFunction;
let db: Firestore;
let apigateway: apigateway_v1.Apigateway;

beforeAll(async () => {
  [pubsub, firestoreEmulator] = await Promise.all([startPubSubEmulator(), startFirestoreEmulator()]);
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  db = createFirestore({ projectId: HOST });
  await createTopic(pubsub.host, ALERT_TOPIC);
  await createSubscription(pubsub.host, ALERT_PULL, ALERT_TOPIC);

  auditSink = createPubSubAuditSink(AUDIT_TOPIC, pubsub.host);
  await auditSink.ensureTopic();
  simulator = await startSimulator({
    inventory: (await loadEstate(`examples/${ESTATE}`)).inventory,
    auditSink,
    principal: ACTOR,
  });
  apigateway = new apigateway_v1.Apigateway({ rootUrl: `${simulator.url}/` });
  const env = {
    GOOGLE_CLOUD_PROJECT: HOST,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_ALERT_TOPIC: ALERT_TOPIC,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
  };
  [onAuditLog, onSweep] = await Promise.all([
    serveFunction('onAuditLog', 'cloudevent', env),
    serveFunction('onSweep', 'cloudevent', env),
  ]);
  // The sweep a fresh install starts with: the snapshots (and the lists beside them) that events walk.
  await sweep(ESTATE);
  await drainAlerts();
  await createSubscription(pubsub.host, AUDIT_PUSH, AUDIT_TOPIC, `${onAuditLog.url}/${AUDIT_TOPIC}`);
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([onAuditLog?.stop(), onSweep?.stop()]);
  await simulator?.close();
  await auditSink?.close();
  await db?.terminate();
  await Promise.allSettled([pubsub?.stop(), firestoreEmulator?.stop()]);
}, 60_000);

async function sweep(project: string): Promise<void> {
  expect(await pushSweep(onSweep, SWEEP_TOPIC, { project }), onSweep.stderr()).toBeDefined();
}

async function drainAlerts(): Promise<void> {
  while ((await pullMessages(pubsub.host, ALERT_PULL, 100, 500)).length > 0) {
    // Keep pulling until the topic is quiet.
  }
}

interface AlertBody {
  readonly finding?: { readonly ruleId?: string; readonly resource?: string; readonly severity?: string };
}

/** Every alert on the topic now (after a quiet moment): what the event sent, nothing left behind. */
async function pullAllAlerts(): Promise<PulledMessage[]> {
  const pulled: PulledMessage[] = [];
  for (;;) {
    const batch = await pullMessages(pubsub.host, ALERT_PULL, 100, 1_000);
    if (batch.length === 0) return pulled;
    pulled.push(...batch);
  }
}

function alertsFor(alerts: readonly PulledMessage[], ruleId: string, resource: string): PulledMessage[] {
  return alerts.filter(
    (message) =>
      message.attributes.ruleId === ruleId &&
      (JSON.parse(message.data) as AlertBody).finding?.resource === resource,
  );
}

interface StoredFinding {
  readonly state: string;
  readonly severity: string;
  readonly subKey: string | null;
  readonly lastChange: { readonly method: string; readonly entryId: string; readonly actor: string } | null;
}

async function findingOf(ruleId: string, resource: string): Promise<StoredFinding | undefined> {
  const found = await db
    .collection('findings')
    .where('ruleId', '==', ruleId)
    .where('resource', '==', resource)
    .get();
  return found.docs[0]?.data() as StoredFinding | undefined;
}

function judgedLines(method: string, resource: string): LogLine[] {
  return onAuditLog
    .logs()
    .filter(
      (line) => line.message === 'change judged' && line.method === method && line.resource === resource,
    );
}

/** Waits for onAuditLog to judge `method` on `resource` once, and returns that line. */
async function judgedOnce(method: string, resource: string): Promise<LogLine> {
  const line = await eventually(
    `onAuditLog to judge ${method} on ${resource}`,
    () => judgedLines(method, resource)[0],
    60_000,
  );
  expect(line.status).toBe('judged');
  return line;
}

describe('URL-mask NEGs on the local stack', () => {
  test('the sweep judged both mask NEGs as reaching gateways, and found the ops console exposed', async () => {
    expect(await findingOf('neg.gateway-exists', PARTNERS_MASK_NEG)).toBeUndefined();
    expect(
      await findingOf('gateway.direct-url-protected', gatewayFullName(REPORTS_REGION, 'ops-admin-gw-euw1')),
    ).toMatchObject({ state: 'open', severity: 'CRITICAL' });
  });

  test('a gateway created in a mask NEG’s region opens its exposure finding in that one event, with one alert', async () => {
    const id = 'ops-batch-gw-euw1';
    const gateway = gatewayFullName(REPORTS_REGION, id);
    await apigateway.projects.locations.gateways.create({
      parent: `projects/${ESTATE}/locations/${REPORTS_REGION}`,
      gatewayId: id,
      requestBody: {
        apiConfig: 'projects/123456789012/locations/global/apis/ops-admin/configs/ops-admin-v3',
        displayName: id,
      },
    });
    const line = await judgedOnce(CREATE_GATEWAY, gateway);
    const exposure = await eventually('the exposure finding of the new gateway', () =>
      findingOf('gateway.direct-url-protected', gateway),
    );
    // Behind the reports service's Cloud Armor, serving the ops console's open operations: CRITICAL.
    expect(exposure).toMatchObject({
      state: 'open',
      severity: 'CRITICAL',
      lastChange: { method: CREATE_GATEWAY, entryId: line.entryId, actor: ACTOR },
    });
    expect(await findingOf('gateway.api-config-authenticated', gateway)).toMatchObject({
      state: 'open',
      lastChange: { entryId: line.entryId },
    });
    const alerts = await pullAllAlerts();
    const opened = alertsFor(alerts, 'gateway.direct-url-protected', gateway);
    expect(opened.map((message) => [message.attributes.transition, message.attributes.severity])).toEqual([
      ['opened', 'CRITICAL'],
    ]);
    // API Gateway's first and last entries are each judged (DESIGN.md §2); the first opened what the last confirms.
    const judged = judgedLines(CREATE_GATEWAY, gateway);
    expect(judged).toHaveLength(2);
    expect((judged[1]?.transitions as unknown[] | undefined) ?? []).toEqual([]);
  });

  test('deleting the last gateway of a mask NEG’s region opens neg.gateway-exists on the mask NEG', async () => {
    // bronze comes after the sweep: the mask NEG's stored snapshot never pointed at it, and the last delete is its.
    const bronzeId = 'partners-bronze-gw-usw1';
    await apigateway.projects.locations.gateways.create({
      parent: `projects/${ESTATE}/locations/${PARTNERS_REGION}`,
      gatewayId: bronzeId,
      requestBody: { apiConfig: 'projects/123456789012/locations/global/apis/partners/configs/partners-v2' },
    });
    await judgedOnce(CREATE_GATEWAY, gatewayFullName(PARTNERS_REGION, bronzeId));
    const deletions = ['partners-gold-gw-usw1', 'partners-silver-gw-usw1', bronzeId];
    for (const id of deletions.slice(0, -1)) {
      await apigateway.projects.locations.gateways.delete({ name: gatewayPath(PARTNERS_REGION, id) });
      await judgedOnce(DELETE_GATEWAY, gatewayFullName(PARTNERS_REGION, id));
      // A partner gateway is left for the mask to reach.
      expect((await findingOf('neg.gateway-exists', PARTNERS_MASK_NEG))?.state).not.toBe('open');
    }
    await drainAlerts();

    await apigateway.projects.locations.gateways.delete({ name: gatewayPath(PARTNERS_REGION, bronzeId) });
    const line = await judgedOnce(DELETE_GATEWAY, gatewayFullName(PARTNERS_REGION, bronzeId));
    const finding = await findingOf('neg.gateway-exists', PARTNERS_MASK_NEG);
    expect(finding).toMatchObject({
      state: 'open',
      lastChange: { method: DELETE_GATEWAY, entryId: line.entryId, actor: ACTOR },
    });
    const alerts = alertsFor(await pullAllAlerts(), 'neg.gateway-exists', PARTNERS_MASK_NEG);
    expect(alerts.map((message) => message.attributes.transition)).toEqual(['opened']);
  });
});
