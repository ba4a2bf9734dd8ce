// Which channels each alert goes to: the policy's routes matched against the alert's finding (project, the resource's
// labels, rule, severity). An alert goes to the channels of every route it matches, each channel once, grouped under
// the first of those routes that names the channel; an alert no route matches goes to the default channels.
//
// Severity: `alerts.minimumSeverity` (the floor) applies to the default channels and to every route that sets no
// minimum of its own; a route's own `minimumSeverity` replaces it for that route, lower or higher. So the outbox keeps
// alerts down to the lowest minimum any route asks for (outboxMinimum), and the default channels skip those below the
// floor.

import type { AlertRecord } from '../domain/alert.js';
import type { Finding } from '../domain/finding.js';
import { anyGlobTester, globTester } from '../domain/name-glob.js';
import { isAtLeast, type Severity, severityRank } from '../domain/severity.js';
import type { AlertRoute } from '../engine/policy.js';

/** A route with the channels (sinks, or anything standing for them) it sends to. */
export interface RoutedChannels<S> {
  readonly route: AlertRoute;
  readonly channels: readonly S[];
}

/** One send: these alerts, to this channel, as the digest of this route (null: the default channels). */
export interface DeliveryGroup<S> {
  readonly channel: S;
  readonly route: string | null;
  readonly alerts: readonly AlertRecord[];
}

/**
 * The lowest severity any channel takes: the floor, or a route's lower minimum. Alerts are written to the outbox down
 * to it; undefined (every severity) when there is no floor.
 */
export function outboxMinimum(
  floor: Severity | undefined,
  routes: readonly AlertRoute[],
): Severity | undefined {
  if (floor === undefined) return undefined;
  return routes.reduce<Severity>(
    (lowest, route) =>
      route.minimumSeverity && severityRank(route.minimumSeverity) < severityRank(lowest)
        ? route.minimumSeverity
        : lowest,
    floor,
  );
}

/**
 * The route's criteria as one test; a route with none matches every finding (at or above `floor`, the policy's
 * alert minimum, unless the route sets its own).
 */
export function routeMatcher(route: AlertRoute, floor?: Severity): (finding: Finding) => boolean {
  const tests: ((finding: Finding) => boolean)[] = [];
  if (route.projects) {
    const project = anyGlobTester(route.projects);
    tests.push((finding) => project(finding.project));
  }
  if (route.rules) {
    const rule = anyGlobTester(route.rules);
    tests.push((finding) => rule(finding.ruleId));
  }
  for (const [key, pattern] of Object.entries(route.labels ?? {})) {
    const value = globTester(pattern);
    tests.push((finding) => {
      const label = finding.labels && Object.hasOwn(finding.labels, key) ? finding.labels[key] : undefined;
      return label !== undefined && value(label);
    });
  }
  const minimum = route.minimumSeverity ?? floor;
  if (minimum) tests.push((finding) => isAtLeast(finding.severity, minimum));
  return (finding) => tests.every((passes) => passes(finding));
}

/** The routes a finding matches, in policy order. */
export function matchingRoutes(
  finding: Finding,
  routes: readonly AlertRoute[],
  floor?: Severity,
): AlertRoute[] {
  return routes.filter((route) => routeMatcher(route, floor)(finding));
}

/**
 * Plans the sends for a batch of alerts; built once per set of routes (the globs are compiled here). `floor`: the
 * policy's alert minimum, for the default channels and for routes without their own.
 */
export function createAlertRouter<S>(
  routes: readonly RoutedChannels<S>[],
  defaults: readonly S[],
  floor?: Severity,
): (alerts: readonly AlertRecord[]) => DeliveryGroup<S>[] {
  const compiled = routes.map((routed) => ({ ...routed, matches: routeMatcher(routed.route, floor) }));
  const aboveFloor = (alert: AlertRecord) => floor === undefined || isAtLeast(alert.finding.severity, floor);
  return (alerts) => {
    // channel -> route name (null: default) -> alerts, in the order channels and routes first appear.
    const plan = new Map<S, Map<string | null, AlertRecord[]>>();
    const add = (channel: S, route: string | null, alert: AlertRecord) => {
      const byRoute = plan.get(channel) ?? new Map<string | null, AlertRecord[]>();
      plan.set(channel, byRoute);
      const group = byRoute.get(route);
      if (group) group.push(alert);
      else byRoute.set(route, [alert]);
    };
    for (const alert of alerts) {
      const reached = new Set<S>();
      let matched = false;
      for (const { route, channels, matches } of compiled) {
        if (!matches(alert.finding)) continue;
        matched = true;
        for (const channel of channels) {
          if (reached.has(channel)) continue;
          reached.add(channel);
          add(channel, route.name, alert);
        }
      }
      // Below the floor, an alert is in the outbox only for a route that asked for it.
      if (matched || !aboveFloor(alert)) continue;
      for (const channel of defaults) add(channel, null, alert);
    }
    return [...plan].flatMap(([channel, byRoute]) =>
      [...byRoute].map(([route, grouped]) => ({ channel, route, alerts: grouped })),
    );
  };
}
