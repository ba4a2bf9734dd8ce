// neg.gateway-exists: an API Gateway NEG names, by ID, a gateway that exists in its own project (a mask NEG: has a
// gateway of its project in its region to reach).

import { directUrlOf } from '../../domain/direct-url.js';
import type {
  MaskGatewayLookup,
  ResourceGatewayLookup,
  ResourceGraph,
  ResourceNode,
} from '../../domain/graph.js';
import { cannotDecide, defineRule, describe, fail, pass, passLater, type Verdict } from '../define-rule.js';
import {
  diagnoseMissingGateway,
  gatewayPattern,
  isGatewayListingIncomplete,
  maskPattern,
} from './gateway-diagnosis.js';
import { NOT_AN_API_GATEWAY_NEG } from './not-api-gateway.js';

export const negGatewayExists = defineRule({
  id: 'neg.gateway-exists',
  title: 'API Gateway NEGs name an existing gateway of their own project',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['networkEndpointGroup'],
  rationale:
    'An API Gateway serverless NEG routes to the gateway whose ID is in serverlessDeployment.resource, looked up in ' +
    "the NEG's own project. When no such gateway exists (deleted, created in another project, or the field holds a " +
    'full resource name or an API ID instead of the gateway ID) every request through the load balancer fails. ' +
    'A NEG with an empty resource and a URL mask (serverlessDeployment.urlMask) parses the gateway ID from each ' +
    "request instead: it fails only when its project has no gateway in the NEG's region for the mask to reach.",
  remediation: {
    summary:
      'Point the NEG at the short ID of a gateway in the same project and region (recreate the NEG: ' +
      'serverlessDeployment cannot be updated in place). For a URL-mask NEG, create the gateways the mask should ' +
      "route to in the NEG's project and region, or recreate the NEG in the region where they are.",
    gcloud:
      'gcloud beta compute network-endpoint-groups create NEG --region=REGION --network-endpoint-type=serverless ' +
      '--serverless-deployment-platform=apigateway.googleapis.com --serverless-deployment-resource=GATEWAY_ID\n' +
      '# or, routing by URL mask to every gateway of the region:\n' +
      'gcloud beta compute network-endpoint-groups create NEG --region=REGION --network-endpoint-type=serverless ' +
      '--serverless-deployment-platform=apigateway.googleapis.com --serverless-deployment-url-mask=URL_MASK',
    terraform:
      'resource "google_compute_region_network_endpoint_group" "neg" {\n  provider              = google-beta\n' +
      '  region                = google_api_gateway_gateway.gw.region\n' +
      '  network_endpoint_type = "SERVERLESS"\n  serverless_deployment {\n    platform = "apigateway.googleapis.com"\n' +
      '    resource = google_api_gateway_gateway.gw.gateway_id # not .id, which is the full name\n' +
      '    # or, instead of resource: url_mask = "<gateway>.api.example.com"\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/api-gateway/docs/gateway-serverless-neg',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
  ],
  evaluate(neg, { graph }) {
    const lookup = graph.gatewayLookup(neg);
    if (!lookup) return NOT_AN_API_GATEWAY_NEG;
    if (lookup.by === 'mask') return judgeMask(graph, neg, lookup);
    // `resource` alone decides (RULES.md); a mask beside it is said, not used.
    const urlMask = neg.data.serverlessDeployment?.urlMask;
    if (lookup.reached.length > 0 || lookup.elsewhere.length > 0) return NAMES_AN_EXISTING_GATEWAY;
    const lookedFor = gatewayPattern(lookup.project, lookup.resource);
    if (isGatewayListingIncomplete(graph, lookup.project)) {
      return cannotDecide(
        `${describe(neg)} names gateway "${lookup.resource}", but the gateways of project ${lookup.project} could not all be read.`,
        { lookedFor, resource: lookup.resource },
      );
    }
    const diagnosis = diagnoseMissingGateway(graph, neg, lookup.resource);
    if (diagnosis.cause === 'unmapped-project-number') {
      return cannotDecide(`${describe(neg)} names gateway "${lookup.resource}", but ${diagnosis.hint}`, {
        lookedFor,
        resource: lookup.resource,
        cause: diagnosis.cause,
        ...diagnosis.details,
      });
    }
    return fail(`${describe(neg)} names no existing gateway of its project: ${diagnosis.hint}`, {
      lookedFor,
      resource: lookup.resource,
      cause: diagnosis.cause,
      hint: diagnosis.hint,
      ...diagnosis.details,
      ...(urlMask ? { ignoredUrlMask: urlMask } : {}),
    });
  },
});

/** Said from the NEG's lookup again (the graph's, unchanged): no closure per passing NEG. */
const NAMES_AN_EXISTING_GATEWAY = passLater<'networkEndpointGroup'>((neg, { graph }) => {
  const lookup = graph.gatewayLookup(neg) as ResourceGatewayLookup;
  const urlMask = neg.data.serverlessDeployment?.urlMask;
  return pass(`${describe(neg)} names gateway "${lookup.resource}", which exists in its project.`, {
    lookedFor: gatewayPattern(lookup.project, lookup.resource),
    found: [...lookup.reached, ...lookup.elsewhere].map((gateway) => gateway.fullName),
    ...(urlMask ? { ignoredUrlMask: urlMask } : {}),
  });
});

const MASK_REACHES_GATEWAYS = passLater<'networkEndpointGroup'>((neg, { graph }) => {
  const lookup = graph.gatewayLookup(neg) as MaskGatewayLookup;
  return pass(
    `The URL mask "${lookup.urlMask}" of ${describe(neg)} reaches ${lookup.reached.length} gateway(s) of ${whereOf(lookup)}.`,
    {
      lookedFor: maskPattern(lookup.project, lookup.region),
      urlMask: lookup.urlMask,
      found: lookup.reached.map((gateway) => gateway.fullName),
      directUrls: lookup.reached.flatMap((gateway) => directUrlOf(gateway.data) ?? []),
    },
  );
});

function whereOf(lookup: MaskGatewayLookup): string {
  return `project ${lookup.project} in ${lookup.region ?? 'no region'}`;
}

/** A mask NEG needs a gateway of its project in its region; which one a request reaches is the request's choice. */
function judgeMask(
  graph: ResourceGraph,
  neg: ResourceNode<'networkEndpointGroup'>,
  lookup: MaskGatewayLookup,
): Verdict {
  if (lookup.reached.length > 0) return MASK_REACHES_GATEWAYS;
  const lookedFor = maskPattern(lookup.project, lookup.region);
  const where = whereOf(lookup);
  if (isGatewayListingIncomplete(graph, lookup.project)) {
    return cannotDecide(
      `The URL mask "${lookup.urlMask}" of ${describe(neg)} reaches no gateway read, but the gateways of project ${lookup.project} could not all be read.`,
      { lookedFor, urlMask: lookup.urlMask },
    );
  }
  const elsewhere = graph
    .nodes('gateway')
    .filter((gateway) => gateway.project === lookup.project && gateway.location !== lookup.region);
  const hint =
    `${where} has no gateway, so the URL mask can reach none: create the gateways it should route to in ` +
    `${lookup.region ?? "the NEG's region"}, or recreate the NEG in the region where they are.`;
  return fail(`The URL mask "${lookup.urlMask}" of ${describe(neg)} reaches no gateway: ${hint}`, {
    lookedFor,
    urlMask: lookup.urlMask,
    cause: 'no-gateway-in-region',
    hint,
    gatewaysInOtherRegions: elsewhere.map((gateway) => gateway.fullName),
  });
}
