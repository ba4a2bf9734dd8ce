// backend.http-protocol: backend services in front of serverless NEGs speak HTTP or HTTPS.

import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

const SUPPORTED_PROTOCOLS = ['HTTP', 'HTTPS'];

/** Said from the service's record again: no closure per passing service. */
const SUPPORTED_PROTOCOL = passLater<'backendService'>((service) => {
  // The API defaults an absent protocol to HTTP.
  const protocol = service.data.protocol ?? 'HTTP';
  return pass(`${describe(service)} uses protocol ${protocol}.`, { protocol });
});

export const backendHttpProtocol = defineRule({
  id: 'backend.http-protocol',
  title: 'Backend services with serverless NEGs use HTTP or HTTPS',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'Serverless NEG backends support only the HTTP and HTTPS backend protocols. HTTP/2, H2C, gRPC, TCP, SSL or UDP ' +
    'leave the load balancer unable to talk to the gateway, so requests fail.',
  remediation: {
    summary: 'Set the backend service protocol to HTTPS (or HTTP).',
    gcloud: 'gcloud compute backend-services update BACKEND_SERVICE --global --protocol=HTTPS',
    terraform: 'resource "google_compute_backend_service" "api" {\n  protocol = "HTTPS"\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/compute/docs/reference/rest/v1/backendServices',
  ],
  evaluate(service, { graph }) {
    if (!graph.isFronting(service)) return HOLDS_NO_SERVERLESS_NEG;
    // The API defaults an absent protocol to HTTP.
    const protocol = service.data.protocol ?? 'HTTP';
    if (!SUPPORTED_PROTOCOLS.includes(protocol)) {
      return fail(`${describe(service)} uses protocol ${protocol}, which serverless NEGs do not support.`, {
        protocol,
      });
    }
    return SUPPORTED_PROTOCOL;
  },
});
