// Resource labels travel from the resource record to its findings (and their alerts), so alert routes can match
// them: captured when judged, kept while the finding lives, refreshed when the resource is relabelled.

import { describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { type Finding, findingIdOf, resourceLabelsOf, sameLabels } from '../../src/domain/finding.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import { evaluate, findingOf, type RuleResult } from '../../src/engine/evaluate.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

const GW = '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/payments-gw-usc1';
const T0 = '2026-05-11T14:00:00.000Z';
const T1 = '2026-05-11T15:00:00.000Z';
const PAYMENTS = { team: 'payments', env: 'prod' };

function result(overrides: Partial<RuleResult> = {}): RuleResult {
  return {
    ruleId: 'gateway.direct-url-protected',
    status: 'fail',
    severity: 'CRITICAL',
    resource: GW,
    resourceType: 'apigateway.googleapis.com/Gateway',
    project: 'acme-edge',
    location: 'us-central1',
    subKey: null,
    message: 'The gateway default URL bypasses Cloud Armor.',
    evidence: {},
    labels: PAYMENTS,
    ...overrides,
  };
}

function stored(overrides: Partial<Finding> = {}): Finding {
  return {
    ...findingOf(result(), T0),
    id: findingIdOf('gateway.direct-url-protected', GW, null),
    firstSeenAt: T0,
    ...overrides,
  };
}

const run = (previous: Finding[], results: RuleResult[], deleted?: Set<string>) =>
  reconcile({ previous, results, change: null, now: T1, ...(deleted ? { deleted } : {}) }).writes.map(
    (write) => ({
      transition: write.history.transition,
      labels: write.finding.labels,
      alertLabels: write.alert ? write.alert.finding.labels : 'no alert',
    }),
  );

describe('resourceLabelsOf', () => {
  test.each([
    ['a labels map', { labels: { team: 'payments' } }, { team: 'payments' }],
    ['no labels field', { name: 'orders-bs' }, undefined],
    ['an empty map (forwarding rules carry one)', { labels: {} }, undefined],
    ['values that are not strings are left out', { labels: { team: 'ops', cost: 3 } }, { team: 'ops' }],
    ['a list is not a labels map', { labels: ['team'] }, undefined],
    ['no record', undefined, undefined],
  ])('%s', (_name, record, expected) => {
    expect(resourceLabelsOf(record)).toEqual(expected);
  });

  test('sameLabels ignores key order and treats absent as empty', () => {
    expect(sameLabels({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameLabels(undefined, {})).toBe(true);
    expect(sameLabels({ a: '1' }, { a: '2' })).toBe(false);
    expect(sameLabels({ a: '1' }, undefined)).toBe(false);
  });
});

describe('labels from the resource onto its findings', () => {
  test('judging the sample estate labels the gateway findings with the gateway labels, and nothing else', async () => {
    const { inventory } = await loadEstate('examples/acme-edge');
    const failing = evaluate(ResourceGraph.build(inventory), ALL_RULES).filter((r) => r.status === 'fail');
    const gateway = failing.find((r) => r.resource === GW && r.ruleId === 'gateway.direct-url-protected');
    expect(gateway?.labels).toEqual(PAYMENTS);
    // Backend services carry no labels in the Compute API: their findings have no labels field at all.
    const backend = failing.find((r) => r.resourceType === 'compute.googleapis.com/BackendService');
    expect(backend).toBeDefined();
    expect(backend && 'labels' in backend).toBe(false);
    expect(findingOf(gateway as RuleResult, T1).labels).toEqual(PAYMENTS);
  });

  test.each([
    ['a new finding carries the labels', [], [result()], [{ transition: 'opened', labels: PAYMENTS }]],
    [
      'relabelling records an update with the new labels',
      [stored()],
      [result({ labels: { team: 'orders' } })],
      [{ transition: 'updated', labels: { team: 'orders' } }],
    ],
    [
      'labels removed are removed from the finding',
      [stored()],
      [result({ labels: undefined })],
      [{ transition: 'updated', labels: undefined }],
    ],
    [
      'the same labels in another order change nothing',
      [stored({ labels: { env: 'prod', team: 'payments' } })],
      [result()],
      [],
    ],
    [
      'a resolution is routed by the labels read now',
      [stored()],
      [result({ status: 'pass', labels: { team: 'orders' } })],
      [{ transition: 'resolved', labels: { team: 'orders' } }],
    ],
    [
      'a reopened finding carries the current labels',
      [stored({ state: 'resolved', resolvedAt: T0, labels: { team: 'old' } })],
      [result()],
      [{ transition: 'reopened', labels: PAYMENTS }],
    ],
  ])('%s', (_name, previous, results, expected) => {
    const writes = run(previous, results);
    expect(writes.map(({ transition, labels }) => ({ transition, labels }))).toEqual(expected);
    // The alert holds the same finding: routing reads its labels there.
    for (const write of writes) {
      if (write.alertLabels !== 'no alert') expect(write.alertLabels).toEqual(write.labels);
    }
  });

  test('a deleted resource resolves with the labels stored, since there is nothing left to read', () => {
    expect(run([stored()], [], new Set([GW]))).toEqual([
      { transition: 'resolved', labels: PAYMENTS, alertLabels: PAYMENTS },
    ]);
  });
});
