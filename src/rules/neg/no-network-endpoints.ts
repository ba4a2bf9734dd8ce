import { isServerlessNeg } from '../../domain/serverless.js';
import {
  defineRule,
  describe,
  fail,
  notApplicable,
  notApplicableLater,
  pass,
  passLater,
} from '../define-rule.js';

const NOT_SERVERLESS = notApplicableLater<'networkEndpointGroup'>((neg) =>
  notApplicable(`${describe(neg)} is not a serverless NEG.`),
);

const HAS_NO_ENDPOINTS = passLater<'networkEndpointGroup'>((neg) =>
  pass(`Serverless ${describe(neg)} has no network endpoints.`),
);

export const negNoNetworkEndpoints = defineRule({
  id: 'neg.no-network-endpoints',
  title: 'Serverless NEGs have no network endpoints',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['networkEndpointGroup'],
  rationale:
    'A serverless NEG points at exactly one serverless resource (or a URL mask) and has no IP:port endpoints. ' +
    'Endpoints or a default port on a serverless NEG mean it was built as another NEG type or edited by hand; ' +
    'the load balancer will not route to them as intended.',
  remediation: {
    summary: 'Recreate the NEG as a serverless NEG with no endpoints and no default port.',
    gcloud:
      'gcloud beta compute network-endpoint-groups create NEG --region=REGION --network-endpoint-type=serverless ' +
      '--serverless-deployment-platform=apigateway.googleapis.com --serverless-deployment-resource=GATEWAY_ID',
    terraform:
      'resource "google_compute_region_network_endpoint_group" "neg" {\n  provider              = google-beta\n' +
      '  network_endpoint_type = "SERVERLESS"\n  serverless_deployment {\n    platform = "apigateway.googleapis.com"\n' +
      '    resource = google_api_gateway_gateway.gw.gateway_id\n  }\n}',
  },
  references: [
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
  ],
  evaluate(neg) {
    if (!isServerlessNeg(neg.data)) return NOT_SERVERLESS;
    const size = neg.data.size ?? 0;
    const defaultPort = neg.data.defaultPort;
    if (size > 0 || defaultPort !== undefined) {
      return fail(`Serverless ${describe(neg)} has network endpoints attached.`, {
        size,
        ...(defaultPort !== undefined ? { defaultPort } : {}),
      });
    }
    return HAS_NO_ENDPOINTS;
  },
});
