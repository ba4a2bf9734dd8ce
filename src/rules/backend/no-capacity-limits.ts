// backend.no-capacity-limits: serverless backends set no utilization, connection, rate or in-flight capacity.

import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

// capacityScaler is left out on purpose: the API echoes 1 on backends that never set it.
const CAPACITY_FIELDS = [
  'maxUtilization',
  'maxConnections',
  'maxConnectionsPerInstance',
  'maxConnectionsPerEndpoint',
  'maxRate',
  'maxRatePerInstance',
  'maxRatePerEndpoint',
  'maxInFlightRequests',
  'maxInFlightRequestsPerInstance',
  'maxInFlightRequestsPerEndpoint',
] as const;

const SETS_NO_CAPACITY_LIMITS = passLater<'backendService'>((service) =>
  pass(`${describe(service)} sets no capacity limits on serverless backends.`),
);

function isLimit(value: unknown): boolean {
  return value !== undefined && value !== null && value !== 0;
}

export const backendNoCapacityLimits = defineRule({
  id: 'backend.no-capacity-limits',
  title: 'Serverless backends set no capacity limits',
  severity: 'LOW',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'Utilization, connection and rate capacity fields are not supported with serverless NEG backends: the load ' +
    'balancer does not enforce them, so a limit written there protects nothing. Rate-limit with Cloud Armor or ' +
    'API Gateway quotas instead.',
  remediation: {
    summary:
      'Remove the max* capacity fields from serverless NEG backends; enforce limits with Cloud Armor rate limiting.',
    gcloud:
      'gcloud compute backend-services remove-backend BACKEND_SERVICE --global --network-endpoint-group=NEG ' +
      '--network-endpoint-group-region=REGION\ngcloud compute backend-services add-backend BACKEND_SERVICE ' +
      '--global --network-endpoint-group=NEG --network-endpoint-group-region=REGION',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  backend {\n' +
      '    group = google_compute_region_network_endpoint_group.neg.id\n' +
      '    # no max_utilization, max_rate*, max_connections* or max_in_flight_requests*\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/compute/docs/reference/rest/v1/backendServices',
  ],
  evaluate(service, { graph }) {
    const links = graph.serverlessBackendsOf(service);
    if (links.length === 0) return HOLDS_NO_SERVERLESS_NEG;
    // Most backends set none: the check allocates nothing until one does.
    if (!links.some((link) => CAPACITY_FIELDS.some((field) => isLimit(link.backend[field])))) {
      return SETS_NO_CAPACITY_LIMITS;
    }
    const offending = links.flatMap((link) => {
      const limits = CAPACITY_FIELDS.flatMap((field) => {
        const value = link.backend[field];
        return isLimit(value) ? [`${field}=${value}`] : [];
      });
      return limits.length > 0 ? [{ group: link.groupName ?? String(link.backend.group), limits }] : [];
    });
    return fail(`${describe(service)} sets capacity limits on ${offending.length} serverless backend(s).`, {
      backends: offending,
    });
  },
});
