// What a forwarding rule leads to: its HTTP(S) proxy, URL map, and the fronting backend services behind them.

import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';
import { describe, notApplicable, notApplicableLater, type Verdict } from '../define-rule.js';

export type LoadBalancerPath =
  | {
      readonly reached: true;
      readonly proxy: ResourceNode<'targetHttpProxy' | 'targetHttpsProxy'>;
      readonly urlMap: ResourceNode<'urlMap'>;
      /** Fronting backend services the URL map routes to (may be empty). */
      readonly frontingServices: readonly ResourceNode<'backendService'>[];
    }
  | { readonly reached: false; readonly reason: string };

/** The frontend rules' verdict for a forwarding rule whose proxy or URL map is not in the inventory. */
export function notReached(path: { readonly reason: string }): Verdict {
  return notApplicableLater(() => notApplicable(`${path.reason}.`));
}

export const REACHES_NO_FRONTING_SERVICE = notApplicableLater<'forwardingRule'>((rule) =>
  notApplicable(`${describe(rule)} does not reach a backend service with serverless NEGs.`),
);

const pathsByGraph = new WeakMap<ResourceGraph, Map<ResourceNode<'forwardingRule'>, LoadBalancerPath>>();

/**
 * Worked out once per forwarding rule and graph: both frontend rules ask, and https-only asks again for every
 * forwarding rule sharing an address; each time it followed two links by their text.
 */
export function loadBalancerPathOf(
  graph: ResourceGraph,
  rule: ResourceNode<'forwardingRule'>,
): LoadBalancerPath {
  let paths = pathsByGraph.get(graph);
  if (!paths) {
    // Every forwarding rule's at the first question (both frontend rules ask about all of them): in one loop, the
    // work is not inlined into each asking rule by the optimising compiler (see the graph's linkAllServices).
    paths = new Map();
    const rules = graph.nodes('forwardingRule');
    for (let index = 0; index < rules.length; index++) {
      const each = rules[index] as ResourceNode<'forwardingRule'>;
      paths.set(each, followPath(graph, each));
    }
    pathsByGraph.set(graph, paths);
  }
  let path = paths.get(rule);
  if (!path) {
    path = followPath(graph, rule);
    paths.set(rule, path);
  }
  return path;
}

function followPath(graph: ResourceGraph, rule: ResourceNode<'forwardingRule'>): LoadBalancerPath {
  const proxy = graph.proxyOf(rule);
  if (!proxy) {
    return {
      reached: false,
      reason: `${describe(rule)} does not target an HTTP(S) proxy in the inventory (${rule.data.target ?? 'no target'})`,
    };
  }
  const urlMap = graph.urlMapOf(proxy);
  if (!urlMap) {
    return { reached: false, reason: `the URL map of ${describe(proxy)} is not in the inventory` };
  }
  return { reached: true, proxy, urlMap, frontingServices: graph.frontingServicesRoutedBy(urlMap) };
}

const rulesByAddress = new WeakMap<ResourceGraph, Map<string, ResourceNode<'forwardingRule'>[]>>();

/** Forwarding rules sharing an IP address: the HTTP and HTTPS halves of one load balancer. Indexed once per graph. */
export function forwardingRulesOnAddress(
  graph: ResourceGraph,
  address: string,
): readonly ResourceNode<'forwardingRule'>[] {
  let index = rulesByAddress.get(graph);
  if (!index) {
    index = new Map();
    for (const rule of graph.nodes('forwardingRule')) {
      const ip = rule.data.IPAddress;
      if (typeof ip !== 'string' || ip.length === 0) continue;
      // Pushed, not copied with a spread per rule: the rules of an address stay in graph order.
      const onAddress = index.get(ip);
      if (onAddress) onAddress.push(rule);
      else index.set(ip, [rule]);
    }
    rulesByAddress.set(graph, index);
  }
  return index.get(address) ?? [];
}
