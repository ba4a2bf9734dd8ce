// One descriptor per resource kind Gatewarden judges: every fact about a kind (API collection and version, scopes,
// asset types, permissions, audit-log method families, estate file, Terraform types) is declared here once, and the
// source's getters, the permissions (and so the Terraform role), the estate layout, the plan reader's type table,
// the simulator and the handled audit methods (and so the sink filter) are all derived from it.

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

/** Which Google API (and version) serves a kind. NEGs are read through beta: only it has `serverlessDeployment`. */
export type KindApi = 'compute/v1' | 'compute/beta' | 'apigateway/v1';

/** Where one variant of a kind lives: the path segment after `projects/{p}/`. */
export type VariantScope = 'global' | 'regions' | 'zones' | 'locations';

// The pages that document each audit-log method family (looked up with the search tool, 2026-12-04). Compute names
// its methods `{v1|beta|alpha}.compute.{REST collection}.{method}` ("when the beta or alpha version of the API is
// called the method name will start with beta or alpha"): the load-balancing page lists backendServices,
// forwardingRules, targetHttpProxies and urlMaps, the Cloud Armor page securityPolicies, and the Compute Engine page
// every other method of compute.googleapis.com. A regional collection has its own REST name (regionUrlMaps,
// regionTargetHttpsProxies, regionSslPolicies...: compute/docs/reference/rest/v1/<collection>), which is its family.
const COMPUTE_AUDIT = 'https://cloud.google.com/compute/docs/audit-logging';
const LB_AUDIT = 'https://cloud.google.com/load-balancing/docs/audit-logging';
const ARMOR_AUDIT = 'https://cloud.google.com/armor/docs/audit-logging';
const API_GATEWAY_AUDIT = 'https://cloud.google.com/api-gateway/docs/audit-logging';

/** One API collection of a kind: `backendServices` (global) and `regionBackendServices` are two variants of one kind. */
export interface KindVariant {
  readonly scope: VariantScope;
  /**
   * The collection as the API's client and audit log name it: `regionUrlMaps`, `globalForwardingRules`,
   * `projects.locations.gateways`. The googleapis client is called through this path.
   */
  readonly apiCollection: string;
  /** What one call reads, for error messages: `a regional URL map`. */
  readonly reads: string;
  /** Cloud Asset Inventory asset type. */
  readonly assetType: string;
  readonly getPermission: string;
  /** Absent when the variant is never listed (API configs are read one by one, from their gateways). */
  readonly listPermission?: string;
  /** `protoPayload.methodName` families (without the `v1.` / `beta.` / `alpha.` prefix) that change it. */
  readonly auditFamilies: readonly string[];
  /** The page that documents those method names. */
  readonly auditDocs: string;
  /** hashicorp/google (and google-beta) resource types that plan this variant. */
  readonly terraformTypes: readonly string[];
}

export interface ResourceKindDescriptor {
  readonly kind: ResourceKind;
  readonly service: 'compute' | 'apigateway';
  readonly api: KindApi;
  /** The collection segment in resource names and selfLinks: `backendServices`, `gateways`, `configs`. */
  readonly collection: string;
  /** How messages name one resource of the kind, and many. */
  readonly label: string;
  readonly pluralLabel: string;
  /**
   * Shared by many resources (one Cloud Armor policy can guard thousands of backend services): a change does not
   * spread upwards through a hub, and its referrers are found by query when it changes, not kept in a list.
   */
  readonly hub: boolean;
  /** The estate directory's file for the kind (DESIGN.md §7) and the command that exports it. */
  readonly estateFile: string;
  readonly exportedWith: string;
  /** The sweep's list call: one aggregated list over every scope (its items are keyed by this collection). */
  readonly aggregatedList?: string;
  /**
   * The REST reference leaves open whether the aggregated list carries a `global` scope (forwarding rules): when
   * no page names it, the global variant is listed on its own so none go missing.
   */
  readonly listsGlobalApart?: boolean;
  /** The Terraform attribute holding the short name (`name` unless the provider says otherwise). */
  readonly terraformNameAttribute: string;
  readonly variants: readonly KindVariant[];
}

export const RESOURCE_KIND_DESCRIPTORS: readonly ResourceKindDescriptor[] = [
  {
    kind: 'backendService',
    service: 'compute',
    api: 'compute/v1',
    collection: 'backendServices',
    label: 'backend service',
    pluralLabel: 'backend services',
    hub: false,
    estateFile: 'backend-services.json',
    exportedWith: 'gcloud compute backend-services list --format=json',
    aggregatedList: 'backendServices',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'backendServices',
        reads: 'a backend service',
        assetType: 'compute.googleapis.com/BackendService',
        getPermission: 'compute.backendServices.get',
        listPermission: 'compute.backendServices.list',
        auditFamilies: ['compute.backendServices'],
        auditDocs: LB_AUDIT,
        terraformTypes: ['google_compute_backend_service'],
      },
      {
        scope: 'regions',
        apiCollection: 'regionBackendServices',
        reads: 'a regional backend service',
        assetType: 'compute.googleapis.com/RegionBackendService',
        getPermission: 'compute.regionBackendServices.get',
        listPermission: 'compute.regionBackendServices.list',
        auditFamilies: ['compute.regionBackendServices'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_region_backend_service'],
      },
    ],
  },
  {
    kind: 'networkEndpointGroup',
    service: 'compute',
    api: 'compute/beta',
    collection: 'networkEndpointGroups',
    label: 'NEG',
    pluralLabel: 'network endpoint groups',
    hub: false,
    estateFile: 'network-endpoint-groups.json',
    exportedWith: 'gcloud beta compute network-endpoint-groups list --format=json',
    aggregatedList: 'networkEndpointGroups',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'regions',
        apiCollection: 'regionNetworkEndpointGroups',
        reads: 'a regional network endpoint group (beta)',
        assetType: 'compute.googleapis.com/NetworkEndpointGroup',
        getPermission: 'compute.regionNetworkEndpointGroups.get',
        listPermission: 'compute.regionNetworkEndpointGroups.list',
        auditFamilies: ['compute.regionNetworkEndpointGroups'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_region_network_endpoint_group'],
      },
      {
        scope: 'zones',
        apiCollection: 'networkEndpointGroups',
        reads: 'a zonal network endpoint group (beta)',
        assetType: 'compute.googleapis.com/NetworkEndpointGroup',
        getPermission: 'compute.networkEndpointGroups.get',
        listPermission: 'compute.networkEndpointGroups.list',
        auditFamilies: ['compute.networkEndpointGroups'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_network_endpoint_group'],
      },
      {
        scope: 'global',
        apiCollection: 'globalNetworkEndpointGroups',
        reads: 'a global network endpoint group (beta)',
        assetType: 'compute.googleapis.com/NetworkEndpointGroup',
        getPermission: 'compute.globalNetworkEndpointGroups.get',
        listPermission: 'compute.globalNetworkEndpointGroups.list',
        auditFamilies: ['compute.globalNetworkEndpointGroups'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_global_network_endpoint_group'],
      },
    ],
  },
  {
    kind: 'urlMap',
    service: 'compute',
    api: 'compute/v1',
    collection: 'urlMaps',
    label: 'URL map',
    pluralLabel: 'URL maps',
    hub: false,
    estateFile: 'url-maps.json',
    exportedWith: 'gcloud compute url-maps list --format=json',
    aggregatedList: 'urlMaps',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'urlMaps',
        reads: 'a URL map',
        assetType: 'compute.googleapis.com/UrlMap',
        getPermission: 'compute.urlMaps.get',
        listPermission: 'compute.urlMaps.list',
        auditFamilies: ['compute.urlMaps'],
        auditDocs: LB_AUDIT,
        terraformTypes: ['google_compute_url_map'],
      },
      {
        scope: 'regions',
        apiCollection: 'regionUrlMaps',
        reads: 'a regional URL map',
        assetType: 'compute.googleapis.com/RegionUrlMap',
        getPermission: 'compute.regionUrlMaps.get',
        listPermission: 'compute.regionUrlMaps.list',
        auditFamilies: ['compute.regionUrlMaps'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_region_url_map'],
      },
    ],
  },
  {
    kind: 'targetHttpProxy',
    service: 'compute',
    api: 'compute/v1',
    collection: 'targetHttpProxies',
    label: 'target HTTP proxy',
    pluralLabel: 'target HTTP proxies',
    hub: false,
    estateFile: 'target-http-proxies.json',
    exportedWith: 'gcloud compute target-http-proxies list --format=json',
    aggregatedList: 'targetHttpProxies',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'targetHttpProxies',
        reads: 'a target HTTP proxy',
        assetType: 'compute.googleapis.com/TargetHttpProxy',
        getPermission: 'compute.targetHttpProxies.get',
        listPermission: 'compute.targetHttpProxies.list',
        auditFamilies: ['compute.targetHttpProxies'],
        auditDocs: LB_AUDIT,
        terraformTypes: ['google_compute_target_http_proxy'],
      },
      {
        scope: 'regions',
        apiCollection: 'regionTargetHttpProxies',
        reads: 'a regional target HTTP proxy',
        assetType: 'compute.googleapis.com/RegionTargetHttpProxy',
        getPermission: 'compute.regionTargetHttpProxies.get',
        listPermission: 'compute.regionTargetHttpProxies.list',
        auditFamilies: ['compute.regionTargetHttpProxies'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_region_target_http_proxy'],
      },
    ],
  },
  {
    kind: 'targetHttpsProxy',
    service: 'compute',
    api: 'compute/v1',
    collection: 'targetHttpsProxies',
    label: 'target HTTPS proxy',
    pluralLabel: 'target HTTPS proxies',
    hub: false,
    estateFile: 'target-https-proxies.json',
    exportedWith: 'gcloud compute target-https-proxies list --format=json',
    aggregatedList: 'targetHttpsProxies',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'targetHttpsProxies',
        reads: 'a target HTTPS proxy',
        assetType: 'compute.googleapis.com/TargetHttpsProxy',
        getPermission: 'compute.targetHttpsProxies.get',
        listPermission: 'compute.targetHttpsProxies.list',
        auditFamilies: ['compute.targetHttpsProxies'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_target_https_proxy'],
      },
      {
        scope: 'regions',
        apiCollection: 'regionTargetHttpsProxies',
        reads: 'a regional target HTTPS proxy',
        assetType: 'compute.googleapis.com/RegionTargetHttpsProxy',
        getPermission: 'compute.regionTargetHttpsProxies.get',
        listPermission: 'compute.regionTargetHttpsProxies.list',
        auditFamilies: ['compute.regionTargetHttpsProxies'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_region_target_https_proxy'],
      },
    ],
  },
  {
    kind: 'forwardingRule',
    service: 'compute',
    api: 'compute/v1',
    collection: 'forwardingRules',
    label: 'forwarding rule',
    pluralLabel: 'forwarding rules',
    hub: false,
    estateFile: 'forwarding-rules.json',
    exportedWith: 'gcloud compute forwarding-rules list --format=json',
    aggregatedList: 'forwardingRules',
    listsGlobalApart: true,
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'globalForwardingRules',
        reads: 'a global forwarding rule',
        assetType: 'compute.googleapis.com/GlobalForwardingRule',
        getPermission: 'compute.globalForwardingRules.get',
        listPermission: 'compute.globalForwardingRules.list',
        auditFamilies: ['compute.globalForwardingRules'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_global_forwarding_rule'],
      },
      {
        scope: 'regions',
        apiCollection: 'forwardingRules',
        reads: 'a regional forwarding rule',
        assetType: 'compute.googleapis.com/ForwardingRule',
        getPermission: 'compute.forwardingRules.get',
        listPermission: 'compute.forwardingRules.list',
        auditFamilies: ['compute.forwardingRules'],
        auditDocs: LB_AUDIT,
        terraformTypes: ['google_compute_forwarding_rule'],
      },
    ],
  },
  {
    kind: 'sslPolicy',
    service: 'compute',
    api: 'compute/v1',
    collection: 'sslPolicies',
    label: 'SSL policy',
    pluralLabel: 'SSL policies',
    hub: true,
    estateFile: 'ssl-policies.json',
    exportedWith: 'gcloud compute ssl-policies list --format=json',
    aggregatedList: 'sslPolicies',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'sslPolicies',
        reads: 'an SSL policy',
        assetType: 'compute.googleapis.com/SslPolicy',
        getPermission: 'compute.sslPolicies.get',
        listPermission: 'compute.sslPolicies.list',
        auditFamilies: ['compute.sslPolicies'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_ssl_policy'],
      },
      {
        scope: 'regions',
        apiCollection: 'regionSslPolicies',
        reads: 'a regional SSL policy',
        assetType: 'compute.googleapis.com/RegionSslPolicy',
        getPermission: 'compute.regionSslPolicies.get',
        listPermission: 'compute.regionSslPolicies.list',
        auditFamilies: ['compute.regionSslPolicies'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_region_ssl_policy'],
      },
    ],
  },
  {
    kind: 'securityPolicy',
    service: 'compute',
    api: 'compute/v1',
    collection: 'securityPolicies',
    label: 'security policy',
    pluralLabel: 'security policies',
    hub: true,
    estateFile: 'security-policies.json',
    exportedWith: 'gcloud compute security-policies list --format=json',
    aggregatedList: 'securityPolicies',
    terraformNameAttribute: 'name',
    variants: [
      {
        scope: 'global',
        apiCollection: 'securityPolicies',
        reads: 'a security policy',
        assetType: 'compute.googleapis.com/SecurityPolicy',
        getPermission: 'compute.securityPolicies.get',
        listPermission: 'compute.securityPolicies.list',
        auditFamilies: ['compute.securityPolicies'],
        auditDocs: ARMOR_AUDIT,
        terraformTypes: ['google_compute_security_policy'],
      },
      {
        scope: 'regions',
        apiCollection: 'regionSecurityPolicies',
        reads: 'a regional security policy',
        assetType: 'compute.googleapis.com/RegionSecurityPolicy',
        getPermission: 'compute.regionSecurityPolicies.get',
        listPermission: 'compute.regionSecurityPolicies.list',
        auditFamilies: ['compute.regionSecurityPolicies'],
        auditDocs: COMPUTE_AUDIT,
        terraformTypes: ['google_compute_region_security_policy'],
      },
    ],
  },
  {
    kind: 'gateway',
    service: 'apigateway',
    api: 'apigateway/v1',
    collection: 'gateways',
    label: 'gateway',
    pluralLabel: 'API gateways',
    hub: false,
    estateFile: 'gateways.json',
    exportedWith: 'gcloud api-gateway gateways list --format=json',
    terraformNameAttribute: 'gateway_id',
    variants: [
      {
        scope: 'locations',
        apiCollection: 'projects.locations.gateways',
        reads: 'an API gateway',
        assetType: 'apigateway.googleapis.com/Gateway',
        getPermission: 'apigateway.gateways.get',
        listPermission: 'apigateway.gateways.list',
        // One service carries every API Gateway method (CreateGateway, UpdateApiConfig, ...), v1 and v1beta.
        auditFamilies: [
          'google.cloud.apigateway.v1.ApiGatewayService',
          'google.cloud.apigateway.v1beta.ApiGatewayService',
        ],
        auditDocs: API_GATEWAY_AUDIT,
        terraformTypes: ['google_api_gateway_gateway'],
      },
    ],
  },
  {
    kind: 'apiConfig',
    service: 'apigateway',
    api: 'apigateway/v1',
    collection: 'configs',
    label: 'API config',
    pluralLabel: 'API configs',
    hub: true,
    estateFile: 'api-configs.json',
    exportedWith:
      'gcloud api-gateway api-configs describe CONFIG --api=API --view=FULL --format=json, one per config',
    terraformNameAttribute: 'api_config_id',
    variants: [
      {
        scope: 'locations',
        apiCollection: 'projects.locations.apis.configs',
        reads: 'an API config (view=FULL)',
        assetType: 'apigateway.googleapis.com/ApiConfig',
        getPermission: 'apigateway.apiconfigs.get',
        auditFamilies: [
          'google.cloud.apigateway.v1.ApiGatewayService',
          'google.cloud.apigateway.v1beta.ApiGatewayService',
        ],
        auditDocs: API_GATEWAY_AUDIT,
        terraformTypes: ['google_api_gateway_api_config'],
      },
    ],
  },
];

const DESCRIPTOR_BY_KIND = new Map(
  RESOURCE_KIND_DESCRIPTORS.map((descriptor) => [descriptor.kind, descriptor]),
);

export function descriptorOf(kind: ResourceKind): ResourceKindDescriptor {
  const descriptor = DESCRIPTOR_BY_KIND.get(kind);
  if (!descriptor) throw new Error(`no descriptor for resource kind ${kind}`);
  return descriptor;
}

/** The variant of a kind living in a scope (`regions` for a regional URL map), if the kind has one there. */
export function variantOf(
  collection: string,
  scope: VariantScope,
): { readonly descriptor: ResourceKindDescriptor; readonly variant: KindVariant } | undefined {
  const descriptor = RESOURCE_KIND_DESCRIPTORS.find((candidate) => candidate.collection === collection);
  const variant = descriptor?.variants.find((candidate) => candidate.scope === scope);
  return descriptor && variant ? { descriptor, variant } : undefined;
}

/** Kinds shared by many resources: see ResourceKindDescriptor.hub. */
export const HUB_KINDS: ReadonlySet<ResourceKind> = new Set(
  RESOURCE_KIND_DESCRIPTORS.filter((descriptor) => descriptor.hub).map((descriptor) => descriptor.kind),
);

/** API collection name (the path segment) -> kind. Regional and global collections share names. */
// No prototype: collections come from outside (links, audit-log names), and `constructor` is a valid path segment.
export const KIND_BY_COLLECTION: Readonly<Record<string, ResourceKind>> = Object.assign(
  Object.create(null) as Record<string, ResourceKind>,
  Object.fromEntries(RESOURCE_KIND_DESCRIPTORS.map((descriptor) => [descriptor.collection, descriptor.kind])),
);

/** CAI asset type, e.g. `compute.googleapis.com/BackendService` or `.../RegionBackendService`. */
export function assetTypeOf(kind: ResourceKind, regional: boolean): string {
  const { variants } = descriptorOf(kind);
  const wanted = regional ? ['regions', 'locations'] : ['global', 'locations'];
  return (variants.find((variant) => wanted.includes(variant.scope)) ?? variants[0])?.assetType ?? '';
}

/** How messages name one resource of a kind. */
export const KIND_LABELS: Readonly<Record<ResourceKind, string>> = Object.fromEntries(
  RESOURCE_KIND_DESCRIPTORS.map((descriptor) => [descriptor.kind, descriptor.label]),
) as Record<ResourceKind, string>;

/** How progress lines and docs name many resources of a kind. */
export const KIND_PLURAL_LABELS: Readonly<Record<ResourceKind, string>> = Object.fromEntries(
  RESOURCE_KIND_DESCRIPTORS.map((descriptor) => [descriptor.kind, descriptor.pluralLabel]),
) as Record<ResourceKind, string>;

/** Every audit-log method family that changes a judged kind, per service, in descriptor order, once each. */
export function handledMethodFamilies(
  descriptors: readonly ResourceKindDescriptor[] = RESOURCE_KIND_DESCRIPTORS,
): { readonly compute: string[]; readonly apigateway: string[] } {
  const families = { compute: [] as string[], apigateway: [] as string[] };
  for (const descriptor of descriptors) {
    for (const variant of descriptor.variants) {
      for (const family of variant.auditFamilies) {
        const list = families[descriptor.service];
        if (!list.includes(family)) list.push(family);
      }
    }
  }
  return families;
}
