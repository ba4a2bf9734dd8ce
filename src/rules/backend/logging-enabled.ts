// backend.logging-enabled: load balancer request logging is on for backend services in front of serverless NEGs.

import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

/** Said from the service's record again: no closure per passing service. */
const LOGS_REQUESTS = passLater<'backendService'>((service) =>
  pass(`${describe(service)} logs requests.`, { logConfig: service.data.logConfig }),
);

export const backendLoggingEnabled = defineRule({
  id: 'backend.logging-enabled',
  title: 'Backend services in front of serverless NEGs log requests',
  severity: 'MEDIUM',
  source: 'gov',
  appliesTo: ['backendService'],
  rationale:
    'The direct gateway URL bypasses the load balancer. Comparing gateway request logs with load balancer request ' +
    'logs is the way to tell bypassing traffic apart, and that needs `logConfig.enable: true` on the backend service.',
  remediation: {
    summary: 'Enable request logging on the backend service.',
    gcloud:
      'gcloud compute backend-services update BACKEND_SERVICE --global --enable-logging --logging-sample-rate=1',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  # ...\n  log_config {\n    enable      = true\n' +
      '    sample_rate = 1\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/compute/docs/reference/rest/v1/backendServices',
  ],
  evaluate(service, { graph }) {
    if (!graph.isFronting(service)) return HOLDS_NO_SERVERLESS_NEG;
    const logConfig = service.data.logConfig;
    if (logConfig?.enable !== true) {
      return fail(`${describe(service)} does not log requests (logConfig.enable is not true).`, {
        logConfig: logConfig ?? null,
      });
    }
    return LOGS_REQUESTS;
  },
});
