// Fault tolerance on the local stack: the simulator injects API storms, stale reads and 403s; the Pub/Sub emulator
// pushes and redelivers to onAuditLog served by the Functions Framework; findings, history, run records and skipped
// events land in the Firestore emulator. Counts come from the simulator's request log and Firestore, never from sleeps.

import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { composeFromEnvironment } from '../../functions/compose.js';
import { createHandlers, type Handlers } from '../../functions/handlers.js';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { documentIdOf } from '../../src/adapters/firestore/encoding.js';
import { createFirestoreStores } from '../../src/adapters/firestore/stores.js';
import { createGoogleApisSource } from '../../src/adapters/googleapis/googleapis-source.js';
import type { Finding } from '../../src/domain/finding.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import type { FindingQueries } from '../../src/ports/finding-queries.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import {
  type AuditLogEntry,
  type AuditSink,
  createPubSubAuditSink,
  type FaultRule,
  type RequestLogEntry,
  type Simulator,
  startSimulator,
} from '../../src/simulator/index.js';
import { createSubscription, createTopic, eventually, setPushEndpoint } from '../e2e/local-stack.js';
import { postJson, pushBody, type ServedFunctions, serveHandlers } from '../functions/framework-server.js';
import {
  type Emulator,
  pullMessages,
  startFirestoreEmulator,
  startPubSubEmulator,
} from '../support/emulators.js';

const ESTATE = 'acme-edge';
const LOCKED = 'acme-locked';
const RUN = randomBytes(4).toString('hex');
const HOST = `gw-faults-${RUN}`;
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit`;
const AUDIT_PUSH = `projects/${HOST}/subscriptions/audit-push`;
const ALERT_TOPIC = `projects/${HOST}/topics/gatewarden-alerts`;
const ALERT_PULL = `projects/${HOST}/subscriptions/alerts-pull`;
/** Retries quick enough for a test; the budget shape (attempts, then fail the invocation) is production's. */
const RETRY = { baseDelayMs: 20, maxDelayMs: 100, budgetMs: 2_000, maxAttempts: 4 };
const RATE_PER_SECOND = 8;
const MAX_DELIVERY_ATTEMPTS = 3;

const bsPath = (project: string, name: string) =>
  `/compute/v1/projects/${project}/global/backendServices/${name}`;
const bsFull = (project: string, name: string) =>
  `//compute.googleapis.com/projects/${project}/global/backendServices/${name}`;

let pubsub: Emulator;
let firestoreEmulator: Emulator;
let simulator: Simulator;
let served: ServedFunctions;
let handlers: Handlers;
let db: Firestore;
let findings: FindingQueries;
let compute: compute_v1.Compute;
const log = new MemoryLogger();
/** Every audit entry the simulator published, in order (so a test can deliver one itself). */
const published: AuditLogEntry[] = [];

/** The example estate under another project ID and number. */
function cloneEstate(estate: Inventory, project: string, number: string): Inventory {
  const text = JSON.stringify({ ...estate, projectIds: {}, incomplete: [] })
    .replaceAll('acme-edge', project)
    .replaceAll('123456789012', number);
  return { ...(JSON.parse(text) as Inventory), projectIds: { [number]: project } };
}

function mergeInventories(a: Inventory, b: Inventory): Inventory {
  const merged = JSON.parse(JSON.stringify(a)) as Record<string, unknown[]> & Inventory;
  for (const [key, value] of Object.entries(b)) {
    if (Array.isArray(value)) (merged[key] as unknown[]).push(...value);
  }
  return { ...merged, projectIds: { ...a.projectIds, ...b.projectIds } };
}

beforeAll(async () => {
  [pubsub, firestoreEmulator] = await Promise.all([startPubSubEmulator(), startFirestoreEmulator()]);
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  db = createFirestore({ projectId: HOST });
  findings = createFirestoreStores(db).findings;
  await createTopic(pubsub.host, ALERT_TOPIC);
  await createSubscription(pubsub.host, ALERT_PULL, ALERT_TOPIC);

  const estate = (await loadEstate(`examples/${ESTATE}`)).inventory;
  const toPubSub = createPubSubAuditSink(AUDIT_TOPIC, pubsub.host);
  await toPubSub.ensureTopic();
  const auditSink: AuditSink = {
    publish: async (entries) => {
      published.push(...entries);
      await toPubSub.publish(entries);
    },
    close: () => toPubSub.close(),
  };
  simulator = await startSimulator({
    inventory: mergeInventories(estate, cloneEstate(estate, LOCKED, '555000000009')),
    auditSink,
  });
  compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });

  const deps = await composeFromEnvironment({
    env: {
      GOOGLE_CLOUD_PROJECT: HOST,
      FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      GATEWARDEN_API_ENDPOINT: simulator.url,
      GATEWARDEN_ALERT_TOPIC: ALERT_TOPIC,
      GATEWARDEN_DIGEST_WINDOW_MS: '0',
      GATEWARDEN_MAX_EVENT_AGE: '1h',
    },
    log,
  });
  handlers = createHandlers({
    ...deps,
    source: await createGoogleApisSource({
      endpoint: simulator.url,
      retry: RETRY,
      rateLimit: { perSecond: RATE_PER_SECOND, burst: RATE_PER_SECOND },
    }),
    maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS,
  });
  served = await serveHandlers(handlers);
  await createSubscription(pubsub.host, AUDIT_PUSH, AUDIT_TOPIC, `${served.onAuditLog}/${AUDIT_TOPIC}`);

  for (const project of [ESTATE, LOCKED]) await sweep(project);
  await drainAlerts();
}, 240_000);

afterAll(async () => {
  await served?.close();
  await simulator?.close();
  await db?.terminate();
  await Promise.allSettled([pubsub?.stop(), firestoreEmulator?.stop()]);
}, 60_000);

/** One project sweep through onSweep (as the fan-out's own message would ask for it); answers its HTTP status. */
async function sweep(project: string): Promise<number> {
  const answer = await postJson(
    `${served.onSweep}/projects/${HOST}/topics/gatewarden-sweep`,
    pushBody(
      JSON.stringify({ project }),
      `sweep-${project}-${Date.now()}`,
      `projects/${HOST}/subscriptions/sweep`,
    ),
  );
  return answer.status;
}

async function drainAlerts(): Promise<
  { transition: string; ruleId: string; resource: string; id: string }[]
> {
  const alerts: { transition: string; ruleId: string; resource: string; id: string }[] = [];
  for (;;) {
    const batch = await pullMessages(pubsub.host, ALERT_PULL, 100, 500);
    if (batch.length === 0) return alerts;
    for (const message of batch) {
      const body = JSON.parse(message.data) as { alertId: string; finding: { resource: string } };
      alerts.push({
        transition: message.attributes.transition ?? '',
        ruleId: message.attributes.ruleId ?? '',
        resource: body.finding.resource,
        id: body.alertId,
      });
    }
  }
}

async function findingOf(ruleId: string, resource: string): Promise<Finding | undefined> {
  const [finding] = await findings.query({ ruleId, resource });
  return finding;
}

async function historyOf(findingId: string): Promise<{ transition: string; revision: number }[]> {
  const snapshot = await db.collection('findings').doc(findingId).collection('history').get();
  return snapshot.docs
    .map((doc) => ({ transition: String(doc.get('transition')), revision: Number(doc.get('revision')) }))
    .sort((a, b) => a.revision - b.revision);
}

function getsOf(path: string, from: readonly RequestLogEntry[] = simulator.requests()): RequestLogEntry[] {
  return from.filter((request) => request.method === 'GET' && request.path === path);
}

async function setLogging(project: string, name: string, enable: boolean): Promise<void> {
  await compute.backendServices.patch({
    project,
    backendService: name,
    requestBody: { logConfig: { enable } },
  });
}

/** The `last` entry the simulator published for the newest change to `resourceName` (what the event path acts on). */
function lastEntryFor(resourceSuffix: string): AuditLogEntry {
  const entry = [...published]
    .reverse()
    .find(
      (candidate) =>
        candidate.operation.last === true &&
        String(candidate.protoPayload.resourceName).endsWith(resourceSuffix),
    );
  if (!entry) throw new Error(`no last entry for ${resourceSuffix}`);
  return entry;
}

async function deliver(entry: AuditLogEntry, messageId: string): Promise<number> {
  const answer = await postJson(
    `${served.onAuditLog}/${AUDIT_TOPIC}`,
    pushBody(JSON.stringify(entry), messageId, AUDIT_PUSH),
  );
  return answer.status;
}

/** Delivers as Pub/Sub would: a failed push (any non-2xx) is pushed again, up to the dead-letter limit. */
async function deliverUntilAcked(entry: AuditLogEntry, messageId: string): Promise<number> {
  for (let attempt = 1; attempt <= MAX_DELIVERY_ATTEMPTS + 1; attempt += 1) {
    if ((await deliver(entry, messageId)) === 204) return attempt;
  }
  throw new Error(`${messageId} was never acknowledged`);
}

async function skippedOf(reason: string): Promise<Record<string, unknown>[]> {
  const snapshot = await db.collection('skipped').where('reason', '==', reason).get();
  return snapshot.docs.map((doc) => doc.data());
}

/** Failed deliveries the ledger counted for this entry. */
async function failuresCounted(entry: AuditLogEntry): Promise<number> {
  const ledger = await db
    .collection('deliveries')
    .doc(documentIdOf(entryIdOf(entry)))
    .get();
  return Number(ledger.get('failures') ?? 0);
}

/** The most requests in any one-second window of the log: what a per-second quota would see. */
function peakPerSecond(requests: readonly RequestLogEntry[]): number {
  const times = requests.map((request) => request.startMs).sort((a, b) => a - b);
  let peak = 0;
  for (let start = 0, end = 0; start < times.length; start += 1) {
    while (end < times.length && (times[end] ?? 0) < (times[start] ?? 0) + 1000) end += 1;
    peak = Math.max(peak, end - start);
  }
  return peak;
}

describe('API storms', () => {
  const SHORT_BURSTS: readonly { name: string; fault: Omit<FaultRule, 'path'> }[] = [
    { name: '403 rateLimitExceeded', fault: { status: 403, reason: 'rateLimitExceeded', times: 2 } },
    { name: '429', fault: { status: 429, times: 2 } },
    { name: '503', fault: { status: 503, times: 2 } },
  ];

  test.each(SHORT_BURSTS)(
    'a burst of two $name on the re-read is retried within the invocation: three GETs, one judgement',
    async ({ fault }) => {
      const path = bsPath(ESTATE, 'payments-events-bs');
      const before = await findingOf('backend.logging-enabled', bsFull(ESTATE, 'payments-events-bs'));
      const enable = before?.state === 'open';
      simulator.setFaults([{ path, method: 'GET', ...fault }]);
      simulator.clearRequests();
      await setLogging(ESTATE, 'payments-events-bs', enable);
      const expected = enable ? 'resolved' : 'open';
      await eventually(`backend.logging-enabled to be ${expected}`, async () => {
        const finding = await findingOf('backend.logging-enabled', bsFull(ESTATE, 'payments-events-bs'));
        return finding?.state === expected ? finding : undefined;
      });
      const gets = getsOf(path);
      expect(gets.map((request) => request.status)).toEqual([fault.status, fault.status, 200]);
      expect(await failuresCounted(lastEntryFor('payments-events-bs'))).toBe(0);
      simulator.setFaults([]);
    },
  );

  test('a storm longer than the retry budget fails the invocation; Pub/Sub redelivers and the change converges', async () => {
    const path = bsPath(ESTATE, 'storefront-bs');
    // Four attempts per invocation: the first delivery meets four 503s, the second two and then the answer.
    simulator.setFaults([{ path, method: 'GET', status: 503, times: 6 }]);
    simulator.clearRequests();
    await setLogging(ESTATE, 'storefront-bs', false);
    const finding = await eventually(
      'backend.logging-enabled to open on storefront-bs after a redelivery',
      () => findingOf('backend.logging-enabled', bsFull(ESTATE, 'storefront-bs')),
      60_000,
    );
    expect(finding.state).toBe('open');
    const statuses = getsOf(path).map((request) => request.status);
    expect(statuses).toEqual([503, 503, 503, 503, 503, 503, 200]);
    const entry = lastEntryFor('storefront-bs');
    const ledger = await db
      .collection('deliveries')
      .doc(documentIdOf(entryIdOf(entry)))
      .get();
    expect(ledger.get('failures')).toBe(1);
    expect(String(ledger.get('lastReason'))).toContain('RetriesExhaustedError');
    expect(log.text()).toContain('audit change failed; asking for redelivery');
    simulator.setFaults([]);
  }, 90_000);

  test(`a storm that never ends: ${MAX_DELIVERY_ATTEMPTS} failed deliveries, then acknowledged and recorded as skipped`, async () => {
    const path = bsPath(ESTATE, 'legacy-vm-bs');
    simulator.setFaults([{ path, method: 'GET', status: 503 }]);
    simulator.clearRequests();
    await setLogging(ESTATE, 'legacy-vm-bs', false);
    const entry = lastEntryFor('legacy-vm-bs');
    const [skipped] = await eventually(
      'the event to be skipped after too many attempts',
      async () => {
        const records = (await skippedOf('too-many-attempts')).filter(
          (record) => record.entryId === entryIdOf(entry),
        );
        // The handler writes the skip record, then counts the outcome once the use case returns: until that
        // delivery has finished, the record can be seen while the counter still reads 0.
        return records.length > 0 && handlers.counters.overAttempts >= 1 ? records : undefined;
      },
      90_000,
    );
    expect(skipped).toMatchObject({
      resource: bsFull(ESTATE, 'legacy-vm-bs'),
      deliveryAttempt: MAX_DELIVERY_ATTEMPTS + 1,
    });
    // Each failed delivery spent its four attempts; the skipped one made no call at all.
    expect(getsOf(path)).toHaveLength(MAX_DELIVERY_ATTEMPTS * RETRY.maxAttempts);
    expect(handlers.counters.overAttempts).toBeGreaterThanOrEqual(1);
    simulator.setFaults([]);
  }, 120_000);

  test(`the request rate stays under the configured ${RATE_PER_SECOND}/s per project, retries included`, async () => {
    // Every aggregated list answers 429 once: a sweep's whole first wave is retried at once.
    simulator.setFaults([{ path: `/compute/v1/projects/${ESTATE}/aggregated/*`, status: 429, times: 8 }]);
    simulator.clearRequests();
    expect(await sweep(ESTATE)).toBe(204);
    const requests = simulator.requests().filter((request) => request.path.includes(`/projects/${ESTATE}/`));
    expect(requests.filter((request) => request.status === 429)).toHaveLength(8);
    expect(requests.length).toBeGreaterThan(2 * RATE_PER_SECOND);
    // A token bucket allows its burst plus the rate in any one second.
    expect(peakPerSecond(requests)).toBeLessThanOrEqual(2 * RATE_PER_SECOND);
    simulator.setFaults([]);
  }, 60_000);
});

/** The entry ID the event path derives from an entry (its dedupe and ledger key). */
function entryIdOf(entry: AuditLogEntry): string {
  const parsed = parseLogEntry(entry);
  if (parsed.outcome !== 'change') throw new Error(`not a change: ${JSON.stringify(parsed)}`);
  return parsed.event.entryId;
}

describe('stale reads', () => {
  test('the first two GETs after re-adding Cloud Armor still show it removed: redelivered, resolved once, never on stale data', async () => {
    const resource = bsFull(ESTATE, 'payments-bs');
    const path = bsPath(ESTATE, 'payments-bs');
    await compute.backendServices.setSecurityPolicy({
      project: ESTATE,
      backendService: 'payments-bs',
      requestBody: { securityPolicy: null },
    });
    const opened = await eventually('backend.cloud-armor-attached to open', async () => {
      const finding = await findingOf('backend.cloud-armor-attached', resource);
      return finding?.state === 'open' ? finding : undefined;
    });
    await drainAlerts();

    simulator.setFaults([{ path, staleReads: 2 }]);
    simulator.clearRequests();
    await compute.backendServices.setSecurityPolicy({
      project: ESTATE,
      backendService: 'payments-bs',
      requestBody: {
        securityPolicy: `https://www.googleapis.com/compute/v1/projects/${ESTATE}/global/securityPolicies/payments-armor`,
      },
    });
    await eventually(
      'backend.cloud-armor-attached to resolve',
      async () =>
        (await findingOf('backend.cloud-armor-attached', resource))?.state === 'resolved' ? true : undefined,
      60_000,
    );
    const gets = getsOf(path);
    expect(gets.map((request) => request.fault ?? 'fresh')).toEqual(['stale read', 'stale read', 'fresh']);
    expect(await failuresCounted(lastEntryFor('payments-bs'))).toBe(2);
    const history = await historyOf(opened.id);
    expect(history.slice(-2).map((record) => record.transition)).toEqual(['opened', 'resolved']);
    const alerts = (await drainAlerts()).filter((alert) => alert.resource === resource);
    expect(alerts.map((alert) => alert.transition)).toEqual(['resolved']);
    simulator.setFaults([]);
  }, 90_000);
});

describe('permission denied on one project', () => {
  test('a sweep of the locked project: one call per list, no retries, an incomplete run record; the other project judged', async () => {
    simulator.setFaults([{ path: `/compute/*/projects/${LOCKED}/**`, status: 403, reason: 'forbidden' }]);
    simulator.clearRequests();
    expect(await sweep(LOCKED)).toBe(204);
    expect(await sweep(ESTATE)).toBe(204);
    const locked = simulator.requests().filter((request) => request.path.includes(`/projects/${LOCKED}/`));
    const denied = locked.filter((request) => request.status === 403);
    // No retry storm: each denied call was made once.
    expect(new Set(denied.map((request) => `${request.path}?${request.query.pageToken ?? ''}`)).size).toBe(
      denied.length,
    );
    expect(denied.length).toBeGreaterThan(0);
    expect(denied.length).toBeLessThanOrEqual(9);

    const runs = await db.collection('runs').get();
    const latest = (project: string) =>
      runs.docs
        .map((doc) => doc.data())
        .filter((run) => run.project === project)
        .sort((a, b) => Number(b.startedAt.toMillis()) - Number(a.startedAt.toMillis()))[0];
    expect(latest(LOCKED)).toMatchObject({ status: 'incomplete' });
    expect(String(latest(LOCKED)?.errors)).toContain('PERMISSION_DENIED');
    expect(latest(ESTATE)).toMatchObject({ status: 'complete' });
    // What was open in the locked project stays open: a 403 proves nothing about the resources.
    expect((await findings.query({ project: LOCKED, states: ['open'] })).length).toBeGreaterThan(0);
    simulator.setFaults([]);
  }, 60_000);

  test('an event in the locked project: one GET, acknowledged, an `error` record; an event next door is judged', async () => {
    simulator.setFaults([
      { path: `/compute/*/projects/${LOCKED}/**`, method: 'GET', status: 403, reason: 'forbidden' },
    ]);
    simulator.clearRequests();
    await setLogging(LOCKED, 'payments-bs', false);
    await setLogging(ESTATE, 'payments-bs', false);
    const [record] = await eventually('an error record for the locked event', async () => {
      const records = (await skippedOf('error')).filter(
        (candidate) => candidate.resource === bsFull(LOCKED, 'payments-bs'),
      );
      return records.length > 0 ? records : undefined;
    });
    expect(String(record?.error)).toContain('PermissionDeniedError');
    await eventually('backend.logging-enabled to open next door', async () =>
      (await findingOf('backend.logging-enabled', bsFull(ESTATE, 'payments-bs')))?.state === 'open'
        ? true
        : undefined,
    );
    expect(getsOf(bsPath(LOCKED, 'payments-bs'))).toHaveLength(1);
    expect(await failuresCounted(lastEntryFor(`${LOCKED}/global/backendServices/payments-bs`))).toBe(0);
    simulator.setFaults([]);
  }, 60_000);
});

const ALLOWED_FROM: Readonly<Record<string, readonly string[]>> = {
  none: ['opened'],
  open: ['resolved', 'updated', 'escalated'],
  resolved: ['reopened'],
};

describe('contention and races', () => {
  test('20 events on one backend service, delivered while it keeps changing: one final state, gapless history, one alert per transition', async () => {
    const name = 'orders-bs';
    const resource = bsFull(ESTATE, name);
    await drainAlerts();
    const initial = await findingOf('backend.logging-enabled', resource);
    const historyAtStart = initial ? (await historyOf(initial.id)).length : 0;
    await setPushEndpoint(pubsub.host, AUDIT_PUSH, undefined);
    try {
      const started = simulator.requests().length;
      const deliveries: Promise<number>[] = [];
      for (let index = 0; index < 20; index += 1) {
        // Odd changes switch logging off, even ones on: the last (index 19) leaves it off.
        await setLogging(ESTATE, name, index % 2 === 0);
        deliveries.push(deliverUntilAcked(lastEntryFor(name), `contention-${RUN}-${index}`));
      }
      await setLogging(ESTATE, name, false);
      deliveries.push(deliverUntilAcked(lastEntryFor(name), `contention-${RUN}-final`));
      const attempts = await Promise.all(deliveries);
      expect(attempts.every((count) => count >= 1)).toBe(true);
      expect(simulator.requests().length - started).toBeGreaterThanOrEqual(21);
    } finally {
      await pullMessages(pubsub.host, AUDIT_PUSH, 1000, 1000);
      await setPushEndpoint(pubsub.host, AUDIT_PUSH, `${served.onAuditLog}/${AUDIT_TOPIC}`);
    }
    const finding = await findingOf('backend.logging-enabled', resource);
    expect(finding?.state).toBe('open');
    const history = await historyOf(finding?.id ?? '');
    expect(history.map((record) => record.revision)).toEqual(history.map((_, index) => index));
    // Every transition follows from the state before it: no lost or doubled step.
    let state = 'none';
    for (const record of history) {
      const allowed = ALLOWED_FROM[state] ?? [];
      expect(allowed, `${record.revision}: ${record.transition} after ${state}`).toContain(record.transition);
      state = record.transition === 'resolved' ? 'resolved' : 'open';
    }
    const alerts = (await drainAlerts()).filter(
      (alert) => alert.resource === resource && alert.ruleId === 'backend.logging-enabled',
    );
    const alertable = history
      .slice(historyAtStart)
      .filter((record) => record.transition !== 'updated')
      .map((record) => record.transition);
    expect(alerts.map((alert) => alert.transition)).toEqual(alertable);
    expect(new Set(alerts.map((alert) => alert.id)).size).toBe(alerts.length);
    // A fresh scan of the simulator's final state (the sweep) agrees with what the events left.
    const before = await historyOf(finding?.id ?? '');
    expect(await sweep(ESTATE)).toBe(204);
    const afterSweep = await historyOf(finding?.id ?? '');
    expect(afterSweep).toEqual(before);
  }, 120_000);

  test('a sweep racing the events of three changes ends where either alone would: nothing left for a later sweep', async () => {
    await setPushEndpoint(pubsub.host, AUDIT_PUSH, undefined);
    // legacy-vm-bs holds no serverless NEG: the rule does not apply to it, so its change must leave no finding.
    const fronting = ['payments-events-bs', 'storefront-bs'];
    const names = [...fronting, 'legacy-vm-bs'];
    const stateOf = (name: string) =>
      findingOf('backend.logging-enabled', bsFull(ESTATE, name)).then((finding) => finding?.state);
    let entries: AuditLogEntry[];
    let expected: (string | undefined)[];
    try {
      // Each change flips logging, so each fronting service's finding must end flipped from its state before.
      const stateBefore = await Promise.all(names.map(stateOf));
      expect(stateBefore.at(-1)).toBeUndefined();
      expected = [
        ...stateBefore.slice(0, fronting.length).map((state) => (state === 'open' ? 'resolved' : 'open')),
        undefined,
      ];
      for (const [index, name] of names.entries()) {
        await setLogging(ESTATE, name, stateBefore[index] === 'open');
      }
      entries = names.map((name) => lastEntryFor(name));
      const answers = await Promise.all([
        sweep(ESTATE),
        ...entries.map((entry, index) => deliver(entry, `race-${RUN}-${index}`)),
      ]);
      expect(answers).toEqual([204, 204, 204, 204]);
    } finally {
      await pullMessages(pubsub.host, AUDIT_PUSH, 1000, 1000);
      await setPushEndpoint(pubsub.host, AUDIT_PUSH, `${served.onAuditLog}/${AUDIT_TOPIC}`);
    }
    expect(await Promise.all(names.map(stateOf))).toEqual(expected);
    // Either alone: a sweep now, and each change's event judged once more, change nothing. The events go again
    // under new insert IDs: the same entry IDs would be duplicates, skipped before any judgement.
    const historyBefore = (await db.collectionGroup('history').get()).size;
    expect(await sweep(ESTATE)).toBe(204);
    const judgedBefore = handlers.counters.judged;
    for (const [index, entry] of entries.entries()) {
      const again = { ...entry, insertId: `${entry.insertId}-again-${RUN}` };
      expect(await deliver(again, `race-again-${RUN}-${index}`)).toBe(204);
    }
    expect(handlers.counters.judged - judgedBefore).toBe(entries.length);
    expect((await db.collectionGroup('history').get()).size).toBe(historyBefore);
    expect(await Promise.all(names.map(stateOf))).toEqual(expected);
  }, 120_000);
});

describe('events past their time', () => {
  test('an entry older than the maximum age is acknowledged without a call and recorded as too old', async () => {
    const entry = {
      ...lastEntryFor('payments-bs'),
      insertId: `old-${RUN}`,
      timestamp: new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString(),
    };
    simulator.clearRequests();
    const staleBefore = handlers.counters.stale;
    expect(await deliver(entry, `old-${RUN}`)).toBe(204);
    expect(simulator.requests()).toEqual([]);
    expect(handlers.counters.stale).toBe(staleBefore + 1);
    const records = (await skippedOf('too-old')).filter((record) => record.entryId === entryIdOf(entry));
    expect(records).toHaveLength(1);
    expect(Number(records[0]?.ageMs)).toBeGreaterThan(60 * 60 * 1000);
  });
});
