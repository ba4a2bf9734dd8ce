// gateway.direct-url-protected: how much the always-reachable direct gateway URL bypasses, and how bad that is.

import { analyseGatewayConfig } from '../../domain/api-config-auth.js';
import { directUrlOf } from '../../domain/direct-url.js';
import type { DirectUrlProbe, DirectUrlProbes } from '../../domain/direct-url-probe.js';
import type { ResourceNode } from '../../domain/graph.js';
import type { Severity } from '../../domain/severity.js';
import { cannotDecide, defineRule, describe, fail, pass } from '../define-rule.js';
import { NOT_FRONTED } from './not-fronted.js';
import { reachedByMask, throughMasks } from './reached-by-mask.js';

export type BypassedProtection = 'securityPolicy' | 'edgeSecurityPolicy' | 'iap';

/** The rule's probe evidence; a re-export, so the probe code names it from the rule it feeds. */
export type { DirectUrlProbe };

export interface FrontingServiceEvidence {
  readonly backendService: string;
  readonly bypassed: readonly BypassedProtection[];
}

const PROBE_OFF: DirectUrlProbe = {
  ran: false,
  reason: 'the active probe is off (enable it in the policy file)',
};

function protectionsOf(service: ResourceNode<'backendService'>): BypassedProtection[] {
  const protections: BypassedProtection[] = [];
  if (service.data.securityPolicy) protections.push('securityPolicy');
  if (service.data.edgeSecurityPolicy) protections.push('edgeSecurityPolicy');
  if (service.data.iap?.enabled === true) protections.push('iap');
  return protections;
}

function isProbe(value: unknown): value is DirectUrlProbe {
  if (typeof value !== 'object' || value === null) return false;
  const probe = value as Record<string, unknown>;
  return probe.ran === false
    ? typeof probe.reason === 'string'
    : probe.ran === true &&
        typeof probe.statusCode === 'number' &&
        typeof probe.answeredUnauthenticated === 'boolean';
}

/** The probe's result for this gateway, from the rule context only (a policy file cannot supply one). */
function probeFor(gateway: ResourceNode<'gateway'>, probes: DirectUrlProbes | undefined): DirectUrlProbe {
  const probe: unknown =
    probes && Object.hasOwn(probes, gateway.fullName) ? probes[gateway.fullName] : undefined;
  return isProbe(probe) ? probe : PROBE_OFF;
}

export const gatewayDirectUrlProtected = defineRule({
  id: 'gateway.direct-url-protected',
  title: 'The direct gateway URL cannot be used to bypass the load balancer',
  // Per case: CRITICAL, HIGH or MEDIUM (RULES.md); this is the default for unreadable configs and listings.
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['gateway'],
  rationale:
    'API Gateway does not support ingress control, so https://{defaultHostname} always answers, outside the load ' +
    "balancer's Cloud Armor policies, IAP, SSL policy, logs and custom domain. CRITICAL when the load balancer " +
    'applies protections the direct URL skips and the API config lets unauthenticated calls through; HIGH when ' +
    'the API config lets unauthenticated calls through; MEDIUM when the config authenticates every call but ' +
    'Cloud Armor or IAP can still be bypassed by any holder of a key or token. A gRPC config counts as not fully ' +
    'authenticated because it cannot be checked. To prove it rather than infer it, an optional active probe sends ' +
    'unauthenticated GET/HEAD/OPTIONS requests to a few open operations and one authenticated one, and records the ' +
    'status codes in the evidence; it runs only when the policy sets `probe.enabled: true` AND the run asks for it ' +
    '(`gatewarden scan --probe`), and only calls hosts on `probe.allowHosts` (default `*.gateway.dev`). A URL-mask ' +
    'NEG fronts every gateway of its project in its region, named or not: each of their direct URLs is judged.',
  remediation: {
    summary:
      'Require credentials in the API config on every operation (top-level `security`, no `security: []`, no ' +
      '`x-google-allow: all`). To keep Cloud Armor and IAP meaningful, also require a shared-secret API key header ' +
      'that only the load balancer sends (`customRequestHeaders`), and compare gateway and load balancer request logs. ' +
      'Behind a URL-mask NEG, this applies to every gateway of the region, or replace the mask by one NEG per gateway ' +
      '(`--serverless-deployment-resource`).',
    gcloud:
      'gcloud api-gateway api-configs create CONFIG_ID --api=API_ID --openapi-spec=openapi.yaml\n' +
      'gcloud api-gateway gateways update GATEWAY_ID --location=REGION --api=API_ID --api-config=CONFIG_ID\n' +
      'gcloud compute backend-services update BACKEND_SERVICE --global --custom-request-header="x-lb-key: LB_API_KEY"',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  # ...\n' +
      '  custom_request_headers = ["x-lb-key: LB_API_KEY"] # required by an apiKey scheme `in: header`\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts',
    'https://cloud.google.com/api-gateway/docs/oasv2-extensions',
    'https://cloud.google.com/armor/docs/security-policy-overview',
  ],
  evaluate(gateway, { graph, probes }) {
    const services = graph.frontingServicesOf(gateway);
    if (services.length === 0) return NOT_FRONTED;
    const backendServices: FrontingServiceEvidence[] = services.map((service) => ({
      backendService: service.fullName,
      bypassed: protectionsOf(service),
    }));
    const bypassed = [...new Set(backendServices.flatMap((service) => service.bypassed))];
    const { apiConfig, analysis } = analyseGatewayConfig(graph, gateway);
    const evidence = {
      directUrl: directUrlOf(gateway.data),
      backendServices,
      bypassed,
      apiConfig: apiConfig ?? null,
      apiConfigKind: analysis.kind,
      ...(analysis.kind === 'openapi'
        ? { unauthenticated: analysis.unauthenticated, allowAll: analysis.allowAll }
        : {}),
      probe: probeFor(gateway, probes),
      ...reachedByMask(graph, gateway),
    };
    if (analysis.kind === 'unreadable') {
      return cannotDecide(
        `Cannot tell whether the direct URL of ${describe(gateway)} needs credentials: ${analysis.reason}.`,
        { ...evidence, reason: analysis.reason },
      );
    }
    const authenticated = analysis.kind === 'openapi' && analysis.fullyAuthenticated;
    const protectedByLb = bypassed.length > 0;
    const auth =
      analysis.kind === 'grpc'
        ? 'its gRPC config cannot be checked for authentication'
        : authenticated
          ? 'its API config requires credentials on every call'
          : 'its API config lets calls through without credentials';
    const url = evidence.directUrl ?? 'its direct URL';
    const severity: Severity | undefined =
      protectedByLb && !authenticated
        ? 'CRITICAL'
        : !authenticated
          ? 'HIGH'
          : protectedByLb
            ? 'MEDIUM'
            : undefined;
    if (!severity) {
      return pass(
        `${describe(gateway)} is reachable at ${url} but ${auth}, and the load balancer adds no protection to bypass.`,
        evidence,
      );
    }
    const skipped = protectedByLb ? `, bypassing ${bypassed.join(', ')}` : '';
    const through = throughMasks(evidence.reachedByMask);
    return fail(
      `${describe(gateway)}${through} is reachable directly at ${url}${skipped}, and ${auth}.`,
      evidence,
      {
        severity,
      },
    );
  },
});
