// `gatewarden doctor` against the simulator (Service Usage, testIamPermissions, Logging, Pub/Sub over HTTP to the real
// googleapis clients) and the Firestore emulator (run records): each fault fails its own line with its fix.

import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { FirestoreRunHistory } from '../../src/adapters/firestore/run-history.js';
import { FirestoreRunStore } from '../../src/adapters/firestore/run-store.js';
import {
  hierarchyPermissions,
  projectLevelPermissions,
} from '../../src/adapters/googleapis/permission-levels.js';
import { REQUIRED_PERMISSIONS } from '../../src/adapters/googleapis/permissions.js';
import type { RunRecord } from '../../src/app/run-record.js';
import { createDoctorCommand } from '../../src/cli/commands/doctor.js';
import type { CliIo } from '../../src/cli/io.js';
import { guardTerminalStreams } from '../../src/cli/terminal-text.js';
import type { CheckResult } from '../../src/doctor/checks.js';
import { emptyInventory } from '../../src/domain/inventory.js';
import { type PlatformSeed, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { runCommandForTest } from '../cli/report-run.js';
import { type Emulator, freePort, startFirestoreEmulator } from '../support/emulators.js';

const HOST = 'acme-sec';
const EDGE = 'acme-edge';
const PAY = 'acme-pay';
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit-log`;
const WRITER = 'serviceAccount:service-123@gcp-sa-logging.iam.gserviceaccount.com';
const PAY_WRITER = 'serviceAccount:service-456@gcp-sa-logging.iam.gserviceaccount.com';
const PREFIX = `doctor-${process.pid}-`;
const NOW = new Date('2026-12-04T18:00:00.000Z');
const AUDIT_ACCOUNT = `gatewarden-audit@${HOST}.iam.gserviceaccount.com`;
const SWEEP_ACCOUNT = `gatewarden-sweep@${HOST}.iam.gserviceaccount.com`;
const PAY_SECRET = `projects/${HOST}/secrets/gatewarden-channel-payments-slack`;
const PAY_TOPIC = `projects/${PAY}/topics/payments-alerts`;

const DEPLOYMENT = {
  project_id: HOST,
  mode: 'project',
  scope: null,
  firestore_database: '(default)',
  audit_topic: AUDIT_TOPIC,
  sweep_topic: `projects/${HOST}/topics/gatewarden-sweep`,
  sinks: [`projects/${EDGE}/sinks/gatewarden-audit`, `projects/${PAY}/sinks/gatewarden-audit`],
  push_subscriptions: [
    `projects/${HOST}/subscriptions/gatewarden-on-audit-log-push`,
    `projects/${HOST}/subscriptions/gatewarden-on-sweep-push`,
  ],
  sweep_projects: [EDGE, PAY],
  reader_role: `projects/${HOST}/roles/gatewarden_reader`,
  judging_accounts: [AUDIT_ACCOUNT, SWEEP_ACCOUNT],
};

/** Two named channels a route sends to, and one no route uses (never checked, so it may be missing). */
const POLICY = `alerts:
  namedChannels:
    payments-slack:
      type: slack
      webhookSecret: ${PAY_SECRET}
    payments-topic:
      type: pubsub
      topic: ${PAY_TOPIC}
    unused:
      type: google-chat
      webhookSecret: projects/${HOST}/secrets/nobody-reads-this
  routes:
    - name: payments
      projects: [${PAY}]
      channels: [payments-slack, payments-topic]
`;
const JUDGING_MEMBERS = [`serviceAccount:${AUDIT_ACCOUNT}`, `serviceAccount:${SWEEP_ACCOUNT}`];

/** A healthy installation: both sinks route to the audit topic and may publish there, both pushes dead-letter. */
const HEALTHY: PlatformSeed = {
  sinks: [
    {
      name: DEPLOYMENT.sinks[0] as string,
      destination: `pubsub.googleapis.com/${AUDIT_TOPIC}`,
      writerIdentity: WRITER,
    },
    {
      name: DEPLOYMENT.sinks[1] as string,
      destination: `pubsub.googleapis.com/${AUDIT_TOPIC}`,
      writerIdentity: PAY_WRITER,
    },
  ],
  topicPolicies: [
    { topic: AUDIT_TOPIC, bindings: [{ role: 'roles/pubsub.publisher', members: [WRITER, PAY_WRITER] }] },
    { topic: PAY_TOPIC, bindings: [{ role: 'roles/pubsub.publisher', members: JUDGING_MEMBERS }] },
  ],
  secrets: [
    {
      name: PAY_SECRET,
      bindings: [{ role: 'roles/secretmanager.secretAccessor', members: JUDGING_MEMBERS }],
    },
  ],
  subscriptions: DEPLOYMENT.push_subscriptions.map((name) => ({
    name,
    topic: AUDIT_TOPIC,
    deadLetterTopic: `projects/${HOST}/topics/gatewarden-dead-letter`,
    maxDeliveryAttempts: 10,
  })),
};

let simulator: Simulator;
let emulator: Emulator | undefined;
let db: Firestore;
let deploymentFile: string;
let policyFile: string;

beforeAll(async () => {
  [simulator, emulator] = await Promise.all([
    startSimulator({
      inventory: emptyInventory(),
      platform: HEALTHY,
      projects: [
        { projectId: EDGE, parent: 'folders/345' },
        { projectId: PAY, parent: 'folders/345' },
      ],
    }),
    startFirestoreEmulator(),
  ]);
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  db = createFirestore({ projectId: HOST });
  const runs = new FirestoreRunStore(db, { collectionPrefix: PREFIX });
  await runs.save(runRecord(EDGE, 'complete', '2026-12-04T12:00:00.000Z'));
  await runs.save(runRecord(PAY, 'complete', '2026-12-04T12:00:05.000Z'));
  await db
    .collection(`${PREFIX}events`)
    .doc('e1')
    .set({
      entryId: 'e1',
      processedAt: Timestamp.fromDate(new Date('2026-12-04T17:00:00.000Z')),
      transitions: 0,
    });
  deploymentFile = join(mkdtempSync(join(tmpdir(), 'gatewarden-doctor-')), 'outputs.json');
  policyFile = join(dirname(deploymentFile), 'policy.yaml');
  await writeFile(policyFile, POLICY);
  // As `terraform output -json` prints it.
  await writeFile(
    deploymentFile,
    JSON.stringify({ deployment: { sensitive: false, type: ['object', {}], value: DEPLOYMENT } }),
  );
}, 120_000);

afterAll(async () => {
  await simulator?.close();
  await emulator?.stop();
});

beforeEach(() => {
  simulator.setPlatform(HEALTHY);
});

function runRecord(
  project: string,
  status: RunRecord['status'],
  startedAt: string,
  errors: string[] = [],
): RunRecord {
  return {
    id: `${project}-${startedAt}`.replace(/[^a-z0-9-]/g, '-'),
    kind: 'project-sweep',
    project,
    status,
    startedAt,
    finishedAt: startedAt,
    durationMs: 0,
    counts: { resources: 7, results: 20, failing: 1, transitions: 0, snapshotsWritten: 0, deleted: 0 },
    incompleteScopes: [],
    errors,
    messageId: null,
  };
}

/** `terminal`: stdout is a colour terminal, guarded as runCli guards it. */
async function doctor(
  args: string[],
  { terminal = false } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const streams: CliIo = {
    stdout: { write: (text: string) => (stdout += text), ...(terminal ? { isTTY: true } : {}) },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
  };
  const io = terminal ? guardTerminalStreams(streams) : streams;
  const history = new FirestoreRunHistory(db, { collectionPrefix: PREFIX });
  const command = createDoctorCommand({
    openRunHistory: async () => ({
      lastSweepRun: (project) => history.lastSweepRun(project),
      lastProcessedAuditEntry: () => history.lastProcessedAuditEntry(),
    }),
    now: () => NOW,
  });
  const code = await runCommandForTest(command, [...args, '--endpoint', simulator.url], io);
  return { code, stdout, stderr };
}

async function checksOf(args: string[]): Promise<{ code: number; checks: CheckResult[] }> {
  const run = await doctor([...args, '--format', 'json']);
  expect(run.stderr).toBe('');
  return { code: run.code, checks: (JSON.parse(run.stdout) as { checks: CheckResult[] }).checks };
}

function failing(checks: readonly CheckResult[]): string[] {
  return checks.filter((check) => check.status === 'fail').map((check) => `${check.scope}: ${check.id}`);
}

describe('gatewarden doctor', () => {
  it('with no fault every line passes, exit 0', async () => {
    const { code, checks } = await checksOf(['--deployment', deploymentFile]);
    expect(failing(checks)).toEqual([]);
    expect(code).toBe(0);
    // Per project: two APIs, the permissions, its sink and writer, its last sweep; then the deployment's lines.
    expect(checks.map((check) => `${check.scope}: ${check.id}`)).toEqual([
      `project ${EDGE}: api.apigateway.googleapis.com`,
      `project ${EDGE}: api.compute.googleapis.com`,
      `project ${EDGE}: permissions`,
      `project ${EDGE}: runs.sweep`,
      `project ${PAY}: api.apigateway.googleapis.com`,
      `project ${PAY}: api.compute.googleapis.com`,
      `project ${PAY}: permissions`,
      `project ${PAY}: runs.sweep`,
      `project ${EDGE}: sink`,
      `project ${EDGE}: sink.publisher`,
      `project ${PAY}: sink`,
      `project ${PAY}: sink.publisher`,
      `deployment ${HOST}: subscription.gatewarden-on-audit-log-push`,
      `deployment ${HOST}: subscription.gatewarden-on-sweep-push`,
      `deployment ${HOST}: runs.audit`,
    ]);
  });

  it('the table on a colour terminal keeps its own colours', async () => {
    const { code, stdout } = await doctor(['--project', EDGE], { terminal: true });
    expect(code).toBe(0);
    expect(stdout).toContain('  \u001b[32mok  \u001b[0m  API Gateway API enabled\n');
  });

  it('the table lists each project with its checks and ends with the count', async () => {
    const { code, stdout } = await doctor(['--project', EDGE]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `project ${EDGE}`,
        '  ok    API Gateway API enabled',
        '  ok    Compute Engine API enabled',
        `  ok    caller holds the ${projectLevelPermissions(REQUIRED_PERMISSIONS).length} permissions the fetchers declare`,
        '',
        'All 3 checks pass.',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['compute.googleapis.com', 'Compute Engine API enabled'],
    ['apigateway.googleapis.com', 'API Gateway API enabled'],
  ])('a disabled %s fails that line with the enable command, exit 1', async (service, title) => {
    simulator.setPlatform({ ...HEALTHY, disabledServices: [{ project: PAY, service }] });
    const { code, checks } = await checksOf(['--project', EDGE, '--project', PAY]);
    expect(code).toBe(1);
    expect(failing(checks)).toEqual([`project ${PAY}: api.${service}`]);
    const line = checks.find((check) => check.status === 'fail');
    expect(line?.title).toBe(title);
    expect(line?.fix).toBe(`gcloud services enable ${service} --project=${PAY}`);

    const table = await doctor(['--project', PAY]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`  FAIL  ${title} (${service} is disabled`);
    expect(table.stdout).toContain(`        fix: gcloud services enable ${service} --project=${PAY}\n`);
    expect(table.stdout).toContain('1 of 3 checks fail.');
  });

  it('a missing permission fails the permissions line, naming it, with the grant of the reader role', async () => {
    const missing = projectLevelPermissions(REQUIRED_PERMISSIONS).find((permission) =>
      permission.startsWith('apigateway.'),
    ) as string;
    simulator.setPlatform({ ...HEALTHY, deniedPermissions: [{ project: EDGE, permission: missing }] });
    const { code, checks } = await checksOf(['--deployment', deploymentFile]);
    expect(code).toBe(1);
    expect(failing(checks)).toEqual([`project ${EDGE}: permissions`]);
    const line = checks.find((check) => check.status === 'fail');
    expect(line?.detail).toBe(`missing 1: ${missing}`);
    expect(line?.fix).toBe(
      `grant projects/${EDGE}/roles/gatewarden_reader on ${EDGE}: gcloud projects add-iam-policy-binding ${EDGE} --member=MEMBER --role=projects/${EDGE}/roles/gatewarden_reader`,
    );
  });

  it('a sink that is gone fails its line; a writer without publish fails the publisher line with the grant', async () => {
    simulator.setPlatform({
      ...HEALTHY,
      sinks: HEALTHY.sinks?.slice(1) ?? [],
      topicPolicies: [
        { topic: AUDIT_TOPIC, bindings: [{ role: 'roles/pubsub.viewer', members: [PAY_WRITER] }] },
      ],
    });
    const { code, checks } = await checksOf(['--deployment', deploymentFile]);
    expect(code).toBe(1);
    expect(failing(checks)).toEqual([`project ${EDGE}: sink`, `project ${PAY}: sink.publisher`]);
    const publisher = checks.find((check) => check.id === 'sink.publisher' && check.status === 'fail');
    expect(publisher?.fix).toBe(
      `gcloud pubsub topics add-iam-policy-binding ${AUDIT_TOPIC} --member=${PAY_WRITER} --role=roles/pubsub.publisher`,
    );
  });

  // Pub/Sub answers 404 for the policy of a topic that is gone: the fix was to grant the caller getIamPolicy.
  it('an audit topic that is gone fails each publisher line, saying so, with the apply that creates it', async () => {
    simulator.setPlatform({
      ...HEALTHY,
      topicPolicies: HEALTHY.topicPolicies?.filter((policy) => policy.topic !== AUDIT_TOPIC) ?? [],
    });
    const { code, checks } = await checksOf(['--deployment', deploymentFile]);
    expect(code).toBe(1);
    expect(failing(checks)).toEqual([`project ${EDGE}: sink.publisher`, `project ${PAY}: sink.publisher`]);
    expect(checks.find((check) => check.status === 'fail')).toMatchObject({
      detail: `${AUDIT_TOPIC} does not exist: every audit entry the sink routes is dropped`,
      fix: 'cd terraform && terraform apply (it creates the topic)',
    });
  });

  // The detail is cut at 200 characters, and the request's URL took them all: ECONNREFUSED was never shown.
  it('an endpoint that refuses connections is named by its error code on every line', async () => {
    let stdout = '';
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => {} },
      env: {},
    };
    const closed = `http://127.0.0.1:${await freePort()}`;
    const code = await runCommandForTest(
      createDoctorCommand(),
      ['--project', EDGE, '--format', 'json', '--endpoint', closed],
      io,
    );
    expect(code).toBe(1);
    const { checks } = JSON.parse(stdout) as { checks: CheckResult[] };
    expect(checks.map((check) => check.detail)).toEqual(
      checks.map(() => expect.stringMatching(/^could not check: no response: .* ECONNREFUSED: request to /)),
    );
  });

  it('a disabled sink fails its line: it routes nothing', async () => {
    simulator.setPlatform({
      ...HEALTHY,
      sinks: HEALTHY.sinks?.map((sink, index) => (index === 0 ? { ...sink, disabled: true } : sink)),
    });
    const { code, checks } = await checksOf(['--deployment', deploymentFile]);
    expect(code).toBe(1);
    expect(failing(checks)).toEqual([`project ${EDGE}: sink`]);
    expect(checks.find((check) => check.status === 'fail')?.detail).toBe(
      `${DEPLOYMENT.sinks[0]} is disabled: it routes no audit entry`,
    );
  });

  it('a push subscription without a dead-letter topic fails its line', async () => {
    simulator.setPlatform({
      ...HEALTHY,
      subscriptions: HEALTHY.subscriptions?.map((subscription, index) =>
        index === 1 ? { name: subscription.name, topic: subscription.topic } : subscription,
      ),
    });
    const { code, checks } = await checksOf(['--deployment', deploymentFile]);
    expect(code).toBe(1);
    expect(failing(checks)).toEqual([`deployment ${HOST}: subscription.gatewarden-on-sweep-push`]);
  });

  it('a project never swept fails its run line with the command that sweeps it now', async () => {
    const other = 'acme-new';
    const { code, checks } = await checksOf(['--deployment', deploymentFile, '--project', other]);
    expect(code).toBe(1);
    // Not watched in project mode: no sink, and never swept.
    expect(failing(checks)).toEqual([`project ${other}: runs.sweep`, `project ${other}: sink`]);
    const run = checks.find((check) => check.id === 'runs.sweep' && check.project === other);
    expect(run?.fix).toContain(
      `gcloud pubsub topics publish ${DEPLOYMENT.sweep_topic} --message='{"project":"${other}"}'`,
    );
  });

  it('a failed last sweep fails its line with the recorded error', async () => {
    const runs = new FirestoreRunStore(db, { collectionPrefix: PREFIX });
    await runs.save(
      runRecord('acme-broken', 'failed', '2026-12-04T13:00:00.000Z', ['PermissionDeniedError: no']),
    );
    const { checks } = await checksOf(['--deployment', deploymentFile, '--project', 'acme-broken']);
    const run = checks.find((check) => check.id === 'runs.sweep');
    expect(run?.status).toBe('fail');
    expect(run?.detail).toBe('failed at 2026-12-04T13:00:00.000Z: PermissionDeniedError: no');
  });

  it.each([
    ['null', null, 'incompleteScopes[0] is null, not a scope'],
    ['a number', 5, 'incompleteScopes[0] is 5, not a scope'],
    ['a string', 'zone', 'incompleteScopes[0] is "zone", not a scope'],
  ])(
    'a run record whose incomplete scope is %s is named malformed, not a permission gap',
    async (_name, entry, said) => {
      const project = `acme-malformed-${typeof entry}`;
      const runs = new FirestoreRunStore(db, { collectionPrefix: PREFIX });
      const record = runRecord(project, 'incomplete', '2026-12-04T13:00:00.000Z');
      await runs.save(record);
      await db
        .collection(`${PREFIX}runs`)
        .doc(record.id)
        .update({ incompleteScopes: [entry] });
      const { checks } = await checksOf(['--deployment', deploymentFile, '--project', project]);
      const run = checks.find((check) => check.id === 'runs.sweep');
      expect(run?.status).toBe('warn');
      expect(run?.detail).toContain(`malformed record runs/${record.id}: ${said}`);
      expect(run?.fix).not.toContain('datastore.entities.list');
    },
  );

  it('--folder checks every project beneath it (the tree walk the sweep makes)', async () => {
    const { code, checks } = await checksOf(['--folder', '345']);
    expect(code).toBe(0);
    expect(checks[0]).toMatchObject({ scope: 'scope folders/345', id: 'scope.permissions', status: 'pass' });
    expect([...new Set(checks.flatMap((check) => (check.project ? [check.project] : [])))]).toEqual([
      EDGE,
      PAY,
    ]);
  });

  it('a folder permission the walk needs, missing on the folder, fails the scope line with the grant', async () => {
    const [missing] = hierarchyPermissions(REQUIRED_PERMISSIONS);
    simulator.setPlatform({
      ...HEALTHY,
      deniedPermissions: [{ parent: 'folders/345', permission: missing as string }],
    });
    const { code, checks } = await checksOf(['--folder', 'folders/345']);
    expect(code).toBe(1);
    expect(failing(checks)).toEqual(['scope folders/345: scope.permissions']);
    expect(checks[0]?.detail).toContain(`missing 1: ${missing}`);
    expect(checks[0]?.fix).toContain(
      'gcloud resource-manager folders add-iam-policy-binding 345 --member=MEMBER',
    );
    // Projects are tested only for what acts on a project: the folder permission is not asked of them.
    expect(
      checks.filter((check) => check.id === 'permissions').every((check) => check.status === 'pass'),
    ).toBe(true);
  });

  it('an API answering 403 fails the line it feeds, saying what was answered', async () => {
    simulator.setFaults([{ path: '/v1/projects/*/services:batchGet', status: 403, reason: 'forbidden' }]);
    try {
      const { code, checks } = await checksOf(['--project', EDGE]);
      expect(code).toBe(1);
      expect(failing(checks)).toEqual([
        `project ${EDGE}: api.apigateway.googleapis.com`,
        `project ${EDGE}: api.compute.googleapis.com`,
      ]);
      expect(checks[0]?.detail).toMatch(/^could not check: 403: /);
      expect(checks[0]?.fix).toContain('roles/serviceusage.serviceUsageViewer');
    } finally {
      simulator.setFaults([]);
    }
  });

  it('the JSON form carries ok, the projects, every check and the summary', async () => {
    const run = await doctor(['--project', EDGE, '--format', 'json']);
    const parsed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['ok', 'projects', 'checks', 'summary']);
    expect(parsed.ok).toBe(true);
    expect(parsed.projects).toEqual([EDGE]);
    expect(parsed.summary).toEqual({ pass: 3, fail: 0, warn: 0 });
    expect((parsed.checks as CheckResult[])[0]).toEqual({
      scope: `project ${EDGE}`,
      project: EDGE,
      id: 'api.apigateway.googleapis.com',
      title: 'API Gateway API enabled',
      status: 'pass',
      detail: 'apigateway.googleapis.com',
      fix: null,
    });
  });

  it('--policy checks each named channel a route sends to: both pass when their grants are in place', async () => {
    const { code, checks } = await checksOf(['--deployment', deploymentFile, '--policy', policyFile]);
    expect(failing(checks)).toEqual([]);
    expect(code).toBe(0);
    const channels = checks.filter((check) => check.id.startsWith('channel.'));
    expect(channels.map((check) => `${check.scope}: ${check.id}: ${check.detail}`)).toEqual([
      `deployment ${HOST}: channel.payments-slack: ${PAY_SECRET}/versions/latest is ENABLED`,
      `deployment ${HOST}: channel.payments-topic: ${PAY_TOPIC}`,
    ]);
  });

  const secretOf = (seed: Partial<NonNullable<PlatformSeed['secrets']>[number]>): PlatformSeed => ({
    ...HEALTHY,
    secrets: [{ ...HEALTHY.secrets?.[0], name: PAY_SECRET, ...seed }],
  });
  const topicPublishers = (members: string[]): PlatformSeed => ({
    ...HEALTHY,
    topicPolicies: [
      ...(HEALTHY.topicPolicies ?? []).filter((policy) => policy.topic !== PAY_TOPIC),
      ...(members.length > 0
        ? [{ topic: PAY_TOPIC, bindings: [{ role: 'roles/pubsub.publisher', members }] }]
        : []),
    ],
  });

  it.each([
    [
      'the secret does not exist',
      { ...HEALTHY, secrets: [] },
      'channel.payments-slack',
      `${PAY_SECRET} does not exist: alerts routed to payments-slack are not sent`,
      'add payments-slack to routed_webhook_channels and terraform apply',
    ],
    [
      'the secret has no version (Terraform makes none)',
      secretOf({ latestVersion: null }),
      'channel.payments-slack',
      `${PAY_SECRET}/versions/latest does not exist: every send to payments-slack fails`,
      `printf '%s' "$WEBHOOK_URL" | gcloud secrets versions add ${PAY_SECRET} --data-file=-`,
    ],
    [
      'its latest version is disabled',
      secretOf({ latestVersion: 'DISABLED' }),
      'channel.payments-slack',
      `${PAY_SECRET}/versions/latest is DISABLED: every send to payments-slack fails`,
      'gcloud secrets versions add',
    ],
    [
      'onSweep may not read it (a viewer grant does not read versions)',
      secretOf({
        bindings: [
          { role: 'roles/secretmanager.secretAccessor', members: [`serviceAccount:${AUDIT_ACCOUNT}`] },
          { role: 'roles/secretmanager.viewer', members: [`serviceAccount:${SWEEP_ACCOUNT}`] },
        ],
      }),
      'channel.payments-slack',
      `${SWEEP_ACCOUNT} may not read ${PAY_SECRET}: sends to payments-slack fail`,
      `gcloud secrets add-iam-policy-binding ${PAY_SECRET} --member=serviceAccount:${SWEEP_ACCOUNT} --role=roles/secretmanager.secretAccessor`,
    ],
    [
      'the topic does not exist',
      topicPublishers([]),
      'channel.payments-topic',
      `${PAY_TOPIC} does not exist: alerts routed to payments-topic are not sent`,
      `gcloud pubsub topics create ${PAY_TOPIC}`,
    ],
    [
      'onAuditLog may not publish on the topic',
      topicPublishers([`serviceAccount:${SWEEP_ACCOUNT}`]),
      'channel.payments-topic',
      `${AUDIT_ACCOUNT} may not publish on ${PAY_TOPIC}: alerts routed to payments-topic are not sent`,
      `add ${PAY_TOPIC} to routed_topics and terraform apply, or: gcloud pubsub topics add-iam-policy-binding ${PAY_TOPIC} --member=serviceAccount:${AUDIT_ACCOUNT} --role=roles/pubsub.publisher`,
    ],
  ])(
    'a named channel whose %s fails its line with the fix, exit 1',
    async (_case, platform, id, detail, fix) => {
      simulator.setPlatform(platform);
      const { code, checks } = await checksOf(['--deployment', deploymentFile, '--policy', policyFile]);
      expect(code).toBe(1);
      expect(failing(checks)).toEqual([`deployment ${HOST}: ${id}`]);
      const line = checks.find((check) => check.status === 'fail');
      expect(line?.detail).toBe(detail);
      expect(line?.fix).toContain(fix);
    },
  );

  it('a secret policy the caller may not read fails the line with what was answered and the read to grant', async () => {
    simulator.setFaults([
      { path: '/v1/projects/*/secrets/*:getIamPolicy', status: 403, reason: 'forbidden' },
    ]);
    try {
      const { code, checks } = await checksOf(['--deployment', deploymentFile, '--policy', policyFile]);
      expect(code).toBe(1);
      expect(failing(checks)).toEqual([`deployment ${HOST}: channel.payments-slack`]);
      const line = checks.find((check) => check.status === 'fail');
      expect(line?.detail).toMatch(/^could not check: 403: secrets.getIamPolicy /);
      expect(line?.fix).toBe(
        `grant the caller secretmanager.secrets.getIamPolicy and secretmanager.versions.get on ${PAY_SECRET}`,
      );
    } finally {
      simulator.setFaults([]);
    }
  });

  it('a deployment output without judging_accounts (applied before it existed) warns instead of guessing', async () => {
    const file = join(dirname(deploymentFile), 'older.json');
    const { judging_accounts: _accounts, ...older } = DEPLOYMENT;
    await writeFile(file, JSON.stringify(older));
    const { code, checks } = await checksOf(['--deployment', file, '--policy', policyFile]);
    expect(code).toBe(0);
    const channels = checks.filter((check) => check.id.startsWith('channel.'));
    expect(channels.map((check) => check.status)).toEqual(['warn', 'warn']);
    expect(channels[0]?.detail).toContain('apply the current terraform/');
  });

  it('--policy without --deployment, or a policy the loader refuses, exits 2 with one line', async () => {
    const alone = await doctor(['--project', EDGE, '--policy', policyFile]);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--policy needs --deployment');
    const bad = join(dirname(deploymentFile), 'bad-policy.yaml');
    await writeFile(
      bad,
      POLICY.replace('channels: [payments-slack, payments-topic]', 'channels: [payment-slack]'),
    );
    const refused = await doctor(['--deployment', deploymentFile, '--policy', bad]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('route "payments" names unknown channel "payment-slack"');
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [[], 'say what to check'],
    [['--project', 'Not_A_Project'], '--project "Not_A_Project" is not a project ID'],
    [['--folder', '1', '--organization', '2'], 'give --folder or --organization, not both'],
    [['--folder', 'abc'], '--folder must be a numeric ID or folders/ID'],
    [['--project', EDGE, '--format', 'sarif'], '--format must be one of table, json'],
    [['--deployment', '/nonexistent/outputs.json'], '/nonexistent/outputs.json: file not found'],
    [['--project', EDGE, '--colour'], 'unknown option --colour'],
  ])('bad input %j exits 2 with one line', async (args, message) => {
    const run = await doctor(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a deployment file with a wrong field exits 2 naming the key', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gatewarden-doctor-')), 'names.json');
    await writeFile(file, JSON.stringify({ ...DEPLOYMENT, audit_topic: 'gatewarden-audit-log' }));
    const run = await doctor(['--deployment', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${file}: audit_topic: must be projects/P/topics/T\n`);
  });
});
