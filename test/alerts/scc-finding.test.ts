// The SCC mapping as a table: each finding transition and the v2 finding fields it becomes.

import { describe, expect, it } from 'vitest';
import type { RuleLookup } from '../../src/alerts/rule-summary.js';
import {
  SCC_EVIDENCE_LIMIT,
  SCC_FINDING_ID_PATTERN,
  SCC_PROPERTY_KEY_PATTERN,
  type SccTransition,
  type SccWrite,
  sccFindingIdOf,
  sccFollowUpsOf,
  sccWriteOf,
} from '../../src/alerts/scc-finding.js';
import type { Finding } from '../../src/domain/finding.js';
import { alertOf } from './sample-alerts.js';

const SOURCE = 'organizations/123456789012/sources/987654321';
const lookup: RuleLookup = (ruleId) =>
  ruleId === 'backend.ingress-restricted'
    ? {
        title: 'Backend only reachable through the gateway',
        remediation: 'Set ingress to internal-and-cloud-load-balancing.',
      }
    : undefined;

const OPENED = alertOf({
  ruleId: 'backend.ingress-restricted',
  resource: '//run.googleapis.com/projects/acme-edge/locations/us-central1/services/orders',
  resourceType: 'run.googleapis.com/Service',
  location: 'us-central1',
  severity: 'HIGH',
  transition: 'opened',
  message: 'Cloud Run service orders accepts traffic from the internet',
  evidence: { ingress: 'all' },
  method: 'google.cloud.run.v2.Services.UpdateService',
  actor: 'dev@acme.example',
  at: '2026-11-26T10:00:00.000Z',
});

function transitionOf(
  finding: Partial<Finding>,
  transition: SccTransition['transition'],
  at = '2026-11-27T09:00:00.000Z',
): SccTransition {
  return { finding: { ...OPENED.finding, ...finding }, transition, at, change: null };
}

type Call =
  | 'create'
  | 'update'
  | 'setState ACTIVE'
  | 'setState INACTIVE'
  | 'setMute MUTED'
  | 'setMute UNMUTED';

/** The SCC calls a write makes when the finding is new (created) and when SCC already has it (409, then update). */
function callsOf(write: SccWrite, created: boolean): Call[] {
  return [
    ...(created ? ['create' as const] : ['create' as const, 'update' as const]),
    ...sccFollowUpsOf(write, created).map((step) =>
      step.call === 'setState' ? (`setState ${step.state}` as const) : (`setMute ${step.mute}` as const),
    ),
  ];
}

const TABLE: readonly {
  readonly name: string;
  readonly item: SccTransition;
  /** setState's target, or null when the transition leaves SCC's state alone. */
  readonly state: 'ACTIVE' | 'INACTIVE' | null;
  /** setMute's target, or null when the transition leaves SCC's mute alone. */
  readonly mute: 'MUTED' | 'UNMUTED' | null;
  readonly whenNew: readonly Call[];
  readonly whenExisting: readonly Call[];
}[] = [
  {
    name: 'opened',
    item: { finding: OPENED.finding, transition: 'opened', at: OPENED.createdAt, change: OPENED.change },
    state: 'ACTIVE',
    mute: null,
    whenNew: ['create'],
    whenExisting: ['create', 'update', 'setState ACTIVE'],
  },
  {
    name: 'resolved',
    item: transitionOf({ state: 'resolved', resolvedAt: '2026-11-27T09:00:00.000Z' }, 'resolved'),
    state: 'INACTIVE',
    mute: null,
    whenNew: ['create', 'setState INACTIVE'],
    whenExisting: ['create', 'update', 'setState INACTIVE'],
  },
  {
    name: 'reopened',
    item: transitionOf({ state: 'open', reopenCount: 1 }, 'reopened'),
    state: 'ACTIVE',
    mute: 'UNMUTED',
    whenNew: ['create', 'setMute UNMUTED'],
    whenExisting: ['create', 'update', 'setState ACTIVE', 'setMute UNMUTED'],
  },
  {
    name: 'muted',
    item: transitionOf(
      {
        state: 'muted',
        exemption: { reason: 'orders migrates to IAP in Q1', expires: '2027-03-31', owner: 'payments' },
      },
      'muted',
    ),
    state: 'ACTIVE',
    mute: 'MUTED',
    whenNew: ['create', 'setMute MUTED'],
    whenExisting: ['create', 'update', 'setState ACTIVE', 'setMute MUTED'],
  },
  {
    name: 'unmuted (exemption expired: reopened)',
    item: transitionOf({ state: 'open', exemption: null, reopenCount: 1 }, 'reopened'),
    state: 'ACTIVE',
    mute: 'UNMUTED',
    whenNew: ['create', 'setMute UNMUTED'],
    whenExisting: ['create', 'update', 'setState ACTIVE', 'setMute UNMUTED'],
  },
  {
    name: 'undetermined',
    item: transitionOf({ state: 'undetermined' }, 'undetermined'),
    state: 'ACTIVE',
    mute: null,
    whenNew: ['create'],
    whenExisting: ['create', 'update', 'setState ACTIVE'],
  },
  {
    name: 'escalated (severity rose; state and mute left as they are)',
    item: transitionOf({ severity: 'CRITICAL' }, 'escalated'),
    state: null,
    mute: null,
    whenNew: ['create'],
    whenExisting: ['create', 'update'],
  },
  {
    name: 'updated while muted (evidence changed; the mute is not repeated)',
    item: transitionOf(
      { state: 'muted', exemption: { reason: 'orders migrates to IAP in Q1', expires: '2027-03-31' } },
      'updated',
    ),
    state: null,
    mute: null,
    whenNew: ['create'],
    whenExisting: ['create', 'update'],
  },
  {
    name: 'backfill of a muted finding',
    item: transitionOf(
      { state: 'muted', exemption: { reason: 'orders migrates to IAP in Q1', expires: '2027-03-31' } },
      null,
    ),
    state: 'ACTIVE',
    mute: 'MUTED',
    whenNew: ['create', 'setMute MUTED'],
    whenExisting: ['create', 'update', 'setState ACTIVE', 'setMute MUTED'],
  },
  {
    name: 'backfill of a resolved finding',
    item: transitionOf({ state: 'resolved', resolvedAt: '2026-11-27T09:00:00.000Z' }, null),
    state: 'INACTIVE',
    mute: null,
    whenNew: ['create', 'setState INACTIVE'],
    whenExisting: ['create', 'update', 'setState INACTIVE'],
  },
];

function byName(name: string): (typeof TABLE)[number] {
  const row = TABLE.find((candidate) => candidate.name.startsWith(name));
  if (!row) throw new Error(`no row ${name}`);
  return row;
}

describe('sccWriteOf', () => {
  it.each(TABLE)('$name → state $state, mute $mute', ({ item, state, mute, whenNew, whenExisting }) => {
    const write = sccWriteOf(item, { source: SOURCE, lookup, reportUrl: 'https://report.example/report' });
    expect(write.state).toBe(state);
    expect(write.mute).toBe(mute);
    expect(callsOf(write, true)).toEqual(whenNew);
    expect(callsOf(write, false)).toEqual(whenExisting);
    expect(write.findingId).toMatch(SCC_FINDING_ID_PATTERN);
    expect(write.parent).toBe(`${SOURCE}/locations/global`);
    expect(write.name).toBe(`${SOURCE}/locations/global/findings/${write.findingId}`);
    // The create carries the immutable identity, and ACTIVE as Google's create sample does; never a mute.
    expect(write.create).toMatchObject({
      parent: write.parent,
      category: item.finding.ruleId,
      resourceName: item.finding.resource,
      state: 'ACTIVE',
    });
    expect(write.create).not.toHaveProperty('mute');
    expect(write.create).not.toHaveProperty('name');
    // The update names content only: never state (output only), mute (setMute) or the immutable fields.
    const mask = write.update.updateMask.split(',');
    expect(mask.sort()).toEqual(Object.keys(write.update.body).sort());
    for (const field of ['state', 'mute', 'resourceName', 'category', 'parent', 'name']) {
      expect(mask).not.toContain(field);
    }
    const content = write.update.body;
    expect(content.eventTime).toBe(item.at);
    expect(content.severity).toBe(item.finding.severity);
    expect(content.findingClass).toBe('MISCONFIGURATION');
    expect(content.externalUri).toBe(`https://report.example/report?finding=${item.finding.id}`);
    expect(content.description).toContain('Backend only reachable through the gateway');
    expect(content.nextSteps).toBe('Set ingress to internal-and-cloud-load-balancing.');
    expect(write.create).toMatchObject(content);
    for (const key of Object.keys(content.sourceProperties)) expect(key).toMatch(SCC_PROPERTY_KEY_PATTERN);
  });

  it('keeps the exemption reason of a muted finding, and none once unmuted', () => {
    const [muted, unmuted] = [byName('muted'), byName('unmuted')].map((row) =>
      sccWriteOf(row.item, { source: SOURCE, lookup }),
    );
    expect(muted?.update.body.sourceProperties).toMatchObject({
      exemptionReason: 'orders migrates to IAP in Q1',
      exemptionExpires: '2027-03-31',
      exemptionOwner: 'payments',
    });
    expect(unmuted?.update.body.sourceProperties).not.toHaveProperty('exemptionReason');
  });

  it('derives the same SCC ID for every transition of one finding (a write updates, never duplicates)', () => {
    const ids = new Set(TABLE.map((row) => sccWriteOf(row.item, { source: SOURCE, lookup }).findingId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBe(OPENED.finding.id.slice(0, 32));
  });

  it('trims evidence over the limit and says so', () => {
    const huge = {
      pathMatchers: Array.from({ length: 2000 }, (_, index) => ({
        name: `matcher-${index}`,
        hosts: ['orders.acme.example'],
      })),
    };
    const write = sccWriteOf(transitionOf({ evidence: huge }, 'opened'), { source: SOURCE, lookup });
    const properties = write.update.body.sourceProperties;
    expect(String(properties.evidence).length).toBeLessThanOrEqual(SCC_EVIDENCE_LIMIT);
    expect(String(properties.evidence)).toMatch(/\[truncated\]$/);
    expect(properties.evidenceTruncated).toBe(true);
    expect(properties.evidenceLength).toBe(JSON.stringify(huge).length);
  });

  it('sends small evidence whole and unmarked', () => {
    const write = sccWriteOf(byName('opened').item, { source: SOURCE, lookup });
    expect(JSON.parse(String(write.update.body.sourceProperties.evidence))).toEqual({ ingress: 'all' });
    expect(write.update.body.sourceProperties).not.toHaveProperty('evidenceTruncated');
    expect(write.update.body.sourceProperties).toMatchObject({
      changeActor: 'dev@acme.example',
      transition: 'opened',
    });
  });

  it('names a rule gone from the catalogue by its ID', () => {
    const write = sccWriteOf(transitionOf({ ruleId: 'gone.rule' }, 'opened'), { source: SOURCE, lookup });
    expect(write.create.category).toBe('gone.rule');
    expect(write.update.body.description.startsWith('gone.rule.')).toBe(true);
  });

  it('refuses an ID with no alphanumeric form', () => {
    expect(() => sccFindingIdOf('---')).toThrow(/no SCC form/);
  });
});

describe('the SCC source', () => {
  it('must be an organization source', () => {
    expect(() => sccWriteOf(byName('opened').item, { source: 'projects/p/sources/1', lookup })).toThrow(
      /organizations\/ORG/,
    );
  });
});
