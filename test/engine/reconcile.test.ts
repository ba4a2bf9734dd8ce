import { describe, expect, test } from 'vitest';
import { type Finding, findingIdOf } from '../../src/domain/finding.js';
import type { RuleResult } from '../../src/engine/evaluate.js';
import { reconcile } from '../../src/engine/reconcile.js';

const BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/apigw-bs';
const T0 = '2026-05-11T14:00:00.000Z';
const T1 = '2026-05-11T15:00:00.000Z';
const CHANGE = {
  method: 'v1.compute.backendServices.patch',
  actor: 'deployer@acme-edge.iam.gserviceaccount.com',
  at: T1,
  entryId: 'e1',
};

function result(overrides: Partial<RuleResult> = {}): RuleResult {
  return {
    ruleId: 'backend.no-health-checks',
    status: 'fail',
    severity: 'MEDIUM',
    resource: BS,
    resourceType: 'compute.googleapis.com/BackendService',
    project: 'acme-edge',
    location: 'global',
    subKey: null,
    message: 'Backend service apigw-bs has health checks.',
    evidence: { healthChecks: ['hc-1'] },
    ...overrides,
  };
}

function stored(overrides: Partial<Finding> = {}): Finding {
  const base = result();
  return {
    id: findingIdOf(base.ruleId, base.resource, base.subKey),
    ruleId: base.ruleId,
    resource: base.resource,
    resourceType: base.resourceType,
    project: base.project,
    location: base.location,
    subKey: null,
    severity: 'MEDIUM',
    state: 'open',
    message: base.message,
    evidence: { healthChecks: ['hc-1'] },
    firstSeenAt: T0,
    lastSeenAt: T0,
    resolvedAt: null,
    reopenCount: 0,
    lastChange: null,
    exemption: null,
    ...overrides,
  };
}

const transitions = (output: ReturnType<typeof reconcile>) => output.writes.map((w) => w.history.transition);

describe('reconcile: transitions', () => {
  test.each([
    ['a new failure opens a finding', [], [result()], ['opened']],
    [
      'a failure seen again changes nothing',
      [stored()],
      [result({ evidence: { healthChecks: ['hc-1'] } })],
      [],
    ],
    [
      'evidence keys in another order change nothing',
      [stored({ evidence: { a: 1, b: 2 } })],
      [result({ evidence: { b: 2, a: 1 } })],
      [],
    ],
    ['a pass resolves an open finding', [stored()], [result({ status: 'pass', evidence: {} })], ['resolved']],
    [
      'not-applicable resolves too',
      [stored()],
      [result({ status: 'not-applicable', evidence: {} })],
      ['resolved'],
    ],
    ['an error result resolves nothing', [stored()], [result({ status: 'error', evidence: {} })], []],
    ['no result for the rule resolves nothing', [stored()], [], []],
    [
      'a resolved finding failing again reopens',
      [stored({ state: 'resolved', resolvedAt: T0 })],
      [result()],
      ['reopened'],
    ],
    ['a higher severity escalates', [stored()], [result({ severity: 'HIGH' })], ['escalated']],
    ['a lower severity is an update, not an alert', [stored({ severity: 'HIGH' })], [result()], ['updated']],
    [
      'new evidence is an update',
      [stored()],
      [result({ evidence: { healthChecks: ['hc-1', 'hc-2'] } })],
      ['updated'],
    ],
    [
      'an exemption mutes an open finding',
      [stored()],
      [result({ exemption: { reason: 'migration', expires: '2027-01-31', pattern: '**' } })],
      ['muted'],
    ],
    [
      'an expired exemption reopens a muted finding',
      [stored({ state: 'muted', exemption: { reason: 'r', expires: '2026-01-01' } })],
      [result()],
      ['reopened'],
    ],
    [
      'a new failure under an exemption starts muted',
      [],
      [result({ exemption: { reason: 'r', expires: '2027-01-31', pattern: '**' } })],
      ['muted'],
    ],
    [
      'an already resolved finding stays quiet on pass',
      [stored({ state: 'resolved', resolvedAt: T0 })],
      [result({ status: 'pass' })],
      [],
    ],
  ] as const)('%s', (_name, previous, results, expected) => {
    const output = reconcile({ previous: [...previous], results: [...results], change: CHANGE, now: T1 });
    expect(transitions(output)).toEqual(expected);
  });

  test('a deleted resource resolves all its findings, whatever the rules said', () => {
    const output = reconcile({
      previous: [stored()],
      results: [],
      deleted: new Set([BS]),
      change: CHANGE,
      now: T1,
    });
    expect(transitions(output)).toEqual(['resolved']);
    expect(output.writes[0]?.finding.message).toMatch(/no longer exists/);
  });

  test('a resource gone with its project says why, in the finding, its history and its alert', () => {
    const output = reconcile({
      previous: [
        stored(),
        stored({ id: 'undetermined-one', state: 'undetermined' }),
        stored({ id: 'resolved-one', state: 'resolved', resolvedAt: T0 }),
      ],
      results: [],
      deleted: new Set([BS]),
      deletedBecause: 'project acme-edge is pending deletion',
      change: null,
      now: T1,
    });
    expect(transitions(output)).toEqual(['resolved', 'resolved']);
    for (const write of output.writes) {
      const expected = `Resolved: ${BS} no longer exists (project acme-edge is pending deletion).`;
      expect(write.finding.message).toBe(expected);
      expect(write.history.message).toBe(expected);
      expect(write.alert).toMatchObject({ transition: 'resolved', finding: { message: expected } });
    }
  });
});

describe('reconcile: a rule the policy disables', () => {
  // Never judged again, so nothing else would decide its findings: they would stay open (or undetermined) for good.
  test('its open, muted and undetermined findings resolve, saying why; other rules keep theirs', () => {
    const other = stored({ id: 'other-rule', ruleId: 'backend.logging-enabled' });
    const output = reconcile({
      previous: [
        stored(),
        stored({ id: 'muted-one', state: 'muted' }),
        stored({ id: 'undetermined-one', state: 'undetermined' }),
        stored({ id: 'resolved-one', state: 'resolved', resolvedAt: T0 }),
        other,
      ],
      results: [],
      disabledRules: new Set(['backend.no-health-checks']),
      change: null,
      now: T1,
    });
    expect(output.writes.map((write) => [write.finding.id, write.history.transition])).toEqual([
      [stored().id, 'resolved'],
      ['muted-one', 'resolved'],
      ['undetermined-one', 'resolved'],
    ]);
    for (const write of output.writes) {
      expect(write.finding.message).toBe(
        'Resolved: rule backend.no-health-checks is disabled by the policy.',
      );
    }
  });

  test('without it, a finding no result decided is left as it was', () => {
    const output = reconcile({ previous: [stored()], results: [], change: null, now: T1 });
    expect(output.writes).toEqual([]);
  });
});

describe('reconcile: the records written', () => {
  test('opened: identity, times, attribution and an alert with a stable id', () => {
    const output = reconcile({ previous: [], results: [result()], change: CHANGE, now: T1 });
    const [write] = output.writes;
    expect(write?.finding).toMatchObject({
      id: findingIdOf('backend.no-health-checks', BS, null),
      state: 'open',
      firstSeenAt: T1,
      lastSeenAt: T1,
      resolvedAt: null,
      reopenCount: 0,
      lastChange: CHANGE,
    });
    expect(write?.history).toMatchObject({ transition: 'opened', from: null, to: 'open', change: CHANGE });
    const again = reconcile({ previous: [], results: [result()], change: CHANGE, now: T1 });
    expect(write?.alert?.id).toEqual(expect.any(String));
    expect(write?.alert?.id).toBe(again.writes[0]?.alert?.id);
  });

  test('reopened counts reopenings and clears resolvedAt', () => {
    const output = reconcile({
      previous: [stored({ state: 'resolved', resolvedAt: T0, reopenCount: 2 })],
      results: [result()],
      change: CHANGE,
      now: T1,
    });
    expect(output.writes[0]?.finding).toMatchObject({ state: 'open', resolvedAt: null, reopenCount: 3 });
  });

  test('alerts respect the minimum severity; muted and updated never alert', () => {
    const low = reconcile({
      previous: [],
      results: [result({ severity: 'LOW' })],
      change: null,
      now: T1,
      minimumAlertSeverity: 'MEDIUM',
    });
    expect(low.writes[0]?.alert).toBeNull();
    const muted = reconcile({
      previous: [],
      results: [result({ exemption: { reason: 'r', expires: '2027-01-01', pattern: '*' } })],
      change: null,
      now: T1,
    });
    expect(muted.writes[0]?.alert).toBeNull();
    const high = reconcile({
      previous: [],
      results: [result({ severity: 'HIGH' })],
      change: null,
      now: T1,
      minimumAlertSeverity: 'MEDIUM',
    });
    expect(high.writes[0]?.alert?.transition).toBe('opened');
  });

  test('sub-keys are separate findings', () => {
    const output = reconcile({
      previous: [],
      results: [result({ subKey: 'us-central1' }), result({ subKey: 'europe-west2' })],
      change: null,
      now: T1,
    });
    expect(new Set(output.writes.map((w) => w.finding.id)).size).toBe(2);
  });
});

describe('reconcile: a rule that could not decide (undetermined, DESIGN.md §3)', () => {
  const ERROR = result({
    status: 'error',
    message: 'The API config of orders-gw cannot be read: document openapi.yaml is not UTF-8 text.',
    evidence: {},
  });
  const UNDETERMINED = stored({
    state: 'undetermined',
    message: ERROR.message,
    evidence: { reason: ERROR.message },
  });

  test('is stored as an undetermined finding with the reason, alerted at the rule severity', () => {
    const output = reconcile({ previous: [], results: [ERROR], change: CHANGE, now: T1 });
    expect(transitions(output)).toEqual(['undetermined']);
    const [write] = output.writes;
    expect(write?.finding).toMatchObject({
      state: 'undetermined',
      severity: 'MEDIUM',
      evidence: { reason: ERROR.message },
    });
    expect(write?.alert).toMatchObject({ transition: 'undetermined' });
  });

  test('is alerted once: the same error again writes nothing', () => {
    const output = reconcile({ previous: [UNDETERMINED], results: [ERROR], change: CHANGE, now: T1 });
    expect(output.writes).toEqual([]);
    expect(output.unchanged).toBe(1);
  });

  test('never resolves an open finding, nor replaces it', () => {
    const output = reconcile({ previous: [stored()], results: [ERROR], change: CHANGE, now: T1 });
    expect(output.writes).toEqual([]);
  });

  test('resolves once the rule decides the resource passes', () => {
    const output = reconcile({
      previous: [UNDETERMINED],
      results: [result({ status: 'pass' })],
      change: CHANGE,
      now: T1,
    });
    expect(transitions(output)).toEqual(['resolved']);
  });

  test('opens once the rule decides the resource fails', () => {
    const output = reconcile({ previous: [UNDETERMINED], results: [result()], change: CHANGE, now: T1 });
    expect(transitions(output)).toEqual(['opened']);
    expect(output.writes[0]?.finding.state).toBe('open');
  });

  test('a resolved finding whose rule can no longer decide becomes undetermined, not silently fine', () => {
    const output = reconcile({
      previous: [stored({ state: 'resolved', resolvedAt: T0 })],
      results: [ERROR],
      change: CHANGE,
      now: T1,
    });
    expect(transitions(output)).toEqual(['undetermined']);
  });

  // A muted finding that resolved, could not be decided, then failed again: a reopen, as it would be without the
  // undecided step between (counted, alerted as reopened, and unmuted in SCC, where `opened` leaves the mute as it was).
  test('a resolved finding that goes undetermined and then fails again is reopened, and counted', () => {
    let previous = [stored({ state: 'resolved', resolvedAt: T0, reopenCount: 1 })];
    const steps: [RuleResult, string][] = [
      [ERROR, 'undetermined'],
      [result(), 'reopened'],
    ];
    const seen: string[] = [];
    for (const [step, at] of steps.map(
      ([item], index) => [item, index === 0 ? T1 : '2026-05-11T16:00:00.000Z'] as const,
    )) {
      const output = reconcile({ previous, results: [step], change: CHANGE, now: at });
      seen.push(...transitions(output));
      previous = output.writes.map((write) => write.finding);
    }
    expect(seen).toEqual(steps.map(([, transition]) => transition));
    expect(previous[0]).toMatchObject({ state: 'open', resolvedAt: null, reopenCount: 2 });
  });

  test('an undetermined finding that never resolved before still opens when it fails', () => {
    const output = reconcile({ previous: [UNDETERMINED], results: [result()], change: CHANGE, now: T1 });
    expect(transitions(output)).toEqual(['opened']);
    expect(output.writes[0]?.finding).toMatchObject({ reopenCount: 0 });
  });

  test('a deleted resource resolves its undetermined finding', () => {
    const output = reconcile({
      previous: [UNDETERMINED],
      results: [],
      deleted: new Set([BS]),
      change: CHANGE,
      now: T1,
    });
    expect(transitions(output)).toEqual(['resolved']);
  });
});
