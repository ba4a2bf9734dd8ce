// Compute Engine v1/beta routes: get, list, aggregatedList, insert/patch/update/delete, set* actions, operations.

import { compareText } from '../domain/compare-text.js';
import {
  RESOURCE_KIND_DESCRIPTORS,
  type ResourceKindDescriptor,
  variantOf,
} from '../domain/resource-kind.js';
import { ApiError, badRequest, notFound } from './api-error.js';
import { newOperationName } from './audit-entries.js';
import { canonicaliseLinks, canonicalLink, servedLinks } from './links.js';
import { pageOf } from './paging.js';
import { type HandlerResult, type RequestContext, UnknownRouteError } from './request-context.js';
import { checkServerlessNeg } from './serverless-neg.js';
import { escapeRegExp, newFingerprint, newNumericId, type StoredRecord } from './store.js';

export type Scope = 'global' | 'regions' | 'zones';

export interface SimulatedCollection {
  /** Used in `kind`: `compute#backendService`. */
  readonly singular: string;
  readonly scopes: readonly Scope[];
}

/** Collection -> what the simulator serves of it: every Compute kind's descriptor, in the scopes it lives in. */
export function computeCollectionsOf(
  descriptors: readonly ResourceKindDescriptor[],
): Record<string, SimulatedCollection> {
  return Object.fromEntries(
    descriptors
      .filter((descriptor) => descriptor.service === 'compute')
      .map((descriptor) => [
        descriptor.collection,
        { singular: descriptor.kind, scopes: descriptor.variants.map((variant) => variant.scope as Scope) },
      ]),
  );
}

const COLLECTIONS: Readonly<Record<string, SimulatedCollection>> =
  computeCollectionsOf(RESOURCE_KIND_DESCRIPTORS);

// The v1 schema has no such fields: the real v1 API leaves them out of answers and rejects them in bodies.
const BETA_ONLY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  networkEndpointGroups: ['serverlessDeployment', 'loadBalancer'],
};

// Fields the server owns: a client's update body cannot change them.
const OUTPUT_ONLY_FIELDS = [
  'kind',
  'id',
  'creationTimestamp',
  'selfLink',
  'region',
  'zone',
  'usedBy',
] as const;
const SET_ONLY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  backendServices: ['securityPolicy', 'edgeSecurityPolicy'],
};

/**
 * `set*` actions: the body fields they copy onto the resource, and the API collections (global and regional have
 * their own method lists, as in the Compute v1 reference) that offer them. A regional HTTPS proxy has no
 * setSslPolicy: gcloud patches it instead, and the simulator refuses what the API would.
 */
export const SET_ACTIONS: Readonly<
  Record<string, { readonly fields: readonly string[]; readonly apiCollections: readonly string[] }>
> = {
  setSecurityPolicy: {
    fields: ['securityPolicy'],
    apiCollections: ['backendServices', 'regionBackendServices'],
  },
  setEdgeSecurityPolicy: { fields: ['securityPolicy'], apiCollections: ['backendServices'] },
  setUrlMap: {
    fields: ['urlMap'],
    apiCollections: [
      'targetHttpProxies',
      'regionTargetHttpProxies',
      'targetHttpsProxies',
      'regionTargetHttpsProxies',
    ],
  },
  setSslPolicy: { fields: ['sslPolicy'], apiCollections: ['targetHttpsProxies'] },
  setSslCertificates: {
    fields: ['sslCertificates'],
    apiCollections: ['targetHttpsProxies', 'regionTargetHttpsProxies'],
  },
  setQuicOverride: { fields: ['quicOverride'], apiCollections: ['targetHttpsProxies'] },
  setCertificateMap: { fields: ['certificateMap'], apiCollections: ['targetHttpsProxies'] },
  setTarget: { fields: ['target'], apiCollections: ['forwardingRules', 'globalForwardingRules'] },
  setLabels: {
    fields: ['labels'],
    apiCollections: [
      'forwardingRules',
      'globalForwardingRules',
      'securityPolicies',
      'regionSecurityPolicies',
    ],
  },
};

/** Regions every aggregated list reports (with warnings when empty) when `includeAllScopes` is set. */
const WELL_KNOWN_REGIONS = ['asia-northeast1', 'europe-west1', 'europe-west2', 'us-central1', 'us-east1'];

const RESOURCE_NAME = /^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/;

interface Target {
  readonly project: string;
  readonly scope: Scope;
  readonly location: string;
  readonly collection: string;
  readonly name: string | undefined;
  readonly action: string | undefined;
}

export async function handleCompute(ctx: RequestContext): Promise<HandlerResult> {
  const [projects, rawProject, ...rest] = ctx.segments;
  if (projects !== 'projects' || !rawProject) throw new UnknownRouteError();
  const project = ctx.store.projectIdOf(rawProject);
  if (rest.length === 0 && ctx.method === 'GET') return { status: 200, body: projectResource(ctx, project) };
  if (rest[0] === 'aggregated' && rest.length === 2 && ctx.method === 'GET') {
    return aggregatedList(ctx, project, rest[1] ?? '');
  }
  const target = parseTarget(project, rest);
  if (!target) throw new UnknownRouteError();
  if (target.collection === 'operations') return operation(ctx, target);
  const collection = COLLECTIONS[target.collection];
  if (!collection?.scopes.includes(target.scope)) throw new UnknownRouteError();

  const { method } = ctx;
  if (target.name === undefined) {
    if (method === 'GET') return list(ctx, target);
    if (method === 'POST') return insert(ctx, target);
  } else if (target.action === undefined) {
    if (method === 'GET') return get(ctx, target);
    if (method === 'PATCH' || method === 'PUT')
      return modify(ctx, target, method === 'PATCH' ? 'patch' : 'update');
    if (method === 'DELETE') return remove(ctx, target);
  } else if (method === 'POST' && SET_ACTIONS[target.action]) {
    return setAction(ctx, target, target.action);
  } else if (
    method === 'POST' &&
    target.collection === 'securityPolicies' &&
    RULE_ACTIONS.has(target.action)
  ) {
    return ruleAction(ctx, target, target.action);
  }
  throw new UnknownRouteError();
}

function parseTarget(project: string, rest: readonly string[]): Target | undefined {
  const [scope, ...tail] = rest;
  if (scope === 'global') {
    const [collection, name, action, ...extra] = tail;
    if (!collection || extra.length > 0) return undefined;
    return { project, scope, location: 'global', collection, name, action };
  }
  if (scope === 'regions' || scope === 'zones') {
    const [location, collection, name, action, ...extra] = tail;
    if (!location || !collection || extra.length > 0) return undefined;
    return { project, scope, location, collection, name, action };
  }
  return undefined;
}

function scopePathOf(target: Pick<Target, 'scope' | 'location'>): string {
  return target.scope === 'global' ? 'global' : `${target.scope}/${target.location}`;
}

function pathOf(target: Target, name = target.name ?? ''): string {
  return `projects/${target.project}/${scopePathOf(target)}/${target.collection}/${name}`;
}

/** A stored record as the caller's API version shows it. */
function present(ctx: RequestContext, collection: string, record: StoredRecord): StoredRecord {
  const shown: StoredRecord = { ...record };
  if (ctx.version === 'v1') for (const field of BETA_ONLY_FIELDS[collection] ?? []) delete shown[field];
  if (shown.kind === undefined) shown.kind = `compute#${COLLECTIONS[collection]?.singular ?? 'resource'}`;
  return servedLinks(shown, ctx.base, ctx.version);
}

function get(ctx: RequestContext, target: Target): HandlerResult {
  const path = pathOf(target);
  const { record, stale } = ctx.store.readForGet(path);
  const fault = stale ? { fault: 'stale read' } : {};
  if (!record) return { status: 404, body: notFound(path).toBody(), ...fault };
  return { status: 200, body: present(ctx, target.collection, record), ...fault };
}

function list(ctx: RequestContext, target: Target): HandlerResult {
  const prefix = `projects/${target.project}/${scopePathOf(target)}/${target.collection}/`;
  const all = ctx.store.listChildren(new RegExp(`^${escapeRegExp(prefix)}[^/]+$`));
  const { page, nextPageToken: next } = pageOf(all, ctx.query, 'maxResults', 500);
  const singular = COLLECTIONS[target.collection]?.singular ?? 'resource';
  return {
    status: 200,
    body: {
      kind: listKind(target.collection, singular, 'List'),
      id: `projects/${target.project}/${scopePathOf(target)}/${target.collection}`,
      ...(page.length > 0
        ? { items: page.map(([, record]) => present(ctx, target.collection, record)) }
        : {}),
      ...(next ? { nextPageToken: next } : {}),
      selfLink: `${ctx.base}/compute/${ctx.version}/${prefix.slice(0, -1)}`,
    },
  };
}

function aggregatedList(ctx: RequestContext, project: string, collection: string): HandlerResult {
  const info = COLLECTIONS[collection];
  if (!info) throw new UnknownRouteError();
  const pattern = new RegExp(
    `^projects/${escapeRegExp(project)}/(global|regions/[^/]+|zones/[^/]+)/${collection}/[^/]+$`,
  );
  const unreachable = ctx.faults.unreachableScopesFor(
    `/compute/${ctx.version}/projects/${project}/aggregated/${collection}`,
  );
  const partialSuccess = ctx.query.get('returnPartialSuccess')?.toLowerCase() === 'true';
  if (unreachable.size > 0 && !partialSuccess) {
    throw new ApiError(
      503,
      'backendError',
      `Scopes ${[...unreachable].join(', ')} are unreachable; retry later.`,
    );
  }
  const items: { scope: string; record: StoredRecord }[] = [];
  for (const [path, record] of ctx.store.listChildren(pattern)) {
    const scope = path.match(pattern)?.[1] ?? 'global';
    if (!unreachable.has(scope)) items.push({ scope, record });
  }
  items.sort((a, b) => compareScopes(a.scope, b.scope));
  const scopes = knownScopes(
    ctx,
    project,
    info.scopes,
    ctx.query.get('includeAllScopes')?.toLowerCase() === 'true',
  );
  for (const scope of unreachable) scopes.add(scope);

  const { page, nextPageToken: next } = pageOf(items, ctx.query, 'maxResults', 500);
  const grouped = new Map<string, StoredRecord[]>();
  for (const { scope, record } of page) {
    grouped.set(scope, [...(grouped.get(scope) ?? []), present(ctx, collection, record)]);
  }
  const byScope: Record<string, unknown> = {};
  for (const scope of [...scopes, ...grouped.keys()].sort(compareScopes)) {
    if (byScope[scope]) continue;
    const records = grouped.get(scope);
    if (records) byScope[scope] = { [collection]: records };
    else if (unreachable.has(scope)) byScope[scope] = { warning: scopeWarning('UNREACHABLE', scope) };
    else byScope[scope] = { warning: scopeWarning('NO_RESULTS_ON_PAGE', scope) };
  }
  return {
    status: 200,
    body: {
      kind: listKind(collection, info.singular, 'AggregatedList'),
      id: `projects/${project}/aggregated/${collection}`,
      items: byScope,
      ...(next ? { nextPageToken: next } : {}),
      ...(partialSuccess || unreachable.size > 0
        ? { unreachables: [...unreachable].sort(compareScopes) }
        : {}),
      selfLink: `${ctx.base}/compute/${ctx.version}/projects/${project}/aggregated/${collection}`,
    },
  };
}

function scopeWarning(code: 'NO_RESULTS_ON_PAGE' | 'UNREACHABLE', scope: string) {
  const message =
    code === 'NO_RESULTS_ON_PAGE'
      ? `There are no results for scope '${scope}' on this page.`
      : `Scope '${scope}' is unreachable.`;
  return { code, message, data: [{ key: 'scope', value: scope }] };
}

/** Scopes an aggregated list names: those holding any resource of the project, plus well-known regions. */
function knownScopes(
  ctx: RequestContext,
  project: string,
  allowed: readonly Scope[],
  includeAll: boolean,
): Set<string> {
  const scopes = new Set<string>(['global']);
  for (const scope of ctx.store.scopesOf(project)) {
    if (allowed.includes(scope.split('/')[0] as Scope)) scopes.add(scope);
  }
  if (includeAll) for (const region of WELL_KNOWN_REGIONS) scopes.add(`regions/${region}`);
  return scopes;
}

function compareScopes(a: string, b: string): number {
  const rank = (scope: string) => (scope === 'global' ? 0 : scope.startsWith('regions/') ? 1 : 2);
  return rank(a) - rank(b) || compareText(a, b);
}

function listKind(collection: string, singular: string, suffix: string): string {
  // The API's own names: `compute#sslPoliciesList`, `compute#securityPoliciesAggregatedList`.
  if (collection === 'sslPolicies') return `compute#sslPolicies${suffix}`;
  if (collection === 'securityPolicies' && suffix !== 'List') return `compute#securityPolicies${suffix}`;
  return `compute#${singular}${suffix}`;
}

function insert(ctx: RequestContext, target: Target): HandlerResult {
  const body = requireBody(ctx);
  rejectBetaFieldsInV1(ctx, target.collection, body);
  const name = body.name;
  if (typeof name !== 'string' || !RESOURCE_NAME.test(name)) {
    throw badRequest(
      `Invalid value for field 'resource.name': ${JSON.stringify(name ?? '')}. Must be a match of regex '(?:[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?)'`,
    );
  }
  const path = pathOf(target, name);
  if (ctx.store.has(path)) throw new ApiError(409, 'alreadyExists', `The resource '${path}' already exists`);
  const record: StoredRecord = {
    kind: `compute#${COLLECTIONS[target.collection]?.singular}`,
    id: newNumericId(),
    creationTimestamp: ctx.now.toISOString(),
    ...canonicaliseLinks(withoutOutputOnly(body, target.collection)),
    name,
    selfLink: canonicalLink(path),
    ...scopeLinkOf(target),
  };
  fillServerDefaults(target.collection, record);
  if (target.collection === 'networkEndpointGroups') {
    checkServerlessNeg(record);
    if (record.networkEndpointType === undefined) record.networkEndpointType = 'GCE_VM_IP_PORT';
    record.size = 0;
  } else {
    record.fingerprint = newFingerprint();
  }
  ctx.store.put(path, record, staleReadsFor(ctx, target, name));
  return mutationResult(ctx, target, path, record, 'insert', body);
}

function modify(ctx: RequestContext, target: Target, verb: 'patch' | 'update'): HandlerResult {
  const path = pathOf(target);
  const current = ctx.store.get(path);
  if (!current) throw notFound(path);
  const body = requireBody(ctx);
  rejectBetaFieldsInV1(ctx, target.collection, body);
  checkFingerprint(current, body.fingerprint, path);
  if (body.name !== undefined && body.name !== target.name) {
    throw badRequest(
      `Invalid value for field 'resource.name': ${JSON.stringify(body.name)}. Names cannot change.`,
    );
  }
  const changes = canonicaliseLinks(withoutOutputOnly(body, target.collection));
  delete changes.fingerprint;
  const kept = Object.fromEntries(
    [...OUTPUT_ONLY_FIELDS, ...(SET_ONLY_FIELDS[target.collection] ?? []), 'name']
      .filter((field) => current[field] !== undefined)
      .map((field) => [field, current[field]]),
  );
  // PATCH is a JSON merge patch (RFC 7396); PUT replaces everything the client may set.
  const next: StoredRecord = verb === 'patch' ? mergePatch(current, changes) : { ...changes, ...kept };
  fillServerDefaults(target.collection, next);
  next.fingerprint = newFingerprint();
  ctx.store.put(path, next, staleReadsFor(ctx, target, target.name ?? ''));
  return mutationResult(ctx, target, path, next, verb, body);
}

function remove(ctx: RequestContext, target: Target): HandlerResult {
  const path = pathOf(target);
  const current = ctx.store.get(path);
  if (!current) throw notFound(path);
  ctx.store.delete(path, staleReadsFor(ctx, target, target.name ?? ''));
  return mutationResult(ctx, target, path, current, 'delete', undefined);
}

/** Cloud Armor rule edits (`gcloud compute security-policies rules create/update/delete`), global and regional. */
const RULE_ACTIONS: ReadonlySet<string> = new Set(['addRule', 'patchRule', 'removeRule']);

function ruleAction(ctx: RequestContext, target: Target, action: string): HandlerResult {
  const path = pathOf(target);
  const current = ctx.store.get(path);
  if (!current) throw notFound(path);
  const rules = Array.isArray(current.rules) ? (current.rules as StoredRecord[]) : [];
  const body = action === 'removeRule' ? {} : canonicaliseLinks(requireBody(ctx));
  const priority = action === 'addRule' ? body.priority : Number(ctx.query.get('priority') ?? '0');
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < 0) {
    throw badRequest(`Invalid value for field 'priority': ${JSON.stringify(priority ?? null)}.`);
  }
  const index = rules.findIndex((rule) => rule.priority === priority);
  let next: StoredRecord[];
  if (action === 'addRule') {
    if (index >= 0) throw badRequest('Cannot have rules with the same priorities.');
    next = [...rules, { kind: 'compute#securityPolicyRule', ...body, priority }];
  } else if (index < 0) {
    throw badRequest(`Invalid value for field 'priority': ${priority}. No rule has this priority.`);
  } else if (action === 'patchRule') {
    next = rules.map((rule, at) => (at === index ? mergePatch(rule, { ...body, priority }) : rule));
  } else {
    next = rules.filter((_rule, at) => at !== index);
  }
  next.sort((a, b) => Number(a.priority) - Number(b.priority));
  const record: StoredRecord = { ...current, rules: next, fingerprint: newFingerprint() };
  ctx.store.put(path, record, staleReadsFor(ctx, target, target.name ?? ''));
  return mutationResult(ctx, target, path, record, action, action === 'removeRule' ? { priority } : body);
}

function setAction(ctx: RequestContext, target: Target, action: string): HandlerResult {
  const spec = SET_ACTIONS[action];
  const apiCollection = variantOf(target.collection, target.scope)?.variant.apiCollection;
  if (!apiCollection || !spec?.apiCollections.includes(apiCollection)) throw new UnknownRouteError();
  const path = pathOf(target);
  const current = ctx.store.get(path);
  if (!current) throw notFound(path);
  const body = canonicaliseLinks(requireBody(ctx));
  const next: StoredRecord = { ...current };
  if (action === 'setSecurityPolicy' || action === 'setEdgeSecurityPolicy') {
    const field = action === 'setSecurityPolicy' ? 'securityPolicy' : 'edgeSecurityPolicy';
    const policy = body.securityPolicy;
    if (policy === undefined || policy === null || policy === '') delete next[field];
    else next[field] = requireExisting(ctx, policy, 'securityPolicies');
  } else if (action === 'setLabels') {
    if (
      body.labelFingerprint !== undefined &&
      !isSameFingerprint(body.labelFingerprint, current.labelFingerprint)
    ) {
      throw conditionNotMet(path, 'labelFingerprint');
    }
    next.labels = body.labels ?? {};
    next.labelFingerprint = newFingerprint();
  } else {
    for (const field of spec.fields) {
      if (body[field] === undefined || body[field] === null) delete next[field];
      else next[field] = body[field];
    }
  }
  if (next.fingerprint !== undefined || target.collection !== 'networkEndpointGroups') {
    next.fingerprint = newFingerprint();
  }
  ctx.store.put(path, next, staleReadsFor(ctx, target, target.name ?? ''));
  return mutationResult(ctx, target, path, next, action, requireBody(ctx));
}

/** A link the resource points at must name a resource that exists, as the real API checks. */
function requireExisting(ctx: RequestContext, link: unknown, collection: string): string {
  const match =
    typeof link === 'string'
      ? link.match(/(?:^|\/)(projects\/[^/]+\/(?:global|regions\/[^/]+)\/([^/]+)\/[^/]+)$/)
      : null;
  if (!match?.[1] || match[2] !== collection) {
    throw badRequest(
      `Invalid value for field 'securityPolicy': ${JSON.stringify(link)}. Expected a ${collection} link.`,
    );
  }
  const path = ctx.store.normalisePath(match[1]);
  if (!ctx.store.has(path)) throw notFound(path);
  return canonicalLink(path);
}

function operation(ctx: RequestContext, target: Target): HandlerResult {
  if (!target.name || (target.action !== undefined && target.action !== 'wait'))
    throw new UnknownRouteError();
  if (target.action === 'wait' ? ctx.method !== 'POST' : ctx.method !== 'GET') throw new UnknownRouteError();
  const path = `projects/${target.project}/${scopePathOf(target)}/operations/${target.name}`;
  const found = ctx.store.getOperation(path);
  if (!found) throw notFound(path);
  return { status: 200, body: servedLinks(found, ctx.base, ctx.version) };
}

function mutationResult(
  ctx: RequestContext,
  target: Target,
  path: string,
  record: StoredRecord,
  verb: string,
  body: StoredRecord | undefined,
): HandlerResult {
  const name = newOperationName(ctx.now);
  const scopePath = scopePathOf(target);
  const time = ctx.now.toISOString();
  const targetId = typeof record.id === 'string' ? record.id : '0';
  const operationRecord: StoredRecord = {
    kind: 'compute#operation',
    id: newNumericId(),
    name,
    operationType: verb,
    targetLink: canonicalLink(path),
    targetId,
    status: 'DONE',
    user: ctx.principal,
    progress: 100,
    insertTime: time,
    startTime: time,
    endTime: time,
    selfLink: canonicalLink(`projects/${target.project}/${scopePath}/operations/${name}`),
    ...scopeLinkOf(target),
  };
  ctx.store.putOperation(`projects/${target.project}/${scopePath}/operations/${name}`, operationRecord);
  return {
    status: 200,
    body: servedLinks(operationRecord, ctx.base, ctx.version),
    mutation: {
      service: 'compute',
      version: ctx.version,
      verb,
      resourceName: path,
      targetId,
      ...(body ? { body } : {}),
    },
  };
}

function scopeLinkOf(target: Target): StoredRecord {
  if (target.scope === 'global') return {};
  const link = canonicalLink(`projects/${target.project}/${target.scope}/${target.location}`);
  return target.scope === 'regions' ? { region: link } : { zone: link };
}

function staleReadsFor(ctx: RequestContext, target: Target, name: string): number {
  return Math.max(
    ctx.faults.staleReadsFor(`/compute/v1/${pathOf(target, name)}`),
    ctx.faults.staleReadsFor(`/compute/beta/${pathOf(target, name)}`),
  );
}

/** Values the real API fills in when a client leaves them out (gcloud add-backend sends only `group`). */
function fillServerDefaults(collection: string, record: StoredRecord): void {
  if (collection !== 'backendServices' || !Array.isArray(record.backends)) return;
  record.backends = record.backends.map((backend: unknown) =>
    isPlainObject(backend) ? { balancingMode: 'UTILIZATION', capacityScaler: 1, ...backend } : backend,
  );
}

function checkFingerprint(current: StoredRecord, fingerprint: unknown, path: string): void {
  // The real API demands a fingerprint on some collections; we only refuse a stale one, which is what matters.
  if (fingerprint !== undefined && !isSameFingerprint(fingerprint, current.fingerprint))
    throw conditionNotMet(path, 'fingerprint');
}

/**
 * Fingerprints are `bytes` fields: the API sends them in standard base64 (`OP/enl2kyrk=`), and gcloud (apitools)
 * decodes them and sends them back URL-safe (`OP_enl2kyrk=`). Comparing the text refused every update whose
 * fingerprint held a `/` or `+`; the bytes are what must match.
 */
export function isSameFingerprint(supplied: unknown, current: unknown): boolean {
  if (typeof supplied !== 'string' || typeof current !== 'string') return supplied === current;
  return Buffer.from(supplied, 'base64').equals(Buffer.from(current, 'base64'));
}

function conditionNotMet(path: string, field: string): ApiError {
  return new ApiError(
    412,
    'conditionNotMet',
    `Supplied ${field} does not match current ${field} of '${path}': the resource changed since it was read.`,
  );
}

function requireBody(ctx: RequestContext): StoredRecord {
  if (ctx.body === null || typeof ctx.body !== 'object' || Array.isArray(ctx.body)) {
    throw badRequest('The request body must be a JSON object.', 'parseError');
  }
  return ctx.body as StoredRecord;
}

function rejectBetaFieldsInV1(ctx: RequestContext, collection: string, body: StoredRecord): void {
  if (ctx.version !== 'v1') return;
  const field = (BETA_ONLY_FIELDS[collection] ?? []).find((name) => body[name] !== undefined);
  if (field) {
    throw badRequest(
      `Invalid JSON payload received. Unknown name "${field}": Cannot find field. (It exists only in the beta API: send this request to /compute/beta/.)`,
    );
  }
}

function withoutOutputOnly(body: StoredRecord, collection: string): StoredRecord {
  const copy: StoredRecord = { ...body };
  for (const field of [...OUTPUT_ONLY_FIELDS, ...(SET_ONLY_FIELDS[collection] ?? [])]) delete copy[field];
  return copy;
}

function mergePatch(target: StoredRecord, patch: StoredRecord): StoredRecord {
  const out: StoredRecord = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key]))
      out[key] = mergePatch(out[key] as StoredRecord, value);
    else out[key] = value;
  }
  return out;
}

function isPlainObject(value: unknown): value is StoredRecord {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function projectResource(ctx: RequestContext, project: string): StoredRecord {
  return {
    kind: 'compute#project',
    id: '123456789012',
    name: project,
    creationTimestamp: '2020-01-01T00:00:00.000-07:00',
    selfLink: `${ctx.base}/compute/${ctx.version}/projects/${project}`,
    defaultNetworkTier: 'PREMIUM',
  };
}
