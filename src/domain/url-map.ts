// Every place a URL map can name a backend service, walked in one pass.

import type { RouteAction, UrlMap } from './resources.js';

/**
 * Links of every backend service a URL map routes to: `defaultService`, `defaultRouteAction`,
 * `pathMatchers[].defaultService`, `pathRules[].service`, `routeRules[].service` and
 * `weightedBackendServices[].backendService` in any route action. Duplicates are kept out.
 */
export function backendServiceLinksOf(urlMap: UrlMap): string[] {
  const links: string[] = [];
  appendBackendServiceLinks(urlMap, links);
  return [...new Set(links)];
}

/** The same links in the same order, duplicates and all, appended to `links`: no copy per matcher and rule. */
function appendBackendServiceLinks(urlMap: UrlMap, links: string[]): void {
  if (urlMap.defaultService) links.push(urlMap.defaultService);
  appendRouteActionLinks(urlMap.defaultRouteAction, links);
  for (const matcher of urlMap.pathMatchers ?? []) {
    if (matcher.defaultService) links.push(matcher.defaultService);
    appendRouteActionLinks(matcher.defaultRouteAction, links);
    for (const rule of matcher.pathRules ?? []) {
      if (rule.service) links.push(rule.service);
      appendRouteActionLinks(rule.routeAction, links);
    }
    for (const rule of matcher.routeRules ?? []) {
      if (rule.service) links.push(rule.service);
      appendRouteActionLinks(rule.routeAction, links);
    }
  }
}

function appendRouteActionLinks(action: RouteAction | undefined, links: string[]): void {
  for (const weighted of action?.weightedBackendServices ?? []) {
    if (weighted.backendService) links.push(weighted.backendService);
  }
}
