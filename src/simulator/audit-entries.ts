// Builds Cloud Audit Log entries (`first` and `last`) for a Compute or API Gateway change, as the sink delivers them.
// Pure: pass `time`, `operationName` and `insertIds` to get the same entries every time (test fixtures).

import { randomBytes, randomUUID } from 'node:crypto';
import { variantOf } from '../domain/resource-kind.js';

export interface ComputeMutation {
  readonly service: 'compute';
  /** API version of the request path: `v1`, `beta` or `alpha` (the method name prefix). */
  readonly version: string;
  /** `insert`, `patch`, `update`, `delete`, `setSecurityPolicy`, `setEdgeSecurityPolicy`, ... */
  readonly verb: string;
  /** `projects/P/global/backendServices/N`, `projects/P/regions/R/networkEndpointGroups/N`, ... */
  readonly resourceName: string;
  readonly targetId?: string;
  /** The request body as sent (absent for delete). */
  readonly body?: Readonly<Record<string, unknown>>;
}

export interface ApiGatewayMutation {
  readonly service: 'apigateway';
  /** `v1` or `v1beta`. */
  readonly version?: string;
  readonly verb: 'create' | 'update' | 'delete';
  /** `projects/P/locations/L/gateways/G`, `projects/P/locations/global/apis/A[/configs/C]`. */
  readonly resourceName: string;
  readonly body?: Readonly<Record<string, unknown>>;
  readonly updateMask?: string;
}

export type Mutation = ComputeMutation | ApiGatewayMutation;

export interface AuditContext {
  readonly principal: string;
  readonly time: Date;
  readonly callerIp?: string;
  readonly userAgent?: string;
  /** Compute: `operation-...`; API Gateway: `projects/P/locations/L/operations/operation-...`. */
  readonly operationName?: string;
  readonly insertIds?: readonly [string, string];
  readonly rootTriggerId?: string;
}

export interface AuditLogEntry {
  readonly protoPayload: Record<string, unknown>;
  readonly insertId: string;
  readonly resource: { readonly type: string; readonly labels: Readonly<Record<string, string>> };
  readonly timestamp: string;
  readonly severity: 'NOTICE';
  readonly labels?: Readonly<Record<string, string>>;
  readonly logName: string;
  readonly operation: {
    readonly id: string;
    readonly producer: string;
    readonly first?: true;
    readonly last?: true;
  };
  readonly receiveTimestamp: string;
}

const AUDIT_LOG_TYPE = 'type.googleapis.com/google.cloud.audit.AuditLog';
// The real `last` entry follows the first by the operation's run time; a fixed gap keeps fixtures stable. The
// simulator applies a change when it answers, which is when the operation ends: `last` carries that time and
// `first` the moment the request was accepted, so no entry is stamped after the state it reports was visible.
const OPERATION_RUN_TIME_MS = 1500;
const RECEIVE_DELAY_MS = 420;

/** The two entries an audited long-running change logs: `first` (request, RUNNING operation) and `last`. */
export function buildAuditEntries(
  mutation: Mutation,
  context: AuditContext,
): readonly [AuditLogEntry, AuditLogEntry] {
  return mutation.service === 'compute'
    ? buildComputeEntries(mutation, context)
    : buildApiGatewayEntries(mutation, context);
}

/** `v1.compute.regionNetworkEndpointGroups.insert` for a path, version and verb. */
export function computeMethodName(version: string, resourceName: string, verb: string): string {
  return `${version}.compute.${computeApiCollection(resourceName)}.${verb}`;
}

/** `google.cloud.apigateway.v1.ApiGatewayService.CreateGateway` for a resource name and verb. */
export function apiGatewayMethodName(version: string, resourceName: string, verb: string): string {
  return `google.cloud.apigateway.${version}.ApiGatewayService.${capitalise(verb)}${apiGatewayKind(resourceName)}`;
}

function buildComputeEntries(
  mutation: ComputeMutation,
  context: AuditContext,
): [AuditLogEntry, AuditLogEntry] {
  const { version, verb, resourceName } = mutation;
  const parts = parseComputeName(resourceName);
  const apiCollection = computeApiCollection(resourceName);
  const methodName = computeMethodName(version, resourceName, verb);
  const operationName = context.operationName ?? newOperationName(context.time);
  const targetId = mutation.targetId ?? '0';
  const scopePath = parts.scope === 'global' ? 'global' : `${parts.scope}/${parts.location}`;
  const requestType = `type.googleapis.com/compute.${apiCollection}.${verb}`;
  const payload = {
    '@type': AUDIT_LOG_TYPE,
    status: {},
    authenticationInfo: { principalEmail: context.principal },
    requestMetadata: requestMetadataOf(context),
    serviceName: 'compute.googleapis.com',
    methodName,
    authorizationInfo: [
      {
        permission: permissionOf(resourceName, verb),
        granted: true,
        resourceAttributes: { service: 'compute', name: resourceName, type: `compute.${parts.collection}` },
      },
    ],
    resourceName,
  };
  const resource = computeMonitoredResource(parts, targetId);
  const labels = { 'compute.googleapis.com/root_trigger_id': context.rootTriggerId ?? randomUUID() };
  const operationResponse = {
    '@type': 'type.googleapis.com/operation',
    name: operationName,
    operationType: verb,
    status: 'RUNNING',
    progress: '0',
    targetId,
    targetLink: `https://www.googleapis.com/compute/${version}/${resourceName}`,
    user: context.principal,
    insertTime: new Date(context.time.getTime() - OPERATION_RUN_TIME_MS).toISOString(),
    startTime: new Date(context.time.getTime() - OPERATION_RUN_TIME_MS).toISOString(),
    selfLink: `https://www.googleapis.com/compute/${version}/projects/${parts.project}/${scopePath}/operations/${operationName}`,
    ...(parts.scope === 'global'
      ? {}
      : {
          [parts.scope === 'zones' ? 'zone' : 'region']:
            `https://www.googleapis.com/compute/${version}/projects/${parts.project}/${scopePath}`,
        }),
  };
  const [firstId, lastId] = context.insertIds ?? [randomInsertId(), randomInsertId()];
  const envelope = (time: Date) => ({
    resource,
    timestamp: time.toISOString(),
    severity: 'NOTICE' as const,
    labels,
    logName: logNameOf(parts.project),
    receiveTimestamp: new Date(time.getTime() + RECEIVE_DELAY_MS).toISOString(),
  });
  const firstTime = new Date(context.time.getTime() - OPERATION_RUN_TIME_MS);
  const first: AuditLogEntry = {
    protoPayload: {
      ...payload,
      request: { '@type': requestType, ...mutation.body },
      response: operationResponse,
    },
    insertId: firstId,
    ...envelope(firstTime),
    operation: { id: operationName, producer: 'compute.googleapis.com', first: true },
  };
  const last: AuditLogEntry = {
    protoPayload: { ...payload, request: { '@type': requestType } },
    insertId: lastId,
    ...envelope(context.time),
    operation: { id: operationName, producer: 'compute.googleapis.com', last: true },
  };
  return [first, last];
}

function buildApiGatewayEntries(
  mutation: ApiGatewayMutation,
  context: AuditContext,
): [AuditLogEntry, AuditLogEntry] {
  const version = mutation.version ?? 'v1';
  const { verb, resourceName } = mutation;
  const kind = apiGatewayKind(resourceName);
  const segments = resourceName.split('/');
  const project = segments[1] ?? '';
  const location = segments[3] ?? 'global';
  const methodName = apiGatewayMethodName(version, resourceName, verb);
  const operationName =
    context.operationName ??
    `projects/${project}/locations/${location}/operations/${newOperationName(context.time)}`;
  const requestType = `type.googleapis.com/google.cloud.apigateway.${version}.${capitalise(verb)}${kind}Request`;
  const payload = {
    '@type': AUDIT_LOG_TYPE,
    status: {},
    authenticationInfo: { principalEmail: context.principal },
    requestMetadata: requestMetadataOf(context),
    serviceName: 'apigateway.googleapis.com',
    methodName,
    authorizationInfo: [
      {
        permission: `apigateway.${kind === 'ApiConfig' ? 'apiconfigs' : `${kind.toLowerCase()}s`}.${verb}`,
        granted: true,
        resourceAttributes: { service: 'apigateway.googleapis.com', name: resourceName },
      },
    ],
    resourceName,
  };
  const resource = {
    type: 'audited_resource',
    labels: { project_id: project, service: 'apigateway.googleapis.com', method: methodName },
  };
  const [firstId, lastId] = context.insertIds ?? [randomInsertId(), randomInsertId()];
  const envelope = (time: Date) => ({
    resource,
    timestamp: time.toISOString(),
    severity: 'NOTICE' as const,
    logName: logNameOf(project),
    receiveTimestamp: new Date(time.getTime() + RECEIVE_DELAY_MS).toISOString(),
  });
  const firstTime = new Date(context.time.getTime() - OPERATION_RUN_TIME_MS);
  const first: AuditLogEntry = {
    protoPayload: {
      ...payload,
      request: { '@type': requestType, ...apiGatewayRequestOf(mutation, kind) },
    },
    insertId: firstId,
    ...envelope(firstTime),
    operation: { id: operationName, producer: 'apigateway.googleapis.com', first: true },
  };
  const last: AuditLogEntry = {
    protoPayload: { ...payload, request: { '@type': requestType } },
    insertId: lastId,
    ...envelope(context.time),
    operation: { id: operationName, producer: 'apigateway.googleapis.com', last: true },
  };
  return [first, last];
}

function apiGatewayRequestOf(mutation: ApiGatewayMutation, kind: string): Record<string, unknown> {
  const field = kind === 'ApiConfig' ? 'apiConfig' : kind.toLowerCase();
  const { resourceName } = mutation;
  if (mutation.verb === 'delete') return { name: resourceName };
  if (mutation.verb === 'update') {
    return { [field]: { ...mutation.body, name: resourceName }, updateMask: mutation.updateMask ?? '' };
  }
  const slash = resourceName.lastIndexOf('/');
  const parent = resourceName.slice(0, resourceName.lastIndexOf('/', slash - 1));
  return { parent, [`${field}Id`]: resourceName.slice(slash + 1), [field]: { ...mutation.body } };
}

interface ComputeNameParts {
  readonly project: string;
  readonly scope: 'global' | 'regions' | 'zones';
  readonly location: string;
  readonly collection: string;
  readonly name: string;
}

function parseComputeName(resourceName: string): ComputeNameParts {
  const segments = resourceName.split('/');
  const project = segments[1] ?? '';
  if (segments[2] === 'global') {
    return {
      project,
      scope: 'global',
      location: 'global',
      collection: segments[3] ?? '',
      name: segments[4] ?? '',
    };
  }
  return {
    project,
    scope: segments[2] === 'zones' ? 'zones' : 'regions',
    location: segments[3] ?? '',
    collection: segments[4] ?? '',
    name: segments[5] ?? '',
  };
}

/** The API's collection name for a path (regional and global variants have their own), from the kind descriptors. */
export function computeApiCollection(resourceName: string): string {
  const { scope, collection } = parseComputeName(resourceName);
  return variantOf(collection, scope)?.variant.apiCollection ?? collection;
}

/** The IAM permission a change checks: the variant's own permission prefix (`compute.regionUrlMaps`) and the verb. */
function permissionOf(resourceName: string, verb: string): string {
  const { scope, collection } = parseComputeName(resourceName);
  const prefix =
    variantOf(collection, scope)?.variant.getPermission.replace(/\.get$/, '') ?? `compute.${collection}`;
  return `${prefix}.${permissionVerb(verb)}`;
}

function permissionVerb(verb: string): string {
  if (verb === 'insert') return 'create';
  if (verb === 'patch') return 'update';
  return verb;
}

function computeMonitoredResource(parts: ComputeNameParts, targetId: string): AuditLogEntry['resource'] {
  const base = { project_id: parts.project };
  switch (parts.collection) {
    case 'backendServices':
      return {
        type: 'gce_backend_service',
        labels: { ...base, backend_service_id: targetId, location: parts.location },
      };
    case 'networkEndpointGroups':
      // Regional NEGs log their region in the `zone` label: the resource type has no region label.
      return {
        type: 'gce_network_endpoint_group',
        labels: { ...base, zone: parts.location, network_endpoint_group_id: targetId },
      };
    case 'urlMaps':
      return { type: 'gce_url_map', labels: { ...base, url_map_id: targetId } };
    case 'targetHttpsProxies':
      return { type: 'gce_target_https_proxy', labels: { ...base, target_https_proxy_id: targetId } };
    case 'targetHttpProxies':
      return { type: 'gce_target_http_proxy', labels: { ...base, target_http_proxy_id: targetId } };
    case 'forwardingRules':
      return {
        type: 'gce_forwarding_rule',
        labels: { ...base, forwarding_rule_id: targetId, region: parts.location },
      };
    default:
      return { type: 'audited_resource', labels: { ...base, service: 'compute.googleapis.com' } };
  }
}

function apiGatewayKind(resourceName: string): 'Gateway' | 'Api' | 'ApiConfig' {
  const collection = resourceName.split('/').at(-2);
  if (collection === 'gateways') return 'Gateway';
  if (collection === 'configs') return 'ApiConfig';
  return 'Api';
}

function requestMetadataOf(context: AuditContext): Record<string, unknown> {
  return {
    callerIp: context.callerIp ?? '127.0.0.1',
    callerSuppliedUserAgent: context.userAgent ?? 'gatewarden-simulator',
    requestAttributes: { time: context.time.toISOString(), auth: {} },
    destinationAttributes: {},
  };
}

function logNameOf(project: string): string {
  return `projects/${project}/logs/cloudaudit.googleapis.com%2Factivity`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function randomInsertId(): string {
  return `-${randomBytes(8)
    .toString('base64url')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '0')
    .slice(0, 12)}`;
}

/** `operation-<ms>-<hex>-<hex>-<hex>`, the shape Compute operation names have. */
export function newOperationName(time: Date): string {
  const hex = (bytes: number) => randomBytes(bytes).toString('hex');
  return `operation-${time.getTime()}-${hex(7).slice(0, 13)}-${hex(4)}-${hex(4)}`;
}
