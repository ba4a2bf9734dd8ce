// The hashicorp/google resource types the plan reader knows: which API kind each becomes, and how its identity
// (project, location, name -> selfLink / Terraform `id`) is built from its planned values.

import {
  type KindVariant,
  RESOURCE_KIND_DESCRIPTORS,
  type ResourceKind,
  type ResourceKindDescriptor,
} from '../domain/resource-kind.js';

export type Scope = 'global' | 'region' | 'zone' | 'gateway-region' | 'api' | 'api-config';

export interface ResourceTypeSpec {
  /** The kind the engine judges; absent for types only followed as link targets (health checks, instance groups). */
  readonly kind?: ResourceKind;
  readonly scope: Scope;
  /** API collection in the path: `backendServices`, `networkEndpointGroups`... */
  readonly collection: string;
  /** Attribute holding the short name. */
  readonly nameAttribute: string;
}

const compute = (
  scope: 'global' | 'region' | 'zone',
  collection: string,
  kind?: ResourceKind,
): ResourceTypeSpec => ({ scope, collection, nameAttribute: 'name', ...(kind ? { kind } : {}) });

/** The plan scope of a judged kind's variant: where its identity's path puts it. */
function planScopeOf(descriptor: ResourceKindDescriptor, variant: KindVariant): Scope {
  switch (variant.scope) {
    case 'global':
      return 'global';
    case 'regions':
      return 'region';
    case 'zones':
      return 'zone';
    case 'locations':
      return descriptor.kind === 'apiConfig' ? 'api-config' : 'gateway-region';
  }
}

/** Every Terraform type that plans a judged kind, from the kinds' descriptors. */
export function judgedResourceTypesOf(
  descriptors: readonly ResourceKindDescriptor[],
): Record<string, ResourceTypeSpec> {
  const types: Record<string, ResourceTypeSpec> = {};
  for (const descriptor of descriptors) {
    for (const variant of descriptor.variants) {
      for (const type of variant.terraformTypes) {
        types[type] = {
          kind: descriptor.kind,
          scope: planScopeOf(descriptor, variant),
          collection: descriptor.collection,
          nameAttribute: descriptor.terraformNameAttribute,
        };
      }
    }
  }
  return types;
}

export const RESOURCE_TYPES: Readonly<Record<string, ResourceTypeSpec>> = {
  ...judgedResourceTypesOf(RESOURCE_KIND_DESCRIPTORS),
  // Link targets only: a reference to them becomes a link the graph can classify (instance group, health check).
  google_api_gateway_api: { scope: 'api', collection: 'apis', nameAttribute: 'api_id' },
  google_compute_health_check: compute('global', 'healthChecks'),
  google_compute_region_health_check: compute('region', 'healthChecks'),
  google_compute_http_health_check: compute('global', 'httpHealthChecks'),
  google_compute_https_health_check: compute('global', 'httpsHealthChecks'),
  google_compute_instance_group: compute('zone', 'instanceGroups'),
  google_compute_instance_group_manager: compute('zone', 'instanceGroups'),
  google_compute_region_instance_group_manager: compute('region', 'instanceGroups'),
  google_compute_backend_bucket: compute('global', 'backendBuckets'),
  google_compute_ssl_certificate: compute('global', 'sslCertificates'),
  google_compute_managed_ssl_certificate: compute('global', 'sslCertificates'),
  google_compute_region_ssl_certificate: compute('region', 'sslCertificates'),
  google_compute_global_address: compute('global', 'addresses'),
};

/** A compute collection's bare-name links (`security_policy = "waf"`) and the scope they live in. */
export const COLLECTION_SCOPE_OF_FIELD: Readonly<Record<string, string>> = {
  securityPolicy: 'securityPolicies',
  edgeSecurityPolicy: 'securityPolicies',
  sslPolicy: 'sslPolicies',
  urlMap: 'urlMaps',
  healthChecks: 'healthChecks',
  sslCertificates: 'sslCertificates',
};

export const UNKNOWN_PROJECT = 'unknown-project';
export const UNKNOWN_REGION = 'unknown-region';
export const UNKNOWN_ZONE = 'unknown-zone';

export interface Identity {
  readonly service: 'compute' | 'apigateway';
  readonly project: string;
  /** Path after `projects/{project}/`: `global/backendServices/api`, `locations/us-central1/gateways/gw`. */
  readonly path: string;
  readonly name: string;
  /** Which identity parts were placeholders because the plan does not know them yet. */
  readonly placeholders: readonly string[];
}

export interface IdentityDefaults {
  readonly project?: string;
  readonly region?: string;
}

function knownString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && !value.includes('/') ? value : undefined;
}

/** The last path segment of a link-valued attribute (`region` may be a URL in some resources). */
function lastSegmentOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return value.split('/').filter(Boolean).pop();
}

/** A stable stand-in for a name Terraform will choose at apply (`name_prefix`, random suffixes). */
export function placeholderName(address: string): string {
  const slug = address
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `tf-${slug}`.slice(0, 63).replace(/-+$/, '');
}

export function identityOf(
  spec: ResourceTypeSpec,
  values: Readonly<Record<string, unknown>>,
  address: string,
  defaults: IdentityDefaults,
  unknown: unknown = undefined,
): Identity {
  const placeholders: string[] = [];
  // A value unknown until apply must not fall back to the provider's default: the plan says it will differ.
  const unknownMap =
    typeof unknown === 'object' && unknown !== null ? (unknown as Record<string, unknown>) : {};
  const fallback = (attribute: string, value: string | undefined): string | undefined =>
    unknownMap[attribute] === true ? undefined : value;
  const pick = (label: string, value: string | undefined, fallback: string): string => {
    if (value) return value;
    placeholders.push(label);
    return fallback;
  };
  const project = pick(
    'project',
    knownString(values.project) ?? fallback('project', defaults.project),
    UNKNOWN_PROJECT,
  );
  const name = pick('name', knownString(values[spec.nameAttribute]), placeholderName(address));
  const region = (): string =>
    pick('region', lastSegmentOf(values.region) ?? fallback('region', defaults.region), UNKNOWN_REGION);
  switch (spec.scope) {
    case 'global':
      return { service: 'compute', project, name, path: `global/${spec.collection}/${name}`, placeholders };
    case 'region':
      return {
        service: 'compute',
        project,
        name,
        path: `regions/${region()}/${spec.collection}/${name}`,
        placeholders,
      };
    case 'zone': {
      const zone = pick('zone', lastSegmentOf(values.zone), UNKNOWN_ZONE);
      return {
        service: 'compute',
        project,
        name,
        path: `zones/${zone}/${spec.collection}/${name}`,
        placeholders,
      };
    }
    case 'gateway-region':
      return {
        service: 'apigateway',
        project,
        name,
        path: `locations/${region()}/gateways/${name}`,
        placeholders,
      };
    case 'api':
      return { service: 'apigateway', project, name, path: `locations/global/apis/${name}`, placeholders };
    case 'api-config': {
      const api = pick('api', lastSegmentOf(values.api), 'unknown-api');
      return {
        service: 'apigateway',
        project,
        name,
        path: `locations/global/apis/${api}/configs/${name}`,
        placeholders,
      };
    }
  }
}

export function computeSelfLink(project: string, path: string): string {
  return `https://www.googleapis.com/compute/v1/projects/${project}/${path}`;
}

/**
 * What another resource reads from this one: Terraform's `id` (`projects/P/...`), `self_link`, `name` (the
 * full name for API Gateway), `instance_group` (instance group managers). Undefined for other attributes.
 */
export function identityAttribute(identity: Identity, attribute: string): string | undefined {
  const relative = `projects/${identity.project}/${identity.path}`;
  switch (attribute) {
    case 'id':
      return relative;
    case 'self_link':
    case 'self_link_unique':
    case 'instance_group':
      return identity.service === 'compute' ? computeSelfLink(identity.project, identity.path) : undefined;
    case 'name':
      return identity.service === 'compute' ? identity.name : relative;
    default:
      return undefined;
  }
}
