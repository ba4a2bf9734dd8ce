// Every place a URL map can name a backend service, walked in one pass.

import type { RouteAction, UrlMap } from './resources.js';

/** Above this many links a Set keeps duplicates out; below it, a scan of the few kept so far is cheaper. */
const DISTINCT_BY_SCAN_UP_TO = 16;

const NONE: readonly never[] = [];

/**
 * Links of every backend service a URL map routes to: `defaultService`, `defaultRouteAction`,
 * `pathMatchers[].defaultService`, `pathRules[].service`, `routeRules[].service` and
 * `weightedBackendServices[].backendService` in any route action. Duplicates are kept out.
 */
export function backendServiceLinksOf(urlMap: UrlMap): string[] {
  const links: string[] = [];
  appendBackendServiceLinks(urlMap, links);
  if (links.length > DISTINCT_BY_SCAN_UP_TO) return [...new Set(links)];
  // Most URL maps name a handful of services: no Set and no copy per map (5,000 of them in a scan, issue 14).
  let kept = 0;
  for (let index = 0; index < links.length; index++) {
    const link = links[index] as string;
    if (links.indexOf(link) === index) links[kept++] = link;
  }
  links.length = kept;
  return links;
}

/** The same links in the same order, duplicates and all, appended to `links`: no copy per matcher and rule. */
function appendBackendServiceLinks(urlMap: UrlMap, links: string[]): void {
  if (urlMap.defaultService) links.push(urlMap.defaultService);
  appendRouteActionLinks(urlMap.defaultRouteAction, links);
  // Indexed loops: until V8 has optimised this, a for-of makes an iterator result object per step.
  const matchers = urlMap.pathMatchers ?? NONE;
  for (let index = 0; index < matchers.length; index++) {
    const matcher = matchers[index] as NonNullable<UrlMap['pathMatchers']>[number];
    if (matcher.defaultService) links.push(matcher.defaultService);
    appendRouteActionLinks(matcher.defaultRouteAction, links);
    const pathRules = matcher.pathRules ?? NONE;
    for (let place = 0; place < pathRules.length; place++) {
      const rule = pathRules[place] as NonNullable<typeof matcher.pathRules>[number];
      if (rule.service) links.push(rule.service);
      appendRouteActionLinks(rule.routeAction, links);
    }
    const routeRules = matcher.routeRules ?? NONE;
    for (let place = 0; place < routeRules.length; place++) {
      const rule = routeRules[place] as NonNullable<typeof matcher.routeRules>[number];
      if (rule.service) links.push(rule.service);
      appendRouteActionLinks(rule.routeAction, links);
    }
  }
}

function appendRouteActionLinks(action: RouteAction | undefined, links: string[]): void {
  const weighted = action?.weightedBackendServices ?? NONE;
  for (let index = 0; index < weighted.length; index++) {
    const backendService = (weighted[index] as NonNullable<RouteAction['weightedBackendServices']>[number])
      .backendService;
    if (backendService) links.push(backendService);
  }
}
