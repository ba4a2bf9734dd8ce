// The whole pipeline on the local stack: simulator mutation -> audit entries on the Pub/Sub emulator -> push to
// onAuditLog served by `npx functions-framework` -> findings in the Firestore emulator -> alerts on the alerts topic.

import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Firestore } from '@google-cloud/firestore';
import * as functions from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { apigateway_v1 } from 'googleapis/build/src/apis/apigateway/v1.js';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { composeFromEnvironment } from '../../functions/compose.js';
import { createHandlers } from '../../functions/handlers.js';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../../src/adapters/firestore/stores.js';
import type { AlertRecord } from '../../src/domain/alert.js';
import type { Finding } from '../../src/domain/finding.js';
import type { AlertSink } from '../../src/ports/alert-sink.js';
import type { FindingQueries } from '../../src/ports/finding-queries.js';
import { MemoryLogger } from '../../src/ports/logger.js';
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
  publish,
  pubsubCall,
  pushSweep,
  type ServedFunction,
  serveFunction,
  setPushEndpoint,
} from './local-stack.js';

const ESTATE = 'acme-edge';
const ACTOR = 'deployer@acme-edge.iam.gserviceaccount.com';
const PAYMENTS_BS = `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/payments-bs`;
const PAYMENTS_EVENTS_BS = `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/payments-events-bs`;
const ORDERS_BS = `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/orders-bs`;
const ORDERS_NEG_USC1 = `//compute.googleapis.com/projects/${ESTATE}/regions/us-central1/networkEndpointGroups/orders-neg-usc1`;
const GATEWAY = (region: string, name: string) => `projects/${ESTATE}/locations/${region}/gateways/${name}`;
/** How a gateway names its API config: by project number (gateways.json); the configs are named by project ID. */
const CONFIG = (id: string) => `projects/123456789012/locations/global/apis/orders/configs/${id}`;
const CONFIG_RECORD = (id: string) => `projects/${ESTATE}/locations/global/apis/orders/configs/${id}`;

// One project per run: the emulators keep each project's data apart, so reruns and parallel files never collide.
const PROJECT = `gw-e2e-${randomBytes(4).toString('hex')}`;
const AUDIT_TOPIC = `projects/${PROJECT}/topics/gatewarden-audit`;
const AUDIT_PUSH = `projects/${PROJECT}/subscriptions/audit-push`;
const AUDIT_TAP = `projects/${PROJECT}/subscriptions/audit-tap`;
const ALERT_TOPIC = `projects/${PROJECT}/topics/gatewarden-alerts`;
const ALERT_PULL = `projects/${PROJECT}/subscriptions/alerts-pull`;

let pubsub: Emulator;
let firestoreEmulator: Emulator;
let simulator: Simulator;
let auditSink: ReturnType<typeof createPubSubAuditSink>;
let onAuditLog: ServedFunction;
let onSweep: ServedFunction;
let report: ServedFunction;
let db: Firestore;
let findings: FindingQueries;
let compute: compute_v1.Compute;
let apigateway: apigateway_v1.Apigateway;
let functionEnv: Record<string, string>;

beforeAll(async () => {
  [pubsub, firestoreEmulator] = await Promise.all([startPubSubEmulator(), startFirestoreEmulator()]);
  // The Firestore client in this process (to check what the functions wrote) finds the emulator here.
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  db = createFirestore({ projectId: PROJECT });
  findings = createFirestoreStores(db).findings;

  await createTopic(pubsub.host, ALERT_TOPIC);
  await createSubscription(pubsub.host, ALERT_PULL, ALERT_TOPIC);

  const estate = (await loadEstate(`examples/${ESTATE}`)).inventory;
  const ordersV7 = estate.apiConfig.find((config) => config.name === CONFIG_RECORD('orders-v7'));
  // Without it, orders-v8 would be a config with no document: rules reading it could not decide.
  if (!ordersV7) throw new Error(`examples/${ESTATE} has no API config ${CONFIG_RECORD('orders-v7')}`);
  // orders-v8: the same document under a new config ID, as `gcloud api-gateway api-configs create` would make it.
  const ordersV8 = { ...ordersV7, name: CONFIG_RECORD('orders-v8'), displayName: 'orders-v8' };
  auditSink = createPubSubAuditSink(AUDIT_TOPIC, pubsub.host);
  await auditSink.ensureTopic();
  await createSubscription(pubsub.host, AUDIT_TAP, AUDIT_TOPIC);
  simulator = await startSimulator({
    inventory: { ...estate, apiConfig: [...estate.apiConfig, ordersV8] },
    auditSink,
    principal: ACTOR,
  });
  compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });
  apigateway = new apigateway_v1.Apigateway({ rootUrl: `${simulator.url}/` });

  functionEnv = {
    GOOGLE_CLOUD_PROJECT: PROJECT,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_ALERT_TOPIC: ALERT_TOPIC,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
    GATEWARDEN_SWEEP_PROJECTS: ESTATE,
  };
  [onAuditLog, onSweep, report] = await Promise.all([
    serveFunction('onAuditLog', 'cloudevent', functionEnv),
    serveFunction('onSweep', 'cloudevent', functionEnv),
    serveFunction('report', 'http', functionEnv),
  ]);
  await createSubscription(pubsub.host, AUDIT_PUSH, AUDIT_TOPIC, `${onAuditLog.url}/${AUDIT_TOPIC}`);

  // The sweep a fresh install starts with: snapshots for the reverse edges, the estate's existing findings.
  const swept = await sweepNow();
  expect(swept.transitions).toBeGreaterThan(0);
  await drainAlerts();
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([onAuditLog?.stop(), onSweep?.stop(), report?.stop()]);
  await simulator?.close();
  await auditSink?.close();
  await db?.terminate();
  await Promise.allSettled([pubsub?.stop(), firestoreEmulator?.stop()]);
}, 60_000);

/** Sweeps through the served onSweep (a raw push, as the scheduler topic's subscription would send it). */
async function sweepNow(): Promise<{ transitions: number }> {
  const summary = await pushSweep(onSweep, `projects/${PROJECT}/topics/gatewarden-sweep`, {
    projects: [ESTATE],
  });
  return { transitions: Number(summary?.transitions) };
}

async function drainAlerts(): Promise<void> {
  while ((await pullMessages(pubsub.host, ALERT_PULL, 100, 500)).length > 0) {
    // Keep pulling until the topic is quiet.
  }
}

interface AlertBody {
  readonly alertId?: string;
  readonly transition?: string;
  readonly finding?: { ruleId?: string; resource?: string };
  readonly change?: { actor?: string; method?: string } | null;
}

function alertBody(message: PulledMessage): AlertBody {
  return JSON.parse(message.data) as AlertBody;
}

/** Alerts for one rule on one resource, pulled until `count` arrived (or a quiet moment when checking for none). */
async function pullAlertsFor(ruleId: string, resource: string, count: number): Promise<PulledMessage[]> {
  const matching: PulledMessage[] = [];
  const deadline = Date.now() + 10_000;
  while (matching.length < count && Date.now() < deadline) {
    for (const message of await pullMessages(pubsub.host, ALERT_PULL, 50, 500)) {
      if (message.attributes.ruleId === ruleId && alertBody(message).finding?.resource === resource) {
        matching.push(message);
      }
    }
  }
  // Anything more for this finding would have been published before the function answered; one last look.
  for (const message of await pullMessages(pubsub.host, ALERT_PULL, 50, 500)) {
    if (message.attributes.ruleId === ruleId && alertBody(message).finding?.resource === resource) {
      matching.push(message);
    }
  }
  return matching;
}

async function openFinding(ruleId: string, resource: string): Promise<Finding | undefined> {
  const [finding] = await findings.query({ ruleId, resource, states: ['open'] });
  return finding;
}

function judged(lines: readonly LogLine[], resource: string, status?: string): LogLine[] {
  return lines.filter(
    (line) =>
      line.message === 'change judged' && line.resource === resource && (!status || line.status === status),
  );
}

/** `gcloud compute backend-services update --security-policy` (or `--no-security-policy`) calls setSecurityPolicy. */
async function setArmor(securityPolicy: string | null): Promise<void> {
  await compute.backendServices.setSecurityPolicy({
    project: ESTATE,
    backendService: 'payments-bs',
    requestBody: { securityPolicy },
  });
}

async function moveGateway(region: string, name: string, config: string): Promise<void> {
  await apigateway.projects.locations.gateways.patch({
    name: GATEWAY(region, name),
    updateMask: 'apiConfig',
    requestBody: { apiConfig: CONFIG(config) },
  });
}

const GATEWAY_FULL = (region: string, name: string) => `//apigateway.googleapis.com/${GATEWAY(region, name)}`;

describe('the pipeline on the local stack', () => {
  test('removing Cloud Armor: audit entry -> push -> finding with the actor -> alert on the topic; first entry ignored', async () => {
    simulator.clearRequests();
    const logStart = onAuditLog.logs().length;
    await setArmor(null);
    const finding = await eventually('backend.cloud-armor-attached to open on payments-bs', () =>
      openFinding('backend.cloud-armor-attached', PAYMENTS_BS),
    );
    expect(finding.lastChange).toMatchObject({
      actor: ACTOR,
      method: 'v1.compute.backendServices.setSecurityPolicy',
    });

    const [alert, ...more] = await pullAlertsFor('backend.cloud-armor-attached', PAYMENTS_BS, 1);
    expect(more).toEqual([]);
    expect(alert?.attributes).toMatchObject({
      ruleId: 'backend.cloud-armor-attached',
      transition: 'opened',
      project: ESTATE,
    });
    expect(alertBody(alert as PulledMessage).change).toMatchObject({ actor: ACTOR });

    // `first` and `last` both arrived; only `last` was acted on (one judgement, one re-read of the service).
    const lines = await eventually('the first entry to be logged as ignored', () => {
      const seen = onAuditLog.logs().slice(logStart);
      return seen.some((line) => String(line.reason).startsWith('first entry')) ? seen : undefined;
    });
    expect(
      judged(lines, `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/payments-bs`),
    ).toHaveLength(1);
    const reads = simulator
      .requests()
      .filter(
        (request) => request.method === 'GET' && request.path.endsWith('/global/backendServices/payments-bs'),
      );
    expect(reads).toHaveLength(1);
  });

  test('the same entry three times (twice re-published under new message IDs, concurrently re-pushed): one transition, one alert', async () => {
    await setArmor(
      `https://www.googleapis.com/compute/v1/projects/${ESTATE}/global/securityPolicies/payments-armor`,
    );
    await eventually('the finding to resolve', async () =>
      (await openFinding('backend.cloud-armor-attached', PAYMENTS_BS)) ? undefined : true,
    );
    await drainAlerts();
    while ((await pullMessages(pubsub.host, AUDIT_TAP, 100, 500)).length > 0) {
      // Start from a quiet tap.
    }
    await setArmor(null);
    await eventually('the finding to reopen', () => openFinding('backend.cloud-armor-attached', PAYMENTS_BS));
    const entries = await pullMessages(pubsub.host, AUDIT_TAP, 2, 5000);
    const last = entries.map((message) => message.data).find((data) => data.includes('"last":true'));
    expect(last).toBeDefined();

    const logStart = onAuditLog.logs().length;
    await publish(pubsub.host, AUDIT_TOPIC, [last as string, last as string]);
    const push = (messageId: string) =>
      fetch(`${onAuditLog.url}/${AUDIT_TOPIC}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          subscription: AUDIT_PUSH,
          message: {
            data: Buffer.from(last as string).toString('base64'),
            messageId,
            publishTime: new Date().toISOString(),
          },
        }),
      });
    const answers = await Promise.all([push('dup-1'), push('dup-1'), push('dup-2')]);
    expect(answers.map((answer) => answer.status)).toEqual([204, 204, 204]);
    await eventually('five duplicate judgements', () => {
      const duplicates = judged(onAuditLog.logs().slice(logStart), PAYMENTS_BS, 'duplicate');
      return duplicates.length >= 5 ? duplicates : undefined;
    });

    const reopened = await openFinding('backend.cloud-armor-attached', PAYMENTS_BS);
    const history = await findings.history(reopened?.id ?? '');
    expect(history.map((record) => record.transition)).toEqual(['opened', 'resolved', 'reopened']);
    const alerts = await pullAlertsFor('backend.cloud-armor-attached', PAYMENTS_BS, 1);
    expect(alerts.map((message) => message.attributes.transition)).toEqual(['reopened']);
  });

  test('a gateway moved to another config opens backend.gateways-equivalent; moving it back resolves it, alerted both times', async () => {
    await drainAlerts();
    await moveGateway('europe-west2', 'orders-gw-euw2', 'orders-v8');
    const opened = await eventually('gateways-equivalent to open on orders-bs', () =>
      openFinding('backend.gateways-equivalent', ORDERS_BS),
    );
    expect(opened.lastChange?.method).toBe('google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway');
    // orders-v8 carries orders-v7's document, so every rule on the moved gateway could decide.
    expect(
      await findings.query({
        resource: GATEWAY_FULL('europe-west2', 'orders-gw-euw2'),
        states: ['undetermined'],
      }),
    ).toEqual([]);
    await moveGateway('europe-west2', 'orders-gw-euw2', 'orders-v7');
    await eventually('gateways-equivalent to resolve on orders-bs', async () =>
      (await openFinding('backend.gateways-equivalent', ORDERS_BS)) ? undefined : true,
    );
    const alerts = await pullAlertsFor('backend.gateways-equivalent', ORDERS_BS, 2);
    expect(alerts.map((message) => message.attributes.transition)).toEqual(['opened', 'resolved']);
    expect(alertBody(alerts[1] as PulledMessage).transition).toBe('resolved');
  });

  test('changes delivered in reverse order converge to the final state (a sweep afterwards changes nothing)', async () => {
    await drainAlerts();
    // Hold the push subscription while two changes happen, then deliver their entries newest first. Only two of
    // the three gateways move, so the final state (gateways on different configs) is judged unlike the start.
    await setPushEndpoint(pubsub.host, AUDIT_PUSH, undefined);
    await moveGateway('us-central1', 'orders-gw-usc1', 'orders-v8');
    await moveGateway('europe-west2', 'orders-gw-euw2', 'orders-v8');
    const held = await pullMessages(pubsub.host, AUDIT_PUSH, 4, 10_000);
    await setPushEndpoint(pubsub.host, AUDIT_PUSH, `${onAuditLog.url}/${AUDIT_TOPIC}`);
    expect(held).toHaveLength(4);
    for (const message of [...held].reverse()) {
      const response = await fetch(`${onAuditLog.url}/${AUDIT_TOPIC}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          subscription: AUDIT_PUSH,
          message: {
            data: Buffer.from(message.data).toString('base64'),
            messageId: message.messageId,
            publishTime: message.publishTime,
          },
        }),
      });
      expect(response.status).toBe(204);
    }
    expect(await openFinding('backend.gateways-equivalent', ORDERS_BS)).toMatchObject({ state: 'open' });
    // The test before opened and resolved this finding, so here it reopens, once.
    const alerts = await pullAlertsFor('backend.gateways-equivalent', ORDERS_BS, 1);
    expect(alerts.map((message) => message.attributes.transition)).toEqual(['reopened']);
    expect((await sweepNow()).transitions).toBe(0);

    // The later tests start from all three gateways on one config again.
    await moveGateway('asia-northeast1', 'orders-gw-ane1', 'orders-v8');
    await eventually('gateways-equivalent to resolve on orders-bs', async () =>
      (await openFinding('backend.gateways-equivalent', ORDERS_BS)) ? undefined : true,
    );
  });

  test('deleting a gateway opens neg.gateway-exists on the NEG that points at it', async () => {
    await drainAlerts();
    await apigateway.projects.locations.gateways.delete({ name: GATEWAY('us-central1', 'orders-gw-usc1') });
    const finding = await eventually('neg.gateway-exists to open', () =>
      openFinding('neg.gateway-exists', ORDERS_NEG_USC1),
    );
    expect(finding.lastChange).toMatchObject({
      actor: ACTOR,
      method: 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway',
    });
    const alerts = await pullAlertsFor('neg.gateway-exists', ORDERS_NEG_USC1, 1);
    expect(alerts.map((message) => message.attributes.transition)).toEqual(['opened']);
    expect(
      await openFinding('gateway.api-config-authenticated', GATEWAY_FULL('us-central1', 'orders-gw-usc1')),
    ).toBeUndefined();
  });

  test('poison of every kind: 2xx, a quarantine record each, no Google API call', async () => {
    simulator.clearRequests();
    const poison = [
      '{"protoPayload": ',
      JSON.stringify({
        logName: `projects/${ESTATE}/logs/syslog`,
        insertId: 'x1',
        jsonPayload: { message: 'hello' },
      }),
      "You have successfully configured real time feed 'gatewarden' on parent 'projects/123456789012'",
      JSON.stringify({
        asset: { name: PAYMENTS_BS, assetType: 'compute.googleapis.com/BackendService' },
        priorAssetState: 'PRESENT',
      }),
    ];
    await publish(pubsub.host, AUDIT_TOPIC, poison);
    // Data that is not base64 cannot travel through Pub/Sub; it can still reach the endpoint.
    const direct = await fetch(`${onAuditLog.url}/${AUDIT_TOPIC}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subscription: AUDIT_PUSH,
        message: { data: '%%% not base64 %%%', messageId: 'poison-direct' },
      }),
    });
    expect(direct.status).toBe(204);
    const records = await eventually('five quarantine records', async () => {
      const snapshot = await db.collection('quarantine').get();
      return snapshot.size >= 5 ? snapshot.docs.map((doc) => doc.data()) : undefined;
    });
    const reasons = records.map((record) => String(record.reason));
    for (const expected of [
      'Cloud Asset Inventory feed message',
      'Cloud Asset Inventory feed welcome',
      'not JSON',
      'not base64',
      'no protoPayload',
    ]) {
      expect(
        reasons.filter((reason) => reason.includes(expected)),
        expected,
      ).toHaveLength(1);
    }
    for (const record of records) {
      // A raw push converted by the framework names the topic (Eventarc's envelope would name the subscription).
      expect(record).toMatchObject({
        eventType: 'google.cloud.pubsub.topic.v1.messagePublished',
        deliveredBy: `//pubsub.googleapis.com/${AUDIT_TOPIC}`,
        messageId: expect.any(String),
      });
    }
    expect(simulator.requests()).toEqual([]);
  });

  test('report serves the open findings as JSON', async () => {
    const response = await fetch(`${report.url}/?format=json&project=${ESTATE}&rule=neg.gateway-exists`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { findings: Finding[] };
    expect(body.findings.map((finding) => finding.resource)).toContain(ORDERS_NEG_USC1);
  });
});

describe('a crash between the Firestore commit and the alert publish', () => {
  /** Fails its first send before any channel is reached, as an instance dying after the commit would. */
  class CrashOnceSink implements AlertSink {
    readonly name: string;
    private crashed = false;
    constructor(private readonly inner: AlertSink) {
      this.name = inner.name;
    }
    async send(alerts: readonly AlertRecord[]): Promise<void> {
      if (!this.crashed) {
        this.crashed = true;
        throw new Error('instance lost before publishing');
      }
      await this.inner.send(alerts);
    }
  }

  test('the emulator redelivers after the 500 and exactly one alert goes out', async () => {
    const log = new MemoryLogger();
    const deps = await composeFromEnvironment({ env: functionEnv, log });
    const handlers = createHandlers({ ...deps, sinks: deps.sinks.map((sink) => new CrashOnceSink(sink)) });
    functions.cloudEvent('onAuditLogCrashOnce', handlers.onAuditLog);
    const server: Server = getTestServer('onAuditLogCrashOnce');
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const crashEndpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${AUDIT_TOPIC}`;
    const crashPush = `projects/${PROJECT}/subscriptions/crash-push`;
    try {
      await drainAlerts();
      // This change goes to the crashing instance only.
      await setPushEndpoint(pubsub.host, AUDIT_PUSH, undefined);
      await createSubscription(pubsub.host, crashPush, AUDIT_TOPIC, crashEndpoint);
      await compute.backendServices.patch({
        project: ESTATE,
        backendService: 'payments-events-bs',
        requestBody: { logConfig: { enable: false } },
      });
      const finding = await eventually('backend.logging-enabled to open on payments-events-bs', () =>
        openFinding('backend.logging-enabled', PAYMENTS_EVENTS_BS),
      );
      expect(finding.lastChange?.actor).toBe(ACTOR);
      await eventually('the redelivery to be judged a duplicate', () =>
        log.entries.some((entry) => entry.message === 'change judged' && entry.fields.status === 'duplicate')
          ? true
          : undefined,
      );
      expect(log.text()).toContain('alert delivery failed; asking for redelivery');
      const alerts = await pullAlertsFor('backend.logging-enabled', PAYMENTS_EVENTS_BS, 1);
      expect(alerts.map((message) => message.attributes.transition)).toEqual(['opened']);
    } finally {
      await pubsubCall(pubsub.host, 'DELETE', crashPush, {}, [200, 404]);
      await pullMessages(pubsub.host, AUDIT_PUSH, 100, 1000);
      await setPushEndpoint(pubsub.host, AUDIT_PUSH, `${onAuditLog.url}/${AUDIT_TOPIC}`);
      await new Promise((done) => server.close(done));
    }
  });
});
