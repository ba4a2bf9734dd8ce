// backend.cloud-armor-attached: backend services in front of serverless NEGs carry a Cloud Armor policy.

import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

/** Said from the service's record again: no closure per passing service. */
const HAS_A_POLICY = passLater<'backendService'>((service) => {
  const securityPolicy = service.data.securityPolicy as string;
  return pass(`${describe(service)} has Cloud Armor policy ${securityPolicy.split('/').pop()}.`, {
    securityPolicy,
  });
});

export const backendCloudArmorAttached = defineRule({
  id: 'backend.cloud-armor-attached',
  title: 'Backend services in front of serverless NEGs have a Cloud Armor policy',
  severity: 'MEDIUM',
  source: 'gov',
  appliesTo: ['backendService'],
  rationale:
    'A Cloud Armor backend security policy gives the load balancer path WAF rules, IP and geo allow-lists and rate ' +
    'limits in front of the API. Without one, the load balancer adds no filtering of its own. (It only protects ' +
    'traffic through the load balancer: see gateway.direct-url-protected for the direct gateway URL.)',
  remediation: {
    summary: 'Attach a Cloud Armor security policy to the backend service.',
    gcloud:
      'gcloud compute security-policies create api-waf --type=CLOUD_ARMOR\n' +
      'gcloud compute backend-services update BACKEND_SERVICE --global --security-policy=api-waf',
    terraform:
      'resource "google_compute_security_policy" "api_waf" {\n  name = "api-waf"\n}\n\n' +
      'resource "google_compute_backend_service" "api" {\n  # ...\n  security_policy = google_compute_security_policy.api_waf.id\n}',
  },
  references: [
    'https://cloud.google.com/armor/docs/security-policy-overview',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
  ],
  evaluate(service, { graph }) {
    if (!graph.isFronting(service)) return HOLDS_NO_SERVERLESS_NEG;
    const { securityPolicy, edgeSecurityPolicy } = service.data;
    if (!securityPolicy) {
      return fail(`${describe(service)} has no Cloud Armor backend security policy.`, {
        securityPolicy: null,
        edgeSecurityPolicy: edgeSecurityPolicy ?? null,
      });
    }
    return HAS_A_POLICY;
  },
});
