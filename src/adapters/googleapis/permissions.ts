// Every Google API call the live source makes, with the IAM permissions it needs: the deploy role is built from this.

export type ApiSurface = 'compute/v1' | 'compute/beta' | 'apigateway/v1' | 'cloudresourcemanager/v3';

export interface FetcherDeclaration {
  readonly api: ApiSurface;
  /** The REST method, as the API reference names it. */
  readonly method: string;
  /** What it reads, for error messages: `backend services (aggregated list)`. */
  readonly reads: string;
  /**
   * Permissions the call needs. An aggregated list is checked per scope: without the regional permission the
   * regional scopes come back missing, so both are declared.
   */
  readonly permissions: readonly string[];
}

export const FETCHERS = {
  backendServicesAggregated: {
    api: 'compute/v1',
    method: 'backendServices.aggregatedList',
    reads: 'backend services (aggregated list)',
    permissions: ['compute.backendServices.list', 'compute.regionBackendServices.list'],
  },
  networkEndpointGroupsAggregated: {
    api: 'compute/beta',
    method: 'networkEndpointGroups.aggregatedList',
    reads: 'network endpoint groups (aggregated list, beta)',
    permissions: [
      'compute.networkEndpointGroups.list',
      'compute.regionNetworkEndpointGroups.list',
      'compute.globalNetworkEndpointGroups.list',
    ],
  },
  urlMapsAggregated: {
    api: 'compute/v1',
    method: 'urlMaps.aggregatedList',
    reads: 'URL maps (aggregated list)',
    permissions: ['compute.urlMaps.list', 'compute.regionUrlMaps.list'],
  },
  targetHttpProxiesAggregated: {
    api: 'compute/v1',
    method: 'targetHttpProxies.aggregatedList',
    reads: 'target HTTP proxies (aggregated list)',
    permissions: ['compute.targetHttpProxies.list', 'compute.regionTargetHttpProxies.list'],
  },
  targetHttpsProxiesAggregated: {
    api: 'compute/v1',
    method: 'targetHttpsProxies.aggregatedList',
    reads: 'target HTTPS proxies (aggregated list)',
    permissions: ['compute.targetHttpsProxies.list', 'compute.regionTargetHttpsProxies.list'],
  },
  forwardingRulesAggregated: {
    api: 'compute/v1',
    method: 'forwardingRules.aggregatedList',
    reads: 'forwarding rules (aggregated list)',
    permissions: ['compute.forwardingRules.list'],
  },
  globalForwardingRulesList: {
    api: 'compute/v1',
    method: 'globalForwardingRules.list',
    reads: 'global forwarding rules',
    permissions: ['compute.globalForwardingRules.list'],
  },
  sslPoliciesAggregated: {
    api: 'compute/v1',
    method: 'sslPolicies.aggregatedList',
    reads: 'SSL policies (aggregated list)',
    permissions: ['compute.sslPolicies.list', 'compute.regionSslPolicies.list'],
  },
  securityPoliciesAggregated: {
    api: 'compute/v1',
    method: 'securityPolicies.aggregatedList',
    reads: 'security policies (aggregated list)',
    permissions: ['compute.securityPolicies.list', 'compute.regionSecurityPolicies.list'],
  },
  gatewaysList: {
    api: 'apigateway/v1',
    method: 'projects.locations.gateways.list',
    reads: 'API gateways (all locations)',
    permissions: ['apigateway.gateways.list'],
  },
  apiConfigGet: {
    api: 'apigateway/v1',
    method: 'projects.locations.apis.configs.get',
    reads: 'an API config (view=FULL)',
    permissions: ['apigateway.apiconfigs.get'],
  },
  backendServiceGet: {
    api: 'compute/v1',
    method: 'backendServices.get',
    reads: 'a backend service',
    permissions: ['compute.backendServices.get'],
  },
  regionBackendServiceGet: {
    api: 'compute/v1',
    method: 'regionBackendServices.get',
    reads: 'a regional backend service',
    permissions: ['compute.regionBackendServices.get'],
  },
  regionNetworkEndpointGroupGet: {
    api: 'compute/beta',
    method: 'regionNetworkEndpointGroups.get',
    reads: 'a regional network endpoint group (beta)',
    permissions: ['compute.regionNetworkEndpointGroups.get'],
  },
  zonalNetworkEndpointGroupGet: {
    api: 'compute/beta',
    method: 'networkEndpointGroups.get',
    reads: 'a zonal network endpoint group (beta)',
    permissions: ['compute.networkEndpointGroups.get'],
  },
  globalNetworkEndpointGroupGet: {
    api: 'compute/beta',
    method: 'globalNetworkEndpointGroups.get',
    reads: 'a global network endpoint group (beta)',
    permissions: ['compute.globalNetworkEndpointGroups.get'],
  },
  urlMapGet: {
    api: 'compute/v1',
    method: 'urlMaps.get',
    reads: 'a URL map',
    permissions: ['compute.urlMaps.get'],
  },
  regionUrlMapGet: {
    api: 'compute/v1',
    method: 'regionUrlMaps.get',
    reads: 'a regional URL map',
    permissions: ['compute.regionUrlMaps.get'],
  },
  targetHttpProxyGet: {
    api: 'compute/v1',
    method: 'targetHttpProxies.get',
    reads: 'a target HTTP proxy',
    permissions: ['compute.targetHttpProxies.get'],
  },
  regionTargetHttpProxyGet: {
    api: 'compute/v1',
    method: 'regionTargetHttpProxies.get',
    reads: 'a regional target HTTP proxy',
    permissions: ['compute.regionTargetHttpProxies.get'],
  },
  targetHttpsProxyGet: {
    api: 'compute/v1',
    method: 'targetHttpsProxies.get',
    reads: 'a target HTTPS proxy',
    permissions: ['compute.targetHttpsProxies.get'],
  },
  regionTargetHttpsProxyGet: {
    api: 'compute/v1',
    method: 'regionTargetHttpsProxies.get',
    reads: 'a regional target HTTPS proxy',
    permissions: ['compute.regionTargetHttpsProxies.get'],
  },
  globalForwardingRuleGet: {
    api: 'compute/v1',
    method: 'globalForwardingRules.get',
    reads: 'a global forwarding rule',
    permissions: ['compute.globalForwardingRules.get'],
  },
  forwardingRuleGet: {
    api: 'compute/v1',
    method: 'forwardingRules.get',
    reads: 'a regional forwarding rule',
    permissions: ['compute.forwardingRules.get'],
  },
  sslPolicyGet: {
    api: 'compute/v1',
    method: 'sslPolicies.get',
    reads: 'an SSL policy',
    permissions: ['compute.sslPolicies.get'],
  },
  regionSslPolicyGet: {
    api: 'compute/v1',
    method: 'regionSslPolicies.get',
    reads: 'a regional SSL policy',
    permissions: ['compute.regionSslPolicies.get'],
  },
  securityPolicyGet: {
    api: 'compute/v1',
    method: 'securityPolicies.get',
    reads: 'a security policy',
    permissions: ['compute.securityPolicies.get'],
  },
  regionSecurityPolicyGet: {
    api: 'compute/v1',
    method: 'regionSecurityPolicies.get',
    reads: 'a regional security policy',
    permissions: ['compute.regionSecurityPolicies.get'],
  },
  gatewayGet: {
    api: 'apigateway/v1',
    method: 'projects.locations.gateways.get',
    reads: 'an API gateway',
    permissions: ['apigateway.gateways.get'],
  },
  projectsSearch: {
    api: 'cloudresourcemanager/v3',
    method: 'projects.search',
    // A folder or organisation sweep lists its projects (src/adapters/googleapis/project-search.ts): search returns
    // the projects the caller holds this permission on.
    reads: 'the projects under a folder or organisation',
    permissions: ['resourcemanager.projects.get'],
  },
} as const satisfies Record<string, FetcherDeclaration>;

export type FetcherId = keyof typeof FETCHERS;

/** The custom role's permission list: every permission any fetcher declares, sorted, once each. */
export const REQUIRED_PERMISSIONS: readonly string[] = [
  ...new Set(Object.values(FETCHERS).flatMap((fetcher: FetcherDeclaration) => fetcher.permissions)),
].sort();
