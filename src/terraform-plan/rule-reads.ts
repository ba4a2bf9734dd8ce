// Which API fields each rule reads, per resource kind (from RULES.md), so a plan result that depends on a value
// known only after apply becomes `not-applicable` instead of a guess. Kept here, not in the rule files: only the
// plan path needs it, and rules stay one screen of pure judgement.

import type { ResourceKind } from '../domain/resource-kind.js';

/** `*`: any unknown field of that kind matters. `project` and `region` stand for identity parts. */
export type FieldReads = Partial<Record<ResourceKind | '*', readonly string[]>>;

const FRONTING: FieldReads = {
  backendService: ['backends'],
  networkEndpointGroup: [
    'networkEndpointType',
    'serverlessDeployment',
    'cloudRun',
    'appEngine',
    'cloudFunction',
  ],
};

const REACHES_GATEWAY: FieldReads = {
  backendService: ['backends'],
  networkEndpointGroup: ['networkEndpointType', 'serverlessDeployment', 'project', 'region'],
  gateway: ['project', 'region', 'apiConfig'],
  apiConfig: ['project', 'openapiDocuments', 'grpcServices'],
};

function join(...reads: readonly FieldReads[]): FieldReads {
  const joined: Partial<Record<string, string[]>> = {};
  for (const read of reads) {
    for (const [kind, fields] of Object.entries(read))
      joined[kind] = [...(joined[kind] ?? []), ...(fields ?? [])];
  }
  return joined as FieldReads;
}

const ROUTES_TO_FRONTING: FieldReads = join(FRONTING, {
  forwardingRule: ['target'],
  urlMap: ['defaultService', 'defaultRouteAction', 'defaultUrlRedirect', 'pathMatchers'],
});

export const RULE_READS: Readonly<Record<string, FieldReads>> = {
  'neg.no-network-endpoints': { networkEndpointGroup: ['networkEndpointType', 'size', 'defaultPort'] },
  // A mask NEG reaches the gateways of its region: region decides as much as project.
  'neg.gateway-exists': {
    networkEndpointGroup: ['networkEndpointType', 'serverlessDeployment', 'project', 'region'],
    gateway: ['project', 'region'],
  },
  'neg.gateway-same-region': {
    networkEndpointGroup: ['networkEndpointType', 'serverlessDeployment', 'project', 'region'],
    gateway: ['project', 'region'],
  },
  'neg.gateway-not-streaming': {
    networkEndpointGroup: ['networkEndpointType', 'serverlessDeployment', 'project', 'region'],
    gateway: ['project', 'region', 'streamingMode', 'effectiveStreamingMode'],
  },
  'backend.supported-scheme': join(FRONTING, { backendService: ['loadBalancingScheme', 'region'] }),
  'backend.serverless-not-mixed': FRONTING,
  'backend.single-platform': FRONTING,
  'backend.gateways-same-project': join(FRONTING, {
    backendService: ['project'],
    networkEndpointGroup: ['project'],
  }),
  'backend.one-neg-per-region': join(FRONTING, { networkEndpointGroup: ['region'] }),
  'backend.no-health-checks': join(FRONTING, { backendService: ['healthChecks'] }),
  'backend.no-balancing-mode': FRONTING,
  'backend.no-capacity-limits': FRONTING,
  'backend.no-port': join(FRONTING, { backendService: ['port', 'portName'] }),
  'backend.http-protocol': join(FRONTING, { backendService: ['protocol'] }),
  'backend.no-ineffective-settings': join(FRONTING, {
    backendService: [
      'sessionAffinity',
      'localityLbPolicy',
      'consistentHash',
      'outlierDetection',
      'loadBalancingScheme',
      'iap',
    ],
  }),
  'backend.gateways-equivalent': join(FRONTING, REACHES_GATEWAY),
  'backend.cloud-armor-attached': join(FRONTING, { backendService: ['securityPolicy'] }),
  'backend.logging-enabled': join(FRONTING, { backendService: ['logConfig.enable'] }),
  'backend.cdn-respects-auth': join(FRONTING, REACHES_GATEWAY, {
    backendService: ['enableCDN', 'cdnPolicy'],
  }),
  'gateway.api-config-authenticated': join(FRONTING, REACHES_GATEWAY),
  'gateway.direct-url-protected': join(FRONTING, REACHES_GATEWAY, {
    backendService: ['securityPolicy', 'edgeSecurityPolicy', 'iap'],
  }),
  'frontend.https-only': join(ROUTES_TO_FRONTING, { targetHttpProxy: ['urlMap'] }),
  'frontend.modern-tls': join(ROUTES_TO_FRONTING, {
    targetHttpsProxy: ['urlMap', 'sslPolicy'],
    sslPolicy: ['minTlsVersion', 'profile'],
  }),
  // Governed fields are configurable: any unknown field may be one of them.
  'drift.matches-baseline': { '*': ['*'] },
};

/** Reads of a rule this table does not list yet: assume it may read anything (never a guessed fail). */
export const READS_ANYTHING: FieldReads = { '*': ['*'] };

function segmentsOf(path: string): string[] {
  return path.replace(/\[\]/g, '').split('.').filter(Boolean);
}

/** True when one path is the other or contains it (`backends` and `backends[].group`). */
export function isOverlapping(read: string, unknown: string): boolean {
  if (read === '*') return true;
  const a = segmentsOf(read);
  const b = segmentsOf(unknown);
  const shorter = Math.min(a.length, b.length);
  return a.slice(0, shorter).every((segment, index) => segment === b[index]);
}

export function fieldsReadBy(ruleId: string, kind: ResourceKind): readonly string[] {
  const reads = RULE_READS[ruleId] ?? READS_ANYTHING;
  return [...(reads[kind] ?? []), ...(reads['*'] ?? [])];
}
