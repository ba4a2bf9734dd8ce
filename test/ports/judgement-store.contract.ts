// The store contract (judgement commit, finding queries, outbox): one suite every implementation (memory, Firestore)
// must pass, driven through the real pure reconcile so the stored transitions, history and outbox are the ones
// production writes.

import { beforeEach, describe, expect, test } from 'vitest';
import {
  type ChangeAttribution,
  type Finding,
  type FindingState,
  findingIdOf,
} from '../../src/domain/finding.js';
import type { RuleResult } from '../../src/engine/evaluate.js';
import { reconcile } from '../../src/engine/reconcile.js';
import type { FindingQuery } from '../../src/ports/finding-queries.js';
import type { JudgementCommit } from '../../src/ports/judgement-store.js';
import { type ResourceSnapshot, snapshotVersion } from '../../src/ports/snapshots.js';
import type { Stores } from '../../src/ports/stores.js';

export interface StoresHarness<S extends Stores> {
  /** Stores over empty storage; called before every test. */
  readonly create: () => Promise<S>;
  /** Documents these stores have written so far, counted as Firestore bills them. */
  readonly writes: (stores: S) => number;
}

/** Stores snapshots as a judgement that decides nothing would (how tests lay out what a resource looked like). */
export async function saveSnapshots(stores: Stores, snapshots: readonly ResourceSnapshot[]): Promise<number> {
  const commit = await stores.judgements.commit({
    resources: [],
    fresh: snapshots,
    decide: () => ({ writes: [], unchanged: 0 }),
  });
  if (commit.moved) throw new Error(`snapshots older than those stored: ${commit.moved.join(', ')}`);
  return commit.snapshotsWritten;
}

const BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';
const NEG =
  '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/orders-neg-usc1';
const OTHER_PROJECT_BS = '//compute.googleapis.com/projects/acme-payments/global/backendServices/pay-bs';
const T0 = '2026-11-26T10:00:00.000Z';

export const HOSTILE_RESOURCE_NAMES: readonly [string, string][] = [
  [
    '1,500-byte name',
    `//compute.googleapis.com/projects/acme-edge/global/backendServices/${'b'.repeat(1500)}`,
  ],
  ['slashes', '//compute.googleapis.com/projects/acme-edge/global/backendServices/a/b//c/'],
  ['dot segments', '//compute.googleapis.com/projects/acme-edge/global/backendServices/../../findings/..'],
  ['unicode', '//compute.googleapis.com/projects/acme-edge/global/backendServices/заказы-🙂-\u202e-名前'],
  ['reserved-looking', '//compute.googleapis.com/projects/acme-edge/global/backendServices/__x__'],
  ['bare reserved', '__x__'],
];

/** Evidence keys and values Firestore treats specially: all must come back exactly as JSON would. */
export const AWKWARD_EVIDENCE: Readonly<Record<string, unknown>> = {
  '@type': 'type.googleapis.com/google.cloud.audit.AuditLog',
  IPAddress: '34.120.1.2',
  'labels.env/tier': 'prod',
  'a/b': { 'c.d': ['x', { '`e`': 1 }] },
  __x__: 'reserved field name',
  '': 'empty key',
  '~json': 'our own escape marker',
  nested: [
    [1, 2],
    [3, [4]],
  ],
  numbers: [0, -1, 1.5, 2 ** 53 - 1],
  unicode: 'ключ 🙂 \u0000 end',
  nothing: null,
  flags: [true, false],
  deep: { a: { b: { c: { d: { e: 'deep' } } } } },
};

function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

function changeOf(entryId: string, minutes: number): ChangeAttribution {
  return {
    method: 'v1.compute.backendServices.patch',
    actor: 'mallory@acme-edge.example',
    at: at(minutes),
    entryId,
  };
}

function failing(resource: string, overrides: Partial<RuleResult> = {}): RuleResult {
  return {
    ruleId: 'backend.logging-enabled',
    status: 'fail',
    severity: 'MEDIUM',
    resource,
    resourceType: 'compute.googleapis.com/BackendService',
    project: resource.split('/')[4] ?? 'acme-edge',
    location: 'global',
    subKey: null,
    message: `Backend service ${resource.split('/').at(-1)} does not log requests.`,
    evidence: { logConfig: { enable: false } },
    ...overrides,
  };
}

function passing(resource: string, overrides: Partial<RuleResult> = {}): RuleResult {
  return { ...failing(resource, overrides), status: 'pass', message: 'Requests are logged.', evidence: {} };
}

interface Step {
  readonly results: readonly RuleResult[];
  readonly minutes: number;
  readonly eventId?: string;
}

/** One commit through the store with the real pure engine, as judgeChange and sweepProject do it. */
function judge(store: Stores, resources: readonly string[], step: Step): Promise<JudgementCommit> {
  const change = step.eventId ? changeOf(step.eventId, step.minutes) : null;
  return store.judgements.commit({
    resources,
    ...(step.eventId ? { eventId: step.eventId, eventExpiresAt: at(step.minutes + 7 * 24 * 60) } : {}),
    decide: (previous) => reconcile({ previous, results: step.results, change, now: at(step.minutes) }),
  });
}

/** The fresh read an event's judgement rests on, as judgeChange hands it over: observed at `minutes`. */
function observedRead(resource: string, minutes: number, logging = false): ResourceSnapshot {
  return {
    name: resource,
    type: 'backendService',
    data: { name: resource.split('/').at(-1), logConfig: { enable: logging }, fingerprint: `fp-${logging}` },
    references: [],
    hash: `hash-logging-${logging}`,
    observedAt: at(minutes),
    deleted: false,
    project: resource.split('/')[4] ?? 'acme-edge',
  };
}

const transitionsOf = (commit: JudgementCommit) =>
  commit.output.writes.map((write) => write.history.transition);

export function describeStoresContract<S extends Stores>(name: string, harness: StoresHarness<S>): void {
  describe(`Judgement store, finding queries and outbox contract: ${name}`, () => {
    let store: S;
    beforeEach(async () => {
      store = await harness.create();
    });

    const only = async (query: FindingQuery): Promise<Finding> => {
      const found = await store.findings.query(query);
      expect(found).toHaveLength(1);
      return found[0] as Finding;
    };

    test.each([
      {
        name: 'open, resolve, reopen',
        steps: [
          { results: [failing(BS)], expected: ['opened'], state: 'open', reopenCount: 0 },
          { results: [passing(BS)], expected: ['resolved'], state: 'resolved', reopenCount: 0 },
          { results: [failing(BS)], expected: ['reopened'], state: 'open', reopenCount: 1 },
        ],
      },
      {
        name: 'open, escalate, mute, exemption expires',
        steps: [
          { results: [failing(BS)], expected: ['opened'], state: 'open', reopenCount: 0 },
          {
            results: [failing(BS, { severity: 'HIGH' })],
            expected: ['escalated'],
            state: 'open',
            reopenCount: 0,
          },
          {
            results: [
              failing(BS, {
                severity: 'HIGH',
                exemption: { reason: 'migration', expires: '2027-01-01', pattern: '*' },
              }),
            ],
            expected: ['muted'],
            state: 'muted',
            reopenCount: 0,
          },
          {
            results: [failing(BS, { severity: 'HIGH' })],
            expected: ['reopened'],
            state: 'open',
            reopenCount: 0,
          },
        ],
      },
      {
        name: 'same state, new evidence: updated, without an alert',
        steps: [
          { results: [failing(BS)], expected: ['opened'], state: 'open', reopenCount: 0 },
          {
            results: [failing(BS, { evidence: { logConfig: { enable: false, sampleRate: 0 } } })],
            expected: ['updated'],
            state: 'open',
            reopenCount: 0,
          },
        ],
      },
    ] satisfies {
      name: string;
      steps: { results: RuleResult[]; expected: string[]; state: FindingState; reopenCount: number }[];
    }[])('$name: each step stored with its history record and alert', async ({ steps }) => {
      const alertIds: string[] = [];
      for (const [index, step] of steps.entries()) {
        const eventId = `entry-${index}`;
        const commit = await judge(store, [BS], { results: step.results, minutes: index, eventId });
        expect(commit.duplicate).toBe(false);
        expect(transitionsOf(commit)).toEqual(step.expected);
        const stored = await only({ resource: BS });
        const written = commit.output.writes[0]?.finding;
        expect(stored).toEqual(written);
        expect(stored.state).toBe(step.state);
        expect(stored.reopenCount).toBe(step.reopenCount);
        expect(stored.lastSeenAt).toBe(at(index));
        for (const write of commit.output.writes) if (write.alert) alertIds.push(write.alert.id);
      }
      const [finding] = await store.findings.query({ resource: BS });
      const history = await store.findings.history(finding?.id ?? '');
      expect(history.map((record) => record.transition)).toEqual(steps.flatMap((step) => step.expected));
      expect(history.map((record) => record.at)).toEqual(steps.map((_, index) => at(index)));
      expect(history.map((record) => record.change?.entryId)).toEqual(
        steps.map((_, index) => `entry-${index}`),
      );
      expect(history[0]?.change?.actor).toBe('mallory@acme-edge.example');
      const pending = await store.outbox.pendingAlerts(100);
      expect(pending.map((alert) => alert.id)).toEqual(alertIds);
      expect(pending.every((alert) => alert.findingId === finding?.id)).toBe(true);
    });

    test('a finding reads back exactly as written: awkward evidence keys, nulls, exemption, attribution', async () => {
      const commit = await judge(store, [BS], {
        results: [
          failing(BS, {
            subKey: 'us-central1',
            evidence: AWKWARD_EVIDENCE,
            exemption: { reason: 'vendor fix due', expires: '2027-03-01', owner: 'edge-team', pattern: '*' },
          }),
        ],
        minutes: 0,
        eventId: 'entry-awkward',
      });
      const written = commit.output.writes[0];
      expect(await only({ resource: BS })).toEqual(written?.finding);
      expect(written?.history.transition).toBe('muted');
      expect((await only({ resource: BS })).evidence).toEqual(JSON.parse(JSON.stringify(AWKWARD_EVIDENCE)));
    });

    test('the outbox copy of a finding reads back as written', async () => {
      const commit = await judge(store, [BS], {
        results: [failing(BS, { evidence: AWKWARD_EVIDENCE })],
        minutes: 0,
        eventId: 'e',
      });
      const [alert] = await store.outbox.pendingAlerts(10);
      expect(alert).toEqual(commit.output.writes[0]?.alert);
    });

    test('a judgement resting on an older read than one already committed is superseded: the newer read keeps the last word', async () => {
      const newer = await store.judgements.commit({
        resources: [BS],
        eventId: 'entry-newer',
        observed: observedRead(BS, 10),
        decide: (previous) =>
          reconcile({ previous, results: [failing(BS)], change: changeOf('entry-newer', 10), now: at(10) }),
      });
      expect(transitionsOf(newer)).toEqual(['opened']);
      let decided = 0;
      const older = await store.judgements.commit({
        resources: [BS],
        eventId: 'entry-older',
        observed: observedRead(BS, 5, true),
        decide: (previous) => {
          decided += 1;
          return reconcile({
            previous,
            results: [passing(BS)],
            change: changeOf('entry-older', 5),
            now: at(5),
          });
        },
      });
      expect(older.superseded).toBe(true);
      expect(older.output.writes).toEqual([]);
      expect(decided).toBe(0);
      expect((await only({ resource: BS })).state).toBe('open');
      const [snapshot] = await store.snapshots.get([BS]);
      expect(snapshot).toMatchObject({ hash: 'hash-logging-false', observedAt: at(10) });
      // Its entry is recorded all the same: a redelivery is a duplicate, not another superseded attempt.
      expect(await store.judgements.isProcessed('entry-older')).toBe(true);
    });

    test('the observed read is stored as the snapshot with the judgement; the same content read again writes only the dedupe record', async () => {
      const first = harness.writes(store);
      await store.judgements.commit({
        resources: [BS],
        eventId: 'entry-1',
        observed: observedRead(BS, 10),
        decide: (previous) =>
          reconcile({ previous, results: [failing(BS)], change: changeOf('entry-1', 10), now: at(10) }),
      });
      // finding + history + outbox + dedupe record + snapshot + the finding listed for the resource
      expect(harness.writes(store) - first).toBe(6);
      expect(await store.snapshots.get([BS])).toEqual([observedRead(BS, 10)]);

      const second = harness.writes(store);
      const unchanged = await store.judgements.commit({
        resources: [BS],
        eventId: 'entry-2',
        observed: observedRead(BS, 20),
        decide: (previous) =>
          reconcile({ previous, results: [failing(BS)], change: changeOf('entry-2', 20), now: at(20) }),
      });
      expect(unchanged.output.writes).toEqual([]);
      expect(harness.writes(store) - second).toBe(1);
      expect(await store.snapshots.get([BS])).toEqual([observedRead(BS, 10)]);

      const third = harness.writes(store);
      await store.judgements.commit({
        resources: [BS],
        eventId: 'entry-3',
        observed: observedRead(BS, 30, true),
        decide: (previous) =>
          reconcile({ previous, results: [passing(BS)], change: changeOf('entry-3', 30), now: at(30) }),
      });
      // finding + history + outbox + dedupe record + snapshot
      expect(harness.writes(store) - third).toBe(5);
      expect(await store.snapshots.get([BS])).toEqual([observedRead(BS, 30, true)]);
    });

    test('a judgement whose neighbour changed after it was read writes nothing, not even its dedupe record, and says what moved', async () => {
      const neighbour = { ...observedRead(NEG, 1), type: 'networkEndpointGroup' as const };
      await saveSnapshots(store, [neighbour]);
      const judgeWith = (eventId: string, minutes: number) =>
        store.judgements.commit({
          resources: [BS, NEG],
          eventId,
          observed: observedRead(BS, minutes),
          basis: { [NEG]: snapshotVersion(neighbour) },
          decide: (previous) =>
            reconcile({
              previous,
              results: [failing(BS), failing(NEG)],
              change: changeOf(eventId, minutes),
              now: at(minutes),
            }),
        });
      await saveSnapshots(store, [{ ...neighbour, hash: 'hash-after-its-own-change', observedAt: at(5) }]);
      const before = harness.writes(store);
      const stale = await judgeWith('entry-stale', 10);
      expect(stale.moved).toEqual([NEG]);
      expect(stale.output.writes).toEqual([]);
      expect(harness.writes(store) - before).toBe(0);
      expect(await store.judgements.isProcessed('entry-stale')).toBe(false);
      expect(await store.findings.query({})).toEqual([]);

      // Changed back by a later read of its own (a read never overwrites a newer one).
      await saveSnapshots(store, [{ ...neighbour, observedAt: at(6) }]);
      const current = await judgeWith('entry-current', 11);
      expect(current.moved).toBeUndefined();
      expect(transitionsOf(current)).toEqual(['opened', 'opened']);
    });

    test('isProcessed: false before an entry is committed, true after (also when it changed nothing)', async () => {
      expect(await store.judgements.isProcessed('entry-1')).toBe(false);
      await judge(store, [BS], { results: [passing(BS)], minutes: 0, eventId: 'entry-1' });
      expect(await store.judgements.isProcessed('entry-1')).toBe(true);
      expect(await store.judgements.isProcessed('entry-2')).toBe(false);
    });

    test('a duplicate event id writes nothing and does not even decide', async () => {
      await judge(store, [BS], { results: [failing(BS)], minutes: 0, eventId: 'entry-1' });
      const before = harness.writes(store);
      let decided = 0;
      const again = await store.judgements.commit({
        resources: [BS],
        eventId: 'entry-1',
        decide: (previous) => {
          decided += 1;
          return reconcile({ previous, results: [passing(BS)], change: null, now: at(5) });
        },
      });
      expect(again).toEqual({ duplicate: true, output: { writes: [], unchanged: 0 }, snapshotsWritten: 0 });
      expect(decided).toBe(0);
      expect(harness.writes(store) - before).toBe(0);
      expect((await only({ resource: BS })).state).toBe('open');
    });

    test('writes: a new finding is finding + history + outbox + event + its listing on the resource; a later transition the first four; an unchanged re-judge only its event', async () => {
      const before = harness.writes(store);
      await judge(store, [BS], { results: [failing(BS)], minutes: 0, eventId: 'entry-1' });
      expect(harness.writes(store) - before).toBe(5);

      const unchangedWithEvent = await judge(store, [BS], {
        results: [failing(BS)],
        minutes: 1,
        eventId: 'entry-2',
      });
      expect(unchangedWithEvent.output).toEqual({ writes: [], unchanged: 1 });
      expect(harness.writes(store) - before).toBe(6);

      await judge(store, [BS], { results: [failing(BS)], minutes: 2 });
      expect(harness.writes(store) - before).toBe(6);
      // Untouched: lastSeenAt is not bumped by a re-judge that changes nothing (that would be a write).
      expect((await only({ resource: BS })).lastSeenAt).toBe(at(0));

      await judge(store, [BS], { results: [passing(BS)], minutes: 3, eventId: 'entry-3' });
      expect(harness.writes(store) - before).toBe(10);
      expect((await only({ resource: BS })).state).toBe('resolved');
    });

    test('the same event delivered 3 times at once: one transition, one history record, one alert', async () => {
      const commits = await Promise.all(
        [0, 1, 2].map(() => judge(store, [BS], { results: [failing(BS)], minutes: 0, eventId: 'entry-dup' })),
      );
      expect(commits.filter((commit) => !commit.duplicate)).toHaveLength(1);
      expect(commits.flatMap(transitionsOf)).toEqual(['opened']);
      const finding = await only({ resource: BS });
      expect(await store.findings.history(finding.id)).toHaveLength(1);
      expect(await store.outbox.pendingAlerts(10)).toHaveLength(1);
    });

    test('20 different events on one resource at once: a gapless history, one record per committed change', async () => {
      // Even events see it failing, odd ones passing: whatever order they commit in, each commit sees the last.
      const commits = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          judge(store, [BS], {
            results: [index % 2 === 0 ? failing(BS) : passing(BS)],
            minutes: index,
            eventId: `entry-${index}`,
          }),
        ),
      );
      expect(commits.every((commit) => !commit.duplicate)).toBe(true);
      const committed = commits.flatMap(transitionsOf);
      const finding = await only({ resource: BS });
      const history = await store.findings.history(finding.id);
      expect(history.map((record) => record.transition).sort()).toEqual([...committed].sort());
      expect(history[0]).toMatchObject({ transition: 'opened', from: null, to: 'open' });
      for (const [index, record] of history.entries()) {
        if (index > 0) expect(record.from).toBe(history[index - 1]?.to);
        expect(record.from).not.toBe(record.to);
      }
      expect(finding.state).toBe(history.at(-1)?.to);
      expect(finding.reopenCount).toBe(history.filter((record) => record.transition === 'reopened').length);
      expect(await store.outbox.pendingAlerts(100)).toHaveLength(history.length);
    });

    test('hostile resource names are stored and read back intact, each its own finding', async () => {
      const names = HOSTILE_RESOURCE_NAMES.map(([, resource]) => resource);
      const commit = await judge(store, names, {
        results: names.map((resource) => failing(resource, { project: 'acme-edge' })),
        minutes: 0,
        eventId: 'entry-hostile',
      });
      expect(transitionsOf(commit)).toEqual(names.map(() => 'opened'));
      for (const resource of names) {
        const finding = await only({ resource });
        expect(finding.resource).toBe(resource);
        expect(await store.findings.history(finding.id)).toHaveLength(1);
      }
      expect(await store.findings.query({ project: 'acme-edge' })).toHaveLength(names.length);
      // Re-judging all of them again finds every one (nothing reopened twice, nothing duplicated).
      const again = await judge(store, names, {
        results: names.map((resource) => passing(resource, { project: 'acme-edge' })),
        minutes: 1,
      });
      expect(transitionsOf(again)).toEqual(names.map(() => 'resolved'));
    });

    test('history of an unknown or path-like finding ID is empty, not an error', async () => {
      await judge(store, [BS], { results: [failing(BS)], minutes: 0 });
      for (const id of ['0'.repeat(40), '../findings', 'a/b', '__x__', '']) {
        expect(await store.findings.history(id)).toEqual([]);
      }
    });

    test('evidence of 2 MB is stored (whole or visibly trimmed, never rejected) and a re-judge does not rewrite it', async () => {
      const huge = { keep: 'the first key', blob: 'x'.repeat(2 * 1024 * 1024), after: [1, 2, 3] };
      const opened = await judge(store, [BS], {
        results: [failing(BS, { evidence: huge })],
        minutes: 0,
        eventId: 'entry-huge',
      });
      expect(transitionsOf(opened)).toEqual(['opened']);
      const stored = await only({ resource: BS });
      const evidence = stored.evidence as Record<string, unknown>;
      if (evidence.truncated === true) {
        expect(evidence.originalBytes).toBeGreaterThan(2 * 1024 * 1024);
        expect(evidence.keep).toBe('the first key');
        expect(String(evidence.blob).startsWith('xxxx')).toBe(true);
        expect(JSON.stringify(evidence).length).toBeLessThan(1024 * 1024);
      } else {
        expect(evidence).toEqual(huge);
      }
      expect(await store.outbox.pendingAlerts(10)).toHaveLength(1);
      const before = harness.writes(store);
      const again = await judge(store, [BS], {
        results: [failing(BS, { evidence: huge })],
        minutes: 1,
        eventId: 'entry-huge-2',
      });
      expect(transitionsOf(again)).toEqual([]);
      expect(harness.writes(store) - before).toBe(1);
    });

    describe('query', () => {
      beforeEach(async () => {
        await judge(store, [BS, NEG, OTHER_PROJECT_BS], {
          minutes: 0,
          results: [
            failing(BS),
            failing(BS, { ruleId: 'backend.cloud-armor', severity: 'HIGH' }),
            failing(NEG, { ruleId: 'neg.gateway-exists', severity: 'CRITICAL', location: 'us-central1' }),
            failing(OTHER_PROJECT_BS, { severity: 'LOW' }),
          ],
        });
        await judge(store, [BS], {
          minutes: 10,
          results: [passing(BS), failing(BS, { ruleId: 'backend.cloud-armor', severity: 'HIGH' })],
        });
      });

      test.each([
        ['everything', {}, 4],
        ['one project', { project: 'acme-edge' }, 3],
        ['open only', { states: ['open'] }, 3],
        ['resolved only', { states: ['resolved'] }, 1],
        ['open or muted in a project', { project: 'acme-edge', states: ['open', 'muted'] }, 2],
        ['no states at all', { states: [] }, 0],
        ['HIGH and above', { minimumSeverity: 'HIGH' }, 2],
        ['one rule', { ruleId: 'backend.cloud-armor' }, 1],
        ['one resource', { resource: BS }, 2],
        ['one finding by ID', { id: findingIdOf('backend.cloud-armor', BS, null) }, 1],
        [
          'one finding by ID, in another state',
          { id: findingIdOf('backend.cloud-armor', BS, null), states: ['resolved'] },
          0,
        ],
        ['an ID no finding has', { id: findingIdOf('backend.cloud-armor', NEG, null) }, 0],
        // Still failing is still seen (the open ones were judged failing again at minute 10, and not rewritten).
        ['seen since minute 10: the open ones and the one resolved then', { since: at(10) }, 4],
        ['resolved since minute 10, by the second', { since: at(9), states: ['resolved'] }, 1],
        ['seen since minute 11: the one resolved before is left out', { since: at(11) }, 3],
        ['resolved since minute 11: none', { since: at(11), states: ['resolved'] }, 0],
        ['limit', { limit: 2 }, 2],
        ['limit with a severity filter', { minimumSeverity: 'MEDIUM', limit: 2 }, 2],
        ['limit 0', { limit: 0 }, 0],
        ['nothing matches', { project: 'nope' }, 0],
      ] satisfies [string, FindingQuery, number][])('%s', async (_name, query: FindingQuery, count) => {
        const found = await store.findings.query(query);
        expect(found).toHaveLength(count);
        for (const finding of found) {
          if (query.project) expect(finding.project).toBe(query.project);
          if (query.states) expect(query.states).toContain(finding.state);
          if (query.minimumSeverity === 'HIGH') expect(['HIGH', 'CRITICAL']).toContain(finding.severity);
          if (query.resource) expect(finding.resource).toBe(query.resource);
        }
      });
    });

    describe('resourcesWithFindings', () => {
      test.each([
        ['open findings of a project', 'acme-edge', ['open'], [BS, NEG]],
        ['open or resolved, each resource once', 'acme-edge', ['open', 'resolved'], [BS, NEG]],
        ['resolved only', 'acme-edge', ['resolved'], [BS]],
        ['another project', 'acme-payments', ['open', 'muted', 'undetermined'], [OTHER_PROJECT_BS]],
        ['no states at all', 'acme-edge', [], []],
        ['no such project', 'nope', ['open'], []],
      ] satisfies [string, string, FindingState[], string[]][])(
        '%s',
        async (_name, project, states, expected) => {
          await judge(store, [BS, NEG, OTHER_PROJECT_BS], {
            minutes: 0,
            results: [
              failing(BS),
              failing(BS, { ruleId: 'backend.cloud-armor' }),
              failing(NEG, { ruleId: 'neg.gateway-exists', location: 'us-central1' }),
              failing(OTHER_PROJECT_BS),
            ],
          });
          await judge(store, [BS], {
            minutes: 10,
            results: [passing(BS), failing(BS, { ruleId: 'backend.cloud-armor' })],
          });
          expect((await store.findings.resourcesWithFindings(project, states)).sort()).toEqual(
            [...expected].sort(),
          );
        },
      );
    });

    describe('outbox', () => {
      const resources = [BS, NEG, OTHER_PROJECT_BS];
      let ids: string[];
      beforeEach(async () => {
        // Three alerts written a minute apart, newest first into the store: pendingAlerts must sort them.
        for (const [index, resource] of [...resources].reverse().entries()) {
          await judge(store, [resource], {
            results: [failing(resource)],
            minutes: 2 - index,
            eventId: `entry-${resource}`,
          });
        }
        ids = (await store.outbox.pendingAlerts(10)).map((alert) => alert.id);
      });

      test('pending alerts come oldest first, up to the limit', async () => {
        const pending = await store.outbox.pendingAlerts(10);
        expect(pending.map((alert) => alert.finding.resource)).toEqual(resources);
        expect(pending.map((alert) => alert.createdAt)).toEqual([at(0), at(1), at(2)]);
        expect((await store.outbox.pendingAlerts(2)).map((alert) => alert.finding.resource)).toEqual(
          resources.slice(0, 2),
        );
        expect(await store.outbox.pendingAlerts(0)).toEqual([]);
      });

      test.each([
        ['another claimant within the lease gets nothing', 'B', 30_000, []],
        ['another claimant after the lease takes over', 'B', 60_000, [0, 1, 2]],
        ['the same claimant renews its claim', 'A', 1_000, [0, 1, 2]],
      ] satisfies [string, string, number, number[]][])('%s', async (_name, claimant, laterMs, expected) => {
        const first = await store.outbox.claimAlerts(ids, 'A', 60_000, at(10));
        expect(first.map((alert) => alert.id)).toEqual(ids);
        const later = new Date(Date.parse(at(10)) + laterMs).toISOString();
        const second = await store.outbox.claimAlerts(ids, claimant, 60_000, later);
        expect(second.map((alert) => alert.id)).toEqual(expected.map((index) => ids[index]));
      });

      test('concurrent claims of the same alerts: each alert goes to exactly one claimant', async () => {
        const claims = await Promise.all(
          ['A', 'B', 'C', 'D'].map((claimant) => store.outbox.claimAlerts(ids, claimant, 60_000, at(10))),
        );
        const claimed = claims.flat().map((alert) => alert.id);
        expect(claimed.sort()).toEqual([...ids].sort());
      });

      test('claims and sent marks write one document per alert they change', async () => {
        const before = harness.writes(store);
        await store.outbox.claimAlerts(ids, 'A', 60_000, at(10));
        expect(harness.writes(store) - before).toBe(3);
        await store.outbox.claimAlerts(ids, 'B', 60_000, at(10));
        expect(harness.writes(store) - before).toBe(3);
        await store.outbox.markAlertsSent([...ids, 'no-such-alert'], at(11));
        expect(harness.writes(store) - before).toBe(6);
      });

      test('sent alerts are no longer pending nor claimable; unknown IDs are ignored', async () => {
        await store.outbox.claimAlerts(ids, 'A', 60_000, at(10));
        await store.outbox.markAlertsSent([ids[0] as string, 'no-such-alert', '../x'], at(11));
        expect((await store.outbox.pendingAlerts(10)).map((alert) => alert.id)).toEqual(ids.slice(1));
        const reclaim = await store.outbox.claimAlerts([...ids, 'no-such-alert'], 'B', 60_000, at(20));
        expect(reclaim.map((alert) => alert.id)).toEqual(ids.slice(1));
      });
    });
  });
}
