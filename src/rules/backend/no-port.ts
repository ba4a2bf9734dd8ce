// backend.no-port: backend services in front of serverless NEGs name no port beyond the defaults the API echoes.

import { defineRule, describe, fail, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

// The API echoes port 80 and portName "http" on every backend service, even when none was given.
const DEFAULT_PORT = 80;
const DEFAULT_PORT_NAME = 'http';

const NAMES_NO_PORT = passLater<'backendService'>((service) =>
  pass(`${describe(service)} names no port of its own.`),
);

export const backendNoPort = defineRule({
  id: 'backend.no-port',
  title: 'Backend services with serverless NEGs name no port',
  severity: 'LOW',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'Ports cannot be specified for serverless NEG backends and portName has no meaning when the backends are ' +
    'NEGs: the gateway is always reached over HTTPS on its own hostname. A port other than the default means the ' +
    'service was copied from an instance-group backend and its author expects a port that is never used.',
  remediation: {
    summary: 'Remove port and portName from the backend service.',
    gcloud: 'gcloud compute backend-services update BACKEND_SERVICE --global --port-name=http',
    terraform: 'resource "google_compute_backend_service" "api" {\n  # no port_name\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/compute/docs/reference/rest/v1/backendServices',
  ],
  evaluate(service, { graph }) {
    if (!graph.isFronting(service)) return HOLDS_NO_SERVERLESS_NEG;
    const { port, portName } = service.data;
    const evidence = {
      ...(port !== undefined && port !== DEFAULT_PORT ? { port } : {}),
      ...(portName !== undefined && portName !== DEFAULT_PORT_NAME ? { portName } : {}),
    };
    if (Object.keys(evidence).length > 0) {
      const settings = Object.entries(evidence).map(([field, value]) => `${field} ${value}`);
      return fail(
        `${describe(service)} sets ${settings.join(' and ')}, which serverless NEGs ignore.`,
        evidence,
      );
    }
    return NAMES_NO_PORT;
  },
});
