// The doctor's pure checklist lines, table by table: what each observation makes of the line and its fix.

import { describe, expect, it } from 'vitest';
import {
  auditRunCheck,
  type CheckStatus,
  STALE_SWEEP_MS,
  type SweepRunObservation,
  sinkChecks,
  subscriptionCheck,
  sweepRunCheck,
} from '../../src/doctor/checks.js';
import { type Deployment, parseDeployment } from '../../src/doctor/deployment.js';
import { type DoctorReaders, runDoctor } from '../../src/doctor/run-doctor.js';

const NOW = new Date('2026-12-04T18:00:00.000Z');

const DEPLOYMENT: Deployment = parseDeployment(
  JSON.stringify({
    project_id: 'acme-sec',
    mode: 'folder',
    scope: 'folders/345',
    audit_topic: 'projects/acme-sec/topics/gatewarden-audit-log',
    sweep_topic: 'projects/acme-sec/topics/gatewarden-sweep',
    sinks: ['folders/345/sinks/gatewarden-audit'],
    push_subscriptions: ['projects/acme-sec/subscriptions/gatewarden-on-sweep-push'],
  }),
  'names.json',
);

// A review's find: the deployment file took any firestore_database, so "a/b/c" failed as a permission problem,
// 100,000 characters ran for minutes and an ESC reached the terminal; GATEWARDEN_FIRESTORE_DATABASE was checked.
describe('deployment firestore_database', () => {
  const withDatabase = (database: unknown) =>
    JSON.stringify({ ...JSON.parse(JSON.stringify(DEPLOYMENT)), firestore_database: database });
  it.each([
    ['a path', 'a/b/c'],
    ['dots', '..'],
    ['100,000 characters', 'x'.repeat(100_000)],
    ['control characters', '\u001b[31mx\n'],
    ['capitals', 'Gatewarden'],
    ['too short', 'ab'],
    ['empty', ''],
  ])('refuses %s by file and key, the value not echoed', (_label, database) => {
    expect(() => parseDeployment(withDatabase(database), 'dep.json')).toThrow(
      'dep.json: firestore_database: must be a Firestore database ID',
    );
  });
  it.each([['(default)'], ['gatewarden'], ['gw-db-2']])('accepts %j', (database) => {
    expect(parseDeployment(withDatabase(database), 'dep.json').firestore_database).toBe(database);
  });
});

function run(overrides: Partial<SweepRunObservation>): SweepRunObservation {
  return {
    status: 'complete',
    startedAt: '2026-12-04T12:00:00.000Z',
    resources: 7,
    errors: [],
    incompleteScopes: [],
    ...overrides,
  };
}

describe('sweepRunCheck', () => {
  it.each<[string, SweepRunObservation | null, CheckStatus, string]>([
    ['a recent complete run', run({}), 'pass', '2026-12-04T12:00:00.000Z: 7 resources'],
    ['no run at all', null, 'fail', 'no run of acme-edge in Firestore runs/: it has never been swept'],
    [
      'a failed run',
      run({ status: 'failed', errors: ['boom'] }),
      'fail',
      'failed at 2026-12-04T12:00:00.000Z: boom',
    ],
    [
      'an incomplete run',
      run({ status: 'incomplete', incompleteScopes: ['gateway in locations/-: 403'] }),
      'warn',
      'incomplete at 2026-12-04T12:00:00.000Z: gateway in locations/-: 403',
    ],
    [
      'a complete run older than a day',
      run({ startedAt: new Date(NOW.getTime() - STALE_SWEEP_MS - 1000).toISOString() }),
      'warn',
      'last complete run 2026-12-03T17:59:59.000Z, more than a day ago',
    ],
  ])('%s', (_case, observed, status, detail) => {
    const line = sweepRunCheck(DEPLOYMENT, 'acme-edge', observed, NOW);
    expect(line.status).toBe(status);
    expect(line.detail).toBe(detail);
    expect(line.fix === null).toBe(status === 'pass');
  });

  it('the fix of a missing run publishes a sweep of that project on the deployment sweep topic', () => {
    expect(sweepRunCheck(DEPLOYMENT, 'acme-edge', null, NOW).fix).toContain(
      `gcloud pubsub topics publish projects/acme-sec/topics/gatewarden-sweep --message='{"project":"acme-edge"}'`,
    );
  });
});

describe('other deployment lines', () => {
  it('no audit entry processed yet is a warning, not a failure', () => {
    expect(auditRunCheck(DEPLOYMENT, null).status).toBe('warn');
    expect(auditRunCheck(DEPLOYMENT, '2026-12-04T17:00:00.000Z').status).toBe('pass');
  });

  it('a subscription that is gone fails, one with a dead-letter topic passes', () => {
    const name = 'projects/acme-sec/subscriptions/gatewarden-on-sweep-push';
    expect(subscriptionCheck(DEPLOYMENT, name, 'not-found').status).toBe('fail');
    expect(
      subscriptionCheck(DEPLOYMENT, name, {
        deadLetterTopic: 'projects/acme-sec/topics/dl',
        maxDeliveryAttempts: 10,
      }),
    ).toMatchObject({ status: 'pass', detail: 'projects/acme-sec/topics/dl after 10 attempts' });
  });
});

// A sink that routes nothing passed as routing to the topic: disabled, or an aggregated sink without its children.
describe('sinkChecks', () => {
  const destination = 'pubsub.googleapis.com/projects/acme-sec/topics/gatewarden-audit-log';
  const writerIdentity = 'serviceAccount:w@gcp-sa-logging.iam.gserviceaccount.com';
  const sinkName = 'folders/345/sinks/gatewarden-audit';
  it.each<[string, { disabled?: boolean; includeChildren?: boolean }, CheckStatus, string | null]>([
    ['routing its children', { includeChildren: true }, 'pass', writerIdentity],
    [
      'disabled',
      { includeChildren: true, disabled: true },
      'fail',
      `${sinkName} is disabled: it routes no audit entry`,
    ],
    [
      'without its children',
      {},
      'fail',
      `${sinkName} does not include children: no audit entry of a project beneath it is routed`,
    ],
  ])('an aggregated sink %s: %s', (_name, state, status, detail) => {
    const [sink] = sinkChecks(DEPLOYMENT, sinkName, { destination, writerIdentity, ...state }, undefined);
    expect(sink).toMatchObject({ id: 'sink', status, detail });
    if (status === 'fail') expect(sink?.fix).toContain('terraform apply');
  });
});

describe('runDoctor', () => {
  const healthy: DoctorReaders = {
    serviceStates: async (_project, services) =>
      new Map(services.map((service) => [service, 'ENABLED' as const])),
    heldPermissions: async (_project, permissions) => [...permissions],
    heldOnParent: async (_parent, permissions) => [...permissions],
    projectsUnder: async () => ['acme-edge'],
    sink: async () => ({
      destination: 'pubsub.googleapis.com/projects/acme-sec/topics/gatewarden-audit-log',
      writerIdentity: 'serviceAccount:w@gcp-sa-logging.iam.gserviceaccount.com',
      includeChildren: true,
    }),
    topicPolicy: async () => [
      {
        role: 'roles/pubsub.publisher',
        members: ['serviceAccount:w@gcp-sa-logging.iam.gserviceaccount.com'],
      },
    ],
    subscription: async () => ({ deadLetterTopic: 'projects/acme-sec/topics/dl', maxDeliveryAttempts: 10 }),
    topicExists: async () => true,
    secretPolicy: async () => [],
    secretVersionState: async () => 'ENABLED',
    lastSweepRun: async () => run({ status: 'incomplete', incompleteScopes: ['x'] }),
    lastProcessedAuditEntry: async () => null,
  };
  const request = {
    projects: [],
    parent: 'folders/345',
    deployment: DEPLOYMENT,
    projectPermissions: ['compute.urlMaps.list'],
    parentPermissions: ['resourcemanager.folders.list'],
    requiredServices: ['compute.googleapis.com'],
    now: NOW,
  };

  it('warnings alone leave the report passing; the aggregated sink is a deployment line', async () => {
    const report = await runDoctor(request, healthy);
    expect(report.summary).toEqual({ pass: 6, fail: 0, warn: 2 });
    expect(report.checks.filter((check) => check.id === 'sink')[0]?.scope).toBe('deployment acme-sec');
  });

  it('a reader that throws fails its line instead of the run', async () => {
    const report = await runDoctor(request, {
      ...healthy,
      subscription: async () => {
        throw { status: 403, message: 'subscriptions.get: forbidden' };
      },
    });
    const line = report.checks.find((check) => check.id.startsWith('subscription.'));
    expect(line).toMatchObject({
      status: 'fail',
      detail: 'could not check: 403: subscriptions.get: forbidden',
    });
  });

  it('an empty folder is a failing scope line with the permission to grant', async () => {
    const report = await runDoctor(
      { ...request, deployment: undefined },
      { ...healthy, projectsUnder: async () => [] },
    );
    expect(report.checks.map((check) => `${check.id} ${check.status}`)).toEqual([
      'scope.permissions pass',
      'scope.projects fail',
    ]);
    expect(report.checks[1]?.fix).toContain('resourcemanager.projects.list');
  });

  it('many projects are all checked, in the order found', async () => {
    const projects = Array.from({ length: 30 }, (_, index) => `acme-p${String(index).padStart(3, '0')}`);
    const report = await runDoctor(
      { ...request, parent: undefined, deployment: undefined, projects },
      healthy,
    );
    expect([...new Set(report.checks.map((check) => check.project))]).toEqual(projects);
  });
});
