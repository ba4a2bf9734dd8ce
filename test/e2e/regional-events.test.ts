// Every judged kind is event-driven, regional ones included: on the local stack (Pub/Sub and Firestore emulators, the
// simulator, onAuditLog and onSweep served by `npx functions-framework`), gcloud changes a regional load balancer,
// the audit entry flows to onAuditLog, and the right finding opens or resolves in that one event. And a project whose
// API Gateway API is disabled is swept, judged and recorded, not taken for an outage.

import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { mergeInventories } from '../../src/domain/inventory.js';
import { createPubSubAuditSink, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { cloneEstate } from '../support/clone-estate.js';
import {
  type Emulator,
  hasGcloud,
  startFirestoreEmulator,
  startPubSubEmulator,
} from '../support/emulators.js';
import {
  createRegionalLoadBalancer,
  GCLOUD_TIMEOUT_MS,
  type Gcloud,
  gcloudFor,
  REGION,
  REGIONAL,
} from '../support/gcloud.js';
import {
  createSubscription,
  eventually,
  type LogLine,
  pushSweep,
  type ServedFunction,
  serveFunction,
} from './local-stack.js';

const ESTATE = 'acme-edge';
/** The same load balancers in a project whose API Gateway API is off. */
const NO_GATEWAY = 'acme-nogw';
const RUN = randomBytes(4).toString('hex');
const HOST = `gw-regional-${RUN}`;
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit`;
const AUDIT_PUSH = `projects/${HOST}/subscriptions/audit-push`;
const SWEEP_TOPIC = `projects/${HOST}/topics/gatewarden-sweep`;
const GCLOUD = hasGcloud();
if (!GCLOUD) console.log('skipping the regional event tests: gcloud is not on PATH');

const regional = (collection: string, name: string) =>
  `//compute.googleapis.com/projects/${ESTATE}/regions/${REGION}/${collection}/${name}`;
const HTTPS_RULE = regional('forwardingRules', REGIONAL.httpsRule);
const HTTP_RULE = regional('forwardingRules', REGIONAL.httpRule);
const API_SERVICE = regional('backendServices', REGIONAL.apiService);

let pubsub: Emulator;
let firestoreEmulator: Emulator;
let simulator: Simulator;
let auditSink: ReturnType<typeof createPubSubAuditSink>;
let onAuditLog: ServedFunction;
let onSweep: ServedFunction;
let db: Firestore;
let gcloud: Gcloud;

beforeAll(async () => {
  if (!GCLOUD) return;
  [pubsub, firestoreEmulator] = await Promise.all([startPubSubEmulator(), startFirestoreEmulator()]);
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  db = createFirestore({ projectId: HOST });

  const estate = (await loadEstate(`examples/${ESTATE}`)).inventory;
  auditSink = createPubSubAuditSink(AUDIT_TOPIC, pubsub.host);
  await auditSink.ensureTopic();
  simulator = await startSimulator({
    inventory: mergeInventories(estate, cloneEstate(estate, NO_GATEWAY, '555000000777')),
    auditSink,
    platform: { disabledServices: [{ project: NO_GATEWAY, service: 'apigateway.googleapis.com' }] },
  });
  gcloud = gcloudFor(simulator.url, ESTATE);
  const env = {
    GOOGLE_CLOUD_PROJECT: HOST,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
  };
  [onAuditLog, onSweep] = await Promise.all([
    serveFunction('onAuditLog', 'cloudevent', env),
    serveFunction('onSweep', 'cloudevent', env),
    // Built before anything listens to the audit topic: its inserts are published to no subscription.
    createRegionalLoadBalancer(gcloud),
  ]);
  // The sweep a fresh install starts with: snapshots (the reverse edges events follow) and the first findings.
  await sweep(ESTATE);
  await createSubscription(pubsub.host, AUDIT_PUSH, AUDIT_TOPIC, `${onAuditLog.url}/${AUDIT_TOPIC}`);
}, 12 * GCLOUD_TIMEOUT_MS);

afterAll(async () => {
  await Promise.allSettled([onAuditLog?.stop(), onSweep?.stop()]);
  await simulator?.close();
  await auditSink?.close();
  await db?.terminate();
  gcloud?.cleanup();
  await Promise.allSettled([pubsub?.stop(), firestoreEmulator?.stop()]);
}, 60_000);

/** Sweeps one project through the served onSweep (a raw push, as the fan-out's message would arrive). */
async function sweep(project: string): Promise<LogLine> {
  const finished = await pushSweep(onSweep, SWEEP_TOPIC, { project });
  expect(finished, onSweep.stderr()).toBeDefined();
  return finished as LogLine;
}

interface StoredFinding {
  readonly state: string;
  readonly lastChange: { readonly method: string; readonly entryId: string } | null;
}

async function findingOf(ruleId: string, resource: string): Promise<StoredFinding | undefined> {
  const found = await db
    .collection('findings')
    .where('ruleId', '==', ruleId)
    .where('resource', '==', resource)
    .get();
  return found.docs[0]?.data() as StoredFinding | undefined;
}

/** The `change judged` line onAuditLog logged for the last entry of `method` on `resource`. */
function judgedLines(method: string): LogLine[] {
  return onAuditLog.logs().filter((line) => line.message === 'change judged' && line.method === method);
}

/**
 * Runs the gcloud change, then waits until the finding is in `state`, changed by exactly the event of `method`:
 * the one `change judged` line for that method carries the finding's last change.
 */
async function expectChange(
  args: readonly string[],
  method: string,
  finding: { readonly ruleId: string; readonly resource: string; readonly state: 'open' | 'resolved' },
): Promise<void> {
  const seen = judgedLines(method).length;
  await gcloud(args);
  const line = await eventually(`onAuditLog to judge ${method}`, () => judgedLines(method)[seen], 60_000);
  const stored = await eventually(`${finding.ruleId} on ${finding.resource} ${finding.state}`, async () => {
    const current = await findingOf(finding.ruleId, finding.resource);
    return current?.state === finding.state && current.lastChange?.method === method ? current : undefined;
  });
  expect(stored.lastChange?.entryId).toBe(line.entryId);
  expect(judgedLines(method)).toHaveLength(seen + 1);
}

const IN_REGION = `--region=${REGION}`;

describe.skipIf(!GCLOUD)('regional load balancers are event-driven on the local stack', () => {
  test('the first sweep judged the regional load balancer', async () => {
    expect((await findingOf('frontend.modern-tls', HTTPS_RULE))?.state).toBeUndefined();
    expect(await findingOf('backend.cloud-armor-attached', API_SERVICE)).toMatchObject({ state: 'open' });
  });

  test(
    'regionTargetHttpsProxies: moved to a TLS 1.0 policy opens frontend.modern-tls, moved back resolves it',
    async () => {
      const update = (policy: string) => [
        'compute',
        'target-https-proxies',
        'update',
        REGIONAL.httpsProxy,
        IN_REGION,
        `--ssl-policy=${policy}`,
        `--ssl-policy-region=${REGION}`,
      ];
      const method = 'v1.compute.regionTargetHttpsProxies.patch';
      const rule = { ruleId: 'frontend.modern-tls', resource: HTTPS_RULE };
      await expectChange(update(REGIONAL.oldTls), method, { ...rule, state: 'open' });
      await expectChange(update(REGIONAL.modernTls), method, { ...rule, state: 'resolved' });
    },
    4 * GCLOUD_TIMEOUT_MS,
  );

  test(
    'regionSslPolicies: the proxy’s policy lowered to TLS 1.0 opens frontend.modern-tls, raised again resolves it',
    async () => {
      const update = (version: string) => [
        'compute',
        'ssl-policies',
        'update',
        REGIONAL.modernTls,
        IN_REGION,
        `--min-tls-version=${version}`,
      ];
      const method = 'v1.compute.regionSslPolicies.patch';
      const rule = { ruleId: 'frontend.modern-tls', resource: HTTPS_RULE };
      await expectChange(update('1.0'), method, { ...rule, state: 'open' });
      await expectChange(update('1.2'), method, { ...rule, state: 'resolved' });
    },
    4 * GCLOUD_TIMEOUT_MS,
  );

  test(
    'regionUrlMaps: the plain-HTTP map pointed at the API opens frontend.https-only, pointed away resolves it',
    async () => {
      const update = (service: string) => [
        'compute',
        'url-maps',
        'set-default-service',
        REGIONAL.otherMap,
        IN_REGION,
        `--default-service=${service}`,
      ];
      const method = 'v1.compute.regionUrlMaps.update';
      const rule = { ruleId: 'frontend.https-only', resource: HTTP_RULE };
      await expectChange(update(REGIONAL.apiService), method, { ...rule, state: 'open' });
      await expectChange(update(REGIONAL.otherService), method, { ...rule, state: 'resolved' });
    },
    4 * GCLOUD_TIMEOUT_MS,
  );

  test(
    'regionTargetHttpProxies and forwardingRules: the HTTP proxy moved to the API map opens frontend.https-only; ' +
      'the rule retargeted to the HTTPS proxy resolves it, and back opens it; the proxy moved away resolves it',
    async () => {
      const proxyTo = (map: string) => [
        'compute',
        'target-http-proxies',
        'update',
        REGIONAL.httpProxy,
        IN_REGION,
        `--url-map=${map}`,
        `--url-map-region=${REGION}`,
      ];
      const ruleTo = (flag: string) => [
        'compute',
        'forwarding-rules',
        'set-target',
        REGIONAL.httpRule,
        IN_REGION,
        flag,
        `${flag.split('=')[0]}-region=${REGION}`,
      ];
      const setUrlMap = 'v1.compute.regionTargetHttpProxies.setUrlMap';
      const setTarget = 'v1.compute.forwardingRules.setTarget';
      const rule = { ruleId: 'frontend.https-only', resource: HTTP_RULE };
      await expectChange(proxyTo(REGIONAL.apiMap), setUrlMap, { ...rule, state: 'open' });
      await expectChange(ruleTo(`--target-https-proxy=${REGIONAL.httpsProxy}`), setTarget, {
        ...rule,
        state: 'resolved',
      });
      await expectChange(ruleTo(`--target-http-proxy=${REGIONAL.httpProxy}`), setTarget, {
        ...rule,
        state: 'open',
      });
      await expectChange(proxyTo(REGIONAL.otherMap), setUrlMap, { ...rule, state: 'resolved' });
    },
    8 * GCLOUD_TIMEOUT_MS,
  );

  test(
    'regionBackendServices and regionSecurityPolicies: a regional Cloud Armor policy attached resolves ' +
      'backend.cloud-armor-attached; a rule added to it re-judges the service; detached opens it again',
    async () => {
      const attach = (policy: string) => [
        'compute',
        'backend-services',
        'update',
        REGIONAL.apiService,
        IN_REGION,
        `--security-policy=${policy}`,
      ];
      const method = 'v1.compute.regionBackendServices.setSecurityPolicy';
      const rule = { ruleId: 'backend.cloud-armor-attached', resource: API_SERVICE };
      await expectChange(attach(REGIONAL.armor), method, { ...rule, state: 'resolved' });

      const addRule = 'v1.compute.regionSecurityPolicies.addRule';
      const seen = judgedLines(addRule).length;
      await gcloud([
        'compute',
        'security-policies',
        'rules',
        'create',
        '1000',
        `--security-policy=${REGIONAL.armor}`,
        IN_REGION,
        '--action=deny-403',
        '--src-ip-ranges=203.0.113.0/24',
      ]);
      const line = await eventually(
        `onAuditLog to judge ${addRule}`,
        () => judgedLines(addRule)[seen],
        60_000,
      );
      expect(line).toMatchObject({
        status: 'judged',
        resource: regional('securityPolicies', REGIONAL.armor),
      });
      // The policy is a hub: its referrers (the backend service) were found and judged with it.
      expect(Number(line.judged)).toBeGreaterThanOrEqual(2);

      await expectChange(attach(''), method, { ...rule, state: 'open' });
    },
    6 * GCLOUD_TIMEOUT_MS,
  );
});

describe.skipIf(!GCLOUD)('a project with the API Gateway API disabled', () => {
  test('is swept and judged (its NEGs point at no gateway), and its run record notes the disabled API', async () => {
    const finished = await sweep(NO_GATEWAY);
    expect(finished, JSON.stringify(finished)).toBeDefined();
    const runs = await db.collection('runs').where('project', '==', NO_GATEWAY).get();
    expect(runs.docs).toHaveLength(1);
    expect(runs.docs[0]?.data()).toMatchObject({
      status: 'complete',
      incompleteScopes: [],
      errors: [],
      disabledServices: [
        { project: NO_GATEWAY, service: 'apigateway.googleapis.com', kinds: ['gateway', 'apiConfig'] },
      ],
    });
    const neg = `//compute.googleapis.com/projects/${NO_GATEWAY}/regions/us-central1/networkEndpointGroups/orders-neg-usc1`;
    expect(await findingOf('neg.gateway-exists', neg)).toMatchObject({ state: 'open' });
    const asked = simulator.requests().filter((request) => request.path.includes(`${NO_GATEWAY}/locations`));
    expect(asked.map((request) => request.status)).toEqual([403]);
  });
});
