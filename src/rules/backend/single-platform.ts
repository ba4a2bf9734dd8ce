// backend.single-platform: the serverless NEGs of one backend service all target the same platform.

import type { ResourceNode } from '../../domain/graph.js';
import { type ServerlessPlatform, serverlessPlatformOf } from '../../domain/serverless.js';
import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

/** Said from the service's NEGs again (the graph's, unchanged): no closure per passing service. */
const HOLDS_ONE_PLATFORM = passLater<'backendService'>((service, { graph }) =>
  pass(`${describe(service)} holds serverless NEGs of one platform.`, {
    platforms: platformsOf(graph.serverlessNegsOf(service)),
  }),
);

export const backendSinglePlatform = defineRule({
  id: 'backend.single-platform',
  title: 'Serverless NEGs of a backend service share one platform',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'All serverless NEGs behind one backend service must target the same platform (API Gateway with API ' +
    'Gateway, Cloud Run with Cloud Run...): they are meant to be equivalent deployments in different regions, ' +
    'and the load balancer sends each request to the nearest one.',
  remediation: {
    summary: 'Give each platform its own backend service and route between them in the URL map.',
    gcloud:
      'gcloud compute backend-services remove-backend BACKEND_SERVICE --global --network-endpoint-group=NEG ' +
      '--network-endpoint-group-region=REGION\ngcloud compute backend-services add-backend OTHER_SERVICE --global ' +
      '--network-endpoint-group=NEG --network-endpoint-group-region=REGION',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  backend { group = google_compute_region_network_endpoint_group.apigw_usc1.id }\n' +
      '  backend { group = google_compute_region_network_endpoint_group.apigw_euw2.id }\n}\n' +
      'resource "google_compute_backend_service" "run" {\n  backend { group = google_compute_region_network_endpoint_group.run.id }\n}',
  },
  references: [
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
  ],
  evaluate(service, { graph }) {
    const negs = graph.serverlessNegsOf(service);
    if (negs.length === 0) return HOLDS_NO_SERVERLESS_NEG;
    if (hasOnePlatform(negs)) return HOLDS_ONE_PLATFORM;
    // Two known platforms at least (hasOnePlatform). A NEG exported without its target (v1 API) cannot be told
    // apart: it does not count as a platform alone.
    const byPlatform = platformsOf(negs);
    const known = Object.keys(byPlatform).filter((platform) => platform !== 'unknown');
    return fail(`${describe(service)} mixes serverless platforms: ${known.join(', ')}.`, {
      platforms: byPlatform,
    });
  },
});

/** At most one platform other than `unknown`: the check alone, without the evidence. */
function hasOnePlatform(negs: readonly ResourceNode<'networkEndpointGroup'>[]): boolean {
  let known: ServerlessPlatform | undefined;
  for (const neg of negs) {
    const platform = serverlessPlatformOf(neg.data);
    if (platform === 'unknown') continue;
    if (known !== undefined && platform !== known) return false;
    known = platform;
  }
  return true;
}

/** Platform -> the NEGs targeting it (each once), platforms in the order first met. */
function platformsOf(
  negs: readonly ResourceNode<'networkEndpointGroup'>[],
): Partial<Record<ServerlessPlatform, string[]>> {
  const byPlatform: Partial<Record<ServerlessPlatform, string[]>> = {};
  for (const neg of negs) {
    const platform = serverlessPlatformOf(neg.data);
    byPlatform[platform] = [...new Set([...(byPlatform[platform] ?? []), neg.fullName])];
  }
  return byPlatform;
}
