// Real-shaped alerts (as the outbox holds them) for the alert formatters' tables and golden files.

import type { RuleLookup } from '../../src/alerts/rule-summary.js';
import type { AlertRecord } from '../../src/domain/alert.js';
import { alertIdOf, findingIdOf, type Transition } from '../../src/domain/finding.js';
import type { Severity } from '../../src/domain/severity.js';

export const PROJECT = 'acme-edge';

export interface AlertSpec {
  readonly ruleId: string;
  readonly resource: string;
  readonly resourceType: string;
  readonly location: string;
  readonly severity: Severity;
  readonly transition: Transition;
  readonly message: string;
  readonly subKey?: string | null;
  readonly evidence?: Readonly<Record<string, unknown>>;
  readonly actor?: string | null;
  /** Omitted: found by a sweep (no change attribution). */
  readonly method?: string;
  readonly at?: string;
  readonly project?: string;
}

export function alertOf(spec: AlertSpec): AlertRecord {
  const at = spec.at ?? '2026-11-26T10:00:00.000Z';
  const subKey = spec.subKey ?? null;
  const findingId = findingIdOf(spec.ruleId, spec.resource, subKey);
  const resolved = spec.transition === 'resolved';
  const change = spec.method
    ? {
        method: spec.method,
        actor: spec.actor ?? null,
        at,
        entryId: `projects/${spec.project ?? PROJECT}/logs/cloudaudit.googleapis.com%2Factivity|1a2b3c|${at}`,
      }
    : null;
  return {
    id: alertIdOf(findingId, spec.transition, at),
    findingId,
    transition: spec.transition,
    createdAt: at,
    change,
    finding: {
      id: findingId,
      ruleId: spec.ruleId,
      resource: spec.resource,
      resourceType: spec.resourceType,
      project: spec.project ?? PROJECT,
      location: spec.location,
      subKey,
      severity: spec.severity,
      state: resolved ? 'resolved' : 'open',
      message: spec.message,
      evidence: spec.evidence ?? {},
      firstSeenAt: '2026-11-20T08:30:00.000Z',
      lastSeenAt: at,
      resolvedAt: resolved ? at : null,
      reopenCount: spec.transition === 'reopened' ? 1 : 0,
      lastChange: change,
    },
  };
}

const BS = `//compute.googleapis.com/projects/${PROJECT}/global/backendServices/orders-bs`;
const REGIONAL_BS = `//compute.googleapis.com/projects/${PROJECT}/regions/europe-west2/backendServices/billing-bs`;
const NEG = `//compute.googleapis.com/projects/${PROJECT}/regions/us-central1/networkEndpointGroups/orders-neg-usc1`;
const GATEWAY = `//apigateway.googleapis.com/projects/${PROJECT}/locations/us-central1/gateways/orders-gw`;
const PROXY = `//compute.googleapis.com/projects/${PROJECT}/global/targetHttpsProxies/orders-https-proxy`;

/** A Terraform apply's worth of alerts: every alerting transition, with and without an actor. */
export function sampleAlerts(): AlertRecord[] {
  return [
    alertOf({
      ruleId: 'backend.cloud-armor-attached',
      resource: BS,
      resourceType: 'compute.googleapis.com/BackendService',
      location: 'global',
      severity: 'HIGH',
      transition: 'opened',
      message: 'backend service orders-bs (acme-edge, global) has no Cloud Armor policy.',
      evidence: { securityPolicy: null },
      actor: 'alice@acme.example',
      method: 'v1.compute.backendServices.patch',
    }),
    alertOf({
      ruleId: 'backend.one-neg-per-region',
      resource: REGIONAL_BS,
      resourceType: 'compute.googleapis.com/RegionBackendService',
      location: 'europe-west2',
      severity: 'MEDIUM',
      transition: 'resolved',
      subKey: 'europe-west2',
      message: 'backend service billing-bs (acme-edge, europe-west2) has one serverless NEG in europe-west2.',
      evidence: { region: 'europe-west2', negs: 1 },
      actor: 'terraform@acme-edge.iam.gserviceaccount.com',
      method: 'v1.compute.regionBackendServices.update',
    }),
    alertOf({
      ruleId: 'gateway.direct-url-protected',
      resource: GATEWAY,
      resourceType: 'apigateway.googleapis.com/Gateway',
      location: 'us-central1',
      severity: 'CRITICAL',
      transition: 'opened',
      message:
        'Gateway orders-gw answers anyone at https://orders-gw-3x4mpl3.uc.gateway.dev, bypassing Cloud Armor.',
      evidence: { directUrl: 'https://orders-gw-3x4mpl3.uc.gateway.dev', status: 200 },
    }),
    alertOf({
      ruleId: 'neg.gateway-exists',
      resource: NEG,
      resourceType: 'compute.googleapis.com/NetworkEndpointGroup',
      location: 'us-central1',
      severity: 'HIGH',
      transition: 'escalated',
      message:
        'NEG orders-neg-usc1 (acme-edge, us-central1) points at gateway orders-gw-old, which does not exist.',
      evidence: { gateway: 'projects/acme-edge/locations/us-central1/gateways/orders-gw-old' },
      actor: 'bob@acme.example',
      method: 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway',
    }),
    alertOf({
      ruleId: 'frontend.modern-tls',
      resource: PROXY,
      resourceType: 'compute.googleapis.com/TargetHttpsProxy',
      location: 'global',
      severity: 'LOW',
      transition: 'reopened',
      message: 'target HTTPS proxy orders-https-proxy (acme-edge, global) allows TLS 1.0.',
      evidence: { minTlsVersion: 'TLS_1_0' },
      actor: null,
      method: 'v1.compute.targetHttpsProxies.setSslPolicy',
    }),
  ];
}

/** Names chosen to break out of each format: mentions, links, markup, newlines. */
export function hostileAlert(): AlertRecord {
  return alertOf({
    ruleId: 'backend.logging-enabled',
    resource: `//compute.googleapis.com/projects/${PROJECT}/global/backendServices/x<!channel>&<@U024BE7LH><b>`,
    resourceType: 'compute.googleapis.com/BackendService',
    location: 'global',
    severity: 'HIGH',
    transition: 'opened',
    message:
      'Logging off on <https://evil.example/login|your SSO session expired> <users/all> "<a href=x>"\n> fake quote',
    actor: '<!here> mallory@acme.example',
    method: 'v1.compute.backendServices.patch<users/all>',
  });
}

/** Fixed rule metadata, so catalogue rewording never moves the golden files. */
export const SAMPLE_RULES: RuleLookup = (ruleId) =>
  (
    ({
      'backend.cloud-armor-attached': {
        title: 'Backend services have a Cloud Armor policy',
        remediation: 'Attach a Cloud Armor security policy to the backend service.',
      },
      'backend.one-neg-per-region': {
        title: 'One serverless NEG per region in a backend service',
        remediation: 'Keep one serverless NEG per region.',
      },
      'gateway.direct-url-protected': {
        title: 'Gateways are not reachable around the load balancer',
        remediation: 'Require credentials the load balancer adds.',
      },
      'neg.gateway-exists': {
        title: 'Serverless NEGs point at gateways that exist',
        remediation: 'Point the NEG at an existing gateway or delete it.',
      },
      'frontend.modern-tls': {
        title: 'HTTPS proxies require TLS 1.2 or later',
        remediation: 'Attach an SSL policy with a TLS 1.2 minimum.',
      },
      'backend.logging-enabled': {
        title: 'Backend services log <requests> & more',
        remediation: 'Enable logging.',
      },
    }) as Record<string, { title: string; remediation: string }>
  )[ruleId];
