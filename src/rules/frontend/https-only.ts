// frontend.https-only: load balancers in front of API Gateway do not serve the API over plain HTTP.

import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';
import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import {
  forwardingRulesOnAddress,
  type LoadBalancerPath,
  loadBalancerPathOf,
  notReached,
  REACHES_NO_FRONTING_SERVICE,
} from './load-balancer.js';

/** The HTTPS forwarding rule on the same address whose load balancer reaches a fronting service, if any. */
function httpsSiblingOf(graph: ResourceGraph, rule: ResourceNode<'forwardingRule'>) {
  const address = rule.data.IPAddress;
  if (typeof address !== 'string') return undefined;
  return forwardingRulesOnAddress(graph, address).find((other) => {
    if (other === rule) return false;
    const path = loadBalancerPathOf(graph, other);
    return path.reached && path.proxy.kind === 'targetHttpsProxy' && path.frontingServices.length > 0;
  });
}

type ReachedPath = Extract<LoadBalancerPath, { readonly reached: true }>;

function evidenceOf({ proxy, urlMap, frontingServices }: ReachedPath) {
  return {
    proxy: proxy.fullName,
    urlMap: urlMap.fullName,
    backendServices: frontingServices.map((service) => service.fullName),
  };
}

/** Said from the forwarding rule's path again (remembered per graph): no closure per passing rule. */
const SERVES_HTTPS = passLater<'forwardingRule'>((rule, { graph }) =>
  pass(
    `${describe(rule)} serves the API over HTTPS.`,
    evidenceOf(loadBalancerPathOf(graph, rule) as ReachedPath),
  ),
);

export const frontendHttpsOnly = defineRule({
  id: 'frontend.https-only',
  title: 'Load balancers in front of API Gateway serve HTTPS only',
  severity: 'MEDIUM',
  source: 'gov',
  appliesTo: ['forwardingRule'],
  rationale:
    'A forwarding rule on a target HTTP proxy whose URL map routes to a backend service with API Gateway NEGs ' +
    'serves the API in clear text: API keys, tokens and responses can be read and changed on the way. Plain HTTP ' +
    'should only redirect to HTTPS (`defaultUrlRedirect.httpsRedirect: true`).',
  remediation: {
    summary:
      'Point the HTTP proxy at a URL map that only redirects to HTTPS, or delete the HTTP forwarding rule.',
    gcloud:
      "printf 'name: http-redirect\\ndefaultUrlRedirect:\\n  httpsRedirect: true\\n  redirectResponseCode: MOVED_PERMANENTLY_DEFAULT\\n' > redirect.yaml\n" +
      'gcloud compute url-maps import http-redirect --global --source=redirect.yaml\n' +
      'gcloud compute target-http-proxies update HTTP_PROXY --global --url-map=http-redirect',
    terraform:
      'resource "google_compute_url_map" "http_redirect" {\n  name = "http-redirect"\n  default_url_redirect {\n' +
      '    https_redirect = true\n    strip_query    = false\n  }\n}\n\n' +
      'resource "google_compute_target_http_proxy" "http" {\n  name    = "api-http"\n' +
      '  url_map = google_compute_url_map.http_redirect.id\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
  ],
  evaluate(rule, { graph }) {
    const path = loadBalancerPathOf(graph, rule);
    if (!path.reached) return notReached(path);
    const { proxy, urlMap, frontingServices } = path;
    if (proxy.kind === 'targetHttpsProxy') {
      return frontingServices.length > 0 ? SERVES_HTTPS : REACHES_NO_FRONTING_SERVICE;
    }
    if (frontingServices.length > 0) {
      return fail(`${describe(rule)} serves the API over plain HTTP instead of redirecting to HTTPS.`, {
        ...evidenceOf(path),
        httpsRedirect: urlMap.data.defaultUrlRedirect?.httpsRedirect === true,
      });
    }
    // A redirect-only URL map routes nowhere; it belongs to the API's load balancer when it shares the address.
    const sibling =
      urlMap.data.defaultUrlRedirect?.httpsRedirect === true ? httpsSiblingOf(graph, rule) : undefined;
    if (sibling) {
      return passLater(() =>
        pass(`${describe(rule)} redirects plain HTTP to HTTPS.`, {
          ...evidenceOf(path),
          httpsRedirect: true,
          httpsForwardingRule: sibling.fullName,
        }),
      );
    }
    return REACHES_NO_FRONTING_SERVICE;
  },
});
