// Builders for real-shaped API records (as gcloud --format=json and the REST APIs return them), for rule tables.

import { ResourceGraph } from '../../src/domain/graph.js';
import { emptyInventory, type Inventory } from '../../src/domain/inventory.js';
import type {
  ApiConfig,
  ApiRecord,
  BackendService,
  ForwardingRule,
  Gateway,
  NetworkEndpointGroup,
  SecurityPolicy,
  SslPolicy,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap,
} from '../../src/domain/resources.js';

export const PROJECT = 'acme-edge';
export const PROJECT_NUMBER = '123456789012';

type Overrides<T> = Partial<{ -readonly [K in keyof T]: T[K] }> & ApiRecord;

export function computeLink(path: string, project = PROJECT, version = 'v1'): string {
  return `https://www.googleapis.com/compute/${version}/projects/${project}/${path}`;
}

export function fullName(path: string, project = PROJECT): string {
  return path.startsWith('locations/')
    ? `//apigateway.googleapis.com/projects/${project}/${path}`
    : `//compute.googleapis.com/projects/${project}/${path}`;
}

export function backendService(
  name: string,
  overrides: Overrides<BackendService> = {},
  options: { project?: string; region?: string } = {},
): BackendService {
  const project = options.project ?? PROJECT;
  const scope = options.region ? `regions/${options.region}` : 'global';
  return {
    kind: 'compute#backendService',
    id: '4021788411093327921',
    creationTimestamp: '2026-05-02T09:14:11.101-07:00',
    name,
    description: '',
    selfLink: computeLink(`${scope}/backendServices/${name}`, project),
    ...(options.region ? { region: computeLink(`regions/${options.region}`, project) } : {}),
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    protocol: 'HTTPS',
    backends: [],
    timeoutSec: 30,
    connectionDraining: { drainingTimeoutSec: 0 },
    port: 80,
    portName: 'http',
    sessionAffinity: 'NONE',
    iap: { enabled: false },
    enableCDN: false,
    logConfig: { enable: true, sampleRate: 1 },
    securityPolicy: computeLink('global/securityPolicies/api-waf', project),
    fingerprint: 'lWQ0n9xd5Ss=',
    ...overrides,
  };
}

/** A backend entry pointing at a regional NEG, as the API echoes it (UTILIZATION filled in by default). */
export function negBackend(negName: string, region: string, overrides: ApiRecord = {}, project = PROJECT) {
  return {
    group: computeLink(`regions/${region}/networkEndpointGroups/${negName}`, project),
    balancingMode: 'UTILIZATION',
    capacityScaler: 1,
    ...overrides,
  };
}

export function apiGatewayNeg(
  name: string,
  region: string,
  gatewayId: string,
  overrides: Overrides<NetworkEndpointGroup> = {},
  project = PROJECT,
): NetworkEndpointGroup {
  return {
    kind: 'compute#networkEndpointGroup',
    id: '118822334455667788',
    creationTimestamp: '2026-05-02T09:10:02.511-07:00',
    name,
    selfLink: computeLink(`regions/${region}/networkEndpointGroups/${name}`, project, 'beta'),
    region: computeLink(`regions/${region}`, project, 'beta'),
    networkEndpointType: 'SERVERLESS',
    size: 0,
    serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: gatewayId },
    ...overrides,
  };
}

/** An API Gateway NEG that names its gateways by URL mask (`resource` empty), as the beta API returns it. */
export function maskNeg(
  name: string,
  region: string,
  urlMask: string,
  overrides: Overrides<NetworkEndpointGroup> = {},
  project = PROJECT,
): NetworkEndpointGroup {
  return apiGatewayNeg(
    name,
    region,
    '',
    { serverlessDeployment: { platform: 'apigateway.googleapis.com', urlMask }, ...overrides },
    project,
  );
}

export function cloudRunNeg(
  name: string,
  region: string,
  service: string,
  project = PROJECT,
): NetworkEndpointGroup {
  return {
    kind: 'compute#networkEndpointGroup',
    name,
    selfLink: computeLink(`regions/${region}/networkEndpointGroups/${name}`, project, 'beta'),
    region: computeLink(`regions/${region}`, project, 'beta'),
    networkEndpointType: 'SERVERLESS',
    size: 0,
    cloudRun: { service },
  };
}

export function zonalNeg(name: string, zone: string, project = PROJECT): NetworkEndpointGroup {
  return {
    kind: 'compute#networkEndpointGroup',
    name,
    selfLink: computeLink(`zones/${zone}/networkEndpointGroups/${name}`, project),
    zone: computeLink(`zones/${zone}`, project),
    networkEndpointType: 'GCE_VM_IP_PORT',
    size: 3,
    defaultPort: 8080,
  };
}

/** A serverless NEG targeting App Engine (the v1 `appEngine` block). */
export function appEngineNeg(
  name: string,
  region: string,
  service: string,
  project = PROJECT,
): NetworkEndpointGroup {
  return {
    kind: 'compute#networkEndpointGroup',
    name,
    selfLink: computeLink(`regions/${region}/networkEndpointGroups/${name}`, project, 'beta'),
    region: computeLink(`regions/${region}`, project, 'beta'),
    networkEndpointType: 'SERVERLESS',
    size: 0,
    appEngine: { service },
  };
}

/** A global internet NEG (an external origin by FQDN). */
export function internetNeg(name: string, project = PROJECT): NetworkEndpointGroup {
  return {
    kind: 'compute#networkEndpointGroup',
    name,
    selfLink: computeLink(`global/networkEndpointGroups/${name}`, project),
    networkEndpointType: 'INTERNET_FQDN_PORT',
    size: 1,
    defaultPort: 443,
  };
}

/** A backend entry pointing at a zonal NEG or a global NEG, as the API echoes it. */
export function scopedNegBackend(
  negName: string,
  scope: string,
  overrides: ApiRecord = {},
  project = PROJECT,
) {
  return {
    group: computeLink(`${scope}/networkEndpointGroups/${negName}`, project),
    balancingMode: 'RATE',
    maxRatePerEndpoint: 100,
    capacityScaler: 1,
    ...overrides,
  };
}

/** A backend entry pointing at a zonal instance group, as the API echoes it. */
export function instanceGroupBackend(
  groupName: string,
  zone: string,
  overrides: ApiRecord = {},
  project = PROJECT,
) {
  return {
    group: computeLink(`zones/${zone}/instanceGroups/${groupName}`, project),
    balancingMode: 'UTILIZATION',
    maxUtilization: 0.8,
    capacityScaler: 1,
    ...overrides,
  };
}

export function gateway(
  id: string,
  region: string,
  config: string,
  overrides: Overrides<Gateway> = {},
  project = PROJECT,
): Gateway {
  return {
    name: `projects/${project}/locations/${region}/gateways/${id}`,
    apiConfig: config.startsWith('projects/')
      ? config
      : `projects/${project}/locations/global/apis/${config}`,
    state: 'ACTIVE',
    defaultHostname: `${id}-8k2j4h1q.uc.gateway.dev`,
    displayName: id,
    streamingMode: 'STREAMING_MODE_UNSPECIFIED',
    effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_DISABLED',
    createTime: '2026-05-01T10:00:00Z',
    updateTime: '2026-05-02T08:30:00Z',
    ...overrides,
  };
}

/** An API config with one OpenAPI document; `document` is YAML/JSON text or an object (sent as JSON). */
export function apiConfig(
  apiAndConfig: string,
  document: string | object,
  overrides: Overrides<ApiConfig> = {},
  project = PROJECT,
): ApiConfig {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  return {
    name: `projects/${project}/locations/global/apis/${apiAndConfig}`,
    displayName: apiAndConfig,
    state: 'ACTIVE',
    gatewayServiceAccount: `gateway@${project}.iam.gserviceaccount.com`,
    serviceConfigId: 'orders-v7-0abc123def',
    openapiDocuments: [
      { document: { path: 'openapi.yaml', contents: Buffer.from(text, 'utf8').toString('base64') } },
    ],
    ...overrides,
  };
}

export function urlMap(
  name: string,
  defaultService: string,
  overrides: Overrides<UrlMap> = {},
  project = PROJECT,
): UrlMap {
  return {
    kind: 'compute#urlMap',
    name,
    selfLink: computeLink(`global/urlMaps/${name}`, project),
    defaultService: defaultService.startsWith('https://')
      ? defaultService
      : computeLink(`global/backendServices/${defaultService}`, project),
    fingerprint: 'abc=',
    ...overrides,
  };
}

export function httpsProxy(
  name: string,
  urlMapName: string,
  overrides: Overrides<TargetHttpsProxy> = {},
  project = PROJECT,
): TargetHttpsProxy {
  return {
    kind: 'compute#targetHttpsProxy',
    name,
    selfLink: computeLink(`global/targetHttpsProxies/${name}`, project),
    urlMap: computeLink(`global/urlMaps/${urlMapName}`, project),
    sslCertificates: [computeLink(`global/sslCertificates/${name}-cert`, project)],
    quicOverride: 'NONE',
    ...overrides,
  };
}

export function httpProxy(name: string, urlMapName: string, project = PROJECT): TargetHttpProxy {
  return {
    kind: 'compute#targetHttpProxy',
    name,
    selfLink: computeLink(`global/targetHttpProxies/${name}`, project),
    urlMap: computeLink(`global/urlMaps/${urlMapName}`, project),
  };
}

export function forwardingRule(
  name: string,
  target: string,
  overrides: Overrides<ForwardingRule> = {},
  project = PROJECT,
): ForwardingRule {
  const https = target.includes('targetHttpsProxies');
  return {
    kind: 'compute#forwardingRule',
    name,
    selfLink: computeLink(`global/forwardingRules/${name}`, project),
    IPAddress: '34.120.10.20',
    IPProtocol: 'TCP',
    portRange: https ? '443-443' : '80-80',
    target: target.startsWith('https://') ? target : computeLink(target, project),
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    networkTier: 'PREMIUM',
    ...overrides,
  };
}

export function sslPolicy(name: string, minTlsVersion: string, project = PROJECT): SslPolicy {
  return {
    kind: 'compute#sslPolicy',
    name,
    selfLink: computeLink(`global/sslPolicies/${name}`, project),
    profile: 'MODERN',
    minTlsVersion,
  };
}

export function securityPolicy(name: string, project = PROJECT): SecurityPolicy {
  return {
    kind: 'compute#securityPolicy',
    name,
    selfLink: computeLink(`global/securityPolicies/${name}`, project),
    type: 'CLOUD_ARMOR',
  };
}

export function inventoryOf(records: Partial<Inventory>): Inventory {
  return { ...emptyInventory(), ...records };
}

export function graphOf(records: Partial<Inventory>): ResourceGraph {
  return ResourceGraph.build(inventoryOf(records));
}
