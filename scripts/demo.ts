// `npm run demo`: the whole pipeline on this machine -- emulators, simulator, functions, push subscription -- with a
// few changes made through the simulated Google APIs, printing each audit entry, finding transition and alert.
// `--once` stops after the scripted changes instead of serving until Ctrl-C (test/e2e/demo.test.ts runs it so).

import { apigateway_v1 } from 'googleapis/build/src/apis/apigateway/v1.js';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { loadEstate } from '../src/adapters/estate-files/load-estate.js';
import { ALERTING_TRANSITIONS, type Transition } from '../src/domain/finding.js';
import { parseLogEntry } from '../src/events/parse-log-entry.js';
import type { AuditLogEntry } from '../src/simulator/audit-entries.js';
import { createPubSubAuditSink, PRINCIPAL_HEADER, startSimulator } from '../src/simulator/index.js';
import type { AuditSink } from '../src/simulator/server.js';
import {
  createSubscription,
  createTopic,
  eventually,
  type LogLine,
  REPO_ROOT,
  type ServedFunction,
  serveFunction,
} from '../test/e2e/local-stack.js';
import {
  type Emulator,
  pullMessages,
  startFirestoreEmulator,
  startPubSubEmulator,
} from '../test/support/emulators.js';
import { postJson, pushBody } from '../test/support/push-delivery.js';

const ESTATE = 'acme-edge';
const PROJECT = 'gatewarden-demo';
const AUDIT_TOPIC = `projects/${PROJECT}/topics/gatewarden-audit`;
const ALERT_TOPIC = `projects/${PROJECT}/topics/gatewarden-alerts`;
const ALERT_PULL = `projects/${PROJECT}/subscriptions/demo-alerts`;
/** How a gateway names its API config: by project number (gateways.json); the configs are named by project ID. */
const CONFIG = (id: string) => `projects/123456789012/locations/global/apis/orders/configs/${id}`;
const CONFIG_RECORD = (id: string) => `projects/${ESTATE}/locations/global/apis/orders/configs/${id}`;
const GATEWAY = (region: string, name: string) => `projects/${ESTATE}/locations/${region}/gateways/${name}`;

const cleanups: (() => Promise<unknown>)[] = [];
let stopping = false;
/** Alerts printed so far: a change is over once the alerts it sent are printed too. */
let alertsPrinted = 0;
/** Audit entries published so far that the event parser acts on: each is judged once. */
let entriesActedOn = 0;
const once = process.argv.includes('--once');

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * While a scripted change runs, the lines it causes are held and printed once it is over: its judgements (an API
 * Gateway change has two, one per audit entry) with their findings, then its alerts, whatever order they came in.
 */
let held: { readonly judgements: string[]; readonly alerts: string[] } | undefined;

function sayJudgement(line: string): void {
  if (held) held.judgements.push(line);
  else say(line);
}

function sayAlert(line: string): void {
  if (held) held.alerts.push(line);
  else say(line);
}

async function main(): Promise<void> {
  say('gatewarden demo: starting the Pub/Sub and Firestore emulators (about 10 s)...');
  const env = withoutEmulatorHosts(process.env);
  const [pubsub, firestore] = await Promise.all([startPubSubEmulator(env), startFirestoreEmulator(env)]);
  cleanups.push(() => stopEmulators(pubsub, firestore));
  say(`  Pub/Sub emulator   ${pubsub.host}\n  Firestore emulator ${firestore.host}`);

  await createTopic(pubsub.host, ALERT_TOPIC);
  await createSubscription(pubsub.host, ALERT_PULL, ALERT_TOPIC);
  const auditSink = createPubSubAuditSink(AUDIT_TOPIC, pubsub.host);
  await auditSink.ensureTopic();
  cleanups.push(() => auditSink.close());

  const estate = (await loadEstate(`${REPO_ROOT}/examples/${ESTATE}`)).inventory;
  const ordersV7 = estate.apiConfig.find((config) => config.name === CONFIG_RECORD('orders-v7'));
  // Without it, orders-v8 would be a config with no document, and the demo would show rules unable to decide.
  if (!ordersV7) throw new Error(`examples/${ESTATE} has no API config ${CONFIG_RECORD('orders-v7')}`);
  // A second config of the orders API, so a gateway can be moved to it (a region left on another version).
  const ordersV8 = { ...ordersV7, name: CONFIG_RECORD('orders-v8'), displayName: 'orders-v8' };
  const simulator = await startSimulator({
    inventory: { ...estate, apiConfig: [...estate.apiConfig, ordersV8] },
    auditSink: printingBeforePublishing(auditSink),
  });
  cleanups.push(() => simulator.close());
  say(`  simulator          ${simulator.url} (examples/${ESTATE}; audit entries to ${AUDIT_TOPIC})`);

  const functionEnv = {
    GOOGLE_CLOUD_PROJECT: PROJECT,
    FIRESTORE_EMULATOR_HOST: firestore.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_ALERT_TOPIC: ALERT_TOPIC,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
    GATEWARDEN_SWEEP_PROJECTS: ESTATE,
  };
  // Settled, not Promise.all: when one function fails to start, the others that did must still be stopped.
  const starting = await Promise.allSettled([
    serveFunction('onAuditLog', 'cloudevent', functionEnv, printFunctionLine),
    serveFunction('onSweep', 'cloudevent', functionEnv),
    serveFunction('report', 'http', functionEnv),
  ]);
  const served = starting.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  cleanups.push(() => Promise.all(served.map((fn) => fn.stop())));
  const failed = starting.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const [onAuditLog, onSweep, report] = served as [ServedFunction, ServedFunction, ServedFunction];
  say(`  functions          onAuditLog ${onAuditLog.url}  onSweep ${onSweep.url}  report ${report.url}`);
  // As Eventarc wires it: a push subscription whose endpoint path names the topic, so the framework builds the CloudEvent.
  await createSubscription(
    pubsub.host,
    `projects/${PROJECT}/subscriptions/gatewarden-audit-push`,
    AUDIT_TOPIC,
    `${onAuditLog.url}/${AUDIT_TOPIC}`,
  );

  say('\nInitial sweep of acme-edge...');
  const sweepStatus = await sweep(onSweep);
  const summary = onSweep.logs().find((line) => line.message === 'sweep finished');
  say(
    `  sweep answered ${sweepStatus}: ${summary?.resources} resources, ${summary?.failing} failing results, ${summary?.transitions} findings opened, ${summary?.alertsSent} alerts sent`,
  );
  await pullMessages(pubsub.host, ALERT_PULL, 1000, 1500);

  const alertWatcher = watchAlerts(pubsub.host);
  const compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });
  const apigateway = new apigateway_v1.Apigateway({ rootUrl: `${simulator.url}/` });

  await change(onAuditLog, 'Alice removes Cloud Armor from payments-bs', async () => {
    await compute.backendServices.setSecurityPolicy(
      { project: ESTATE, backendService: 'payments-bs', requestBody: { securityPolicy: null } },
      { headers: { [PRINCIPAL_HEADER]: 'alice@acme-edge.example' } },
    );
  });
  await change(onAuditLog, 'Bob moves the europe-west2 orders gateway to config orders-v8', async () => {
    await apigateway.projects.locations.gateways.patch(
      {
        name: GATEWAY('europe-west2', 'orders-gw-euw2'),
        updateMask: 'apiConfig',
        requestBody: { apiConfig: CONFIG('orders-v8') },
      },
      { headers: { [PRINCIPAL_HEADER]: 'bob@acme-edge.example' } },
    );
  });
  await change(onAuditLog, 'Bob moves it back to orders-v7', async () => {
    await apigateway.projects.locations.gateways.patch(
      {
        name: GATEWAY('europe-west2', 'orders-gw-euw2'),
        updateMask: 'apiConfig',
        requestBody: { apiConfig: CONFIG('orders-v7') },
      },
      { headers: { [PRINCIPAL_HEADER]: 'bob@acme-edge.example' } },
    );
  });
  await change(
    onAuditLog,
    'Carol deletes the us-central1 orders gateway (its NEG still points at it)',
    async () => {
      await apigateway.projects.locations.gateways.delete(
        { name: GATEWAY('us-central1', 'orders-gw-usc1') },
        { headers: { [PRINCIPAL_HEADER]: 'carol@acme-edge.example' } },
      );
    },
  );
  if (once) {
    stopping = true;
    await alertWatcher;
    await cleanUp();
    process.exit(0);
  }

  say(
    `\nThe report endpoint stays up: ${report.url}/?format=json  (filters: project, state, severity, rule)`,
  );
  say(`  e.g. curl '${report.url}/?severity=HIGH'`);
  say(`Make more changes against the simulator (${simulator.url}); Ctrl-C stops everything.`);
  await new Promise(() => {});
}

/**
 * Runs one change and waits for all it causes -- the judgement, and the alerts sent and printed -- so that nothing
 * of one change prints under the next one's title.
 */
async function change(onAuditLog: ServedFunction, title: string, act: () => Promise<void>): Promise<void> {
  say(`\n== ${title}`);
  const judgedBefore = linesOf(onAuditLog, 'change judged').length;
  const sentBefore = linesOf(onAuditLog, 'alerts sent').length;
  const printedBefore = alertsPrinted;
  const actedOnBefore = entriesActedOn;
  held = { judgements: [], alerts: [] };
  try {
    await act();
    // Every entry the parser acts on is judged (a Compute operation's last, each of API Gateway's).
    const judged = await eventually(`the change to be judged (${title})`, () => {
      const lines = linesOf(onAuditLog, 'change judged').slice(judgedBefore);
      return lines.length >= Math.max(1, entriesActedOn - actedOnBefore) ? lines : undefined;
    });
    if (
      !judged
        .flatMap(transitionsOf)
        .some((change) => ALERTING_TRANSITIONS.has(change.transition as Transition))
    )
      return;
    const sent = await eventually(
      `its alerts to be sent (${title})`,
      () => linesOf(onAuditLog, 'alerts sent')[sentBefore],
    );
    await eventually(`its alerts to be printed (${title})`, () =>
      alertsPrinted - printedBefore >= Number(sent.count) ? true : undefined,
    );
  } finally {
    const { judgements, alerts } = held;
    held = undefined;
    for (const line of [...judgements, ...alerts]) say(line);
  }
}

function linesOf(fn: ServedFunction, message: string): LogLine[] {
  return fn.logs().filter((line) => line.message === message);
}

function transitionsOf(line: LogLine): { transition: string; ruleId: string; resource: string }[] {
  return (line.transitions as { transition: string; ruleId: string; resource: string }[] | undefined) ?? [];
}

function printFunctionLine(line: LogLine): void {
  if (line.message === 'change judged') {
    const transitions = transitionsOf(line);
    sayJudgement(
      `  judged        ${String(line.status)}: ${line.judged} resources re-judged, ${transitions.length} transition(s)`,
    );
    for (const transition of transitions) {
      sayJudgement(
        `  finding       ${transition.transition.padEnd(9)} ${transition.ruleId} on ${shortName(transition.resource)}`,
      );
    }
  } else if (line.severity === 'ERROR' || line.severity === 'WARNING') {
    sayJudgement(
      `  function ${String(line.severity).toLowerCase()}: ${String(line.message)} ${line.error ? String(line.error) : ''}`,
    );
  }
}

/**
 * Prints each audit entry as the simulator hands it over, before it is published: onAuditLog can only receive it
 * afterwards, so an entry always prints before the judgement it causes. (Pulling the entries from a second
 * subscription printed them whenever that poll came round, often after the judgement.)
 */
function printingBeforePublishing(sink: AuditSink): AuditSink {
  return {
    async publish(entries: readonly AuditLogEntry[]): Promise<void> {
      for (const entry of entries) {
        say(auditEntryLine(entry));
        if (parseLogEntry(entry).outcome === 'change') entriesActedOn += 1;
      }
      await sink.publish(entries);
    },
  };
}

function auditEntryLine(entry: AuditLogEntry): string {
  const payload = entry.protoPayload as {
    methodName?: string;
    resourceName?: string;
    authenticationInfo?: { principalEmail?: string };
  };
  const phase = entry.operation.last ? 'last' : entry.operation.first ? 'first' : 'single';
  return `  audit entry   ${payload.methodName} ${payload.resourceName} by ${payload.authenticationInfo?.principalEmail} (${phase})`;
}

async function watchAlerts(host: string): Promise<void> {
  while (!stopping) {
    for (const message of await pullMessages(host, ALERT_PULL, 20, 300).catch(() => [])) {
      const body = JSON.parse(message.data) as { finding?: { resource?: string } };
      sayAlert(
        `  alert sent    ${message.attributes.transition} ${message.attributes.severity} ${message.attributes.ruleId} on ${shortName(body.finding?.resource ?? '')} (alerts topic)`,
      );
      alertsPrinted += 1;
    }
  }
}

async function sweep(onSweep: ServedFunction): Promise<number> {
  const answer = await postJson(
    `${onSweep.url}/projects/${PROJECT}/topics/gatewarden-sweep`,
    pushBody(
      JSON.stringify({ projects: [ESTATE] }),
      'demo-sweep',
      `projects/${PROJECT}/subscriptions/gatewarden-sweep-push`,
      {
        attributes: {},
      },
    ),
  );
  return answer.status;
}

function shortName(resource: string): string {
  return resource.replace(/^\/\/[^/]+\/projects\/[^/]+\//, '');
}

/** The demo starts its own emulators even when the shell points at others, so it never writes into someone's data. */
function withoutEmulatorHosts(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { PUBSUB_EMULATOR_HOST: _pubsub, FIRESTORE_EMULATOR_HOST: _firestore, ...rest } = env;
  return rest;
}

async function stopEmulators(pubsub: Emulator, firestore: Emulator): Promise<void> {
  await Promise.allSettled([pubsub.stop(), firestore.stop()]);
}

async function cleanUp(): Promise<void> {
  stopping = true;
  for (const cleanup of cleanups.reverse()) {
    await cleanup().catch(() => undefined);
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say('\nstopping the functions, the simulator and the emulators...');
    void cleanUp().then(() => process.exit(0));
  });
}

main().catch(async (error: unknown) => {
  process.stderr.write(`gatewarden demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await cleanUp();
  process.exit(1);
});
