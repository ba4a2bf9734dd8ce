// Who changed a drifted field: attributed by the event that changed the resource, kept while the drift is the same.

import { describe, expect, test } from 'vitest';
import { attributeDrift } from '../../src/app/drift-attribution.js';
import { type Finding, findingIdOf } from '../../src/domain/finding.js';
import type { RuleResult } from '../../src/engine/evaluate.js';
import { fullName } from '../support/records.js';

const SERVICE = fullName('global/backendServices/storefront-bs');
const OTHER = fullName('global/backendServices/orders-bs');
const ARMOR = (name: string) => fullName(`global/securityPolicies/${name}`);
const CHANGE = {
  method: 'v1.compute.backendServices.setSecurityPolicy',
  actor: 'hotfix-bot@acme-edge.iam.gserviceaccount.com',
  at: '2026-05-11T14:59:58.120Z',
  entryId: 'projects/acme-edge/logs/cloudaudit.googleapis.com%2Factivity|1x9k|2026-05-11T14:59:58.120Z',
};
const EARLIER = {
  actor: 'alice@acme.example',
  method: 'v1.compute.backendServices.patch',
  at: '2026-05-10T09:00:00Z',
};

function driftResult(resource: string, current: unknown, status: RuleResult['status'] = 'fail'): RuleResult {
  return {
    ruleId: 'drift.matches-baseline',
    status,
    severity: 'HIGH',
    resource,
    resourceType: 'compute.googleapis.com/BackendService',
    project: 'acme-edge',
    location: 'global',
    subKey: 'securityPolicy',
    message: 'drifted',
    evidence: { field: 'securityPolicy', baseline: ARMOR('storefront-armor'), current },
  };
}

function storedFinding(
  result: RuleResult,
  evidence: Record<string, unknown>,
  state: Finding['state'] = 'open',
): Finding {
  return {
    id: findingIdOf(result.ruleId, result.resource, result.subKey),
    ruleId: result.ruleId,
    resource: result.resource,
    resourceType: result.resourceType,
    project: result.project,
    location: result.location,
    subKey: result.subKey,
    severity: result.severity,
    state,
    message: result.message,
    evidence: { ...result.evidence, ...evidence },
    firstSeenAt: '2026-05-10T09:00:01Z',
    lastSeenAt: '2026-05-10T09:00:01Z',
    resolvedAt: null,
    reopenCount: 0,
    lastChange: null,
  };
}

const changedByOf = (results: readonly RuleResult[]) => results.map((result) => result.evidence.changedBy);

describe('attributeDrift', () => {
  test.each([
    {
      name: 'new drift on the changed resource: the event author',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [],
      changed: { resource: SERVICE, change: CHANGE },
      expected: [{ actor: CHANGE.actor, method: CHANGE.method, at: CHANGE.at, entryId: CHANGE.entryId }],
    },
    {
      name: 'drift on a neighbour of the changed resource: no author',
      results: [driftResult(OTHER, ARMOR('payments-armor'))],
      previous: [],
      changed: { resource: SERVICE, change: CHANGE },
      expected: [undefined],
    },
    {
      name: 'the same drift seen again by a sweep: the stored author stays',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [storedFinding(driftResult(SERVICE, ARMOR('payments-armor')), { changedBy: EARLIER })],
      changed: undefined,
      expected: [EARLIER],
    },
    {
      name: 'the same drift while another change touches the resource: the first author stays',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [storedFinding(driftResult(SERVICE, ARMOR('payments-armor')), { changedBy: EARLIER })],
      changed: { resource: SERVICE, change: CHANGE },
      expected: [EARLIER],
    },
    {
      name: 'a new value of a drifted field: the new change is the author',
      results: [driftResult(SERVICE, ARMOR('orders-armor'))],
      previous: [storedFinding(driftResult(SERVICE, ARMOR('payments-armor')), { changedBy: EARLIER })],
      changed: { resource: SERVICE, change: CHANGE },
      expected: [expect.objectContaining({ actor: CHANGE.actor })],
    },
    {
      name: 'a resolved finding does not lend its old author to a reopening sweep',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [
        storedFinding(driftResult(SERVICE, ARMOR('payments-armor')), { changedBy: EARLIER }, 'resolved'),
      ],
      changed: undefined,
      expected: [undefined],
    },
    {
      name: 'new drift on the changed resource whose field read the same before the entry: not its author',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [],
      changed: { resource: SERVICE, change: CHANGE, before: { securityPolicy: ARMOR('payments-armor') } },
      expected: [undefined],
    },
    {
      name: 'an open drift the entry did not make (the sweep found it, no author): still no author',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [storedFinding(driftResult(SERVICE, ARMOR('payments-armor')), {})],
      changed: { resource: SERVICE, change: CHANGE, before: { securityPolicy: ARMOR('payments-armor') } },
      expected: [undefined],
    },
    {
      name: 'a drift the entry made (the field read the approved value before it): its author',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [],
      changed: { resource: SERVICE, change: CHANGE, before: { securityPolicy: ARMOR('storefront-armor') } },
      expected: [expect.objectContaining({ actor: CHANGE.actor })],
    },
    {
      name: 'a drift to no value the entry made (the field was set before it): its author',
      results: [driftResult(SERVICE, null)],
      previous: [],
      changed: { resource: SERVICE, change: CHANGE, before: { securityPolicy: ARMOR('payments-armor') } },
      expected: [expect.objectContaining({ actor: CHANGE.actor })],
    },
    {
      name: 'a field with no value stored before the entry (not governed then): the entry is the author',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [],
      changed: { resource: SERVICE, change: CHANGE, before: {} },
      expected: [expect.objectContaining({ actor: CHANGE.actor })],
    },
    {
      name: 'an entry without a principal still records the change',
      results: [driftResult(SERVICE, ARMOR('payments-armor'))],
      previous: [],
      changed: { resource: SERVICE, change: { ...CHANGE, actor: null } },
      expected: [expect.objectContaining({ actor: 'unknown', method: CHANGE.method })],
    },
    {
      name: 'passing drift results and other rules are left alone',
      results: [
        driftResult(SERVICE, ARMOR('storefront-armor'), 'pass'),
        { ...driftResult(SERVICE, 'x'), ruleId: 'backend.cloud-armor-attached' },
      ],
      previous: [],
      changed: { resource: SERVICE, change: CHANGE },
      expected: [undefined, undefined],
    },
  ])('$name', ({ results, previous, changed, expected }) => {
    expect(changedByOf(attributeDrift(results, previous, changed))).toEqual(expected);
  });
});
