// gateway.api-config-authenticated: the API config of a fronted gateway requires credentials on every call.

import { analyseGatewayConfig, type OpenApiAnalysis } from '../../domain/api-config-auth.js';
import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';
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
import { NOT_FRONTED } from './not-fronted.js';
import { reachedByMask } from './reached-by-mask.js';

const SERVES_GRPC = notApplicableLater<'gateway'>((gateway) =>
  notApplicable(`${describe(gateway)} serves a gRPC API config, whose auth cannot be read here.`),
);

export const gatewayApiConfigAuthenticated = defineRule({
  id: 'gateway.api-config-authenticated',
  title: 'Fronted gateways serve API configs that authenticate every operation',
  severity: 'HIGH',
  source: 'doc',
  appliesTo: ['gateway'],
  rationale:
    'API Gateway has no ingress control: its default https://{defaultHostname} URL stays reachable and bypasses ' +
    'the load balancer, Cloud Armor and IAP. The only control that holds on both paths is the API config itself. ' +
    'An operation with no effective security requirement (none declared, `security: []`, or an empty `{}` ' +
    'alternative) or `x-google-allow: all` lets anyone call the backend without a key or token. A gateway is fronted ' +
    'when a NEG names it, or when a URL-mask NEG of its project and region can route to it.',
  remediation: {
    summary:
      'Declare a top-level `security` requirement (API key or JWT provider), remove `security: []` and `{}` ' +
      'alternatives from operations, keep `x-google-allow: configured`, then create a new config and roll the gateway to it.',
    gcloud:
      'gcloud api-gateway api-configs create CONFIG_ID --api=API_ID --openapi-spec=openapi.yaml ' +
      '--backend-auth-service-account=SA_EMAIL\n' +
      'gcloud api-gateway gateways update GATEWAY_ID --location=REGION --api=API_ID --api-config=CONFIG_ID',
    terraform:
      'resource "google_api_gateway_api_config" "cfg" {\n  provider      = google-beta\n  api           = google_api_gateway_api.api.api_id\n' +
      '  api_config_id_prefix = "orders-"\n  openapi_documents {\n    document {\n      path     = "openapi.yaml"\n' +
      '      contents = filebase64("openapi.yaml") # with top-level `security: [{ api_key: [] }]`\n    }\n  }\n' +
      '  lifecycle { create_before_destroy = true }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/oasv2-extensions',
    'https://cloud.google.com/api-gateway/docs/oasv3-extensions',
    'https://cloud.google.com/api-gateway/docs/authenticating-users-jwt',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
  ],
  evaluate(gateway, { graph }) {
    if (graph.frontingServicesOf(gateway).length === 0) return NOT_FRONTED;
    const { apiConfig, analysis } = analyseGatewayConfig(graph, gateway);
    if (analysis.kind === 'unreadable') {
      return cannotDecide(`The API config of ${describe(gateway)} cannot be read: ${analysis.reason}.`, {
        apiConfig: apiConfig ?? null,
        reason: analysis.reason,
      });
    }
    if (analysis.kind === 'grpc') return SERVES_GRPC;
    if (!analysis.fullyAuthenticated) {
      const what = [
        ...(analysis.unauthenticated.length > 0
          ? [`${analysis.unauthenticated.length} operation(s) callable without credentials`]
          : []),
        ...(analysis.allowAll ? ['x-google-allow: all passes unlisted paths unauthenticated'] : []),
      ].join('; ');
      return fail(
        `The API config of ${describe(gateway)} does not authenticate every call: ${what}.`,
        evidenceOf(graph, gateway, apiConfig, analysis),
      );
    }
    return AUTHENTICATES_EVERY_CALL;
  },
});

function evidenceOf(
  graph: ResourceGraph,
  gateway: ResourceNode<'gateway'>,
  apiConfig: string | undefined,
  analysis: OpenApiAnalysis,
) {
  return {
    apiConfig: apiConfig ?? null,
    version: analysis.version,
    unauthenticated: analysis.unauthenticated,
    allowAll: analysis.allowAll,
    ...reachedByMask(graph, gateway),
  };
}

/** Said from the gateway's analysis again (remembered per graph): no closure and context per judged gateway. */
const AUTHENTICATES_EVERY_CALL = passLater<'gateway'>((gateway, { graph }) => {
  const { apiConfig, analysis } = analyseGatewayConfig(graph, gateway);
  return pass(
    `The API config of ${describe(gateway)} requires credentials on every operation.`,
    evidenceOf(graph, gateway, apiConfig, analysis as OpenApiAnalysis),
  );
});
