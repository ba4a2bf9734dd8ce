// Security Command Center on the local stack: onAuditLog (real Functions Framework) judges a change in the simulator,
// the outbox's SCC sink writes to the simulator's SCC v2 source (create; update, setState, setMute), findings land in
// the Firestore emulator. Write counts come from the simulator's request log.

import { randomBytes } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import { compute_v1 } from 'googleapis/build/src/apis/compute/v1.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { composeFromEnvironment } from '../../functions/compose.js';
import { createHandlers } from '../../functions/handlers.js';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createFirestore } from '../../src/adapters/firestore/client.js';
import { createFirestoreStores } from '../../src/adapters/firestore/stores.js';
import { createSccClient } from '../../src/adapters/scc/scc-client.js';
import { sccFindingIdOf } from '../../src/alerts/scc-finding.js';
import type { Finding } from '../../src/domain/finding.js';
import type { FindingQueries } from '../../src/ports/finding-queries.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { type AuditLogEntry, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { eventually } from '../e2e/local-stack.js';
import { postJson, pushBody, type ServedFunctions, serveHandlers } from '../functions/framework-server.js';
import { type Emulator, startFirestoreEmulator } from '../support/emulators.js';
import { sccWritesTo } from '../support/scc-requests.js';

const ESTATE = 'acme-edge';
const RUN = randomBytes(4).toString('hex');
const HOST = `gw-scc-${RUN}`;
const AUDIT_TOPIC = `projects/${HOST}/topics/gatewarden-audit`;
const AUDIT_PUSH = `projects/${HOST}/subscriptions/audit-push`;
const SOURCE = 'organizations/123456789012/sources/4242424242';
const RULE = 'backend.logging-enabled';
/** reports-bs is exempted from request logging: its finding is muted, and SCC shows it MUTED with the reason. */
const POLICY = [
  'exemptions:',
  `  - ruleId: ${RULE}`,
  '    resource: //compute.googleapis.com/projects/acme-edge/global/backendServices/reports-bs',
  '    reason: Reports are batch downloads; request logs would only hold noise (TICKET-88).',
  '    expires: 2099-01-01',
  '    owner: reporting@acme.example',
  '',
].join('\n');
const bsFull = (name: string) => `//compute.googleapis.com/projects/${ESTATE}/global/backendServices/${name}`;

let firestoreEmulator: Emulator;
let simulator: Simulator;
let served: ServedFunctions;
let db: Firestore;
let findings: FindingQueries;
let compute: compute_v1.Compute;
const log = new MemoryLogger();
const published: AuditLogEntry[] = [];

beforeAll(async () => {
  firestoreEmulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = firestoreEmulator.host;
  db = createFirestore({ projectId: HOST });
  findings = createFirestoreStores(db).findings;
  simulator = await startSimulator({
    inventory: (await loadEstate(`examples/${ESTATE}`)).inventory,
    auditSink: { publish: async (entries) => void published.push(...entries) },
    sccSources: [SOURCE],
  });
  compute = new compute_v1.Compute({ rootUrl: `${simulator.url}/` });
  const deps = await composeFromEnvironment({
    env: {
      GOOGLE_CLOUD_PROJECT: HOST,
      FIRESTORE_EMULATOR_HOST: firestoreEmulator.host,
      GATEWARDEN_API_ENDPOINT: simulator.url,
      GATEWARDEN_DIGEST_WINDOW_MS: '0',
      GATEWARDEN_SCC_SOURCE: SOURCE,
      GATEWARDEN_REPORT_URL: 'https://gatewarden-report.example.run.app/',
      GATEWARDEN_POLICY: POLICY,
    },
    log,
  });
  expect(deps.sinks.map((sink) => sink.name)).toEqual(['scc']);
  served = await serveHandlers(createHandlers(deps));
  const answer = await postJson(
    `${served.onSweep}/projects/${HOST}/topics/gatewarden-sweep`,
    pushBody(JSON.stringify({ project: ESTATE }), `sweep-${RUN}`, `projects/${HOST}/subscriptions/sweep`),
  );
  expect(answer.status).toBeLessThan(300);
}, 120_000);

afterAll(async () => {
  await served?.close();
  await simulator?.close();
  await db?.terminate();
  await firestoreEmulator?.stop();
}, 60_000);

async function findingOf(resource: string): Promise<Finding | undefined> {
  const [finding] = await findings.query({ ruleId: RULE, resource });
  return finding;
}

function sccNameOf(finding: Finding): string {
  return `${SOURCE}/locations/global/findings/${sccFindingIdOf(finding.id)}`;
}

/** The SCC calls this finding received since the log was cleared: `create 200`, `setState 200`, … */
function writesTo(finding: Finding): string[] {
  return sccWritesTo(simulator.requests(), sccFindingIdOf(finding.id));
}

async function sccFinding(finding: Finding) {
  const all = await createSccClient({ endpoint: simulator.url }).listFindings(SOURCE);
  return all.find((candidate) => candidate.name === sccNameOf(finding));
}

/** Changes logging on a backend service and answers the audit entry the simulator wrote for it. */
async function setLogging(name: string, enable: boolean): Promise<AuditLogEntry> {
  const before = published.length;
  await compute.backendServices.patch({
    project: ESTATE,
    backendService: name,
    requestBody: { logConfig: { enable } },
  });
  const entry = published
    .slice(before)
    .find(
      (candidate) =>
        candidate.operation.last === true && String(candidate.protoPayload.resourceName).endsWith(name),
    );
  if (!entry) throw new Error(`no audit entry for ${name}`);
  return entry;
}

async function deliver(entry: AuditLogEntry, messageId: string): Promise<number> {
  const answer = await postJson(
    `${served.onAuditLog}/${AUDIT_TOPIC}`,
    pushBody(JSON.stringify(entry), messageId, AUDIT_PUSH),
  );
  return answer.status;
}

describe('Security Command Center mirror', () => {
  test('the sweep mirrored every finding it opened, each once', async () => {
    const open = await findings.query({ states: ['open'] });
    expect(open.length).toBeGreaterThan(0);
    const mirrored = await createSccClient({ endpoint: simulator.url }).listFindings(SOURCE);
    expect(mirrored.map((finding) => finding.name).sort()).toEqual(
      open.map((finding) => sccNameOf(finding)).sort(),
    );
    expect(mirrored.every((finding) => finding.state === 'ACTIVE')).toBe(true);
  });

  test('a change opens a finding: one SCC finding ACTIVE, one write however often the entry is delivered', async () => {
    simulator.clearRequests();
    const entry = await setLogging('payments-events-bs', false);
    for (const messageId of ['m-1', 'm-1', 'm-2']) expect(await deliver(entry, messageId)).toBe(204);
    const finding = await eventually('the finding to open', async () => {
      const found = await findingOf(bsFull('payments-events-bs'));
      return found?.state === 'open' ? found : undefined;
    });
    expect(writesTo(finding)).toEqual(['create 200']);
    expect(await sccFinding(finding)).toMatchObject({
      state: 'ACTIVE',
      category: RULE,
      resourceName: bsFull('payments-events-bs'),
      findingClass: 'MISCONFIGURATION',
      mute: 'UNDEFINED',
      externalUri: `https://gatewarden-report.example.run.app/?finding=${finding.id}`,
    });
  });

  test('resolved → the same SCC finding INACTIVE: one more logical write (its content, then setState)', async () => {
    simulator.clearRequests();
    const entry = await setLogging('payments-events-bs', true);
    for (const messageId of ['m-3', 'm-3', 'm-3']) expect(await deliver(entry, messageId)).toBe(204);
    const finding = await eventually('the finding to resolve', async () => {
      const found = await findingOf(bsFull('payments-events-bs'));
      return found?.state === 'resolved' ? found : undefined;
    });
    expect(writesTo(finding)).toEqual(['create 409', 'update 200', 'setState 200']);
    expect(await sccFinding(finding)).toMatchObject({ state: 'INACTIVE', eventTime: expect.any(String) });
  });

  test('exempted → MUTED with the exemption reason, though no channel alerts on a mute', async () => {
    simulator.clearRequests();
    const entry = await setLogging('reports-bs', false);
    expect(await deliver(entry, 'm-6')).toBe(204);
    const finding = await eventually('the finding to be muted', async () => {
      const found = await findingOf(bsFull('reports-bs'));
      return found?.state === 'muted' ? found : undefined;
    });
    expect(writesTo(finding)).toEqual(['create 200', 'setMute 200']);
    expect(await sccFinding(finding)).toMatchObject({
      mute: 'MUTED',
      state: 'ACTIVE',
      sourceProperties: expect.objectContaining({
        exemptionReason: 'Reports are batch downloads; request logs would only hold noise (TICKET-88).',
        transition: 'muted',
      }),
    });
  });

  test('SCC answering 429 then 200: the write is retried and converges', async () => {
    simulator.clearRequests();
    simulator.setFaults([
      { pathRegex: '^/v2/organizations/.*/findings$', method: 'POST', status: 429, times: 1 },
    ]);
    const entry = await setLogging('storefront-bs', false);
    expect(await deliver(entry, 'm-4')).toBe(204);
    const finding = await eventually('the finding to open', async () => {
      const found = await findingOf(bsFull('storefront-bs'));
      return found?.state === 'open' ? found : undefined;
    });
    expect(writesTo(finding)).toEqual(['create 429', 'create 200']);
    expect((await sccFinding(finding))?.state).toBe('ACTIVE');
    simulator.setFaults([]);
  }, 60_000);

  test('SCC answering 400: recorded, acknowledged, never retried', async () => {
    simulator.clearRequests();
    simulator.setFaults([{ pathRegex: '^/v2/organizations/.*/findings$', method: 'POST', status: 400 }]);
    const entry = await setLogging('partners-bs', false);
    expect(await deliver(entry, 'm-5')).toBe(204);
    expect(await deliver(entry, 'm-5')).toBe(204);
    const finding = await eventually('the finding to open', async () => {
      const found = await findingOf(bsFull('partners-bs'));
      return found?.state === 'open' ? found : undefined;
    });
    expect(writesTo(finding)).toEqual(['create 400']);
    expect(log.text()).toContain('SCC refused the finding; not sending it again');
    const ledger = await db.collection('sccWrites').where('outcome', '==', 'refused').get();
    expect(ledger.docs.map((doc) => doc.get('detail'))).toEqual([expect.stringMatching(/^400: /)]);
    expect(await sccFinding(finding)).toBeUndefined();
    simulator.setFaults([]);
  });
});
