// Alert routing as tables: which routes a finding matches (project glob, resource labels, rule ID or glob, minimum
// severity), and which channel each alert reaches, grouped per route, once per channel, the rest to the defaults.

import { describe, expect, test } from 'vitest';
import {
  createAlertRouter,
  matchingRoutes,
  outboxMinimum,
  type RoutedChannels,
} from '../../src/alerts/routing.js';
import type { AlertRecord } from '../../src/domain/alert.js';
import { alertIdOf, type Finding, findingIdOf } from '../../src/domain/finding.js';
import type { Severity } from '../../src/domain/severity.js';
import type { AlertRoute } from '../../src/engine/policy.js';

interface Spec {
  readonly project?: string;
  readonly ruleId?: string;
  readonly severity?: Severity;
  readonly labels?: Readonly<Record<string, string>>;
  readonly name?: string;
}

function finding(spec: Spec = {}): Finding {
  const project = spec.project ?? 'acme-edge';
  const ruleId = spec.ruleId ?? 'gateway.direct-url-protected';
  const resource = `//apigateway.googleapis.com/projects/${project}/locations/us-central1/gateways/${spec.name ?? 'orders-gw'}`;
  return {
    id: findingIdOf(ruleId, resource, null),
    ruleId,
    resource,
    resourceType: 'apigateway.googleapis.com/Gateway',
    project,
    location: 'us-central1',
    subKey: null,
    severity: spec.severity ?? 'HIGH',
    state: 'open',
    message: 'The default URL bypasses Cloud Armor.',
    evidence: {},
    firstSeenAt: '2026-12-04T10:00:00.000Z',
    lastSeenAt: '2026-12-04T10:00:00.000Z',
    resolvedAt: null,
    reopenCount: 0,
    lastChange: null,
    exemption: null,
    ...(spec.labels ? { labels: spec.labels } : {}),
  };
}

function alert(spec: Spec = {}): AlertRecord {
  const f = finding(spec);
  return {
    id: alertIdOf(f.id, 'opened', f.lastSeenAt),
    findingId: f.id,
    transition: 'opened',
    finding: f,
    change: null,
    createdAt: f.lastSeenAt,
  };
}

const route = (name: string, criteria: Omit<AlertRoute, 'name' | 'channels'>, channels = [name]) => ({
  name,
  ...criteria,
  channels,
});

describe('matchingRoutes: each criterion', () => {
  const cases: readonly (readonly [string, Omit<AlertRoute, 'name' | 'channels'>, Spec, boolean])[] = [
    ['no criteria matches everything', {}, {}, true],
    ['project: exact', { projects: ['payments-prod'] }, { project: 'payments-prod' }, true],
    ['project: exact, another project', { projects: ['payments-prod'] }, { project: 'payments-dev' }, false],
    ['project: glob', { projects: ['payments-*'] }, { project: 'payments-dev' }, true],
    ['project: glob is anchored', { projects: ['payments-*'] }, { project: 'old-payments-dev' }, false],
    ['project: any of several', { projects: ['orders', 'pay*'] }, { project: 'payments-prod' }, true],
    ['project: a dot in the pattern is literal', { projects: ['a.b'] }, { project: 'axb' }, false],
    [
      'labels: present and equal',
      { labels: { team: 'payments' } },
      { labels: { team: 'payments', env: 'prod' } },
      true,
    ],
    ['labels: another value', { labels: { team: 'payments' } }, { labels: { team: 'orders' } }, false],
    ['labels: none on the resource', { labels: { team: 'payments' } }, {}, false],
    [
      'labels: every one must hold',
      { labels: { team: 'payments', env: 'prod' } },
      { labels: { team: 'payments', env: 'dev' } },
      false,
    ],
    ['labels: value glob', { labels: { env: 'prod-*' } }, { labels: { env: 'prod-eu' } }, true],
    ['labels: * means the label is there', { labels: { team: '*' } }, { labels: { team: 'x' } }, true],
    ['labels: * still needs the label', { labels: { team: '*' } }, { labels: { env: 'prod' } }, false],
    [
      'labels: an inherited property is no label',
      { labels: { constructor: '*' } },
      { labels: { team: 'x' } },
      false,
    ],
    ['rule: exact', { rules: ['gateway.direct-url-protected'] }, {}, true],
    ['rule: exact, another rule', { rules: ['gateway.api-config-authenticated'] }, {}, false],
    ['rule: glob', { rules: ['gateway.*'] }, {}, true],
    ['rule: glob of another group', { rules: ['backend.*'] }, {}, false],
    ['severity: at the minimum', { minimumSeverity: 'HIGH' }, { severity: 'HIGH' }, true],
    ['severity: above the minimum', { minimumSeverity: 'HIGH' }, { severity: 'CRITICAL' }, true],
    ['severity: below the minimum', { minimumSeverity: 'HIGH' }, { severity: 'MEDIUM' }, false],
    [
      'all criteria together',
      { projects: ['pay*'], labels: { team: 'payments' }, rules: ['gateway.*'], minimumSeverity: 'HIGH' },
      { project: 'payments-prod', labels: { team: 'payments' }, severity: 'CRITICAL' },
      true,
    ],
    [
      'all criteria, one fails',
      { projects: ['pay*'], labels: { team: 'payments' }, rules: ['gateway.*'], minimumSeverity: 'HIGH' },
      { project: 'payments-prod', labels: { team: 'payments' }, severity: 'LOW' },
      false,
    ],
  ];
  test.each(cases)('%s', (_name, criteria, spec, matches) => {
    const routes = [route('r', criteria)];
    expect(matchingRoutes(finding(spec), routes).map((r) => r.name)).toEqual(matches ? ['r'] : []);
  });

  test('several routes: all that match, in policy order', () => {
    const routes = [
      route('payments', { labels: { team: 'payments' } }),
      route('critical', { minimumSeverity: 'CRITICAL' }),
      route('orders', { projects: ['orders-*'] }),
    ];
    const matched = matchingRoutes(finding({ labels: { team: 'payments' }, severity: 'CRITICAL' }), routes);
    expect(matched.map((r) => r.name)).toEqual(['payments', 'critical']);
  });
});

describe('createAlertRouter: which channel gets which alert', () => {
  const PAYMENTS = alert({ name: 'pay-gw', labels: { team: 'payments' }, severity: 'HIGH' });
  const PAYMENTS_CRITICAL = alert({ name: 'pay-gw-2', labels: { team: 'payments' }, severity: 'CRITICAL' });
  const SHOP = alert({ name: 'shop-gw', project: 'acme-shop' });
  const OTHER = alert({ name: 'other-gw' });

  /** Each send as "channel [route]: alert names", so a table reads like the messages that go out. */
  function sends(
    routes: readonly RoutedChannels<string>[],
    defaults: readonly string[],
    alerts: AlertRecord[],
  ) {
    return createAlertRouter(
      routes,
      defaults,
    )(alerts).map(
      (group) =>
        `${group.channel} [${group.route ?? 'default'}]: ${group.alerts.map((a) => a.finding.resource.split('/').at(-1)).join(', ')}`,
    );
  }

  test('no routes: every default channel gets every alert (today behaviour)', () => {
    expect(sends([], ['slack', 'pubsub'], [PAYMENTS, OTHER])).toEqual([
      'slack [default]: pay-gw, other-gw',
      'pubsub [default]: pay-gw, other-gw',
    ]);
  });

  test('two routes, by label and by project: each alert to its route only, the rest to the defaults', () => {
    const routes = [
      { route: route('payments', { labels: { team: 'payments' } }), channels: ['payments-slack'] },
      { route: route('shop', { projects: ['acme-shop'] }), channels: ['shop-chat'] },
    ];
    expect(sends(routes, ['security-slack'], [PAYMENTS, SHOP, OTHER])).toEqual([
      'payments-slack [payments]: pay-gw',
      'shop-chat [shop]: shop-gw',
      'security-slack [default]: other-gw',
    ]);
  });

  test('an alert matching several routes reaches each of their channels once, under the first route naming it', () => {
    const routes = [
      {
        route: route('payments', { labels: { team: 'payments' } }),
        channels: ['payments-slack', 'soc-feed'],
      },
      { route: route('critical', { minimumSeverity: 'CRITICAL' }), channels: ['soc-feed', 'pager'] },
    ];
    expect(sends(routes, ['security-slack'], [PAYMENTS, PAYMENTS_CRITICAL, OTHER])).toEqual([
      'payments-slack [payments]: pay-gw, pay-gw-2',
      'soc-feed [payments]: pay-gw, pay-gw-2',
      'pager [critical]: pay-gw-2',
      'security-slack [default]: other-gw',
    ]);
  });

  test('a channel in two routes gets one digest per route, each alert in one of them', () => {
    const routes = [
      { route: route('payments', { labels: { team: 'payments' } }), channels: ['soc-feed'] },
      { route: route('shop', { projects: ['acme-shop'] }), channels: ['soc-feed'] },
    ];
    expect(sends(routes, [], [PAYMENTS, SHOP, OTHER])).toEqual([
      'soc-feed [payments]: pay-gw',
      'soc-feed [shop]: shop-gw',
    ]);
  });

  test('routes matching nothing leave every alert to the defaults; no defaults: unmatched alerts go nowhere', () => {
    const routes = [{ route: route('orders', { projects: ['orders-*'] }), channels: ['orders-slack'] }];
    expect(sends(routes, ['security-slack'], [PAYMENTS, OTHER])).toEqual([
      'security-slack [default]: pay-gw, other-gw',
    ]);
    expect(sends(routes, [], [PAYMENTS])).toEqual([]);
  });

  test('a route below its minimum severity does not take the alert: the defaults do', () => {
    const routes = [
      {
        route: route('payments', { labels: { team: 'payments' }, minimumSeverity: 'CRITICAL' }),
        channels: ['payments-slack'],
      },
    ];
    expect(sends(routes, ['security-slack'], [PAYMENTS, PAYMENTS_CRITICAL])).toEqual([
      'security-slack [default]: pay-gw',
      'payments-slack [payments]: pay-gw-2',
    ]);
  });

  test("the policy's alert minimum (floor): a route's own minimum replaces it, lower or higher; defaults keep it", () => {
    const LOW_PAYMENTS = alert({ name: 'pay-low', labels: { team: 'payments' }, severity: 'LOW' });
    const MEDIUM_PAYMENTS = alert({ name: 'pay-medium', labels: { team: 'payments' }, severity: 'MEDIUM' });
    const MEDIUM_OTHER = alert({ name: 'other-medium', severity: 'MEDIUM' });
    const MEDIUM_SHOP = alert({ name: 'shop-medium', project: 'acme-shop', severity: 'MEDIUM' });
    const routes = [
      {
        route: route('payments', { labels: { team: 'payments' }, minimumSeverity: 'MEDIUM' }),
        channels: ['payments-slack'],
      },
      { route: route('shop', { projects: ['acme-shop'] }), channels: ['shop-chat'] },
    ];
    const router = createAlertRouter(routes, ['security-slack'], 'HIGH');
    const plan = router([LOW_PAYMENTS, MEDIUM_PAYMENTS, MEDIUM_OTHER, MEDIUM_SHOP, PAYMENTS, OTHER]).map(
      (group) =>
        `${group.channel}: ${group.alerts.map((a) => a.finding.resource.split('/').at(-1)).join(', ')}`,
    );
    expect(plan).toEqual([
      // MEDIUM and up for payments (its own minimum, below the floor); LOW is below it.
      'payments-slack: pay-medium, pay-gw',
      // The shop route sets no minimum: the floor (HIGH) holds, so its MEDIUM goes nowhere, not to the defaults.
      // The defaults keep the floor: the MEDIUMs below it reach no default channel.
      'security-slack: other-gw',
    ]);
    expect(
      outboxMinimum(
        'HIGH',
        routes.map((r) => r.route),
      ),
    ).toBe('MEDIUM');
    expect(outboxMinimum('HIGH', [route('edge', { minimumSeverity: 'CRITICAL' })])).toBe('HIGH');
    expect(
      outboxMinimum(
        undefined,
        routes.map((r) => r.route),
      ),
    ).toBeUndefined();
  });
});
