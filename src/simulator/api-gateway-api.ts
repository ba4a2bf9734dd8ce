// API Gateway v1 routes: gateways (any location or `-`), APIs, API configs (`view=FULL`), done operations.

import { randomBytes } from 'node:crypto';
import { ApiError, badRequest, notFound } from './api-error.js';
import { newOperationName } from './audit-entries.js';
import { pageOf } from './paging.js';
import { type HandlerResult, type RequestContext, UnknownRouteError } from './request-context.js';
import { escapeRegExp, type StoredRecord } from './store.js';

interface CollectionSpec {
  /** Key of the list in list responses. */
  readonly listKey: string;
  /** Query parameter naming the new resource's ID on create. */
  readonly idParameter: string;
  readonly typeName: string;
}

const COLLECTIONS: Readonly<Record<string, CollectionSpec>> = {
  gateways: { listKey: 'gateways', idParameter: 'gatewayId', typeName: 'Gateway' },
  apis: { listKey: 'apis', idParameter: 'apiId', typeName: 'Api' },
  configs: { listKey: 'apiConfigs', idParameter: 'apiConfigId', typeName: 'ApiConfig' },
};

const OUTPUT_ONLY_FIELDS = [
  'name',
  'createTime',
  'updateTime',
  'state',
  'defaultHostname',
  'serviceConfigId',
];
const RESOURCE_ID = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;
// Region codes in `defaultHostname` (`orders-gw-8k2j4h1q.uc.gateway.dev`); unknown regions get `xx`.
const REGION_CODES: Readonly<Record<string, string>> = {
  'us-central1': 'uc',
  'us-east1': 'ue',
  'europe-west1': 'ew',
  'europe-west2': 'nw',
  'asia-northeast1': 'an',
};

interface Target {
  readonly project: string;
  readonly location: string;
  /** `gateways`, `apis`, `configs` or `operations`. */
  readonly collection: string;
  /** Path of the collection: `projects/P/locations/L/gateways`, `.../apis/A/configs`. */
  readonly parent: string;
  readonly id: string | undefined;
}

export function handleApiGateway(ctx: RequestContext): HandlerResult {
  const target = parseTarget(ctx);
  if (!target) throw new UnknownRouteError();
  if (target.collection === 'operations') {
    if (ctx.method !== 'GET' || !target.id) throw new UnknownRouteError();
    const path = `${target.parent}/${target.id}`;
    const found = ctx.store.getOperation(path);
    if (!found) throw notFound(path);
    return { status: 200, body: found };
  }
  const spec = COLLECTIONS[target.collection];
  if (!spec) throw new UnknownRouteError();
  if (target.id === undefined) {
    if (ctx.method === 'GET') return list(ctx, target, spec);
    if (ctx.method === 'POST') return create(ctx, target, spec);
  } else {
    if (ctx.method === 'GET') return get(ctx, target);
    if (ctx.method === 'PATCH') return patch(ctx, target);
    if (ctx.method === 'DELETE') return remove(ctx, target);
  }
  throw new UnknownRouteError();
}

function parseTarget(ctx: RequestContext): Target | undefined {
  const [projects, rawProject, locations, location, collection, id, sub, subId, ...extra] = ctx.segments;
  if (projects !== 'projects' || !rawProject || locations !== 'locations' || !location || !collection) {
    return undefined;
  }
  if (extra.length > 0) return undefined;
  const project = ctx.store.projectIdOf(rawProject);
  const base = `projects/${project}/locations/${location}`;
  if (sub !== undefined) {
    if (collection !== 'apis' || sub !== 'configs' || !id || location !== 'global') return undefined;
    return { project, location, collection: 'configs', parent: `${base}/apis/${id}/configs`, id: subId };
  }
  if (collection === 'apis' && location !== 'global') return undefined;
  if (collection === 'gateways' && location === '-' && id !== undefined) return undefined;
  return { project, location, collection, parent: `${base}/${collection}`, id };
}

function present(ctx: RequestContext, target: Target, record: StoredRecord): StoredRecord {
  if (target.collection !== 'configs' || ctx.query.get('view') === 'FULL') return record;
  // BASIC (the default) leaves the source files out.
  const shown: StoredRecord = { ...record };
  for (const field of ['openapiDocuments', 'managedServiceConfigs', 'grpcServices']) {
    const entries = shown[field];
    if (Array.isArray(entries)) shown[field] = entries.map(withoutContents);
  }
  return shown;
}

function withoutContents(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object') return entry;
  const copy: StoredRecord = { ...(entry as StoredRecord) };
  delete copy.contents;
  delete copy.fileDescriptorSet;
  if (copy.document && typeof copy.document === 'object') {
    const { contents: _omitted, ...document } = copy.document as StoredRecord;
    copy.document = document;
  }
  if (Array.isArray(copy.source)) copy.source = copy.source.map(withoutContents);
  return copy;
}

function get(ctx: RequestContext, target: Target): HandlerResult {
  const path = `${target.parent}/${target.id}`;
  const { record, stale } = ctx.store.readForGet(path);
  const fault = stale ? { fault: 'stale read' } : {};
  if (!record) return { status: 404, body: resourceNotFound(path).toBody(), ...fault };
  return { status: 200, body: present(ctx, target, record), ...fault };
}

function list(ctx: RequestContext, target: Target, spec: CollectionSpec): HandlerResult {
  const parent =
    target.location === '-'
      ? `projects/${target.project}/locations/[^/]+/${target.collection}`
      : escapeRegExp(target.parent);
  const all = ctx.store.listChildren(new RegExp(`^${parent}/[^/]+$`));
  const { page, nextPageToken: next } = pageOf(all, ctx.query, 'pageSize', 1000);
  // proto3 JSON leaves empty lists out, so an empty answer is `{}`.
  return {
    status: 200,
    body: {
      ...(page.length > 0 ? { [spec.listKey]: page.map(([, record]) => present(ctx, target, record)) } : {}),
      ...(next ? { nextPageToken: next } : {}),
    },
  };
}

function create(ctx: RequestContext, target: Target, spec: CollectionSpec): HandlerResult {
  if (target.location === '-') throw badRequest('Resources cannot be created in location "-".');
  const id = ctx.query.get(spec.idParameter);
  if (!id || !RESOURCE_ID.test(id)) {
    throw badRequest(
      `Invalid ${spec.idParameter} ${JSON.stringify(id ?? '')}: use lower-case letters, digits and hyphens.`,
    );
  }
  if (target.collection === 'configs') {
    const apiPath = target.parent.replace(/\/configs$/, '');
    if (!ctx.store.has(apiPath)) throw resourceNotFound(apiPath);
  }
  const path = `${target.parent}/${id}`;
  if (ctx.store.has(path)) throw new ApiError(409, 'alreadyExists', `Resource '${path}' already exists`);
  const body = requireBody(ctx);
  const time = ctx.now.toISOString();
  const record: StoredRecord = {
    ...withoutOutputOnly(body),
    name: path,
    createTime: time,
    updateTime: time,
    state: 'ACTIVE',
    ...outputFieldsOf(target, id),
  };
  ctx.store.put(path, record, staleReadsFor(ctx, path));
  return done(ctx, target, path, record, { service: 'apigateway', verb: 'create', resourceName: path, body });
}

function patch(ctx: RequestContext, target: Target): HandlerResult {
  const path = `${target.parent}/${target.id}`;
  const current = ctx.store.get(path);
  if (!current) throw resourceNotFound(path);
  const body = requireBody(ctx);
  const mask = ctx.query.get('updateMask');
  const fields = mask
    ? mask
        .split(',')
        .map((field) => field.trim())
        .filter(Boolean)
    : Object.keys(body);
  const next: StoredRecord = { ...current };
  for (const field of fields) {
    const top = field.split('.')[0] ?? field;
    if (OUTPUT_ONLY_FIELDS.includes(top)) continue;
    if (body[top] === undefined) delete next[top];
    else next[top] = body[top];
  }
  next.updateTime = ctx.now.toISOString();
  ctx.store.put(path, next, staleReadsFor(ctx, path));
  return done(ctx, target, path, next, {
    service: 'apigateway',
    verb: 'update',
    resourceName: path,
    body,
    updateMask: fields.join(','),
  });
}

function remove(ctx: RequestContext, target: Target): HandlerResult {
  const path = `${target.parent}/${target.id}`;
  if (!ctx.store.has(path)) throw resourceNotFound(path);
  if (
    target.collection === 'apis' &&
    ctx.store.listChildren(new RegExp(`^${escapeRegExp(path)}/configs/`)).length
  ) {
    throw new ApiError(400, 'failedPrecondition', `API '${path}' still has configs; delete them first.`);
  }
  ctx.store.delete(path, staleReadsFor(ctx, path));
  return done(ctx, target, path, undefined, { service: 'apigateway', verb: 'delete', resourceName: path });
}

function done(
  ctx: RequestContext,
  target: Target,
  path: string,
  record: StoredRecord | undefined,
  mutation: NonNullable<HandlerResult['mutation']>,
): HandlerResult {
  const location = target.collection === 'gateways' ? target.location : 'global';
  const name = `projects/${target.project}/locations/${location}/operations/${newOperationName(ctx.now)}`;
  const spec = COLLECTIONS[target.collection];
  const time = ctx.now.toISOString();
  const verb = mutation.verb;
  const operation: StoredRecord = {
    name,
    metadata: {
      '@type': 'type.googleapis.com/google.cloud.apigateway.v1.OperationMetadata',
      createTime: time,
      endTime: time,
      target: path,
      verb,
      apiVersion: 'v1',
    },
    done: true,
    response: record
      ? { '@type': `type.googleapis.com/google.cloud.apigateway.v1.${spec?.typeName}`, ...record }
      : { '@type': 'type.googleapis.com/google.protobuf.Empty' },
  };
  ctx.store.putOperation(name, operation);
  return { status: 200, body: operation, mutation };
}

function outputFieldsOf(target: Target, id: string): StoredRecord {
  const hash = randomBytes(4).toString('hex');
  if (target.collection === 'gateways') {
    return { defaultHostname: `${id}-${hash}.${REGION_CODES[target.location] ?? 'xx'}.gateway.dev` };
  }
  if (target.collection === 'apis') {
    return { managedService: `${id}-${hash}${hash}.apigateway.${target.project}.cloud.goog` };
  }
  return { serviceConfigId: `${id}-${hash}` };
}

function staleReadsFor(ctx: RequestContext, path: string): number {
  return ctx.faults.staleReadsFor(`/v1/${path}`);
}

function resourceNotFound(path: string): ApiError {
  return new ApiError(404, 'notFound', `Resource '${path}' was not found`);
}

function requireBody(ctx: RequestContext): StoredRecord {
  if (ctx.body === undefined) return {};
  if (ctx.body === null || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) {
    throw badRequest('The request body must be a JSON object.', 'parseError');
  }
  return ctx.body as StoredRecord;
}

function withoutOutputOnly(body: StoredRecord): StoredRecord {
  const copy: StoredRecord = { ...body };
  for (const field of OUTPUT_ONLY_FIELDS) delete copy[field];
  return copy;
}
