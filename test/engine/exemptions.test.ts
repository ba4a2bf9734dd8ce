import { describe, expect, test } from 'vitest';
import type { RuleResult } from '../../src/engine/evaluate.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { applyExemptions, ExemptionMatcher, isExpired, parseExpiry } from '../../src/engine/exemptions.js';
import type { Exemption } from '../../src/engine/policy.js';
import { negNoNetworkEndpoints } from '../../src/rules/neg/no-network-endpoints.js';
import { apiGatewayNeg, fullName, graphOf, PROJECT_NUMBER } from '../support/records.js';

const LEGACY_BS = fullName('global/backendServices/legacy-partner-bs');
const ORDERS_NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const NOW = new Date('2027-01-15T12:00:00Z');

describe('resource patterns', () => {
  test.each([
    ['an exact full name', LEGACY_BS, LEGACY_BS, true],
    ['* within the last segment', fullName('global/backendServices/legacy-*'), LEGACY_BS, true],
    ['* does not cross a /', fullName('global/*'), LEGACY_BS, false],
    ['* stands for a whole segment', fullName('*/backendServices/legacy-partner-bs'), LEGACY_BS, true],
    [
      '* in the project segment',
      '//compute.googleapis.com/projects/*/global/backendServices/legacy-partner-bs',
      LEGACY_BS,
      true,
    ],
    ['** crosses segments', '//compute.googleapis.com/projects/acme-edge/**', ORDERS_NEG, true],
    [
      '** still needs the literal prefix',
      '//compute.googleapis.com/projects/acme-sandbox/**',
      ORDERS_NEG,
      false,
    ],
    ['a prefix is not a match', fullName('global/backendServices/legacy'), LEGACY_BS, false],
    ['regex characters are literal', fullName('global/backendServices/legacy.partner.bs'), LEGACY_BS, false],
    [
      'an API Gateway name',
      '//apigateway.googleapis.com/projects/acme-edge/locations/*/gateways/orders-gw',
      fullName('locations/us-central1/gateways/orders-gw'),
      true,
    ],
  ])('%s', (_name, pattern, name, expected) => {
    // Through the matcher applyExemptions uses, so the table tests the combined regex it compiles.
    const matcher = new ExemptionMatcher(
      [{ ruleId: '*', resource: pattern, reason: 'r', expires: '2099-12-31' }],
      NOW,
    );
    expect(matcher.find('backend.cloud-armor-attached', name) !== undefined).toBe(expected);
  });
});

describe('expiry', () => {
  const exemption = (expires: string): Exemption => ({ ruleId: '*', resource: '**', reason: 'r', expires });

  test.each([
    ['a date is in force during its whole last day (UTC)', '2027-01-31', '2027-01-31T23:59:59.999Z', false],
    ['a date has expired the moment the next day starts', '2027-01-31', '2027-02-01T00:00:00.000Z', true],
    [
      'a timestamp is in force up to its instant',
      '2027-01-31T12:00:00+02:00',
      '2027-01-31T10:00:00.000Z',
      false,
    ],
    [
      'a timestamp has expired just after its instant',
      '2027-01-31T12:00:00+02:00',
      '2027-01-31T10:00:00.001Z',
      true,
    ],
    ['an unreadable expiry never mutes', 'next quarter', '2020-01-01T00:00:00Z', true],
    ['a day that does not exist never mutes', '2027-02-30', '2020-01-01T00:00:00Z', true],
    [
      'a timestamp on a day that does not exist never mutes (not rolled over to 2 March)',
      '2027-02-30T00:00:00Z',
      '2027-03-01T00:00:00Z',
      true,
    ],
  ])('%s', (_name, expires, now, expired) => {
    expect(isExpired(exemption(expires), new Date(now))).toBe(expired);
  });

  test('parseExpiry gives the last instant in force', () => {
    expect(parseExpiry('2024-02-29')).toBe(Date.parse('2024-02-29T23:59:59.999Z'));
    expect(parseExpiry('2027-01-31T10:00:00Z')).toBe(Date.parse('2027-01-31T10:00:00Z'));
    expect(parseExpiry('2023-02-29')).toBeUndefined();
    expect(parseExpiry('2027-04-31T10:00:00Z')).toBeUndefined();
    expect(parseExpiry('2024-02-29T23:00:00-05:00')).toBe(Date.parse('2024-03-01T04:00:00Z'));
  });
});

function failing(ruleId: string, resource: string, status: RuleResult['status'] = 'fail'): RuleResult {
  return {
    ruleId,
    status,
    severity: 'HIGH',
    resource,
    resourceType: 'compute.googleapis.com/BackendService',
    project: 'acme-edge',
    location: 'global',
    subKey: null,
    message: `${ruleId} on ${resource}`,
    evidence: {},
  };
}

describe('applyExemptions', () => {
  const cloudArmorForLegacy: Exemption = {
    ruleId: 'backend.cloud-armor-attached',
    resource: fullName('global/backendServices/legacy-*'),
    reason: 'partner edge applies Cloud Armor until TICKET-4211',
    expires: '2027-03-31',
    owner: 'platform-edge@acme.example',
  };

  test('a covered failure stays a failure and carries the exemption', () => {
    const [muted] = applyExemptions(
      [failing('backend.cloud-armor-attached', LEGACY_BS)],
      [cloudArmorForLegacy],
      NOW,
    );
    expect(muted?.status).toBe('fail');
    expect(muted?.exemption).toEqual({
      reason: 'partner edge applies Cloud Armor until TICKET-4211',
      expires: '2027-03-31',
      owner: 'platform-edge@acme.example',
      pattern: fullName('global/backendServices/legacy-*'),
    });
  });

  test('another rule on the same resource is not muted', () => {
    const [result] = applyExemptions(
      [failing('backend.logging-enabled', LEGACY_BS)],
      [cloudArmorForLegacy],
      NOW,
    );
    expect(result?.exemption).toBeUndefined();
  });

  test('the same rule on a resource outside the pattern is not muted', () => {
    const other = fullName('global/backendServices/orders-bs');
    const [result] = applyExemptions(
      [failing('backend.cloud-armor-attached', other)],
      [cloudArmorForLegacy],
      NOW,
    );
    expect(result?.exemption).toBeUndefined();
  });

  test('an expired exemption no longer mutes', () => {
    const [result] = applyExemptions(
      [failing('backend.cloud-armor-attached', LEGACY_BS)],
      [cloudArmorForLegacy],
      new Date('2027-04-01T00:00:00Z'),
    );
    expect(result?.exemption).toBeUndefined();
  });

  test('rule ID * covers every rule', () => {
    const sandbox: Exemption = {
      ruleId: '*',
      resource: '//compute.googleapis.com/projects/acme-edge/**',
      reason: 'sandbox',
      expires: '2027-12-31',
    };
    const results = applyExemptions(
      [failing('backend.logging-enabled', LEGACY_BS), failing('neg.gateway-exists', ORDERS_NEG)],
      [sandbox],
      NOW,
    );
    expect(results.map((result) => result.exemption?.reason)).toEqual(['sandbox', 'sandbox']);
    expect(results[0]?.exemption).not.toHaveProperty('owner');
  });

  test('passing and not-applicable results are never marked; an undecided (error) result is, like a failure', () => {
    const everything: Exemption = { ruleId: '*', resource: '**', reason: 'all', expires: '2027-12-31' };
    const results = applyExemptions(
      [
        failing('backend.logging-enabled', LEGACY_BS, 'pass'),
        failing('backend.logging-enabled', LEGACY_BS, 'not-applicable'),
        failing('backend.logging-enabled', LEGACY_BS, 'error'),
      ],
      [everything],
      NOW,
    );
    expect(results.map((result) => result.exemption?.reason)).toEqual([undefined, undefined, 'all']);
  });

  test('when several match, the first listed in the policy wins, whatever its rule ID', () => {
    const first: Exemption = { ruleId: '*', resource: '**', reason: 'first', expires: '2027-12-31' };
    const second = { ...cloudArmorForLegacy, reason: 'second' };
    const matcher = new ExemptionMatcher([first, second], NOW);
    expect(matcher.find('backend.cloud-armor-attached', LEGACY_BS)?.reason).toBe('first');
    const reversed = new ExemptionMatcher([second, first], NOW);
    expect(reversed.find('backend.cloud-armor-attached', LEGACY_BS)?.reason).toBe('second');
  });

  test('an expired first match gives way to a later one in force', () => {
    const expired = { ...cloudArmorForLegacy, reason: 'old', expires: '2026-12-31' };
    const current = { ...cloudArmorForLegacy, reason: 'renewed' };
    const [result] = applyExemptions(
      [failing('backend.cloud-armor-attached', LEGACY_BS)],
      [expired, current],
      NOW,
    );
    expect(result?.exemption?.reason).toBe('renewed');
  });

  test('100,000 results are judged against compiled patterns with the right outcome', () => {
    const results = Array.from({ length: 100_000 }, (_, index) =>
      failing(
        'backend.cloud-armor-attached',
        fullName(`global/backendServices/${index % 2 ? 'legacy' : 'orders'}-${index}`),
      ),
    );
    const exemptions = Array.from({ length: 50 }, (_, index) => ({
      ...cloudArmorForLegacy,
      resource: fullName(`global/backendServices/team-${index}-*`),
    }));
    const muted = applyExemptions(results, [...exemptions, cloudArmorForLegacy], NOW).filter(
      (r) => r.exemption,
    );
    expect(muted).toHaveLength(50_000);
    expect(muted.every((result) => result.resource.includes('/legacy-'))).toBe(true);
  });
});

describe('exemptions through evaluate', () => {
  test('a muted finding from a real rule keeps status fail and carries the exemption', () => {
    const graph = graphOf({
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', { defaultPort: 443 }),
      ],
    });
    const exemption: Exemption = {
      ruleId: 'neg.no-network-endpoints',
      resource: fullName('regions/*/networkEndpointGroups/orders-*'),
      reason: 'recreating the NEG in the next change window',
      expires: '2027-01-15',
    };
    const [result] = evaluate(graph, [negNoNetworkEndpoints], {
      policy: { rules: {}, exemptions: [exemption] },
      now: NOW,
    });
    expect(result).toMatchObject({
      status: 'fail',
      resource: ORDERS_NEG,
      exemption: { reason: exemption.reason },
    });
    const [later] = evaluate(graph, [negNoNetworkEndpoints], {
      policy: { rules: {}, exemptions: [exemption] },
      now: new Date('2027-01-16T00:00:00Z'),
    });
    expect(later?.exemption).toBeUndefined();
  });

  test('a pattern naming the project by a number the estate maps covers findings named by its ID', () => {
    const graph = graphOf({
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', { defaultPort: 443 }),
      ],
      projectIds: { [PROJECT_NUMBER]: 'acme-edge' },
    });
    const byNumber = (project: string): Exemption => ({
      ruleId: 'neg.no-network-endpoints',
      resource: `//compute.googleapis.com/projects/${project}/regions/*/networkEndpointGroups/orders-*`,
      reason: 'recreating the NEG in the next change window',
      expires: '2027-01-15',
    });
    const judge = (exemption: Exemption) =>
      evaluate(graph, [negNoNetworkEndpoints], { policy: { rules: {}, exemptions: [exemption] }, now: NOW });
    const [mapped] = judge(byNumber(PROJECT_NUMBER));
    expect(mapped).toMatchObject({
      status: 'fail',
      resource: ORDERS_NEG,
      exemption: { pattern: byNumber(PROJECT_NUMBER).resource },
    });
    const [unmapped] = judge(byNumber('999999999999'));
    expect(unmapped?.exemption).toBeUndefined();
  });
  // The map comes from projects.json or is learnt from gateway records: either may say anything. What it names is a
  // project, never a pattern: an ID of `*` or `**` must not widen an exemption written for one project to all.
  test.each([
    { id: '*', name: 'a wildcard' },
    { id: '**', name: 'a wildcard across segments' },
    { id: 'acme-*', name: 'a wildcard in an ID' },
    { id: 'a/*/b', name: 'slashes and a wildcard' },
  ])('a number mapped to $name ($id) does not widen a pattern naming that number', ({ id }) => {
    const graph = graphOf({
      networkEndpointGroup: [
        apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', { defaultPort: 443 }),
      ],
      projectIds: { '999999999999': id },
    });
    const exemption: Exemption = {
      ruleId: 'neg.no-network-endpoints',
      resource:
        '//compute.googleapis.com/projects/999999999999/regions/us-central1/networkEndpointGroups/orders-neg-usc1',
      reason: 'another project entirely',
      expires: '2027-01-15',
    };
    const [result] = evaluate(graph, [negNoNetworkEndpoints], {
      policy: { rules: {}, exemptions: [exemption] },
      now: NOW,
    });
    expect(result).toMatchObject({ status: 'fail', resource: ORDERS_NEG });
    expect(result?.exemption).toBeUndefined();
  });
});
