// The one place the functions' adapters are built, from the validated environment (once per instance).
// Heavy clients (Firestore, Pub/Sub, googleapis) are imported here, on first use, so loading the entry module stays cheap.

import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { pubsubEmulatorOptions } from '../src/adapters/emulator-options.js';
import type { ResourceManagerReader } from '../src/adapters/googleapis/resource-tree.js';
import { outboxMinimum } from '../src/alerts/routing.js';
import { createProjectIdResolver } from '../src/app/project-ids.js';
import { createScopeMembership, type ScopeMembership } from '../src/app/scope-membership.js';
import { describeEnvironment, type Environment, readEnvironment } from '../src/config/environment.js';
import { loadPolicy, parsePolicy } from '../src/config/policy-file.js';
import { DEFAULT_POLICY, type Policy } from '../src/engine/policy.js';
import { systemClock } from '../src/ports/clock.js';
import { jsonLogger, type Logger } from '../src/ports/logger.js';
import type { AncestryReader, SweptScopeStore } from '../src/ports/scope-tree.js';
import type { SweepPublisher } from '../src/ports/sweep-publisher.js';
import type { ProbeRunner } from '../src/probe/probe-results.js';
import { ALL_RULES, CATALOGUE } from '../src/rules/catalogue.js';
import { buildChannels, buildSccSink } from './compose-sinks.js';
import type { FunctionDeps } from './handlers.js';
import { sweepHeapPacing } from './sweep-heap.js';

export interface ComposeOptions {
  /** Defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly log?: Logger;
}

/** Structured JSON lines on stdout: Cloud Logging reads severity and fields from them. */
export const functionLogger: Logger = jsonLogger((line) => process.stdout.write(line));

export async function composeFromEnvironment(options: ComposeOptions = {}): Promise<FunctionDeps> {
  const log = options.log ?? functionLogger;
  const environment = readEnvironment(options.env ?? process.env);
  const policy = await loadConfiguredPolicy(environment);
  log.info('gatewarden configuration', describeEnvironment(environment));

  const [firestore, googleapis] = await Promise.all([
    import('../src/adapters/firestore/client.js'),
    import('../src/adapters/googleapis/googleapis-source.js'),
  ]);
  const [
    { createFirestoreStores },
    { FirestoreBaselineStore },
    { FirestoreQuarantineStore },
    { FirestoreRunStore },
    { FirestoreDeliveryLedger },
    { FirestoreScopeStore },
  ] = await Promise.all([
    import('../src/adapters/firestore/stores.js'),
    import('../src/adapters/firestore/baseline-store.js'),
    import('../src/adapters/firestore/quarantine-store.js'),
    import('../src/adapters/firestore/run-store.js'),
    import('../src/adapters/firestore/delivery-ledger.js'),
    import('../src/adapters/firestore/scope-store.js'),
  ]);
  const db = firestore.createFirestore({
    projectId: environment.project,
    databaseId: environment.firestoreDatabase,
  });
  const baselines = new FirestoreBaselineStore(db);
  const source = await googleapis.createGoogleApisSource({
    ...(environment.apiEndpoint ? { endpoint: environment.apiEndpoint } : {}),
    onRetry: (event) => log.warn('Google API call retried', { ...event }),
    ...(environment.apiRatePerSecond ? { rateLimit: { perSecond: environment.apiRatePerSecond } } : {}),
  });
  // The floor holds for the default channels and routes without a minimum; a route may ask for lower alerts, so the
  // outbox keeps alerts down to the lowest minimum any route names.
  const alertFloor = environment.minimumAlertSeverity ?? policy.alerts?.minimumSeverity;
  const minimumAlertSeverity = outboxMinimum(alertFloor, policy.alerts?.routes ?? []);
  const resourceManager = lazyResourceManager(environment.apiEndpoint);
  const sweptScopes = environment.scopeRoot ? new FirestoreScopeStore(db) : undefined;
  const membership = membershipOf(environment, resourceManager, sweptScopes);
  log.info('event scope', {
    scope:
      environment.scopeRoot ??
      (membership ? environment.sweepProjects : 'not configured: every event is judged'),
  });

  const channels = await buildChannels(environment, policy, log);
  if (channels.routes.length > 0) {
    log.info('alert routes', {
      routes: channels.routes.map(({ route, channels: sinks }) => ({
        route: route.name,
        channels: sinks.map((sink) => sink.name),
      })),
      defaultChannels: channels.sinks.map((sink) => sink.name),
    });
  }

  return {
    source,
    ...createFirestoreStores(db, { log }),
    quarantine: new FirestoreQuarantineStore(db),
    sinks: [...channels.sinks, ...(await buildSccSink(environment, log, db))],
    ...(channels.routes.length > 0 ? { routes: channels.routes } : {}),
    ...(channels.routes.length > 0 && alertFloor ? { routingFloor: alertFloor } : {}),
    rules: ALL_RULES,
    policy,
    clock: systemClock,
    log,
    ...(policy.probe?.enabled ? { probe: await buildProbe(policy) } : {}),
    loadBaseline: async (resources) => {
      const baseline = await baselines.load(resources);
      return Object.keys(baseline.resources).length > 0 ? baseline : undefined;
    },
    ...(minimumAlertSeverity ? { minimumAlertSeverity } : {}),
    // The SCC mirror takes every transition; the outbox then also holds quiet ones the channels skip.
    ...(environment.sccSource ? { recordQuietTransitions: true } : {}),
    digestWindowMs: environment.digestWindowMs,
    ...(environment.maxEventAgeMs !== undefined ? { maxEventAgeMs: environment.maxEventAgeMs } : {}),
    ...(environment.maxDeliveryAttempts !== undefined
      ? { maxDeliveryAttempts: environment.maxDeliveryAttempts }
      : {}),
    sweepProjects: environment.sweepProjects.length > 0 ? environment.sweepProjects : [environment.project],
    instanceId: `${hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`,
    runs: new FirestoreRunStore(db),
    deliveries: new FirestoreDeliveryLedger(db),
    treeReader: resourceManager,
    heapPacing: sweepHeapPacing,
    ...(environment.scopeRoot && sweptScopes ? { sweepRoot: environment.scopeRoot, sweptScopes } : {}),
    ...(membership ? { membership } : {}),
    projectIdOf: createProjectIdResolver(resourceManager),
    sweepPublisherFor: sweepPublisherFactory(environment.project, environment.pubsubEmulatorHost),
  };
}

/**
 * The event path's scope check: the tree beneath GATEWARDEN_SCOPE, or the projects GATEWARDEN_SWEEP_PROJECTS names
 * (Terraform sets one or the other). With neither, the function's own project is swept but events are not filtered:
 * a local stack or test that names no scope keeps judging every event it is sent.
 */
function membershipOf(
  environment: Environment,
  ancestry: AncestryReader,
  store: SweptScopeStore | undefined,
): ScopeMembership | undefined {
  const deps = { ancestry, now: () => Date.now(), ...(store ? { store } : {}) };
  if (environment.scopeRoot) {
    // Named watched projects narrow the sweep, and one may sit outside the folder (Terraform grants it the role).
    return createScopeMembership(
      { kind: 'tree', root: environment.scopeRoot, alsoWatched: environment.sweepProjects },
      deps,
    );
  }
  if (environment.sweepProjects.length > 0) {
    return createScopeMembership({ kind: 'projects', projects: environment.sweepProjects }, deps);
  }
  return undefined;
}

/** Cloud Resource Manager is loaded only when a tree sweep or an ancestry lookup first asks for it. */
function lazyResourceManager(endpoint: string | undefined): ResourceManagerReader {
  let reader: Promise<ResourceManagerReader> | undefined;
  const get = () => {
    reader ??= import('../src/adapters/googleapis/resource-tree.js').then(({ createResourceManagerReader }) =>
      createResourceManagerReader(endpoint ? { endpoint } : {}),
    );
    return reader;
  };
  return {
    readTree: async (root) => (await get()).readTree(root),
    parentOf: async (resource) => (await get()).parentOf(resource),
  };
}

/** Fan-out publishes on the topic the tick came from; the Pub/Sub client (PUBSUB_EMULATOR_HOST aware) is made once. */
function sweepPublisherFactory(
  project: string,
  emulatorHost: string | undefined,
): (topic: string) => SweepPublisher {
  let pubsub: Promise<import('@google-cloud/pubsub').PubSub> | undefined;
  return (topic) => ({
    async publishProjectSweeps(projects) {
      pubsub ??= import('@google-cloud/pubsub').then(
        ({ PubSub }) => new PubSub({ projectId: project, ...pubsubEmulatorOptions(emulatorHost) }),
      );
      const { createSweepTopicPublisherFor } = await import('../src/adapters/pubsub/sweep-topic.js');
      await createSweepTopicPublisherFor(await pubsub, topic).publishProjectSweeps(projects);
    },
  });
}

async function loadConfiguredPolicy(environment: Environment): Promise<Policy> {
  const setting = environment.policy;
  const options = { knownRuleIds: Object.keys(CATALOGUE) };
  if (setting === undefined) return DEFAULT_POLICY;
  if (setting.from === 'inline') return parsePolicy(setting.text, 'GATEWARDEN_POLICY', options);
  return loadPolicy(setting.path, options);
}

/** The probe sends requests to the internet: built only when the policy turns it on, with the policy's allow-list. */
async function buildProbe(policy: Policy): Promise<ProbeRunner> {
  const { createProbeRunner, probeSettingsOf } = await import('../src/probe/probe-session.js');
  return createProbeRunner(probeSettingsOf(policy));
}
