// Turns a planned Terraform resource (snake_case, blocks as lists) into the API record the engine judges
// (camelCase, single blocks as objects, links as selfLinks), and lists which API fields are unknown until apply.

import { parseResourceRef } from '../domain/resource-name.js';
import type { ApiRecord } from '../domain/resources.js';
import { isObject } from './plan-file.js';
import type { PlanInstance } from './plan-index.js';
import type { ResolvedInstance } from './references.js';
import {
  COLLECTION_SCOPE_OF_FIELD,
  computeSelfLink,
  type Identity,
  type ResourceTypeSpec,
} from './resource-types.js';

/** Where the provider's attribute name is not the API field name in camelCase. */
const RENAMES: Readonly<Record<string, string>> = {
  backend: 'backends',
  enable_cdn: 'enableCDN',
  host_rule: 'hostRules',
  path_matcher: 'pathMatchers',
  path_rule: 'pathRules',
  ip_address: 'IPAddress',
  ip_protocol: 'IPProtocol',
};

/** Blocks the provider models as a list of at most one element; the API has a single object there. */
const SINGLE_BLOCKS: ReadonlySet<string> = new Set([
  'log_config',
  'iap',
  'cdn_policy',
  'cache_key_policy',
  'negative_caching_policy',
  'consistent_hash',
  'http_cookie',
  'ttl',
  'outlier_detection',
  'base_ejection_time',
  'interval',
  'circuit_breakers',
  'connect_timeout',
  'security_settings',
  'serverless_deployment',
  'cloud_run',
  'app_engine',
  'cloud_function',
  'psc_data',
  'default_url_redirect',
  'default_route_action',
  'route_action',
  'url_redirect',
  'url_rewrite',
  'header_action',
  'cors_policy',
  'fault_injection_policy',
  'request_mirror_policy',
  'retry_policy',
  'timeout',
  'max_stream_duration',
  'default_custom_error_response_policy',
  'custom_error_response_policy',
  'document',
  'file_descriptor_set',
  'gateway_config',
  'backend_config',
  'adaptive_protection_config',
  'advanced_options_config',
]);

/**
 * Attributes that are not API fields (Terraform bookkeeping, identity parts rebuilt from the identity) or must
 * never be copied: the IAP OAuth client secret is in the plan in clear text and could reach reports.
 */
const DROPPED: ReadonlySet<string> = new Set([
  'id',
  'project',
  'name',
  'region',
  'zone',
  'gateway_id',
  'api',
  'api_config_id',
  'api_config_id_prefix',
  'self_link',
  'self_link_unique',
  'generated_id',
  'creation_timestamp',
  'fingerprint',
  'timeouts',
  'effective_labels',
  'terraform_labels',
  'map_id',
  'proxy_id',
  'connection_draining_timeout_sec',
  'oauth2_client_secret',
  'oauth2_client_secret_sha256',
]);

/**
 * API defaults for attributes the provider marks computed: on a create where the configuration does not set
 * them, the provider sends nothing and the API fills these in, so they are not "unknown" in any way a rule
 * cares about.
 */
const API_DEFAULTS_ON_CREATE: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  backendService: { protocol: 'HTTP', port_name: 'http', session_affinity: 'NONE', timeout_sec: 30 },
};

export interface UnknownField {
  /** Terraform attribute path: `backend[0].group`. */
  readonly attribute: string;
  /** API field path, as rules read it: `backends[].group`. */
  readonly field: string;
}

function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}

export function apiNameOf(attribute: string): string {
  return RENAMES[attribute] ?? camelCase(attribute);
}

function convert(value: unknown, sensitive: unknown): unknown {
  if (Array.isArray(value)) {
    const sensitiveItems = Array.isArray(sensitive) ? sensitive : [];
    return value.flatMap((item, index) =>
      item === null || item === undefined || sensitiveItems[index] === true
        ? []
        : [convert(item, sensitiveItems[index])],
    );
  }
  if (!isObject(value)) return value;
  const sensitiveMap = isObject(sensitive) ? sensitive : {};
  const record: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined || sensitiveMap[key] === true) continue;
    if (key === 'oauth2_client_secret' || key === 'oauth2_client_secret_sha256') continue;
    if (SINGLE_BLOCKS.has(key) && Array.isArray(item)) {
      if (item.length === 0 || !isObject(item[0])) continue;
      const sensitiveItem = Array.isArray(sensitiveMap[key])
        ? (sensitiveMap[key] as unknown[])[0]
        : undefined;
      record[apiNameOf(key)] = convert(item[0], sensitiveItem);
      continue;
    }
    record[apiNameOf(key)] = convert(item, sensitiveMap[key]);
  }
  return record;
}

function collectUnknown(tree: unknown, path: readonly (string | number)[], out: (string | number)[][]): void {
  if (tree === true) {
    out.push([...path]);
  } else if (Array.isArray(tree)) {
    for (const [index, item] of tree.entries()) collectUnknown(item, [...path, index], out);
  } else if (isObject(tree)) {
    for (const [key, item] of Object.entries(tree)) collectUnknown(item, [...path, key], out);
  }
}

function toUnknownField(path: readonly (string | number)[]): UnknownField {
  let attribute = '';
  let field = '';
  let previous: string | number | undefined;
  for (const segment of path) {
    if (typeof segment === 'number') {
      attribute += `[${segment}]`;
      if (!(typeof previous === 'string' && SINGLE_BLOCKS.has(previous))) field += '[]';
    } else {
      attribute += attribute ? `.${segment}` : segment;
      field += field ? `.${apiNameOf(segment)}` : apiNameOf(segment);
    }
    previous = segment;
  }
  return { attribute, field };
}

/** Any Compute link form (id, selfLink of any version) or a bare name, as a v1 selfLink. */
function toSelfLink(value: unknown, collection: string | undefined, project: string): unknown {
  if (typeof value !== 'string' || value.length === 0) return value;
  const ref = parseResourceRef(value);
  if (ref?.service === 'compute') return computeSelfLink(ref.project, ref.path);
  if (!ref && collection && /^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(value)) {
    return computeSelfLink(project, `global/${collection}/${value}`);
  }
  return value;
}

function normaliseLinks(record: Record<string, unknown>, project: string): void {
  for (const [field, collection] of Object.entries(COLLECTION_SCOPE_OF_FIELD)) {
    const value = record[field];
    if (Array.isArray(value)) record[field] = value.map((item) => toSelfLink(item, collection, project));
    else if (value !== undefined) record[field] = toSelfLink(value, collection, project);
  }
  for (const field of ['target', 'defaultService', 'network', 'subnetwork']) {
    if (record[field] !== undefined) record[field] = toSelfLink(record[field], undefined, project);
  }
  const backends = record.backends;
  if (Array.isArray(backends)) {
    record.backends = backends.map((backend) =>
      isObject(backend) && backend.group !== undefined
        ? { ...backend, group: toSelfLink(backend.group, undefined, project) }
        : backend,
    );
  }
  for (const matcher of Array.isArray(record.pathMatchers) ? record.pathMatchers : []) {
    if (!isObject(matcher)) continue;
    normaliseRouteLinks(matcher, project);
    for (const rule of [
      ...(Array.isArray(matcher.pathRules) ? matcher.pathRules : []),
      ...(Array.isArray(matcher.routeRules) ? matcher.routeRules : []),
    ]) {
      if (isObject(rule)) normaliseRouteLinks(rule, project);
    }
  }
  normaliseRouteLinks(record, project);
}

function normaliseRouteLinks(holder: Record<string, unknown>, project: string): void {
  for (const key of ['service', 'defaultService']) {
    if (holder[key] !== undefined) holder[key] = toSelfLink(holder[key], undefined, project);
  }
  for (const key of ['routeAction', 'defaultRouteAction']) {
    const action = holder[key];
    if (!isObject(action) || !Array.isArray(action.weightedBackendServices)) continue;
    action.weightedBackendServices = action.weightedBackendServices.map((weighted) =>
      isObject(weighted)
        ? { ...weighted, backendService: toSelfLink(weighted.backendService, undefined, project) }
        : weighted,
    );
  }
}

export interface MappedRecord {
  readonly record: ApiRecord;
  readonly unknownFields: readonly UnknownField[];
}

function hasConfigExpression(
  expressions: Readonly<Record<string, unknown>> | undefined,
  key: string,
): boolean {
  return expressions !== undefined && key in expressions;
}

export function toApiRecord(
  resolved: ResolvedInstance,
  spec: ResourceTypeSpec & { kind: NonNullable<ResourceTypeSpec['kind']> },
  identity: Identity,
  expressions: Readonly<Record<string, unknown>> | undefined,
): MappedRecord {
  const instance: PlanInstance = resolved.instance;
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resolved.values)) if (!DROPPED.has(key)) values[key] = value;

  const paths: (string | number)[][] = [];
  collectUnknown(resolved.unknown, [], paths);
  const defaults = instance.actions.includes('create') ? (API_DEFAULTS_ON_CREATE[spec.kind] ?? {}) : {};
  const unknownFields: UnknownField[] = [];
  for (const path of paths) {
    const top = path[0];
    if (typeof top !== 'string') continue;
    if (path.length === 1 && top in defaults && !hasConfigExpression(expressions, top)) {
      values[top] = defaults[top];
      continue;
    }
    if (DROPPED.has(top)) continue;
    unknownFields.push(toUnknownField(path));
  }
  for (const part of identity.placeholders) {
    if (part === 'name') continue;
    unknownFields.push({ attribute: part, field: part === 'zone' ? 'region' : part });
  }

  const record = convert(values, instance.sensitive) as Record<string, unknown>;
  const { project, path } = identity;
  if (identity.service === 'compute') {
    record.name = identity.name;
    record.selfLink = computeSelfLink(project, path);
    const [scope, location] = path.split('/');
    if (scope === 'regions' && location) record.region = computeSelfLink(project, `regions/${location}`);
    if (scope === 'zones' && location) record.zone = computeSelfLink(project, `zones/${location}`);
    normaliseLinks(record, project);
  } else {
    record.name = `projects/${project}/${path}`;
  }
  if (spec.kind === 'backendService') shapeBackendService(record, resolved.values);
  if (spec.kind === 'gateway') shapeGateway(record, identity, unknownFields);
  if (spec.kind === 'apiConfig') shapeApiConfig(record);
  return { record, unknownFields };
}

function shapeBackendService(
  record: Record<string, unknown>,
  values: Readonly<Record<string, unknown>>,
): void {
  if (typeof values.connection_draining_timeout_sec === 'number') {
    record.connectionDraining = { drainingTimeoutSec: values.connection_draining_timeout_sec };
  }
  // Before provider 6.0 the `iap` block had no `enabled`: its presence turned IAP on.
  const iap = record.iap;
  if (isObject(iap) && iap.enabled === undefined) record.iap = { ...iap, enabled: true };
}

function shapeGateway(
  record: Record<string, unknown>,
  identity: Identity,
  unknownFields: UnknownField[],
): void {
  if (typeof record.apiConfig === 'string') {
    const match = /(?:^|\/)projects\/([^/]+)\/locations\/global\/apis\/([^/]+)\/configs\/([^/]+)$/.exec(
      record.apiConfig,
    );
    if (match)
      record.apiConfig = `projects/${match[1]}/locations/global/apis/${match[2]}/configs/${match[3]}`;
  }
  // The hostname is assigned at creation; rules quote it as evidence but never judge it.
  if (record.defaultHostname === undefined) {
    record.defaultHostname = `${identity.name}-known-after-apply.gateway.dev`;
    const index = unknownFields.findIndex((field) => field.field === 'defaultHostname');
    if (index >= 0) unknownFields.splice(index, 1);
  }
}

function shapeApiConfig(record: Record<string, unknown>): void {
  const gatewayConfig = record.gatewayConfig;
  if (isObject(gatewayConfig) && isObject(gatewayConfig.backendConfig)) {
    const account = gatewayConfig.backendConfig.googleServiceAccount;
    if (typeof account === 'string') record.gatewayServiceAccount = account;
  }
  delete record.gatewayConfig;
}
