// backend.supported-scheme: API Gateway NEGs sit only behind global external (or classic) Application Load Balancers.

import type { ResourceNode } from '../../domain/graph.js';
import { isApiGatewayNeg } from '../../domain/serverless.js';
import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_API_GATEWAY_NEG } from './not-fronting.js';

const SUPPORTED_SCHEMES = ['EXTERNAL', 'EXTERNAL_MANAGED'];

export const backendSupportedScheme = defineRule({
  id: 'backend.supported-scheme',
  title: 'API Gateway NEGs are served by a global external Application Load Balancer',
  severity: 'HIGH',
  source: 'doc',
  appliesTo: ['backendService'],
  rationale:
    'Only the global external Application Load Balancer (EXTERNAL_MANAGED) and the classic Application Load ' +
    'Balancer (EXTERNAL) can route to API Gateway serverless NEGs. Regional load balancers and internal schemes ' +
    'accept serverless NEGs for Cloud Run only, so an API Gateway NEG behind them serves nothing.',
  remediation: {
    summary:
      'Move the API Gateway NEGs to a global backend service with loadBalancingScheme EXTERNAL_MANAGED (or EXTERNAL).',
    gcloud:
      'gcloud compute backend-services create BACKEND_SERVICE --global --load-balancing-scheme=EXTERNAL_MANAGED ' +
      '--protocol=HTTPS\ngcloud compute backend-services add-backend BACKEND_SERVICE --global ' +
      '--network-endpoint-group=NEG --network-endpoint-group-region=REGION',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  load_balancing_scheme = "EXTERNAL_MANAGED"\n' +
      '  protocol              = "HTTPS"\n  backend {\n' +
      '    group = google_compute_region_network_endpoint_group.neg.id\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
  ],
  evaluate(service, { graph }) {
    const negs = graph.serverlessNegsOf(service);
    if (!negs.some((neg) => isApiGatewayNeg(neg.data))) return HOLDS_NO_API_GATEWAY_NEG;
    if (service.regional) {
      return fail(
        `Regional ${describe(service)} holds API Gateway NEGs, which need a global service.`,
        evidenceOf(service, negs),
      );
    }
    const loadBalancingScheme = schemeOf(service);
    if (!SUPPORTED_SCHEMES.includes(loadBalancingScheme)) {
      return fail(
        `${describe(service)} holds API Gateway NEGs under scheme ${loadBalancingScheme}, which cannot serve them.`,
        evidenceOf(service, negs),
      );
    }
    return SERVED_GLOBALLY;
  },
});

// The API fills in EXTERNAL when a backend service is created without a scheme.
function schemeOf(service: ResourceNode<'backendService'>): string {
  return service.data.loadBalancingScheme ?? 'EXTERNAL';
}

function evidenceOf(
  service: ResourceNode<'backendService'>,
  negs: readonly ResourceNode<'networkEndpointGroup'>[],
) {
  return {
    scope: service.regional ? 'regional' : 'global',
    location: service.location,
    loadBalancingScheme: schemeOf(service),
    apiGatewayNegs: negs.filter((neg) => isApiGatewayNeg(neg.data)).map((neg) => neg.fullName),
  };
}

/** Said from the service and the graph again: no closure per passing service. */
const SERVED_GLOBALLY = passLater<'backendService'>((service, { graph }) =>
  pass(
    `${describe(service)} serves its API Gateway NEGs from a global external load balancer.`,
    evidenceOf(service, graph.serverlessNegsOf(service)),
  ),
);
