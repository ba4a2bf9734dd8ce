// frontend.modern-tls: HTTPS load balancers in front of API Gateway refuse TLS 1.0 and 1.1.

import type { ResourceNode } from '../../domain/graph.js';
import {
  cannotDecide,
  defineRule,
  describe,
  fail,
  notApplicable,
  notApplicableLater,
  pass,
  passLater,
} from '../define-rule.js';
import {
  type LoadBalancerPath,
  loadBalancerPathOf,
  notReached,
  REACHES_NO_FRONTING_SERVICE,
} from './load-balancer.js';

const TARGETS_HTTP_PROXY = notApplicableLater<'forwardingRule'>((rule) =>
  notApplicable(`${describe(rule)} targets a plain HTTP proxy (see frontend.https-only).`),
);

const OUTDATED_TLS = new Set(['TLS_1_0', 'TLS_1_1']);

export const frontendModernTls = defineRule({
  id: 'frontend.modern-tls',
  title: 'HTTPS load balancers in front of API Gateway require TLS 1.2 or later',
  severity: 'MEDIUM',
  source: 'gov',
  appliesTo: ['forwardingRule'],
  rationale:
    'A target HTTPS proxy without an SSL policy uses the Google default, which still accepts TLS 1.0; an SSL ' +
    'policy with `minTlsVersion` TLS_1_0 or TLS_1_1 does too. Both protocol versions are deprecated and allow ' +
    'weak cipher suites for clients of the API.',
  remediation: {
    summary:
      'Attach an SSL policy with `minTlsVersion: TLS_1_2` (profile MODERN or RESTRICTED) to the target HTTPS proxy.',
    gcloud:
      'gcloud compute ssl-policies create modern-tls --global --profile=MODERN --min-tls-version=1.2\n' +
      'gcloud compute target-https-proxies update HTTPS_PROXY --global --ssl-policy=modern-tls',
    terraform:
      'resource "google_compute_ssl_policy" "modern" {\n  name            = "modern-tls"\n  profile         = "MODERN"\n' +
      '  min_tls_version = "TLS_1_2"\n}\n\nresource "google_compute_target_https_proxy" "api" {\n  # ...\n' +
      '  ssl_policy = google_compute_ssl_policy.modern.id\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
  ],
  evaluate(rule, { graph }) {
    const path = loadBalancerPathOf(graph, rule);
    if (!path.reached) return notReached(path);
    const { proxy, frontingServices } = path;
    if (proxy.kind !== 'targetHttpsProxy') return TARGETS_HTTP_PROXY;
    if (frontingServices.length === 0) return REACHES_NO_FRONTING_SERVICE;
    const link = sslPolicyLinkOf(proxy);
    if (!link) {
      return fail(`${describe(proxy)} has no SSL policy, so the Google default accepts TLS 1.0.`, {
        ...evidenceOf(path),
        sslPolicy: null,
        minTlsVersion: 'TLS_1_0',
      });
    }
    const policy = graph.find(link, 'sslPolicy');
    // Undetermined, not passed over: the proxy may well accept TLS 1.0, and an open finding must stay open.
    if (!policy) {
      return cannotDecide(
        `SSL policy ${link} of ${describe(proxy)} is not in the inventory, so its TLS floor is unknown.`,
        { ...evidenceOf(path), sslPolicy: link },
      );
    }
    const minTlsVersion = minTlsVersionOf(policy);
    if (OUTDATED_TLS.has(minTlsVersion)) {
      return fail(
        `SSL policy ${policy.ref.name} of ${describe(proxy)} accepts ${minTlsVersion}.`,
        policyEvidenceOf(path, policy),
      );
    }
    return REQUIRES_MODERN_TLS;
  },
});

type ReachedPath = Extract<LoadBalancerPath, { readonly reached: true }>;

function sslPolicyLinkOf(proxy: ReachedPath['proxy']): string | undefined {
  return typeof proxy.data.sslPolicy === 'string' ? proxy.data.sslPolicy : undefined;
}

// The API fills in TLS_1_0 when a policy is created without a minimum.
function minTlsVersionOf(policy: ResourceNode<'sslPolicy'>): string {
  return policy.data.minTlsVersion ?? 'TLS_1_0';
}

function evidenceOf({ proxy, frontingServices }: ReachedPath) {
  return {
    proxy: proxy.fullName,
    backendServices: frontingServices.map((service) => service.fullName),
  };
}

function policyEvidenceOf(path: ReachedPath, policy: ResourceNode<'sslPolicy'>) {
  return {
    ...evidenceOf(path),
    sslPolicy: policy.fullName,
    minTlsVersion: minTlsVersionOf(policy),
    profile: policy.data.profile ?? null,
  };
}

/**
 * The pass below is said from the forwarding rule's path and the proxy's policy again (the graph's, unchanged): no
 * closure per judged forwarding rule.
 */
const REQUIRES_MODERN_TLS = passLater<'forwardingRule'>((rule, { graph }) => {
  const path = loadBalancerPathOf(graph, rule) as ReachedPath;
  const policy = graph.find(sslPolicyLinkOf(path.proxy), 'sslPolicy') as ResourceNode<'sslPolicy'>;
  return pass(
    `${describe(path.proxy)} requires ${minTlsVersionOf(policy)} or later.`,
    policyEvidenceOf(path, policy),
  );
});
