// Drift end to end on the local stack: `gatewarden baseline approve` into the Firestore emulator, a change made with
// the googleapis client against the simulator, its audit entry pushed through the Pub/Sub emulator to onAuditLog
// served by `npx functions-framework`; then revert, re-approve, and read it all back with `gatewarden report`.

import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../../src/adapters/firestore/stores.js';
import { APPROVAL_METHOD } from '../../src/app/approve-baseline.js';
import { parseBaseline } from '../../src/config/baseline-file.js';
import type { Finding } from '../../src/domain/finding.js';
import type { FindingQueries } from '../../src/ports/finding-queries.js';
import {
  createPubSubAuditSink,
  PRINCIPAL_HEADER,
  type Simulator,
  startSimulator,
} from '../../src/simulator/index.js';
import { runCaptured } from '../cli/capture-io.js';
import {
  createSubscription,
  eventually,
  pushSweep,
  type ServedFunction,
  serveFunction,
} from '../e2e/local-stack.js';
import { type Emulator, startFirestoreEmulator, startPubSubEmulator } from '../support/emulators.js';

const ESTATE = 'acme-edge';
const STOREFRONT_BS = `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/storefront-bs`;
const ARMOR = (name: string) =>
  `https://www.googleapis.com/compute/v1/projects/${ESTATE}/global/securityPolicies/${name}`;
const ARMOR_FULL = (name: string) =>
  `//compute.googleapis.com/projects/${ESTATE}/global/securityPolicies/${name}`;
const APPROVER = 'platform-lead@acme.example';
const INTRUDER = 'hotfix-bot@acme-edge.iam.gserviceaccount.com';
const DRIFT = 'drift.matches-baseline';

const PROJECT = `gw-drift-${randomBytes(4).toString('hex')}`;
const AUDIT_TOPIC = `projects/${PROJECT}/topics/gatewarden-audit`;
const AUDIT_PUSH = `projects/${PROJECT}/subscriptions/audit-push`;

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
const cliEnv = () => ({ GOOGLE_CLOUD_PROJECT: PROJECT, HOME: tmpdir() });

beforeAll(async () => {
  [pubsub, firestoreEmulator] = await Promise.all([startPubSubEmulator(), startFirestoreEmulator()]);
  // The CLI's Firestore client (in this process) finds the emulator the way the functions do.
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  db = createFirestore({ projectId: PROJECT });
  findings = createFirestoreStores(db).findings;

  auditSink = createPubSubAuditSink(AUDIT_TOPIC, pubsub.host);
  await auditSink.ensureTopic();
  simulator = await startSimulator({
    inventory: (await loadEstate(`examples/${ESTATE}`)).inventory,
    auditSink,
  });
  compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });

  const env = {
    GOOGLE_CLOUD_PROJECT: PROJECT,
    FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    GATEWARDEN_API_ENDPOINT: simulator.url,
    GATEWARDEN_DIGEST_WINDOW_MS: '0',
    GATEWARDEN_SWEEP_PROJECTS: ESTATE,
  };
  [onAuditLog, onSweep, report] = await Promise.all([
    serveFunction('onAuditLog', 'cloudevent', env),
    serveFunction('onSweep', 'cloudevent', env),
    serveFunction('report', 'http', env),
  ]);
  await createSubscription(pubsub.host, AUDIT_PUSH, AUDIT_TOPIC, `${onAuditLog.url}/${AUDIT_TOPIC}`);
  // The sweep a fresh install starts with: the snapshots approval re-judges from.
  await sweepNow();
}, 180_000);

afterAll(async () => {
  await Promise.allSettled([onAuditLog?.stop(), onSweep?.stop(), report?.stop()]);
  await simulator?.close();
  await auditSink?.close();
  await db?.terminate();
  await Promise.allSettled([pubsub?.stop(), firestoreEmulator?.stop()]);
}, 60_000);

async function sweepNow(): Promise<Record<string, unknown>> {
  return (await pushSweep(onSweep, `projects/${PROJECT}/topics/gatewarden-sweep`, {
    project: ESTATE,
  })) as Record<string, unknown>;
}

/** `gcloud compute backend-services update storefront-bs --security-policy=...`, by a named principal. */
async function setArmor(name: string, principal: string): Promise<void> {
  await compute.backendServices.setSecurityPolicy(
    { project: ESTATE, backendService: 'storefront-bs', requestBody: { securityPolicy: ARMOR(name) } },
    { headers: { [PRINCIPAL_HEADER]: principal } },
  );
}

async function driftFinding(state: Finding['state']): Promise<Finding | undefined> {
  const [finding] = await findings.query({ ruleId: DRIFT, resource: STOREFRONT_BS, states: [state] });
  return finding;
}

describe('drift on the local stack', () => {
  test('baseline save captures the governed fields of the live project into a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gw-baseline-'));
    const out = join(dir, 'baseline.json');
    const run = await runCaptured([
      'baseline',
      'save',
      '--project',
      ESTATE,
      '--endpoint',
      simulator.url,
      '--out',
      out,
    ]);
    expect(run.stderr).toContain('Saved the governed fields of');
    expect(run.code).toBe(0);
    const saved = parseBaseline(await readFile(out, 'utf8'), out);
    expect(saved.resources[STOREFRONT_BS]?.fields.securityPolicy).toBe(ARMOR_FULL('storefront-armor'));
  });

  test('approve -> change -> finding with before/after and actor -> revert resolves it', async () => {
    const approved = await runCaptured(
      ['baseline', 'approve', '--project', ESTATE, '--endpoint', simulator.url, '--approved-by', APPROVER],
      { env: cliEnv() },
    );
    expect(approved.stderr).toContain(`as ${APPROVER}`);
    expect(approved.code).toBe(0);
    const stored = (
      await db.collection('baselines').where('resource', '==', STOREFRONT_BS).get()
    ).docs[0]?.data();
    expect(stored).toMatchObject({ approvedBy: APPROVER });
    expect(stored?.approvedAt).toBeDefined();

    await setArmor('payments-armor', INTRUDER);
    const opened = await eventually('drift to open on storefront-bs', () => driftFinding('open'));
    expect(opened.subKey).toBe('securityPolicy');
    expect(opened.evidence).toMatchObject({
      field: 'securityPolicy',
      baseline: ARMOR_FULL('storefront-armor'),
      current: ARMOR_FULL('payments-armor'),
      approvedBy: APPROVER,
      changedBy: { actor: INTRUDER, method: 'v1.compute.backendServices.setSecurityPolicy' },
    });
    expect(opened.lastChange).toMatchObject({ actor: INTRUDER });

    // A sweep knows no author: it keeps the one the event recorded, and rewrites nothing.
    const swept = await sweepNow();
    expect(swept.transitions).toBe(0);
    expect((await driftFinding('open'))?.evidence).toMatchObject({ changedBy: { actor: INTRUDER } });

    await setArmor('storefront-armor', INTRUDER);
    const resolved = await eventually('drift to resolve after the revert', () => driftFinding('resolved'));
    expect(resolved.id).toBe(opened.id);
    const history = await findings.history(resolved.id);
    expect(history.map((record) => record.transition)).toEqual(['opened', 'resolved']);
  }, 60_000);

  test('approving the new state resolves the finding at once, recorded as the approver', async () => {
    await setArmor('payments-armor', INTRUDER);
    const reopened = await eventually('drift to reopen', () => driftFinding('open'));
    expect(reopened.evidence).toMatchObject({ changedBy: { actor: INTRUDER } });

    const approved = await runCaptured(
      [
        'baseline',
        'approve',
        '--project',
        ESTATE,
        '--endpoint',
        simulator.url,
        '--resource',
        STOREFRONT_BS,
        '--approved-by',
        APPROVER,
      ],
      { env: cliEnv() },
    );
    expect(approved.stderr).toContain('Approved the governed fields of 1 resource');
    expect(approved.stdout).toContain(`resolved: ${DRIFT} ${STOREFRONT_BS} (securityPolicy)`);
    const resolved = await driftFinding('resolved');
    expect(resolved?.lastChange).toMatchObject({ method: APPROVAL_METHOD, actor: APPROVER });

    // The next sweep and the next event judge against the new baseline: nothing reopens.
    expect((await sweepNow()).transitions).toBe(0);
    expect(await driftFinding('open')).toBeUndefined();
  }, 60_000);

  test('gatewarden report and the report function show the drift with its history and who changed it', async () => {
    const cli = await runCaptured(['report', '--rule', DRIFT, '--state', 'all', '--format', 'json'], {
      env: cliEnv(),
    });
    expect(cli.code, cli.stderr).toBe(0);
    const body = JSON.parse(cli.stdout) as {
      findings: {
        resource: string;
        state: string;
        history: { transition: string; actor: string | null }[];
      }[];
      summary: { total: number };
    };
    const finding = body.findings.find((item) => item.resource === STOREFRONT_BS);
    expect(finding?.state).toBe('resolved');
    expect(finding?.history.map((entry) => [entry.transition, entry.actor])).toEqual([
      ['opened', INTRUDER],
      ['resolved', INTRUDER],
      ['reopened', INTRUDER],
      ['resolved', APPROVER],
    ]);

    const response = await fetch(`${report.url}/?format=html&rule=${DRIFT}&state=all`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('storefront-bs');
    expect(html).toContain(INTRUDER);

    const json = await fetch(`${report.url}/?rule=${DRIFT}&state=all`);
    expect(((await json.json()) as { summary: { total: number } }).summary.total).toBe(body.summary.total);
  }, 60_000);
});
