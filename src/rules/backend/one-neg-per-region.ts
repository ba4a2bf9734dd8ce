// backend.one-neg-per-region: a backend service holds at most one serverless NEG per region.

import { compareText } from '../../domain/compare-text.js';
import type { ResourceNode } from '../../domain/graph.js';
import { defineRule, describe, fail, pass, passLater, type Verdict } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

/** Said from the service's NEGs again (the graph's, unchanged): no closure per passing service. */
const ONE_NEG_PER_REGION = passLater<'backendService'>((service, { graph }) =>
  pass(`${describe(service)} holds one serverless NEG per region.`, {
    regions: [...new Set(graph.serverlessNegsOf(service).map((neg) => neg.location))].sort(),
  }),
);

export const backendOneNegPerRegion = defineRule({
  id: 'backend.one-neg-per-region',
  title: 'Backend services hold at most one serverless NEG per region',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'A global backend service may hold several serverless NEGs, but only one per region: the load balancer picks ' +
    'a region, not a NEG, so a second NEG in the same region is rejected or never receives traffic as intended.',
  remediation: {
    summary: 'Keep one NEG per region in the service; move the other deployment to its own backend service.',
    gcloud:
      'gcloud compute backend-services remove-backend BACKEND_SERVICE --global --network-endpoint-group=NEG ' +
      '--network-endpoint-group-region=REGION',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  dynamic "backend" {\n' +
      '    for_each = google_compute_region_network_endpoint_group.per_region # one per region\n' +
      '    content { group = backend.value.id }\n  }\n}',
  },
  references: [
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/api-gateway/docs/multi-region-deployment',
  ],
  evaluate(service, { graph }) {
    const negs = graph.serverlessNegsOf(service);
    if (negs.length === 0) return HOLDS_NO_SERVERLESS_NEG;
    if (!hasTwoInOneRegion(negs)) return ONE_NEG_PER_REGION;
    const byRegion = new Map<string, Set<string>>();
    for (const neg of negs) {
      byRegion.set(neg.location, (byRegion.get(neg.location) ?? new Set()).add(neg.fullName));
    }
    const verdicts: Verdict[] = [...byRegion.entries()]
      .filter(([, names]) => names.size > 1)
      .sort(([a], [b]) => compareText(a, b))
      .map(([region, names]) =>
        fail(
          `${describe(service)} holds ${names.size} serverless NEGs in ${region}.`,
          { region, negs: [...names] },
          { subKey: region },
        ),
      );
    return verdicts;
  },
});

/** Two different NEGs in one region (a NEG listed twice is one NEG): the check alone, a handful of NEGs each. */
function hasTwoInOneRegion(negs: readonly ResourceNode<'networkEndpointGroup'>[]): boolean {
  for (let i = 0; i < negs.length; i++) {
    for (let j = i + 1; j < negs.length; j++) {
      const a = negs[i] as ResourceNode;
      const b = negs[j] as ResourceNode;
      if (a.location === b.location && a.fullName !== b.fullName) return true;
    }
  }
  return false;
}
