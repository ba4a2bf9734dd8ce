// neg.gateway-same-region: the gateway an API Gateway NEG names is in the NEG's region, the only one it can reach.

import type { ResourceGatewayLookup, ResourceNode } from '../../domain/graph.js';
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
import { isGatewayListingIncomplete } from './gateway-diagnosis.js';
import { NOT_AN_API_GATEWAY_NEG } from './not-api-gateway.js';

const NAMES_BY_MASK = notApplicableLater<'networkEndpointGroup'>((neg) =>
  notApplicable(
    `${describe(neg)} names its gateways by URL mask, which reaches only gateways of its own region.`,
  ),
);

const NAMES_NO_GATEWAY = notApplicableLater<'networkEndpointGroup'>((neg) =>
  notApplicable(`${describe(neg)} names no existing gateway of its project (see neg.gateway-exists).`),
);

/** Said from the NEG's lookup again (the graph's, unchanged): no closure per passing NEG. */
const IN_THE_GATEWAYS_REGION = passLater<'networkEndpointGroup'>((neg, { graph }) => {
  const lookup = graph.gatewayLookup(neg) as ResourceGatewayLookup;
  return pass(`${describe(neg)} is in the same region as gateway "${lookup.resource}".`, {
    negRegion: lookup.region,
    gateway: (lookup.reached[0] as ResourceNode<'gateway'>).fullName,
  });
});

export const negGatewaySameRegion = defineRule({
  id: 'neg.gateway-same-region',
  title: 'API Gateway NEGs are in the same region as their gateway',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['networkEndpointGroup'],
  rationale:
    'A serverless NEG can only point at serverless resources in its own region. A NEG in us-central1 naming a ' +
    'gateway that lives in europe-west2 reaches nothing, and the load balancer fails every request it sends there. ' +
    'A URL-mask NEG is not judged here: it can only reach gateways of its own region (see neg.gateway-exists).',
  remediation: {
    summary:
      "Recreate the NEG in the gateway's region (or deploy a gateway with that ID in the NEG's region).",
    gcloud:
      'gcloud beta compute network-endpoint-groups create NEG --region=GATEWAY_REGION ' +
      '--network-endpoint-type=serverless --serverless-deployment-platform=apigateway.googleapis.com ' +
      '--serverless-deployment-resource=GATEWAY_ID',
    terraform:
      'resource "google_compute_region_network_endpoint_group" "neg" {\n  provider              = google-beta\n' +
      '  region                = google_api_gateway_gateway.gw.region # must match the gateway\n' +
      '  network_endpoint_type = "SERVERLESS"\n  serverless_deployment {\n    platform = "apigateway.googleapis.com"\n' +
      '    resource = google_api_gateway_gateway.gw.gateway_id\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-serverless-neg',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
  ],
  evaluate(neg, { graph }) {
    const lookup = graph.gatewayLookup(neg);
    if (!lookup) return NOT_AN_API_GATEWAY_NEG;
    if (lookup.by === 'mask') return NAMES_BY_MASK;
    if (lookup.reached.length > 0) return IN_THE_GATEWAYS_REGION;
    if (lookup.elsewhere.length === 0) return NAMES_NO_GATEWAY;
    const evidence = {
      negRegion: lookup.region ?? null,
      gatewayRegions: lookup.elsewhere.map((gateway) => gateway.location),
      gateways: lookup.elsewhere.map((gateway) => gateway.fullName),
    };
    if (isGatewayListingIncomplete(graph, lookup.project)) {
      return cannotDecide(
        `${describe(neg)} found gateway "${lookup.resource}" only in other regions, but the gateways of project ${lookup.project} could not all be read.`,
        evidence,
      );
    }
    return fail(
      `${describe(neg)} names gateway "${lookup.resource}", which exists only in ${evidence.gatewayRegions.join(', ')}.`,
      evidence,
    );
  },
});
