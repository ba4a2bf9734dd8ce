// The SCC mapping as a table: each finding transition and the v2 finding fields it becomes.

import { describe, expect, it } from 'vitest';
import type { RuleLookup } from '../../src/alerts/rule-summary.js';
import {
  SCC_EVIDENCE_LIMIT,
  SCC_FINDING_ID_PATTERN,
  SCC_PROPERTY_KEY_PATTERN,
  type SccTransition,
  sccFindingIdOf,
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

const TABLE: readonly {
  readonly name: string;
  readonly item: SccTransition;
  readonly state: 'ACTIVE' | 'INACTIVE';
  readonly mute: 'MUTED' | 'UNMUTED';
}[] = [
  {
    name: 'opened',
    item: { finding: OPENED.finding, transition: 'opened', at: OPENED.createdAt, change: OPENED.change },
    state: 'ACTIVE',
    mute: 'UNMUTED',
  },
  {
    name: 'resolved',
    item: transitionOf({ state: 'resolved', resolvedAt: '2026-11-27T09:00:00.000Z' }, 'resolved'),
    state: 'INACTIVE',
    mute: 'UNMUTED',
  },
  {
    name: 'reopened',
    item: transitionOf({ state: 'open', reopenCount: 1 }, 'reopened'),
    state: 'ACTIVE',
    mute: 'UNMUTED',
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
  },
  {
    name: 'unmuted (exemption expired: reopened)',
    item: transitionOf({ state: 'open', exemption: null, reopenCount: 1 }, 'reopened'),
    state: 'ACTIVE',
    mute: 'UNMUTED',
  },
  {
    name: 'undetermined',
    item: transitionOf({ state: 'undetermined' }, 'undetermined'),
    state: 'ACTIVE',
    mute: 'UNMUTED',
  },
];

describe('sccWriteOf', () => {
  it.each(TABLE)('$name → state $state, mute $mute', ({ item, state, mute }) => {
    const write = sccWriteOf(item, { source: SOURCE, lookup, reportUrl: 'https://report.example/report' });
    expect(write.body.state).toBe(state);
    expect(write.body.mute).toBe(mute);
    expect(write.body.eventTime).toBe(item.at);
    expect(write.findingId).toMatch(SCC_FINDING_ID_PATTERN);
    expect(write.name).toBe(`${SOURCE}/locations/global/findings/${write.findingId}`);
    expect(write.body.category).toBe('backend.ingress-restricted');
    expect(write.body.resourceName).toBe(item.finding.resource);
    expect(write.body.severity).toBe('HIGH');
    expect(write.body.findingClass).toBe('MISCONFIGURATION');
    expect(write.body.externalUri).toBe(`https://report.example/report?finding=${item.finding.id}`);
    expect(write.body.description).toContain('Backend only reachable through the gateway');
    expect(write.body.nextSteps).toBe('Set ingress to internal-and-cloud-load-balancing.');
    expect(write.updateMask.split(',')).toEqual(
      expect.arrayContaining(['state', 'mute', 'eventTime', 'sourceProperties']),
    );
    for (const key of Object.keys(write.body.sourceProperties)) expect(key).toMatch(SCC_PROPERTY_KEY_PATTERN);
  });

  it('keeps the exemption reason of a muted finding, and none once unmuted', () => {
    const [muted, unmuted] = [TABLE[3], TABLE[4]].map((row) =>
      sccWriteOf(row!.item, { source: SOURCE, lookup }),
    );
    expect(muted!.body.sourceProperties).toMatchObject({
      exemptionReason: 'orders migrates to IAP in Q1',
      exemptionExpires: '2027-03-31',
      exemptionOwner: 'payments',
    });
    expect(unmuted!.body.sourceProperties).not.toHaveProperty('exemptionReason');
  });

  it('derives the same SCC ID for every transition of one finding (a patch updates, never duplicates)', () => {
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
    const properties = write.body.sourceProperties;
    expect(String(properties.evidence).length).toBeLessThanOrEqual(SCC_EVIDENCE_LIMIT);
    expect(String(properties.evidence)).toMatch(/\[truncated\]$/);
    expect(properties.evidenceTruncated).toBe(true);
    expect(properties.evidenceLength).toBe(JSON.stringify(huge).length);
  });

  it('sends small evidence whole and unmarked', () => {
    const write = sccWriteOf(TABLE[0]!.item, { source: SOURCE, lookup });
    expect(JSON.parse(String(write.body.sourceProperties.evidence))).toEqual({ ingress: 'all' });
    expect(write.body.sourceProperties).not.toHaveProperty('evidenceTruncated');
    expect(write.body.sourceProperties).toMatchObject({
      changeActor: 'dev@acme.example',
      transition: 'opened',
    });
  });

  it('names a rule gone from the catalogue by its ID', () => {
    const write = sccWriteOf(transitionOf({ ruleId: 'gone.rule' }, 'opened'), { source: SOURCE, lookup });
    expect(write.body.category).toBe('gone.rule');
    expect(write.body.description.startsWith('gone.rule.')).toBe(true);
  });

  it('refuses an ID with no alphanumeric form', () => {
    expect(() => sccFindingIdOf('---')).toThrow(/no SCC form/);
  });
});

describe('the SCC source', () => {
  it('must be an organization source', () => {
    expect(() => sccWriteOf(TABLE[0]!.item, { source: 'projects/p/sources/1', lookup })).toThrow(
      /organizations\/ORG/,
    );
  });
});
