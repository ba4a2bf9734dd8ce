// Firestore round trips and documents read per change, for the changes URL-mask NEGs are about (a gateway created,
// updated or deleted in a mask NEG's region, a mask NEG created) and controls without masks, on the local stack:
// acme-edge swept into the Firestore emulator, each change made through the simulator's API, its audit entries pushed
// by the Pub/Sub emulator to onAuditLog served by the Functions Framework with both traces loaded.
//
//   tsc -p tsconfig.bench.json; node dist/bench/mask-event-reads.js

import { existsSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { apigateway_v1 } from 'googleapis/build/src/apis/apigateway/v1.js';
import { compute_beta } from 'googleapis/build/src/apis/compute/beta.js';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { loadEstate } from '../src/adapters/estate-files/load-estate.js';
import { createPubSubAuditSink, startSimulator } from '../src/simulator/index.js';
import { createSubscription, createTopic, eventually, serveFunction } from '../test/e2e/local-stack.js';
import { startFirestoreEmulator, startPubSubEmulator } from '../test/support/emulators.js';

const ESTATE = 'acme-edge';
const HOST = `gw-maskreads-${Date.now().toString(36)}`;
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit`;
const AUDIT_PUSH = `projects/${HOST}/subscriptions/audit-push`;
const RPC_FILE = join(tmpdir(), `${HOST}-rpc.json`);
const READS_FILE = join(tmpdir(), `${HOST}-reads.json`);
const CONFIG = (api: string, config: string) =>
  `projects/123456789012/locations/global/apis/${api}/configs/${config}`;
const GATEWAY = (region: string, id: string) => `projects/${ESTATE}/locations/${region}/gateways/${id}`;

type Counts = Record<string, number>;

function readCounts(file: string): Counts {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Counts) : {};
}

function minus(after: Counts, before: Counts): Counts {
  const delta: Counts = {};
  for (const [key, value] of Object.entries(after)) {
    const change = value - (before[key] ?? 0);
    if (change !== 0) delta[key] = change;
  }
  return delta;
}

const total = (counts: Counts) => Object.values(counts).reduce((sum, value) => sum + value, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const env = { ...process.env, FIRESTORE_EMULATOR_HOST: '', PUBSUB_EMULATOR_HOST: '' };
  const [pubsub, firestoreEmulator] = await Promise.all([
    startPubSubEmulator(env),
    startFirestoreEmulator(env),
  ]);
  const auditSink = createPubSubAuditSink(AUDIT_TOPIC, pubsub.host);
  await auditSink.ensureTopic();
  await createTopic(pubsub.host, `projects/${HOST}/topics/gatewarden-alerts`);
  const simulator = await startSimulator({
    inventory: (await loadEstate(`examples/${ESTATE}`)).inventory,
    auditSink,
  });
  const functionEnv = {
    GOOGLE_CLOUD_PROJECT: HOST,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_ALERT_TOPIC: `projects/${HOST}/topics/gatewarden-alerts`,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
  };
  const trace = (name: string) => pathToFileURL(fileURLToPath(new URL(name, import.meta.url)));
  const [onAuditLog, onSweep] = await Promise.all([
    serveFunction('onAuditLog', 'cloudevent', {
      ...functionEnv,
      NODE_OPTIONS: `--import ${trace('./firestore-trace.js')} --import ${trace('./firestore-read-trace.js')}`,
      BENCH_FIRESTORE_TRACE_FILE: RPC_FILE,
      BENCH_FIRESTORE_READS_FILE: READS_FILE,
    }),
    serveFunction('onSweep', 'cloudevent', functionEnv),
  ]);
  try {
    const swept = await fetch(`${onSweep.url}/projects/${HOST}/topics/gatewarden-sweep`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        subscription: `projects/${HOST}/subscriptions/sweep-push`,
        message: {
          data: Buffer.from(JSON.stringify({ project: ESTATE })).toString('base64'),
          messageId: 'sweep-1',
          publishTime: new Date().toISOString(),
        },
      }),
    });
    if (swept.status !== 204) throw new Error(`the sweep answered ${swept.status}: ${onSweep.stderr()}`);
    await createSubscription(pubsub.host, AUDIT_PUSH, AUDIT_TOPIC, `${onAuditLog.url}/${AUDIT_TOPIC}`);

    const compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });
    const computeBeta = new compute_beta.Compute({ rootUrl: `${simulator.url}/` });
    const apigateway = new apigateway_v1.Apigateway({ rootUrl: `${simulator.url}/` });
    const gateways = apigateway.projects.locations.gateways;
    const rename = (region: string, id: string, displayName: string) => () =>
      gateways.patch({ name: GATEWAY(region, id), updateMask: 'displayName', requestBody: { displayName } });

    const changes: { name: string; resource: string; method: string; run: () => Promise<unknown> }[] = [
      {
        name: 'warm-up: backend service patched (not measured)',
        resource: `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/storefront-bs`,
        method: 'v1.compute.backendServices.patch',
        run: () =>
          compute.backendServices.patch({
            project: ESTATE,
            backendService: 'storefront-bs',
            requestBody: { description: 'warm' },
          }),
      },
      {
        name: 'backend service orders-bs patched (control, no mask)',
        resource: `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/orders-bs`,
        method: 'v1.compute.backendServices.patch',
        run: () =>
          compute.backendServices.patch({
            project: ESTATE,
            backendService: 'orders-bs',
            requestBody: { description: 'orders, three regions' },
          }),
      },
      {
        name: 'gateway updated, region without mask NEGs (orders-gw-usc1)',
        resource: `//apigateway.googleapis.com/${GATEWAY('us-central1', 'orders-gw-usc1')}`,
        method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
        run: rename('us-central1', 'orders-gw-usc1', 'orders (us-central1)'),
      },
      {
        name: 'gateway updated in a mask NEG region (reports-gw-euw1)',
        resource: `//apigateway.googleapis.com/${GATEWAY('europe-west1', 'reports-gw-euw1')}`,
        method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
        run: rename('europe-west1', 'reports-gw-euw1', 'reports (europe-west1)'),
      },
      {
        name: 'gateway created, region without mask NEGs (catalog-gw-usc1)',
        resource: `//apigateway.googleapis.com/${GATEWAY('us-central1', 'catalog-gw-usc1')}`,
        method: 'google.cloud.apigateway.v1.ApiGatewayService.CreateGateway',
        run: () =>
          gateways.create({
            parent: `projects/${ESTATE}/locations/us-central1`,
            gatewayId: 'catalog-gw-usc1',
            requestBody: { apiConfig: CONFIG('orders', 'orders-v7') },
          }),
      },
      {
        name: 'gateway created in a mask NEG region (ops-batch-gw-euw1)',
        resource: `//apigateway.googleapis.com/${GATEWAY('europe-west1', 'ops-batch-gw-euw1')}`,
        method: 'google.cloud.apigateway.v1.ApiGatewayService.CreateGateway',
        run: () =>
          gateways.create({
            parent: `projects/${ESTATE}/locations/europe-west1`,
            gatewayId: 'ops-batch-gw-euw1',
            requestBody: { apiConfig: CONFIG('ops-admin', 'ops-admin-v3') },
          }),
      },
      {
        name: 'gateway deleted in a mask NEG region (ops-batch-gw-euw1)',
        resource: `//apigateway.googleapis.com/${GATEWAY('europe-west1', 'ops-batch-gw-euw1')}`,
        method: 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway',
        run: () => gateways.delete({ name: GATEWAY('europe-west1', 'ops-batch-gw-euw1') }),
      },
      {
        name: 'mask NEG created in a region with two gateways (us-west1)',
        resource: `//compute.googleapis.com/projects/${ESTATE}/regions/us-west1/networkEndpointGroups/extra-mask-neg-usw1`,
        method: 'beta.compute.regionNetworkEndpointGroups.insert',
        run: () =>
          computeBeta.regionNetworkEndpointGroups.insert({
            project: ESTATE,
            region: 'us-west1',
            requestBody: {
              name: 'extra-mask-neg-usw1',
              networkEndpointType: 'SERVERLESS',
              serverlessDeployment: { platform: 'apigateway.googleapis.com', urlMask: '<gateway>.x.example' },
            },
          }),
      },
    ];

    const rows: string[] = [];
    for (const change of changes) {
      const judged = () =>
        onAuditLog
          .logs()
          .filter(
            (line) =>
              line.message === 'change judged' &&
              line.method === change.method &&
              line.resource === change.resource,
          );
      const seen = judged().length;
      const logsBefore = onAuditLog.logs().length;
      await sleep(500);
      const rpcBefore = readCounts(RPC_FILE);
      const readsBefore = readCounts(READS_FILE);
      await change.run();
      await eventually(`${change.name} to be judged`, () => judged()[seen], 60_000);
      // Both audit entries (first and last) have been delivered once the second is judged; let the traces flush.
      await sleep(1_500);
      const judgedCounts = judged()
        .slice(seen)
        .map((entry) => entry.judged)
        .join(' + ');
      const rpc = minus(readCounts(RPC_FILE), rpcBefore);
      const reads = minus(readCounts(READS_FILE), readsBefore);
      const retries = onAuditLog
        .logs()
        .slice(logsBefore)
        .filter((entry) => /neighbourhood changed|redelivery/.test(String(entry.message)));
      if (retries.length > 0) process.stderr.write(`${change.name}: ${JSON.stringify(retries)}\n`);
      if (change.name.startsWith('warm-up')) continue;
      rows.push(
        `| ${change.name} | ${judgedCounts} | ${total(rpc)} (${Object.entries(rpc)
          .map(([key, value]) => `${value} ${key}`)
          .join(', ')}) | ${total(reads)} |`,
      );
    }
    process.stdout.write(
      `load average ${loadavg()
        .map((value) => value.toFixed(2))
        .join(
          ' / ',
        )}\n\n| change (both audit entries) | judged (per entry) | Firestore round trips | documents read |\n|---|--:|---|--:|\n${rows.join('\n')}\n`,
    );
  } finally {
    await Promise.allSettled([onAuditLog.stop(), onSweep.stop()]);
    await simulator.close();
    await auditSink.close();
    await Promise.allSettled([pubsub.stop(), firestoreEmulator.stop()]);
  }
}

await main();
