// Every place a URL map can name a backend service, walked in one pass.

import type { PathMatcher, RouteAction, UrlMap } from './resources.js';

function fromRouteAction(action: RouteAction | undefined): string[] {
  return (action?.weightedBackendServices ?? []).flatMap((weighted) =>
    weighted.backendService ? [weighted.backendService] : [],
  );
}

function fromPathMatcher(matcher: PathMatcher): string[] {
  return [
    ...(matcher.defaultService ? [matcher.defaultService] : []),
    ...fromRouteAction(matcher.defaultRouteAction),
    ...(matcher.pathRules ?? []).flatMap((rule) => [
      ...(rule.service ? [rule.service] : []),
      ...fromRouteAction(rule.routeAction),
    ]),
    ...(matcher.routeRules ?? []).flatMap((rule) => [
      ...(rule.service ? [rule.service] : []),
      ...fromRouteAction(rule.routeAction),
    ]),
  ];
}

/**
 * Links of every backend service a URL map routes to: `defaultService`, `defaultRouteAction`,
 * `pathMatchers[].defaultService`, `pathRules[].service`, `routeRules[].service` and
 * `weightedBackendServices[].backendService` in any route action. Duplicates are kept out.
 */
export function backendServiceLinksOf(urlMap: UrlMap): string[] {
  const links = [
    ...(urlMap.defaultService ? [urlMap.defaultService] : []),
    ...fromRouteAction(urlMap.defaultRouteAction),
    ...(urlMap.pathMatchers ?? []).flatMap(fromPathMatcher),
  ];
  return [...new Set(links)];
}
