// neg.gateway-exists: an API Gateway NEG names, by ID, a gateway that exists in its own project.

import { cannotDecide, defineRule, describe, fail, notApplicable, pass } from '../define-rule.js';
import { diagnoseMissingGateway, gatewayPattern, isGatewayListingIncomplete } from './gateway-diagnosis.js';

export const negGatewayExists = defineRule({
  id: 'neg.gateway-exists',
  title: 'API Gateway NEGs name an existing gateway of their own project',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['networkEndpointGroup'],
  rationale:
    'An API Gateway serverless NEG routes to the gateway whose ID is in serverlessDeployment.resource, looked up in ' +
    "the NEG's own project. When no such gateway exists (deleted, created in another project, or the field holds a " +
    'full resource name or an API ID instead of the gateway ID) every request through the load balancer fails.',
  remediation: {
    summary:
      'Point the NEG at the short ID of a gateway in the same project and region (recreate the NEG: ' +
      'serverlessDeployment cannot be updated in place).',
    gcloud:
      'gcloud beta compute network-endpoint-groups create NEG --region=REGION --network-endpoint-type=serverless ' +
      '--serverless-deployment-platform=apigateway.googleapis.com --serverless-deployment-resource=GATEWAY_ID',
    terraform:
      'resource "google_compute_region_network_endpoint_group" "neg" {\n  provider              = google-beta\n' +
      '  region                = google_api_gateway_gateway.gw.region\n' +
      '  network_endpoint_type = "SERVERLESS"\n  serverless_deployment {\n    platform = "apigateway.googleapis.com"\n' +
      '    resource = google_api_gateway_gateway.gw.gateway_id # not .id, which is the full name\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/api-gateway/docs/gateway-serverless-neg',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
  ],
  evaluate(neg, { graph }) {
    const lookup = graph.gatewayLookup(neg);
    if (!lookup) return notApplicable(`${describe(neg)} is not an API Gateway NEG.`);
    const lookedFor = gatewayPattern(lookup.project, lookup.resource);
    const found = [lookup.reached, ...lookup.elsewhere].flatMap((gateway) =>
      gateway ? [gateway.fullName] : [],
    );
    if (found.length > 0) {
      return pass(`${describe(neg)} names gateway "${lookup.resource}", which exists in its project.`, {
        lookedFor,
        found,
      });
    }
    if (isGatewayListingIncomplete(graph, lookup.project)) {
      return cannotDecide(
        `${describe(neg)} names gateway "${lookup.resource}", but the gateways of project ${lookup.project} could not all be read.`,
        { lookedFor, resource: lookup.resource },
      );
    }
    const diagnosis = diagnoseMissingGateway(graph, neg, lookup.resource);
    return fail(`${describe(neg)} names no existing gateway of its project: ${diagnosis.hint}`, {
      lookedFor,
      resource: lookup.resource,
      cause: diagnosis.cause,
      hint: diagnosis.hint,
      ...diagnosis.details,
    });
  },
});
