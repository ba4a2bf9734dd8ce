// backend.no-balancing-mode: serverless backends set no balancing mode that implies capacity-based balancing.

import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

// UTILIZATION is absent from this list: the API and Terraform fill it in when no mode is given.
const INEFFECTIVE_MODES = ['RATE', 'CONNECTION', 'CUSTOM_METRICS'];

const SETS_NO_BALANCING_MODE = passLater<'backendService'>((service) =>
  pass(`${describe(service)} sets no ineffective balancing mode on serverless backends.`),
);

function isIneffective(balancingMode: string | undefined): boolean {
  return balancingMode !== undefined && INEFFECTIVE_MODES.includes(balancingMode);
}

export const backendNoBalancingMode = defineRule({
  id: 'backend.no-balancing-mode',
  title: 'Serverless backends use no rate, connection or custom-metrics balancing mode',
  severity: 'LOW',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'A balancing mode cannot be specified for serverless NEG backends: the load balancer ignores RATE, CONNECTION ' +
    'and CUSTOM_METRICS there. A configuration that sets one suggests a capacity limit that nothing enforces.',
  remediation: {
    summary: 'Leave balancingMode unset on serverless NEG backends (UTILIZATION, the default, is fine).',
    gcloud:
      'gcloud compute backend-services remove-backend BACKEND_SERVICE --global --network-endpoint-group=NEG ' +
      '--network-endpoint-group-region=REGION\ngcloud compute backend-services add-backend BACKEND_SERVICE ' +
      '--global --network-endpoint-group=NEG --network-endpoint-group-region=REGION',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  backend {\n' +
      '    group = google_compute_region_network_endpoint_group.neg.id\n    # no balancing_mode, max_rate_* or max_connections_*\n  }\n}',
  },
  references: [
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
  ],
  evaluate(service, { graph }) {
    const links = graph.serverlessBackendsOf(service);
    if (links.length === 0) return HOLDS_NO_SERVERLESS_NEG;
    if (!links.some((link) => isIneffective(link.backend.balancingMode))) return SETS_NO_BALANCING_MODE;
    const offending = links.flatMap((link) => {
      const balancingMode = link.backend.balancingMode;
      return isIneffective(balancingMode)
        ? [{ group: link.groupName ?? String(link.backend.group), balancingMode }]
        : [];
    });
    const modes = [...new Set(offending.map((backend) => backend.balancingMode))].join(', ');
    return fail(`${describe(service)} sets balancing mode ${modes} on serverless backends.`, {
      backends: offending,
    });
  },
});
