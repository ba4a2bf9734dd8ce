// backend.gateways-same-project: the API Gateway NEGs of a backend service, and so their gateways, are in its project.

import { mayBeOneProject } from '../../domain/graph.js';
import { isApiGatewayNeg } from '../../domain/serverless.js';
import { cannotDecide, defineRule, describe, fail, pass, passLater, type Verdict } from '../define-rule.js';
import { HOLDS_NO_API_GATEWAY_NEG } from './not-fronting.js';

/** Said from the service's NEGs again (the graph's, unchanged): no closure per passing service. */
const NEGS_IN_ITS_PROJECT = passLater<'backendService'>((service, { graph }) =>
  pass(`Every API Gateway NEG of ${describe(service)} is in its project ${service.project}.`, {
    negs: graph
      .serverlessNegsOf(service)
      .filter((neg) => isApiGatewayNeg(neg.data))
      .map((neg) => neg.fullName),
    serviceProject: service.project,
  }),
);

export const backendGatewaysSameProject = defineRule({
  id: 'backend.gateways-same-project',
  title: 'API Gateway NEGs of a backend service are in its project',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'Serverless NEGs can only point to API Gateway instances created in the same project as the load balancer, and ' +
    "a NEG reaches gateways of its own project only. A backend service holding another project's API Gateway NEG " +
    "therefore fronts gateways outside the load balancer's project, which the integration does not support, and " +
    "which the load balancer's owners neither see nor govern.",
  remediation: {
    summary:
      "Create the API Gateway NEG (and its gateways) in the backend service's project, and replace the other " +
      "project's NEG in the service's backends.",
    gcloud:
      'gcloud beta compute network-endpoint-groups create NEG --project=LB_PROJECT --region=REGION ' +
      '--network-endpoint-type=serverless --serverless-deployment-platform=apigateway.googleapis.com ' +
      '--serverless-deployment-resource=GATEWAY_ID\n' +
      'gcloud compute backend-services add-backend BACKEND_SERVICE --project=LB_PROJECT --global ' +
      '--network-endpoint-group=NEG --network-endpoint-group-region=REGION\n' +
      'gcloud compute backend-services remove-backend BACKEND_SERVICE --project=LB_PROJECT --global ' +
      '--network-endpoint-group=projects/OTHER_PROJECT/regions/REGION/networkEndpointGroups/OTHER_NEG',
    terraform:
      'resource "google_compute_region_network_endpoint_group" "neg" {\n  provider              = google-beta\n' +
      "  project               = google_compute_backend_service.api.project # the load balancer's project\n" +
      '  region                = "REGION"\n  network_endpoint_type = "SERVERLESS"\n' +
      '  serverless_deployment {\n    platform = "apigateway.googleapis.com"\n    resource = "GATEWAY_ID"\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
  ],
  evaluate(service, { graph }) {
    const held = graph.serverlessNegsOf(service);
    if (!held.some((neg) => isApiGatewayNeg(neg.data))) return HOLDS_NO_API_GATEWAY_NEG;
    // The common case decided without a list of its own: every API Gateway NEG in the service's project.
    if (held.every((neg) => neg.project === service.project || !isApiGatewayNeg(neg.data))) {
      return NEGS_IN_ITS_PROJECT;
    }
    const negs = held.filter((neg) => isApiGatewayNeg(neg.data));
    const verdicts: Verdict[] = [];
    for (const neg of negs) {
      if (neg.project === service.project) continue;
      const evidence = { neg: neg.fullName, negProject: neg.project, serviceProject: service.project };
      // The graph maps numbers to IDs where the inventory knows both; an unmapped number may be the same project.
      const undecided = mayBeOneProject(neg.project, service.project);
      verdicts.push(
        undecided
          ? {
              ...cannotDecide(
                `${describe(service)} holds ${describe(neg)}, and whether ${neg.project} and ${service.project} are one project is unknown (a project number without its ID).`,
                evidence,
              ),
              subKey: neg.fullName,
            }
          : fail(
              `${describe(service)} holds ${describe(neg)} from project ${neg.project}: its gateways are not in the load balancer's project ${service.project}.`,
              evidence,
              { subKey: neg.fullName },
            ),
      );
    }
    return verdicts;
  },
});
