// backend.no-health-checks: backend services in front of serverless NEGs carry no health check.

import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

const HAS_NO_HEALTH_CHECKS = passLater<'backendService'>((service) =>
  pass(`${describe(service)} has no health checks.`),
);

export const backendNoHealthChecks = defineRule({
  id: 'backend.no-health-checks',
  title: 'Backend services with serverless NEGs have no health checks',
  severity: 'MEDIUM',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'Backend services with serverless NEG backends must not have a health check: the load balancer cannot probe a ' +
    'gateway. A health check here was copied from another service or left from an instance-group backend, and ' +
    'gives the false impression that failing gateways are taken out of rotation.',
  remediation: {
    summary:
      'Remove the health checks from the backend service (use outlier detection where it is supported).',
    gcloud: 'gcloud compute backend-services update BACKEND_SERVICE --global --no-health-checks',
    terraform: 'resource "google_compute_backend_service" "api" {\n  # no health_checks argument\n}',
  },
  references: [
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/compute/docs/reference/rest/v1/backendServices',
  ],
  evaluate(service, { graph }) {
    if (!graph.isFronting(service)) return HOLDS_NO_SERVERLESS_NEG;
    const healthChecks = service.data.healthChecks ?? [];
    if (healthChecks.length > 0) {
      return fail(
        `${describe(service)} has ${healthChecks.length} health check(s) in front of serverless NEGs.`,
        {
          healthChecks,
        },
      );
    }
    return HAS_NO_HEALTH_CHECKS;
  },
});
