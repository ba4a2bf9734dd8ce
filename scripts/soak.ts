// `npm run soak [-- --events 20000 --concurrency 32 --projects 10 --sweep-every N]`: real audit entries from simulator
// changes, pushed to onAuditLog served by the Functions Framework with 5 % of Google API calls answered 503 and 1 % of
// deliveries duplicated, then checked against a fresh scan of the simulator. With --sweep-every N, a project sweep is
// pushed to onSweep after every N events, concurrently with them (projects in turn), so sweeps race events. Not in CI:
// it takes minutes on two cores.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { composeFromEnvironment } from '../functions/compose.js';
import { createHandlers } from '../functions/handlers.js';
import { loadEstate } from '../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../src/adapters/firestore/stores.js';
import { createGoogleApisSource } from '../src/adapters/googleapis/googleapis-source.js';
import type { AlertRecord } from '../src/domain/alert.js';
import { ResourceGraph } from '../src/domain/graph.js';
import { mergeInventories } from '../src/domain/inventory.js';
import { evaluate } from '../src/engine/evaluate.js';
import { DEFAULT_POLICY } from '../src/engine/policy.js';
import type { AlertSink } from '../src/ports/alert-sink.js';
import { silentLogger } from '../src/ports/logger.js';
import { ALL_RULES } from '../src/rules/catalogue.js';
import type { AuditLogEntry } from '../src/simulator/index.js';
import { startSimulator } from '../src/simulator/index.js';
import { REPO_ROOT } from '../test/e2e/local-stack.js';
import { serveHandlers } from '../test/functions/framework-server.js';
import { cloneEstate } from '../test/support/clone-estate.js';
import { startFirestoreEmulator, startPubSubEmulator } from '../test/support/emulators.js';
import { postJson, pushBody } from '../test/support/push-delivery.js';

interface Options {
  readonly events: number;
  readonly concurrency: number;
  readonly projects: number;
  readonly errorRate: number;
  readonly duplicateRate: number;
  /** Events between two concurrent project sweeps; 0: no sweeps during the run. */
  readonly sweepEvery: number;
}

const HOST = `gw-soak-${Date.now().toString(36)}`;
const SERVICES = ['payments-bs', 'payments-events-bs', 'storefront-bs', 'legacy-vm-bs', 'orders-bs'] as const;
const MAX_DELIVERIES = 10;

function readOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const index = argv.indexOf(`--${name}`);
    if (index < 0) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isFinite(parsed) || parsed < 0)
      throw new Error(`--${name} needs a number, got ${argv[index + 1]}`);
    return parsed;
  };
  return {
    events: value('events', 20_000),
    concurrency: value('concurrency', 32),
    projects: value('projects', 10),
    errorRate: value('error-rate', 0.05),
    duplicateRate: value('duplicate-rate', 0.01),
    sweepEvery: value('sweep-every', 0),
  };
}

/** Sits between the functions and the simulator and answers a share of the calls with Compute's 503. */
async function startErrorProxy(target: string, errorRate: number) {
  let forwarded = 0;
  let injected = 0;
  const server = createServer((request, response) => {
    void (async () => {
      if (Math.random() < errorRate) {
        injected += 1;
        const body = JSON.stringify({
          error: {
            code: 503,
            message: 'The service is currently unavailable.',
            errors: [
              { message: 'The service is currently unavailable.', domain: 'global', reason: 'backendError' },
            ],
          },
        });
        response.writeHead(503, { 'content-type': 'application/json; charset=UTF-8' }).end(body);
        request.resume();
        return;
      }
      forwarded += 1;
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const answer = await fetch(`${target}${request.url ?? '/'}`, {
        method: request.method ?? 'GET',
        headers: { 'content-type': 'application/json' },
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      const text = await answer.text();
      response.writeHead(answer.status, { 'content-type': 'application/json; charset=UTF-8' }).end(text);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts: () => ({ forwarded, injected }),
    close: () => new Promise((done) => server.close(done)),
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    `soak: ${options.events} events, concurrency ${options.concurrency}, ${options.projects} projects, ` +
      `${options.errorRate * 100} % 503s, ${options.duplicateRate * 100} % duplicate deliveries` +
      (options.sweepEvery > 0 ? `, a concurrent project sweep every ${options.sweepEvery} events` : ''),
  );
  const env = { ...process.env, FIRESTORE_EMULATOR_HOST: '', PUBSUB_EMULATOR_HOST: '' };
  const [pubsub, firestoreEmulator] = await Promise.all([
    startPubSubEmulator(env),
    startFirestoreEmulator(env),
  ]);
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host;
  const cleanups: (() => Promise<unknown>)[] = [() => pubsub.stop(), () => firestoreEmulator.stop()];
  try {
    const estate = (await loadEstate(`${REPO_ROOT}/examples/acme-edge`)).inventory;
    const projects = Array.from({ length: options.projects }, (_, index) => `acme-soak-${index}`);
    const waiting = new Map<string, (entry: AuditLogEntry) => void>();
    const simulator = await startSimulator({
      inventory: mergeInventories(
        ...projects.map((project, index) =>
          cloneEstate(estate, project, `5550000${String(index).padStart(5, '0')}`),
        ),
      ),
      auditSink: {
        publish: async (entries) => {
          for (const entry of entries) {
            if (entry.operation.last !== true) continue;
            waiting.get(String(entry.protoPayload.resourceName))?.(entry);
          }
        },
      },
    });
    cleanups.unshift(() => simulator.close());
    const proxy = await startErrorProxy(simulator.url, options.errorRate);
    cleanups.unshift(() => proxy.close());

    const db = createFirestore({ projectId: HOST });
    const stores = createFirestoreStores(db);
    const { findings } = stores;
    const alertIds: string[] = [];
    const warnings: string[] = [];
    /** Resources sweeps left to a newer event's judgement, and how many sweeps finished (from their log lines). */
    const sweepLog = { finished: 0, yielded: 0, transitions: 0 };
    const countingSink: AlertSink = {
      name: 'counting',
      send: async (alerts: readonly AlertRecord[]) => {
        for (const alert of alerts) alertIds.push(alert.id);
      },
    };
    const deps = await composeFromEnvironment({
      env: {
        GOOGLE_CLOUD_PROJECT: HOST,
        FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
        PUBSUB_EMULATOR_HOST: pubsub.host,
        GATEWARDEN_API_ENDPOINT: proxy.url,
        GATEWARDEN_DIGEST_WINDOW_MS: '0',
      },
      log: {
        ...silentLogger,
        info: (message, fields) => {
          if (message !== 'sweep finished') return;
          sweepLog.finished += 1;
          sweepLog.yielded += Number(fields?.yielded ?? 0);
          sweepLog.transitions += Number(fields?.transitions ?? 0);
        },
        warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {}).slice(0, 200)}`),
        error: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields ?? {}).slice(0, 200)}`),
      },
    });
    const handlers = createHandlers({
      ...deps,
      sinks: [countingSink],
      source: await createGoogleApisSource({
        endpoint: proxy.url,
        retry: { baseDelayMs: 50, maxDelayMs: 400, budgetMs: 5_000, maxAttempts: 6 },
        rateLimit: { perSecond: 200 },
      }),
    });
    const served = await serveHandlers(handlers);
    cleanups.unshift(() => served.close());

    let sweepsPushed = 0;
    let sweepRedeliveries = 0;
    /** One project sweep through onSweep; a failure (a 503 storm past the budget) is pushed again, as Pub/Sub would. */
    const sweep = async (project: string, label: string): Promise<void> => {
      for (let attempt = 1; attempt <= MAX_DELIVERIES; attempt += 1) {
        sweepsPushed += 1;
        const answer = await postJson(
          `${served.onSweep}/projects/${HOST}/topics/sweep`,
          pushBody(
            JSON.stringify({ project }),
            `${label}-${attempt}`,
            `projects/${HOST}/subscriptions/sweep`,
          ),
        );
        if (answer.status === 204) return;
        sweepRedeliveries += 1;
      }
    };
    say('soak: initial sweep of every project...');
    for (const project of projects) await sweep(project, `sweep-${project}`);
    const initialAlerts = alertIds.length;

    const compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });
    const latencies: number[] = [];
    /** Every change made, in order: what a wrong final state is traced back to. */
    const patches: { resourceName: string; enable: boolean; at: string }[] = [];
    let processed = 0;
    let duplicatesSent = 0;
    let redeliveries = 0;
    let gaveUp = 0;
    let peakRss = process.memoryUsage().rss;
    const memoryTimer = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 250);
    const deliver = async (entry: AuditLogEntry, messageId: string): Promise<void> => {
      for (let attempt = 1; attempt <= MAX_DELIVERIES; attempt += 1) {
        const started = performance.now();
        const answer = await postJson(
          `${served.onAuditLog}/projects/${HOST}/topics/audit`,
          pushBody(JSON.stringify(entry), messageId, `projects/${HOST}/subscriptions/audit`),
        );
        latencies.push(performance.now() - started);
        if (answer.status === 204) return;
        redeliveries += 1;
      }
      gaveUp += 1;
    };

    const resources = projects.flatMap((project) => SERVICES.map((service) => ({ project, service })));
    if (resources.length < options.concurrency) {
      throw new Error(
        `${resources.length} backend services cannot keep ${options.concurrency} workers apart; add --projects`,
      );
    }
    const started = performance.now();
    let next = 0;
    // Each worker owns its backend services, so a change's audit entry is matched to it by name without a race.
    const worker = async (workerIndex: number): Promise<void> => {
      const own = resources.filter((_, index) => index % options.concurrency === workerIndex);
      for (let turn = 0; ; turn += 1) {
        const index = next++;
        if (index >= options.events) return;
        const { project, service } = own[turn % own.length] ?? {
          project: 'acme-soak-0',
          service: 'payments-bs',
        };
        const resourceName = `projects/${project}/global/backendServices/${service}`;
        const entry = new Promise<AuditLogEntry>((resolve) => waiting.set(resourceName, resolve));
        const enable = Math.random() < 0.5;
        await compute.backendServices.patch({
          project,
          backendService: service,
          requestBody: { logConfig: { enable } },
        });
        const last = await entry;
        patches.push({ resourceName, enable, at: last.timestamp });
        waiting.delete(resourceName);
        const messageId = `soak-${index}`;
        if (Math.random() < options.duplicateRate) {
          duplicatesSent += 1;
          await Promise.all([deliver(last, messageId), deliver(last, `${messageId}-dup`)]);
        } else {
          await deliver(last, messageId);
        }
        processed += 1;
        if (processed % 1000 === 0) {
          say(`  ${processed} events, ${((performance.now() - started) / 1000).toFixed(0)} s`);
        }
      }
    };
    let workersDone = false;
    // Sweeps while the events run: one project after every --sweep-every events, projects in turn, each sweep
    // overlapping the events (and the commits) of the workers on that project.
    const sweeper = async (): Promise<void> => {
      if (options.sweepEvery <= 0) return;
      const running: Promise<void>[] = [];
      for (let round = 1; !workersDone; round += 1) {
        while (!workersDone && processed < round * options.sweepEvery) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        if (workersDone) break;
        const project = projects[(round - 1) % projects.length] ?? 'acme-soak-0';
        running.push(sweep(project, `sweep-during-${round}`));
      }
      await Promise.all(running);
    };
    const sweeping = sweeper();
    await Promise.all(Array.from({ length: options.concurrency }, (_, index) => worker(index)));
    workersDone = true;
    await sweeping;
    const wallSeconds = (performance.now() - started) / 1000;
    clearInterval(memoryTimer);

    // A fresh scan of the simulator's final state (no injected errors) is the truth the findings must match.
    const truthSource = await createGoogleApisSource({ endpoint: simulator.url });
    const inventory = await truthSource.readInventory(projects);
    const expected = new Set(
      evaluate(ResourceGraph.build(inventory), ALL_RULES, { policy: DEFAULT_POLICY, now: new Date() })
        .filter((result) => result.status === 'fail')
        .map((result) => `${result.ruleId}|${result.resource}|${result.subKey ?? ''}`),
    );
    const stored = new Set(
      (await findings.query({ states: ['open'] })).map(
        (finding) => `${finding.ruleId}|${finding.resource}|${finding.subKey ?? ''}`,
      ),
    );
    const missing = [...expected].filter((key) => !stored.has(key));
    const extra = [...stored].filter((key) => !expected.has(key));
    const history = await db.collectionGroup('history').get();
    const alertable = history.docs.filter((doc) => doc.get('transition') !== 'updated').length;
    const sent = alertIds.length;
    const distinctSent = new Set(alertIds).size;
    const sorted = [...latencies].sort((a, b) => a - b);
    const report = {
      events: options.events,
      processed,
      duplicatesSent,
      redeliveries,
      gaveUp,
      injected503: proxy.counts().injected,
      forwardedCalls: proxy.counts().forwarded,
      findingsExpected: expected.size,
      findingsMissing: missing.length,
      findingsExtra: extra.length,
      transitionsAlertable: alertable,
      alertsSent: sent,
      alertsDistinct: distinctSent,
      alertsPerTransition: alertable === 0 ? 0 : Number((sent / alertable).toFixed(4)),
      initialSweepAlerts: initialAlerts,
      sweepEvery: options.sweepEvery,
      sweepsFinished: sweepLog.finished,
      sweepsPushed,
      sweepRedeliveries,
      sweepTransitions: sweepLog.transitions,
      sweepYielded: sweepLog.yielded,
      counters: handlers.counters,
      p50Ms: Number(percentile(sorted, 50).toFixed(1)),
      p99Ms: Number(percentile(sorted, 99).toFixed(1)),
      wallSeconds: Number(wallSeconds.toFixed(1)),
      eventsPerSecond: Number((processed / wallSeconds).toFixed(1)),
      peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1024 / 1024),
    };
    say(JSON.stringify(report, null, 2));
    const kinds = new Map<string, number>();
    for (const warning of warnings) {
      const kind = warning.replace(/"entryId":.*$/, '').slice(0, 220);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    say(`warnings: ${JSON.stringify(Object.fromEntries(kinds))}`);
    if (missing.length > 0 || extra.length > 0) {
      say(`missing: ${missing.slice(0, 5).join(', ')}\nextra: ${extra.slice(0, 5).join(', ')}`);
      for (const key of [...missing, ...extra].slice(0, 3)) {
        const [ruleId, resource] = key.split('|');
        const [finding] = await findings.query({ ruleId: ruleId ?? '', resource: resource ?? '' });
        const historyOf = finding ? await findings.history(finding.id) : [];
        say(
          JSON.stringify({
            key,
            state: finding?.state,
            lastSeenAt: finding?.lastSeenAt,
            lastChange: finding?.lastChange,
            history: historyOf.map((h) => `${h.transition}@${h.at} (change at ${h.change?.at ?? '-'})`),
          }),
        );
        const [snapshot] = await stores.snapshots.get([resource ?? '']);
        say(
          JSON.stringify({
            snapshot: snapshot && {
              observedAt: snapshot.observedAt,
              logging: (snapshot.data as { logConfig?: { enable?: boolean } }).logConfig?.enable,
              fingerprint: snapshot.data.fingerprint,
            },
            lastPatches: patches
              .filter((patch) => resource?.endsWith(patch.resourceName))
              .slice(-4)
              .map((patch) => `${patch.enable ? 'on' : 'off'}@${patch.at}`),
          }),
        );
      }
      process.exitCode = 1;
    }
    if (sent !== alertable || distinctSent !== sent) process.exitCode = 1;
    await db.terminate();
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
