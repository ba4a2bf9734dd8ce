// The resource kinds Gatewarden reads, with their Cloud Asset Inventory asset types and API collections.

export const RESOURCE_KINDS = [
  'backendService',
  'networkEndpointGroup',
  'urlMap',
  'targetHttpProxy',
  'targetHttpsProxy',
  'forwardingRule',
  'sslPolicy',
  'securityPolicy',
  'gateway',
  'apiConfig',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/**
 * Kinds shared by many resources (one Cloud Armor policy can guard thousands of backend services): a change does not
 * spread upwards through them, and their referrers are found by query when they change, not kept in a list.
 */
export const HUB_KINDS: ReadonlySet<ResourceKind> = new Set(['securityPolicy', 'sslPolicy', 'apiConfig']);

/** API collection name (the path segment) -> kind. Regional and global collections share names. */
export const KIND_BY_COLLECTION: Readonly<Record<string, ResourceKind>> = {
  backendServices: 'backendService',
  networkEndpointGroups: 'networkEndpointGroup',
  urlMaps: 'urlMap',
  targetHttpProxies: 'targetHttpProxy',
  targetHttpsProxies: 'targetHttpsProxy',
  forwardingRules: 'forwardingRule',
  sslPolicies: 'sslPolicy',
  securityPolicies: 'securityPolicy',
  gateways: 'gateway',
  configs: 'apiConfig',
};

const GLOBAL_ASSET_TYPES: Readonly<Record<ResourceKind, string>> = {
  backendService: 'compute.googleapis.com/BackendService',
  networkEndpointGroup: 'compute.googleapis.com/NetworkEndpointGroup',
  urlMap: 'compute.googleapis.com/UrlMap',
  targetHttpProxy: 'compute.googleapis.com/TargetHttpProxy',
  targetHttpsProxy: 'compute.googleapis.com/TargetHttpsProxy',
  forwardingRule: 'compute.googleapis.com/GlobalForwardingRule',
  sslPolicy: 'compute.googleapis.com/SslPolicy',
  securityPolicy: 'compute.googleapis.com/SecurityPolicy',
  gateway: 'apigateway.googleapis.com/Gateway',
  apiConfig: 'apigateway.googleapis.com/ApiConfig',
};

const REGIONAL_ASSET_TYPES: Partial<Record<ResourceKind, string>> = {
  backendService: 'compute.googleapis.com/RegionBackendService',
  urlMap: 'compute.googleapis.com/RegionUrlMap',
  targetHttpProxy: 'compute.googleapis.com/RegionTargetHttpProxy',
  targetHttpsProxy: 'compute.googleapis.com/RegionTargetHttpsProxy',
  forwardingRule: 'compute.googleapis.com/ForwardingRule',
  sslPolicy: 'compute.googleapis.com/RegionSslPolicy',
  securityPolicy: 'compute.googleapis.com/RegionSecurityPolicy',
};

/** CAI asset type, e.g. `compute.googleapis.com/BackendService` or `.../RegionBackendService`. */
export function assetTypeOf(kind: ResourceKind, regional: boolean): string {
  return (regional && REGIONAL_ASSET_TYPES[kind]) || GLOBAL_ASSET_TYPES[kind];
}

/** How messages name one resource of a kind. */
export const KIND_LABELS: Readonly<Record<ResourceKind, string>> = {
  backendService: 'backend service',
  networkEndpointGroup: 'NEG',
  urlMap: 'URL map',
  targetHttpProxy: 'target HTTP proxy',
  targetHttpsProxy: 'target HTTPS proxy',
  forwardingRule: 'forwarding rule',
  sslPolicy: 'SSL policy',
  securityPolicy: 'security policy',
  gateway: 'gateway',
  apiConfig: 'API config',
};

/** How progress lines and docs name many resources of a kind. */
export const KIND_PLURAL_LABELS: Readonly<Record<ResourceKind, string>> = {
  backendService: 'backend services',
  networkEndpointGroup: 'network endpoint groups',
  urlMap: 'URL maps',
  targetHttpProxy: 'target HTTP proxies',
  targetHttpsProxy: 'target HTTPS proxies',
  forwardingRule: 'forwarding rules',
  sslPolicy: 'SSL policies',
  securityPolicy: 'security policies',
  gateway: 'API gateways',
  apiConfig: 'API configs',
};
