// Event pipeline benchmark (issue 4): distinct, unchanged audit entries pushed to onAuditLog served by the real
// Functions Framework on the local stack, timed per request, against a floor measured in the same run (the same
// Google API reads and one Firestore transaction per event, done by a bare script); counts Firestore writes per event.

import { readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FieldValue, type Firestore, Timestamp } from '@google-cloud/firestore';
import { apigateway_v1 } from 'googleapis/build/src/apis/apigateway/v1.js';
import { compute_beta } from 'googleapis/build/src/apis/compute/beta.js';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { loadEstate } from '../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../src/adapters/firestore/client.js';
import { documentIdOf } from '../src/adapters/firestore/encoding.js';
import { ResourceGraph } from '../src/domain/graph.js';
import { type Inventory, mergeInventories } from '../src/domain/inventory.js';
import { HUB_KINDS, type ResourceKind } from '../src/domain/resource-kind.js';
import { kindOfRef, parseResourceRef, type ResourceRef } from '../src/domain/resource-name.js';
import { type AuditLogEntry, buildAuditEntries, type Mutation } from '../src/simulator/audit-entries.js';
import { createTopic, type LogLine, REPO_ROOT, serveFunction } from '../test/e2e/local-stack.js';
import { cloneEstate } from '../test/support/clone-estate.js';
import { startFirestoreEmulator, startPubSubEmulator } from '../test/support/emulators.js';
import { postJson, pushBody } from '../test/support/push-delivery.js';
import { firestoreRequests, type RequestCounts } from './firestore-trace.js';
import {
  SERVE_FLAG,
  serveUntilStdinEnds,
  simulatorRequests,
  startSimulatorProcess,
} from './simulator-process.js';

interface Options {
  readonly events: number;
  readonly concurrency: number;
}

/** One measured event: the resource it points at, its audit entry, and what the event path will read for it. */
interface PlannedEvent {
  readonly resource: string;
  readonly kind: ResourceKind;
  readonly entry: AuditLogEntry;
  /** Full names read from the Google APIs, in order: the changed resource, then references without a snapshot. */
  readonly reads: readonly string[];
  /** Resources judged (whose findings the reconcile transaction queries). */
  readonly scope: readonly string[];
}

interface Timed {
  readonly ms: number[];
  readonly wallMs: number;
  readonly failures: number;
}

const HOST = `gw-pipe-${Date.now().toString(36)}`;
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit`;
const ALERT_TOPIC = `projects/${HOST}/topics/gatewarden-alerts`;
/** acme-edge holds 20 resources an event can name (5 backend services, 9 NEGs, 6 gateways): 50 copies make 1,000. */
const EVENT_KINDS: ReadonlySet<ResourceKind> = new Set(['backendService', 'networkEndpointGroup', 'gateway']);
/** Extra projects whose resources warm both the function and the floor up (connections, JIT) unmeasured. */
const WARM_UP_PROJECTS = 2;
// The same walk as audit-change's collectScope: hubs (HUB_KINDS) are not climbed from, and a scope stops at 500.
const MAX_SCOPE = 500;
const IN_CHUNK = 30;
const ACTOR = 'deployer@acme-edge.iam.gserviceaccount.com';

function readOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const index = argv.indexOf(`--${name}`);
    if (index < 0) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isSafeInteger(parsed) || parsed < 1) {
      throw new Error(`--${name} needs a whole number above 0, got ${argv[index + 1]}`);
    }
    return parsed;
  };
  return { events: value('events', 1000), concurrency: value('concurrency', 8) };
}

function projectName(index: number): string {
  return `acme-pipe-${String(index).padStart(3, '0')}`;
}

/** acme-edge copied into `count` projects, each with its own ID and number (as scripts/soak.ts does). */
async function replicatedEstate(count: number): Promise<Inventory> {
  const estate = (await loadEstate(`${REPO_ROOT}/examples/acme-edge`)).inventory;
  return mergeInventories(
    ...Array.from({ length: count }, (_, index) =>
      cloneEstate(estate, projectName(index), `5550000${String(index).padStart(5, '0')}`),
    ),
  );
}

function projectsFor(events: number): number {
  return Math.ceil(events / 20) + WARM_UP_PROJECTS;
}

function kindOfName(name: string): ResourceKind | undefined {
  const ref = parseResourceRef(name);
  return ref ? kindOfRef(ref) : undefined;
}

/**
 * What audit-change's collectScope reaches from `start` when every resource has its sweep snapshot: referrers and
 * references level by level (hubs not climbed from), names without a snapshot read live. Recomputed here so the
 * floor's transaction queries the same resources; checked against the `judged` count the function logs.
 */
function scopeOf(graph: ResourceGraph, start: string): { reads: string[]; scope: string[] } {
  const visited = new Set([start]);
  const scope = new Set(graph.find(start) ? [start] : []);
  const reads = [start];
  let frontier = [start];
  while (frontier.length > 0 && visited.size < MAX_SCOPE) {
    const next: string[] = [];
    const climb = frontier.filter(
      (name) => name === start || !HUB_KINDS.has(kindOfName(name) ?? 'backendService'),
    );
    const referrers = climb.flatMap((name) => graph.referrersOf(name));
    const downward = frontier.flatMap((name) => {
      const node = graph.find(name);
      return node ? graph.referencesOf(node) : [];
    });
    const wanted = [...new Set(downward)].filter((name) => !visited.has(name) && kindOfName(name));
    const stored = wanted.flatMap((name) => {
      const node = graph.find(name);
      return node && node.fullName === name ? [node] : [];
    });
    for (const node of [...referrers, ...stored]) {
      if (visited.has(node.fullName)) continue;
      visited.add(node.fullName);
      scope.add(node.fullName);
      next.push(node.fullName);
    }
    const storedNames = new Set(stored.map((node) => node.fullName));
    for (const name of wanted.filter((candidate) => !storedNames.has(candidate) && !visited.has(candidate))) {
      visited.add(name);
      reads.push(name);
    }
    frontier = next;
  }
  return { reads, scope: [...scope] };
}

/** A `last` audit entry for a change that left the resource as it was, dated `time`. */
function unchangedEntry(name: string, kind: ResourceKind, time: Date, id: string): AuditLogEntry {
  const resourceName = name.replace(/^\/\/[^/]+\//, '');
  const mutation: Mutation =
    kind === 'gateway'
      ? { service: 'apigateway', verb: 'update', resourceName, body: {}, updateMask: 'labels' }
      : kind === 'networkEndpointGroup'
        ? { service: 'compute', version: 'beta', verb: 'insert', resourceName, body: {} }
        : { service: 'compute', version: 'v1', verb: 'patch', resourceName, body: {} };
  const [, last] = buildAuditEntries(mutation, {
    principal: ACTOR,
    time,
    insertIds: [`${id}-first`, `${id}-last`],
  });
  return last;
}

function planEvents(
  graph: ResourceGraph,
  projects: readonly string[],
  time: Date,
  prefix: string,
): PlannedEvent[] {
  const perProject = projects.map((project) =>
    [...EVENT_KINDS].flatMap((kind) =>
      graph.nodes(kind).flatMap((node) => (node.project === project ? [{ node, kind }] : [])),
    ),
  );
  // Round robin over the projects: distinct events spread over the estate, not one project's burst.
  const ordered = Array.from({ length: Math.max(0, ...perProject.map((nodes) => nodes.length)) }, (_, turn) =>
    perProject.flatMap((nodes) => (nodes[turn] ? [nodes[turn]] : [])),
  ).flat();
  return ordered.map(({ node, kind }, index) => ({
    resource: node.fullName,
    kind,
    entry: unchangedEntry(node.fullName, kind, time, `${prefix}-${index}`),
    ...scopeOf(graph, node.fullName),
  }));
}

/** An audit entry as the sink's push subscription delivers it, stamped with the entry's own time. */
function auditPush(entry: AuditLogEntry, messageId: string) {
  return pushBody(JSON.stringify(entry), messageId, `projects/${HOST}/subscriptions/audit-push`, {
    attributes: { 'logging.googleapis.com/timestamp': entry.timestamp },
    publishTime: new Date().toISOString(),
  });
}

/** Posts `body` as a push subscription would and answers the status the function gave. */
async function post(url: string, body: unknown): Promise<number> {
  return (await postJson(url, body)).status;
}

/** Runs `work` on every item, `concurrency` at a time, timing each from start to end. */
async function timeEach<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<boolean>,
): Promise<Timed> {
  const ms: number[] = [];
  let failures = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let index = next++; index < items.length; index = next++) {
        const begun = performance.now();
        const ok = await work(items[index] as T, index);
        ms.push(performance.now() - begun);
        if (!ok) failures += 1;
      }
    }),
  );
  return { ms, wallMs: performance.now() - started, failures };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function summarise(timed: Timed) {
  const sorted = [...timed.ms].sort((a, b) => a - b);
  const round = (value: number) => Number(value.toFixed(1));
  return {
    count: sorted.length,
    failures: timed.failures,
    p50Ms: round(percentile(sorted, 50)),
    p95Ms: round(percentile(sorted, 95)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
    wallS: Number((timed.wallMs / 1000).toFixed(1)),
    perSecond: round(sorted.length / (timed.wallMs / 1000)),
  };
}

/** Every document (subcollections included) with its update time, to see what a phase created or changed. */
async function documentTimes(db: Firestore): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  const visit = async (collections: Awaited<ReturnType<Firestore['listCollections']>>) => {
    for (const collection of collections) {
      const snapshot = await collection.get();
      for (const doc of snapshot.docs) {
        times.set(doc.ref.path, doc.updateTime.toMillis());
        await visit(await doc.ref.listCollections());
      }
    }
  };
  await visit(await db.listCollections());
  return times;
}

function writtenBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const written: Record<string, number> = {};
  for (const [path, time] of after) {
    if (before.get(path) === time) continue;
    const collection = path
      .split('/')
      .filter((_, index) => index % 2 === 0)
      .join('/');
    written[collection] = (written[collection] ?? 0) + 1;
  }
  return written;
}

/** The googleapis call the adapter makes for a name (same client modules, same methods). */
function floorGetter(
  clients: { v1: compute_v1.Compute; beta: compute_beta.Compute; gateway: apigateway_v1.Apigateway },
  ref: ResourceRef,
): () => Promise<unknown> {
  const { project, location, name } = ref;
  const kind = kindOfRef(ref);
  if (kind === 'backendService' && ref.scope === 'global') {
    return () => clients.v1.backendServices.get({ project, backendService: name });
  }
  if (kind === 'networkEndpointGroup' && ref.scope === 'regions') {
    return () =>
      clients.beta.regionNetworkEndpointGroups.get({ project, region: location, networkEndpointGroup: name });
  }
  if (kind === 'gateway') {
    return () => clients.gateway.projects.locations.gateways.get({ name: `projects/${project}/${ref.path}` });
  }
  throw new Error(`bench: the floor has no getter for ${ref.collection} (${ref.scope}); add one`);
}

/**
 * How the floor's one transaction reads the scope's findings: `query`, by `resourceKey in [...]` (30 per query), or
 * `by-id`, the resources' index documents then the findings they list (the lists the event path keeps beside the
 * snapshots), the cheapest a bare script can do on this data.
 */
type FloorShape = 'query' | 'by-id';

/** The bare floor for one event: its Google reads in order, then one transaction (the findings + a dedupe record). */
function floorWork(
  db: Firestore,
  clients: Parameters<typeof floorGetter>[0],
  shape: FloorShape,
): (event: PlannedEvent, index: number) => Promise<boolean> {
  return async (event, index) => {
    for (const name of event.reads) {
      const ref = parseResourceRef(name);
      if (!ref) throw new Error(`bench: ${name} is not a resource name`);
      try {
        await floorGetter(clients, ref)();
      } catch (error) {
        // The event path reads missing references too (a 404 is an answer: the resource is gone).
        if ((error as { status?: number }).status !== 404) throw error;
      }
    }
    const keys = [...new Set(event.scope.map(documentIdOf))];
    const eventId = `floor-${shape}-${index}-${event.entry.insertId}`;
    await db.runTransaction(
      async (tx) => {
        if (shape === 'query') {
          const chunks: string[][] = [];
          for (let start = 0; start < keys.length; start += IN_CHUNK)
            chunks.push(keys.slice(start, start + IN_CHUNK));
          await Promise.all(
            chunks.map((chunk) => tx.get(db.collection('findings').where('resourceKey', 'in', chunk))),
          );
        } else {
          const lists = keys.map((key) => db.collection('resourceIndex').doc(key));
          const docs = await tx.getAll(...lists, { fieldMask: ['findingIds'] });
          const ids = docs.flatMap((doc) =>
            ((doc.get('findingIds') as string[] | undefined) ?? []).map(String),
          );
          if (ids.length > 0) await tx.getAll(...ids.map((id) => db.collection('findings').doc(id)));
        }
        tx.set(db.collection('floorEvents').doc(documentIdOf(eventId)), {
          entryId: eventId,
          processedAt: FieldValue.serverTimestamp(),
          transitions: 0,
          expiresAt: Timestamp.fromMillis(Date.now() + 7 * 24 * 3600 * 1000),
        });
      },
      { maxAttempts: 20 },
    );
    return true;
  };
}

const TRACE_FILE = join(tmpdir(), `${HOST}-firestore-requests.json`);

/** onAuditLog's Firestore requests so far, as its trace last wrote them (waits for one more write first). */
async function functionRequests(): Promise<RequestCounts> {
  await new Promise((resolve) => setTimeout(resolve, 600));
  try {
    return JSON.parse(readFileSync(TRACE_FILE, 'utf8')) as RequestCounts;
  } catch {
    return {};
  }
}

function difference(after: RequestCounts, before: RequestCounts): RequestCounts {
  return Object.fromEntries(Object.entries(after).map(([rpc, count]) => [rpc, count - (before[rpc] ?? 0)]));
}

function sum(a: RequestCounts, b: RequestCounts): RequestCounts {
  const total: RequestCounts = { ...a };
  for (const [rpc, count] of Object.entries(b)) total[rpc] = (total[rpc] ?? 0) + count;
  return total;
}

/** Requests per event by RPC, and their total. */
function perEvent(counts: RequestCounts, events: number): Record<string, number> {
  const round = (value: number) => Number((value / events).toFixed(2));
  const all = Object.values(counts).reduce((total, count) => total + count, 0);
  return {
    ...Object.fromEntries(Object.entries(counts).map(([rpc, count]) => [rpc, round(count)])),
    total: round(all),
  };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function collectionOfPath(path: string): string {
  const match = /\/(backendServices|networkEndpointGroups|gateways|urlMaps|apis|configs)\/[^/]+$/.exec(path);
  return match?.[1] ?? path;
}

async function main(options: Options): Promise<void> {
  const say = (line: string) => process.stderr.write(`bench: ${line}\n`);
  const machine = {
    date: new Date().toISOString(),
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Number((totalmem() / 1024 ** 3).toFixed(1)),
    node: process.version,
    loadAverageAtStart: loadavg().map((value) => Number(value.toFixed(2))),
  };
  const projectCount = projectsFor(options.events);
  const projects = Array.from({ length: projectCount }, (_, index) => projectName(index));
  const measuredProjects = projects.slice(0, projectCount - WARM_UP_PROJECTS);
  const warmUpProjects = projects.slice(projectCount - WARM_UP_PROJECTS);
  const graph = ResourceGraph.build(await replicatedEstate(projectCount));

  const env = { ...process.env, FIRESTORE_EMULATOR_HOST: '', PUBSUB_EMULATOR_HOST: '' };
  const [pubsub, firestoreEmulator] = await Promise.all([
    startPubSubEmulator(env),
    startFirestoreEmulator(env),
  ]);
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  const cleanups: (() => unknown)[] = [() => pubsub.stop(), () => firestoreEmulator.stop()];
  const db = createFirestore({ projectId: HOST });
  try {
    const simulator = await startSimulatorProcess(import.meta.url, [String(projectCount)]);
    cleanups.unshift(() => simulator.stop());
    await createTopic(pubsub.host, ALERT_TOPIC);
    const functionEnv = {
      GOOGLE_CLOUD_PROJECT: HOST,
      FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      GATEWARDEN_API_ENDPOINT: simulator.url,
      GATEWARDEN_ALERT_TOPIC: ALERT_TOPIC,
      GATEWARDEN_DIGEST_WINDOW_MS: '0',
      // The floor has no rate limiter; the default 20/s per project would measure the limit, not the pipeline.
      GATEWARDEN_API_RATE_LIMIT: 'off',
    };
    const [onAuditLog, onSweep] = await Promise.all([
      serveFunction('onAuditLog', 'cloudevent', {
        ...functionEnv,
        NODE_OPTIONS: `--import ${pathToFileURL(fileURLToPath(new URL('./firestore-trace.js', import.meta.url)))}`,
        BENCH_FIRESTORE_TRACE_FILE: TRACE_FILE,
      }),
      serveFunction('onSweep', 'cloudevent', functionEnv),
    ]);
    cleanups.unshift(
      () => onAuditLog.stop(),
      () => onSweep.stop(),
    );

    say(`${projectCount} projects (acme-edge copies); sweeping them through onSweep...`);
    const sweepStarted = Date.now();
    const sweeps = await timeEach(projects, 4, async (project) => {
      const status = await post(
        `${onSweep.url}/projects/${HOST}/topics/gatewarden-sweep`,
        pushBody(
          JSON.stringify({ project }),
          `sweep-${project}`,
          `projects/${HOST}/subscriptions/sweep-push`,
          {
            attributes: {},
            publishTime: new Date().toISOString(),
          },
        ),
      );
      return status >= 200 && status < 300;
    });
    if (sweeps.failures > 0)
      throw new Error(`${sweeps.failures} project sweeps failed:\n${onSweep.stderr()}`);
    await onSweep.stop();
    const snapshots = (await db.collection('resources').count().get()).data().count;
    say(`swept in ${(sweeps.wallMs / 1000).toFixed(1)} s: ${snapshots} snapshots`);

    // Dated before the sweep: a re-read identical to a snapshot observed after the entry proves nothing, so the
    // stale-read check lets these through on the first delivery (see isLikelyStaleRead).
    const entryTime = new Date(sweepStarted - 60_000);
    const planned = planEvents(graph, measuredProjects, entryTime, 'event').slice(0, options.events);
    const warmUp = planEvents(graph, warmUpProjects, entryTime, 'warm');
    if (planned.length < options.events)
      throw new Error(`only ${planned.length} resources for ${options.events}`);
    const auditUrl = `${onAuditLog.url}/${AUDIT_TOPIC}`;
    const pushEvent = async (event: PlannedEvent, index: number, prefix: string) =>
      (await post(auditUrl, auditPush(event.entry, `${prefix}-${index}`))) === 204;

    const clients = {
      v1: new compute_v1.Compute({ rootUrl: `${simulator.url}/`, retry: false } as compute_v1.Options),
      beta: new compute_beta.Compute({ rootUrl: `${simulator.url}/`, retry: false } as compute_beta.Options),
      gateway: new apigateway_v1.Apigateway({
        rootUrl: `${simulator.url}/`,
        retry: false,
      } as apigateway_v1.Options),
    };
    const floor = floorWork(db, clients, 'query');
    const floorById = floorWork(db, clients, 'by-id');
    say(`warming up on ${warmUp.length} other resources (function, then floors)...`);
    const warm = await timeEach(warmUp, options.concurrency, (event, index) =>
      pushEvent(event, index, 'warm'),
    );
    await timeEach(warmUp, options.concurrency, floor);
    await timeEach(warmUp, options.concurrency, floorById);
    const pendingAlerts = (await db.collection('outbox').where('sentAt', '==', null).count().get()).data()
      .count;

    const floorBefore = firestoreRequests();
    const floorFirst = await phase('floor, query (1st)', () => timeEach(planned, options.concurrency, floor));
    const floorRequests1 = difference(firestoreRequests(), floorBefore);
    const byIdBefore = firestoreRequests();
    const byIdFirst = await phase('floor, by ID (1st)', () =>
      timeEach(planned, options.concurrency, floorById),
    );
    const byIdRequests1 = difference(firestoreRequests(), byIdBefore);
    const functionBefore = await functionRequests();
    await simulatorRequests(simulator.url, true);
    const before = await documentTimes(db);
    const logsBefore = onAuditLog.logs().length;
    const pipeline = await phase('pipeline', () =>
      timeEach(planned, options.concurrency, (event, index) => pushEvent(event, index, 'event')),
    );
    const pipelineRequests = await simulatorRequests(simulator.url, true);
    const pipelineFirestore = difference(await functionRequests(), functionBefore);
    const after = await documentTimes(db);
    const floorBefore2 = firestoreRequests();
    const floorSecond = await phase('floor, query (2nd)', () =>
      timeEach(planned, options.concurrency, floor),
    );
    const floorRequests2 = difference(firestoreRequests(), floorBefore2);
    const floorRequests = await simulatorRequests(simulator.url, true);
    const byIdBefore2 = firestoreRequests();
    const byIdSecond = await phase('floor, by ID (2nd)', () =>
      timeEach(planned, options.concurrency, floorById),
    );
    const byIdRequests2 = difference(firestoreRequests(), byIdBefore2);
    const byIdReads = await simulatorRequests(simulator.url, true);

    const judgedLines = onAuditLog
      .logs()
      .slice(logsBefore)
      .filter((line: LogLine) => line.message === 'change judged');
    const scopeByResource = new Map(planned.map((event) => [event.resource, event.scope.length]));
    const scopeMismatches = judgedLines.filter(
      (line) => scopeByResource.get(String(line.resource)) !== Number(line.judged),
    ).length;
    const transitions = judgedLines.reduce(
      (sum, line) => sum + (Array.isArray(line.transitions) ? line.transitions.length : 0),
      0,
    );
    const warnings = countBy(
      onAuditLog
        .logs()
        .slice(logsBefore)
        .filter((line) => line.severity === 'WARNING' || line.severity === 'ERROR'),
      (line) => String(line.message),
    );
    const written = writtenBetween(before, after);
    const totalWrites = Object.values(written).reduce((sum, count) => sum + count, 0);
    const expectedReads = planned.reduce((sum, event) => sum + event.reads.length, 0);
    const pooled = (first: Timed, second: Timed): Timed => ({
      ms: [...first.ms, ...second.ms],
      wallMs: first.wallMs + second.wallMs,
      failures: first.failures + second.failures,
    });
    const pipelineSummary = summarise(pipeline);
    const floorSummary = summarise(pooled(floorFirst, floorSecond));
    const byIdSummary = summarise(pooled(byIdFirst, byIdSecond));
    const ratioTo = (summary: ReturnType<typeof summarise>) => ({
      p50: Number((pipelineSummary.p50Ms / summary.p50Ms).toFixed(2)),
      p95: Number((pipelineSummary.p95Ms / summary.p95Ms).toFixed(2)),
    });
    const report = {
      machine: { ...machine, loadAverageAtEnd: loadavg().map((value) => Number(value.toFixed(2))) },
      estate: {
        projects: projectCount,
        measuredResources: planned.length,
        byKind: countBy(planned, (event) => event.kind),
        snapshotsAfterSweep: snapshots,
        sweepS: Number((sweeps.wallMs / 1000).toFixed(1)),
        meanScope: Number((planned.reduce((sum, e) => sum + e.scope.length, 0) / planned.length).toFixed(1)),
        pendingAlertsBeforeRun: pendingAlerts,
      },
      warmUp: summarise(warm),
      pipeline: pipelineSummary,
      floor: floorSummary,
      floorRuns: { first: summarise(floorFirst), second: summarise(floorSecond) },
      floorById: byIdSummary,
      floorByIdRuns: { first: summarise(byIdFirst), second: summarise(byIdSecond) },
      ratio: {
        ...ratioTo(floorSummary),
        toFloorById: ratioTo(byIdSummary),
        pipelineP95OverP50: Number((pipelineSummary.p95Ms / pipelineSummary.p50Ms).toFixed(2)),
      },
      googleReads: {
        pipeline: pipelineRequests.length,
        floorPerRun: floorRequests.length,
        expected: expectedReads,
        pipelineByCollection: countBy(
          pipelineRequests,
          (request) => `${request.method} ${collectionOfPath(request.path)} ${request.status}`,
        ),
      },
      firestore: {
        documentsWritten: written,
        writesPerEvent: Number((totalWrites / planned.length).toFixed(3)),
        requestsPerEvent: {
          pipeline: perEvent(pipelineFirestore, planned.length),
          floor: perEvent(sum(floorRequests1, floorRequests2), 2 * planned.length),
          floorById: perEvent(sum(byIdRequests1, byIdRequests2), 2 * planned.length),
        },
      },
      functionLog: {
        judged: judgedLines.length,
        statuses: countBy(judgedLines, (line) => String(line.status)),
        transitions,
        scopeMismatches,
        warnings,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    const readCounts = [pipelineRequests.length, floorRequests.length, byIdReads.length];
    if (readCounts.some((count) => count !== expectedReads)) {
      say('the floor does not make the reads the event path made: its figures are not comparable');
      process.exitCode = 1;
    }
    if (pipeline.failures > 0 || transitions > 0) {
      say('some events failed or changed findings: these were not all unchanged events');
      process.exitCode = 1;
    }
  } finally {
    await db.terminate().catch(() => undefined);
    for (const cleanup of cleanups) await Promise.resolve(cleanup()).catch(() => undefined);
  }

  async function phase(name: string, run: () => Promise<Timed>): Promise<Timed> {
    say(`${name}: ${options.events} events at concurrency ${options.concurrency}...`);
    const timed = await run();
    const summary = summarise(timed);
    say(`${name}: p50 ${summary.p50Ms} ms, p95 ${summary.p95Ms} ms, ${summary.perSecond}/s`);
    return timed;
  }
}

const args = process.argv.slice(2);
if (args[0] === SERVE_FLAG) {
  await serveUntilStdinEnds({ inventory: await replicatedEstate(Number(args[1])) });
} else {
  let options: Options;
  try {
    options = readOptions(args);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\nusage: pipeline [--events 1000] [--concurrency 8]\n`);
    process.exit(2);
  }
  await main(options).catch((error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  });
}
