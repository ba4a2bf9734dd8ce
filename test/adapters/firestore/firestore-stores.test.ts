// The Firestore adapters on the emulator: both port contracts, plus what only Firestore can show (documents
// untouched by an unchanged re-judge, the 1 MiB limit, baselines).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  BaselineEntryTooLargeError,
  FirestoreBaselineStore,
} from '../../../src/adapters/firestore/baseline-store.js';
import { createFirestore } from '../../../src/adapters/firestore/client.js';
import { encodeSnapshot } from '../../../src/adapters/firestore/codecs.js';
import { documentIdOf, MAX_DOCUMENT_BYTES } from '../../../src/adapters/firestore/encoding.js';
import { createFirestoreStores, type FirestoreStores } from '../../../src/adapters/firestore/stores.js';
import { createReportCommand } from '../../../src/cli/commands/report.js';
import type { ApiRecord } from '../../../src/domain/resources.js';
import type { RuleResult } from '../../../src/engine/evaluate.js';
import { reconcile } from '../../../src/engine/reconcile.js';
import { MemoryLogger } from '../../../src/ports/logger.js';
import type { ResourceSnapshot } from '../../../src/ports/snapshots.js';
import { runCaptured } from '../../cli/capture-io.js';
import { captureIo, runCommandForTest } from '../../cli/report-run.js';
import {
  AWKWARD_EVIDENCE,
  describeStoresContract,
  saveSnapshots,
} from '../../ports/judgement-store.contract.js';
import { describeSnapshotsContract } from '../../ports/snapshots.contract.js';
import { type Emulator, startFirestoreEmulator } from '../../support/emulators.js';

// A project of its own: an emulator shared with other test files (FIRESTORE_EMULATOR_HOST) is cleared per project.
const PROJECT = 'gatewarden-adapter-tests';

let emulator: Emulator | undefined;
let db: Firestore;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  db = createFirestore({ projectId: PROJECT });
}, 120_000);

afterAll(async () => {
  await db?.terminate();
  await emulator?.stop();
});

async function clearDatabase(): Promise<void> {
  const response = await fetch(
    `http://${emulator?.host}/emulator/v1/projects/${PROJECT}/databases/(default)/documents`,
    { method: 'DELETE' },
  );
  if (!response.ok) throw new Error(`clearing the emulator answered ${response.status}`);
}

const firestoreHarness = {
  create: async () => {
    await clearDatabase();
    return createFirestoreStores(db);
  },
  writes: (stores: FirestoreStores) => stores.writes(),
};
describeStoresContract('Firestore (emulator)', firestoreHarness);
describeSnapshotsContract('Firestore (emulator)', firestoreHarness);

const BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';
const T0 = '2026-11-26T10:00:00.000Z';

function failing(overrides: Partial<RuleResult> = {}): RuleResult {
  return {
    ruleId: 'backend.logging-enabled',
    status: 'fail',
    severity: 'MEDIUM',
    resource: BS,
    resourceType: 'compute.googleapis.com/BackendService',
    project: 'acme-edge',
    location: 'global',
    subKey: null,
    message: 'Backend service orders-bs does not log requests.',
    evidence: { logConfig: { enable: false } },
    ...overrides,
  };
}

function judge(
  store: FirestoreStores,
  results: RuleResult[],
  eventId: string,
  now = T0,
  unlistedWithFindings?: ReadonlySet<string>,
) {
  return store.judgements.commit({
    resources: [BS],
    eventId,
    eventExpiresAt: '2026-12-03T10:00:00.000Z',
    ...(unlistedWithFindings ? { unlistedWithFindings } : {}),
    decide: (previous) => reconcile({ previous, results, change: null, now }),
  });
}

/** Every document's path and update time: what Firestore itself says was written, independent of our counter. */
async function documentVersions(): Promise<Map<string, string>> {
  const versions = new Map<string, string>();
  const visit = async (collections: FirebaseFirestore.CollectionReference[]) => {
    for (const collection of collections) {
      for (const doc of (await collection.get()).docs) {
        versions.set(doc.ref.path, doc.updateTime.toDate().toISOString() + doc.updateTime.nanoseconds);
        await visit(await doc.ref.listCollections());
      }
    }
  };
  await visit(await db.listCollections());
  return versions;
}

describe('Firestore specifics', () => {
  let store: FirestoreStores;
  beforeEach(async () => {
    await clearDatabase();
    store = createFirestoreStores(db);
  });

  test('the documents of DESIGN.md §3, with Timestamps for times and a TTL field on the event record', async () => {
    const commit = await judge(store, [failing()], 'entry-1');
    const finding = commit.output.writes[0]?.finding;
    const doc =
      (
        await db
          .collection('findings')
          .doc(finding?.id ?? '')
          .get()
      ).data() ?? {};
    expect(Object.keys(doc).sort()).toEqual(
      [
        'ruleId',
        'resource',
        'resourceType',
        'project',
        'location',
        'subKey',
        'severity',
        'state',
        'message',
        'evidence',
        'firstSeenAt',
        'lastSeenAt',
        'resolvedAt',
        'reopenCount',
        'lastChange',
        'exemption',
        'labels',
        'resourceKey',
        'revision',
      ].sort(),
    );
    // No labels on the resource: stored as null, so a resource that loses its labels loses them here too.
    expect(doc.labels).toBeNull();
    expect(doc.firstSeenAt.toDate().toISOString()).toBe(T0);
    expect(doc.resolvedAt).toBeNull();
    const history = await db.collection(`findings/${finding?.id}/history`).get();
    expect(history.docs.map((entry) => entry.data().transition)).toEqual(['opened']);
    const outbox = await db.collection('outbox').get();
    expect(outbox.docs.map((entry) => [entry.id, entry.data().sentAt, entry.data().claim])).toEqual([
      [commit.output.writes[0]?.alert?.id, null, null],
    ]);
    const events = await db.collection('events').get();
    expect(events.docs).toHaveLength(1);
    expect(events.docs[0]?.id).not.toContain('entry-1');
    expect(events.docs[0]?.data().expiresAt.toDate().toISOString()).toBe('2026-12-03T10:00:00.000Z');
  });

  test('resource labels are stored with the finding and its outbox copy, and read back for routing', async () => {
    await judge(store, [failing({ labels: { team: 'payments', env: 'prod' } })], 'entry-1');
    const [stored] = await store.findings.query({ resource: BS });
    expect(stored?.labels).toEqual({ team: 'payments', env: 'prod' });
    const [pending] = await store.outbox.pendingAlerts(10);
    expect(pending?.finding.labels).toEqual({ team: 'payments', env: 'prod' });
  });

  test('an unchanged re-judge leaves every document untouched and adds only its event record', async () => {
    await judge(store, [failing({ evidence: AWKWARD_EVIDENCE })], 'entry-1');
    const before = await documentVersions();
    await judge(store, [failing({ evidence: AWKWARD_EVIDENCE })], 'entry-2', '2026-11-26T11:00:00.000Z');
    const after = await documentVersions();
    const added = [...after.keys()].filter((path) => !before.has(path));
    const changed = [...before].filter(([path, version]) => after.get(path) !== version);
    expect(added).toHaveLength(1);
    expect(added[0]?.startsWith('events/')).toBe(true);
    expect(changed).toEqual([]);
  });

  test("findings are read by the IDs listed in their resource's index document; one missing from the list is found by query and listed again", async () => {
    const opened = await judge(store, [failing()], 'entry-1');
    const id = opened.output.writes[0]?.finding.id ?? '';
    const index = db.collection('resourceIndex').doc(documentIdOf(BS));
    expect((await index.get()).get('findingIds')).toEqual([id]);
    // As a finding written before the lists were kept: present, but not listed.
    await index.delete();
    const resolved = await judge(store, [{ ...failing(), status: 'pass', evidence: {} }], 'entry-2');
    expect(resolved.output.writes.map((write) => [write.finding.id, write.history.transition])).toEqual([
      [id, 'resolved'],
    ]);
    expect((await index.get()).get('findingIds')).toEqual([id]);
    expect(await store.findings.history(id)).toHaveLength(2);
  });

  test('an unlisted resource is looked up by query only when the caller named it among those with findings', async () => {
    const opened = await judge(store, [failing()], 'entry-1');
    const id = opened.output.writes[0]?.finding.id ?? '';
    // As a finding written before the lists were kept: present, but not listed.
    await db.collection('resourceIndex').doc(documentIdOf(BS)).delete();
    const pass = { ...failing(), status: 'pass' as const, evidence: {} };
    // Named as having none (what a sweep that read the project's findings first would say): no query, nothing seen.
    const spared = await judge(store, [pass], 'entry-2', T0, new Set(['//elsewhere/other']));
    expect(spared.output.writes).toEqual([]);
    // Named among those with findings: found by query, as with no names at all.
    const resolved = await judge(store, [pass], 'entry-3', T0, new Set([BS]));
    expect(resolved.output.writes.map((write) => [write.finding.id, write.history.transition])).toEqual([
      [id, 'resolved'],
    ]);
  });

  test('a finding the caller did not name is still not created twice: the commit retries and finds it by query', async () => {
    const opened = await judge(store, [failing()], 'entry-1');
    const id = opened.output.writes[0]?.finding.id ?? '';
    await db.collection('resourceIndex').doc(documentIdOf(BS)).delete();
    // Judged as new, its `create` meets the stored finding: the retry reads by query and judges it as the same one.
    const again = await judge(store, [failing({ severity: 'HIGH' })], 'entry-2', T0, new Set());
    expect(again.output.writes.map((write) => [write.finding.id, write.history.transition])).toEqual([
      [id, 'escalated'],
    ]);
    expect(await store.findings.history(id)).toHaveLength(2);
  });

  test('a snapshot from before the lists, rewritten by a commit, still has its unlisted findings read and resolved', async () => {
    const opened = await judge(store, [failing()], 'entry-1');
    const id = opened.output.writes[0]?.finding.id ?? '';
    // As a resource stored before the lists were kept: a snapshot without the flag, and no index document.
    await db.collection('resourceIndex').doc(documentIdOf(BS)).delete();
    const snapshotDoc = db.collection('resources').doc(documentIdOf(BS));
    const snapshot: ResourceSnapshot = {
      name: BS,
      type: 'backendService',
      data: { name: 'orders-bs' },
      references: [],
      hash: 'h1',
      observedAt: T0,
      deleted: false,
      project: 'acme-edge',
    };
    await snapshotDoc.set(encodeSnapshot(snapshot));
    expect(await saveSnapshots(store, [{ ...snapshot, hash: 'h2' }])).toBe(1);
    expect((await snapshotDoc.get()).get('hash')).toBe('h2');
    expect((await snapshotDoc.get()).get('findingsListed')).toBeUndefined();
    const resolved = await judge(store, [{ ...failing(), status: 'pass', evidence: {} }], 'entry-2');
    expect(resolved.output.writes.map((write) => [write.finding.id, write.history.transition])).toEqual([
      [id, 'resolved'],
    ]);
  });

  test('resources/ holds whole snapshots only: lists for a resource not seen yet go to resourceIndex/', async () => {
    const gone =
      '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/never-seen';
    const data = { name: 'orders-bs', backends: [{ group: gone }] };
    await saveSnapshots(store, [
      {
        name: BS,
        type: 'backendService',
        data,
        references: [gone],
        hash: 'h1',
        observedAt: T0,
        deleted: false,
        project: 'acme-edge',
      },
    ]);
    await judge(store, [failing()], 'entry-1');
    const resources = await db.collection('resources').get();
    expect(resources.docs.map((doc) => doc.get('name'))).toEqual([BS]);
    for (const doc of resources.docs) {
      for (const field of ['name', 'type', 'data', 'references', 'hash', 'observedAt', 'deleted']) {
        expect(doc.data(), field).toHaveProperty(field);
      }
    }
    const lists = await db.collection('resourceIndex').get();
    expect(lists.docs.map((doc) => doc.get('name')).sort()).toEqual([BS, gone].sort());
  });

  test('2 MB of evidence is trimmed with a visible marker into a document under 1 MiB, its alert too', async () => {
    const huge = {
      keep: 'first',
      blob: 'é'.repeat(1024 * 1024),
      list: Array.from({ length: 50_000 }, (_, i) => i),
    };
    const commit = await judge(store, [failing({ evidence: huge })], 'entry-huge');
    const id = commit.output.writes[0]?.finding.id ?? '';
    const [stored] = await store.findings.query({ resource: BS });
    expect(stored?.evidence).toMatchObject({ truncated: true, keep: 'first' });
    expect(stored?.evidence.originalBytes).toBeGreaterThan(2 * 1024 * 1024);
    expect(String(stored?.evidence.blob)).toMatch(/^é+…\[truncated\]$/);
    const [alert] = await store.outbox.pendingAlerts(1);
    expect(alert?.finding.evidence).toEqual(stored?.evidence);
    for (const path of [`findings/${id}`, `outbox/${alert?.id}`]) {
      const size = JSON.stringify((await db.doc(path).get()).data()).length;
      expect(size).toBeLessThan(MAX_DOCUMENT_BYTES);
    }
  });

  test('random JSON with awkward keys is accepted by Firestore and read back as JSON would give it', async () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('', '__x__', '~json', '@type', 'a.b', 'a/b', 'k'.repeat(1501)),
    );
    const data = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(data, async (record) => {
        run += 1;
        const name = `//compute.googleapis.com/projects/acme-edge/global/backendServices/random-${run}`;
        await saveSnapshots(store, [
          {
            name,
            type: 'backendService',
            data: record as ApiRecord,
            references: [],
            hash: String(run),
            observedAt: T0,
            deleted: false,
            project: 'acme-edge',
          },
        ]);
        const [stored] = await store.snapshots.get([name]);
        expect(stored?.data).toEqual(JSON.parse(JSON.stringify(record)));
      }),
      { numRuns: 40 },
    );
  });

  test('a collection prefix keeps two stores on one database apart', async () => {
    const other = createFirestoreStores(db, { collectionPrefix: 'other-' });
    await judge(store, [failing()], 'entry-1');
    expect(await other.findings.query({})).toEqual([]);
    expect((await judge(other, [failing()], 'entry-1')).duplicate).toBe(false);
    expect(await other.findings.query({})).toHaveLength(1);
  });
});

describe('FirestoreBaselineStore', () => {
  let baselines: FirestoreBaselineStore;
  beforeEach(async () => {
    await clearDatabase();
    baselines = new FirestoreBaselineStore(db);
  });

  test('approve then load: governed fields read back intact, only the resources asked for', async () => {
    const hostile = `//compute.googleapis.com/projects/acme-edge/global/backendServices/${'h/'.repeat(800)}`;
    await baselines.approve({
      [BS]: {
        fields: {
          'iap.enabled': false,
          securityPolicy: 'api-waf',
          'logConfig.sampleRate': 1,
          odd: AWKWARD_EVIDENCE,
        },
        approvedBy: 'alice@acme-edge.example',
        approvedAt: '2026-11-20T09:00:00.000Z',
      },
      [hostile]: {
        fields: { 'cdnPolicy.cacheMode': 'USE_ORIGIN_HEADERS' },
        approvedAt: '2026-11-21T09:00:00.000Z',
      },
      '//compute.googleapis.com/projects/acme-edge/global/backendServices/not-asked': { fields: {} },
    });
    const baseline = await baselines.load([
      BS,
      hostile,
      '//compute.googleapis.com/projects/x/global/backendServices/none',
    ]);
    expect(baseline).toEqual({
      version: 1,
      savedAt: '2026-11-21T09:00:00.000Z',
      resources: {
        [BS]: {
          fields: {
            'iap.enabled': false,
            securityPolicy: 'api-waf',
            'logConfig.sampleRate': 1,
            odd: JSON.parse(JSON.stringify(AWKWARD_EVIDENCE)),
          },
          approvedBy: 'alice@acme-edge.example',
          approvedAt: '2026-11-20T09:00:00.000Z',
        },
        [hostile]: {
          fields: { 'cdnPolicy.cacheMode': 'USE_ORIGIN_HEADERS' },
          approvedAt: '2026-11-21T09:00:00.000Z',
        },
      },
    });
  });

  // A review's find: 300 entries per batch with no byte bound made a 6 MB request the emulator refused
  // (RESOURCE_EXHAUSTED) and the client retried without end; an entry over 1 MiB failed mid-approval (exit 70).
  const entriesOf = (count: number, chars: number) =>
    Object.fromEntries(
      Array.from({ length: count }, (_, index) => [
        `//compute.googleapis.com/projects/acme-edge/global/backendServices/bs${index}`,
        { fields: { securityPolicy: 'y'.repeat(chars) } },
      ]),
    );
  test.each([
    ['100 entries of 60 KB (6 MB together)', 100, 60_000],
    ['one entry of 900 KB', 1, 900_000],
    ['400 small entries (over one batch by count)', 400, 10],
  ])(
    'approve writes %s in batches the emulator accepts',
    async (_label, count, chars) => {
      const entries = entriesOf(count, chars);
      expect(await baselines.approve(entries)).toBe(count);
      const loaded = await baselines.load(Object.keys(entries));
      expect(Object.keys(loaded.resources)).toHaveLength(count);
    },
    60_000,
  );

  test('an entry too large for one document is refused by name before anything is written', async () => {
    const entries = {
      ...entriesOf(3, 10),
      [`${BS}-big`]: { fields: { securityPolicy: 'y'.repeat(2_000_000) } },
    };
    await expect(baselines.approve(entries)).rejects.toThrow(BaselineEntryTooLargeError);
    await expect(baselines.approve(entries)).rejects.toThrow(/orders-bs-big.*at most 1048576/);
    expect((await baselines.load(Object.keys(entries))).resources).toEqual({});
  });

  test.each([
    ['an entry over 1 MiB is refused by file and resource, nothing written', 1, 2_000_000, 2],
    ['100 entries of 60 KB are approved', 100, 60_000, 0],
  ])(
    'baseline approve --file: %s',
    async (_label, count, chars, code) => {
      const dir = mkdtempSync(join(tmpdir(), 'gatewarden-approve-'));
      const file = join(dir, 'baseline.json');
      try {
        const resources = entriesOf(count, chars);
        writeFileSync(file, JSON.stringify({ version: 1, savedAt: '2026-05-08T16:00:00Z', resources }));
        const run = await runCaptured(
          ['baseline', 'approve', '--file', file, '--approved-by', 'a@b.example'],
          {
            env: { GOOGLE_CLOUD_PROJECT: PROJECT, HOME: dir },
          },
        );
        expect(run.code, run.stderr).toBe(code);
        const stored = (await baselines.load(Object.keys(resources))).resources;
        if (code === 2) {
          expect(run.stderr).toContain(`${file}: the governed fields of "${Object.keys(resources)[0]}"`);
          expect(stored).toEqual({});
        } else {
          expect(Object.keys(stored)).toHaveLength(count);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );

  test('a later approval replaces the earlier one; nothing approved loads as an empty baseline', async () => {
    await baselines.approve({ [BS]: { fields: { 'iap.enabled': false } } });
    await baselines.approve({
      [BS]: { fields: { 'iap.enabled': true }, approvedBy: 'bob@acme-edge.example' },
    });
    expect((await baselines.load([BS])).resources[BS]).toEqual({
      fields: { 'iap.enabled': true },
      approvedBy: 'bob@acme-edge.example',
    });
    expect(await baselines.load(['//compute.googleapis.com/projects/x/global/backendServices/none'])).toEqual(
      {
        version: 1,
        savedAt: '1970-01-01T00:00:00.000Z',
        resources: {},
      },
    );
    await expect(baselines.approve({ [BS]: { fields: {}, approvedAt: 'yesterday' } })).rejects.toThrow(
      /approvedAt of .*orders-bs is not an ISO time/,
    );
  });
});

describe('a stored finding whose fields are not what Gatewarden writes', () => {
  // Each as the reviewer stored it by hand (/tmp/hostile3/seed.mjs): every one made report and scc sync exit 70.
  const CORRUPTIONS: [string, Record<string, unknown>, string][] = [
    ['lastSeenAt missing', { lastSeenAt: FieldValue.delete() }, 'lastSeenAt is missing'],
    ['firstSeenAt a number', { firstSeenAt: 12345 }, 'firstSeenAt is number 12345'],
    ['lastSeenAt text that is no time', { lastSeenAt: 'garbage' }, 'lastSeenAt is string "garbage"'],
    ['an unknown severity', { severity: 'BANANA' }, 'severity is string "BANANA"'],
    ['a null severity', { severity: null }, 'severity is null'],
    ['a number severity', { severity: 42 }, 'severity is number 42'],
    ['an unknown state', { state: 'weird' }, 'state is string "weird"'],
    ['a message that is an object', { message: { obj: 1 } }, 'message is an object'],
    ['exemption fields not text', { exemption: { reason: 5, expires: 12 } }, 'exemption.reason is number 5'],
    ['an exemption that is text', { exemption: 'muted' }, 'exemption is string "muted"'],
  ];
  let log: MemoryLogger;
  let store: FirestoreStores;
  let badId: string;
  beforeEach(async () => {
    await clearDatabase();
    log = new MemoryLogger();
    store = createFirestoreStores(db, { log });
    const commit = await judge(store, [failing(), failing({ subKey: 'good' })], 'entry-1');
    badId = commit.output.writes.find((write) => write.finding.subKey === null)?.finding.id ?? '';
  });

  test.each(CORRUPTIONS)(
    '%s: left out of the report, named with its field, every format exits 0',
    async (_n, fields, said) => {
      await db.collection('findings').doc(badId).update(fields);
      const warnings: string[] = [];
      const found = await store.findings.query({ onUnreadable: (warning) => warnings.push(warning) });
      expect(found.map((finding) => finding.subKey)).toEqual(['good']);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`stored finding ${badId} is malformed: ${said}`);
      const command = createReportCommand({
        openStore: async () => ({ store: store.findings, close: async () => {} }),
      });
      for (const format of ['table', 'json', 'csv', 'markdown', 'html', 'sarif']) {
        const { io, stdout, stderr } = captureIo();
        expect(await runCommandForTest(command, ['--state', 'all', '--format', format], io)).toBe(0);
        // The report filters on the known states in Firestore: a finding in no known state is never read.
        const readByReport = !('state' in fields);
        if (readByReport)
          expect(stderr()).toContain(`warning: stored finding ${badId} is malformed: ${said}`);
        if (format === 'json') {
          const report = JSON.parse(stdout()) as { findings: { id: string }[]; warnings: string[] };
          expect(report.findings.map((finding) => finding.id)).not.toContain(badId);
          expect(report.warnings).toEqual(readByReport ? warnings : []);
        }
      }
    },
  );

  test.each(CORRUPTIONS)(
    '%s: a judgement still commits, and rewrites it only with a log line, its history kept',
    async (_n, fields, said) => {
      await db.collection('findings').doc(badId).update(fields);
      // The resource passes now: nothing to write for it, so the unreadable document is left as it is.
      await judge(store, [{ ...failing({ subKey: 'good' }), status: 'pass', evidence: {} }], 'entry-2');
      expect(log.text()).toContain(`stored finding left out of the judgement: it cannot be read`);
      expect(log.entries.map((entry) => String(entry.fields.problem))).toEqual([
        expect.stringContaining(said),
      ]);
      // It fails again: judged as new, written over the unreadable fields at the next revision, with a log line.
      const commit = await judge(store, [failing()], 'entry-3', '2026-11-26T12:00:00.000Z');
      expect(commit.output.writes.map((write) => [write.finding.id, write.history.transition])).toEqual([
        [badId, 'opened'],
      ]);
      expect(log.text()).toContain('stored finding that cannot be read is rewritten by this judgement');
      const history = await db.collection(`findings/${badId}/history`).orderBy('revision').get();
      expect(history.docs.map((doc) => [doc.get('revision'), doc.get('transition')])).toEqual([
        [0, 'opened'],
        [1, 'opened'],
      ]);
      expect((await store.findings.query({})).map((finding) => finding.id)).toContain(badId);
    },
  );
});
