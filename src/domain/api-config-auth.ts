// Reads an API config's OpenAPI documents and says which operations a caller can reach without credentials.

import { BoundedCache } from './bounded-cache.js';
import { elideMiddle } from './elide-middle.js';
import type { ResourceGraph, ResourceNode } from './graph.js';
import type { ApiConfig, OpenApiDocument } from './resources.js';
import { parseYamlText } from './yaml-text.js';

export interface ApiOperation {
  /** Upper case: `GET`, `POST`... */
  readonly method: string;
  readonly path: string;
  /** Every alternative of the effective security requirement names at least one scheme. */
  readonly authenticated: boolean;
  /** Schemes named by the effective security requirement (any alternative). */
  readonly schemes: readonly string[];
}

export interface ApiKeyScheme {
  readonly name: string;
  /** `query` or `header`. */
  readonly in?: string;
  /** The query parameter or header carrying the key (`key`, `x-api-key`). */
  readonly parameter?: string;
}

export interface JwtProvider {
  readonly name: string;
  readonly issuer?: string;
  readonly jwksUri?: string;
  readonly audiences?: readonly string[];
}

export interface SecuritySchemesSummary {
  readonly apiKeys: readonly ApiKeyScheme[];
  readonly jwtProviders: readonly JwtProvider[];
  /** Declared schemes that are neither (e.g. plain oauth2 without `x-google-issuer`). */
  readonly other: readonly string[];
}

export interface OpenApiAnalysis {
  readonly kind: 'openapi';
  /** `2.0`, `3.0.3`, `3.1.0`; several documents of different versions are joined with `, `. */
  readonly version: string;
  /** `document.path` of each document read. */
  readonly documents: readonly string[];
  readonly operations: readonly ApiOperation[];
  /** `METHOD path` of every operation anyone can call. */
  readonly unauthenticated: readonly string[];
  /** `x-google-allow: all`: paths not listed are passed to the backend without any check. */
  readonly allowAll: boolean;
  readonly fullyAuthenticated: boolean;
  readonly securitySchemes: SecuritySchemesSummary;
}

export type ApiConfigAnalysis =
  | OpenApiAnalysis
  | { readonly kind: 'grpc' }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Larger documents are refused: parsing them could stall a function, and real API specs are far smaller. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
/** YAML aliases are expanded when read; a bound stops "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;
/** Real OpenAPI documents nest a few dozen levels at most (schemas inside schemas). */
const MAX_DOCUMENT_DEPTH = 128;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

type Json = Record<string, unknown>;

const analyses = new WeakMap<ApiConfig, ApiConfigAnalysis>();

/**
 * Analyses by content: an event reads its config afresh (a new object) and would parse the same YAML again. Bounded
 * so a long-lived function instance keeps at most this much: weights are the documents' text length.
 */
export const ANALYSES_BY_CONTENT = new BoundedCache<ApiConfigAnalysis>({
  maxEntries: 1_000,
  maxWeight: 64 * 1024 * 1024,
});

/** Analyses a config once per object (many gateways share one record) and once per content (events, sweeps). */
export function analyseApiConfig(config: ApiConfig): ApiConfigAnalysis {
  const cached = analyses.get(config);
  if (cached) return cached;
  const analysis = analyseByContent(config);
  analyses.set(config, analysis);
  return analysis;
}

function analyseByContent(config: ApiConfig): ApiConfigAnalysis {
  const documents = Array.isArray(config.openapiDocuments) ? config.openapiDocuments : [];
  // Without documents the answer is a constant: nothing to parse, nothing to keep.
  if (documents.length === 0) return analyseUncached(config);
  // Exactly what the analysis reads: each document's path and contents, in order, and whether gRPC is present.
  const source = JSON.stringify([
    documents.map((entry) => [entry?.document?.path, entry?.document?.contents]),
    hasEntries(config.grpcServices),
    hasEntries(config.managedServiceConfigs),
  ]);
  // node:crypto is fetched when a config is first analysed, not with the rule catalogue: `gatewarden rules` and
  // `explain` list rules and never hash (issue 14).
  const key = process.getBuiltinModule('node:crypto').createHash('sha256').update(source).digest('base64');
  const cached = ANALYSES_BY_CONTENT.get(key);
  if (cached) return cached;
  const analysis = analyseUncached(config);
  ANALYSES_BY_CONTENT.set(key, analysis, source.length);
  return analysis;
}

function analyseUncached(config: ApiConfig): ApiConfigAnalysis {
  const documents = Array.isArray(config.openapiDocuments) ? config.openapiDocuments : [];
  if (documents.length === 0) {
    if (hasEntries(config.grpcServices) || hasEntries(config.managedServiceConfigs)) return { kind: 'grpc' };
    return {
      kind: 'unreadable',
      reason:
        'the API config holds no OpenAPI documents or gRPC services (read with view=BASIC? read it with view=FULL)',
    };
  }
  const parsed: { path: string; spec: Json; version: string }[] = [];
  for (const [index, entry] of documents.entries()) {
    const path = documentPathOf(entry, index);
    const result = readDocument(entry, path);
    if (typeof result === 'string') return { kind: 'unreadable', reason: result };
    parsed.push({ path, ...result });
  }
  return summarise(parsed);
}

function hasEntries(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function documentPathOf(entry: OpenApiDocument, index: number): string {
  const path = entry?.document?.path;
  return typeof path === 'string' && path.length > 0 ? path : `openapiDocuments[${index}]`;
}

/** A document's path as a reason quotes it: the export chooses it, and every undetermined result quotes the reason. */
const MAX_QUOTED_PATH_CHARS = 200;

/** The parsed spec and its version, or the reason it cannot be read. */
function readDocument(entry: OpenApiDocument, fullPath: string): { spec: Json; version: string } | string {
  const path = elideMiddle(fullPath, MAX_QUOTED_PATH_CHARS);
  const contents = entry?.document?.contents;
  if (typeof contents !== 'string' || contents.length === 0) {
    return (
      `document ${path} has no contents (read with view=BASIC? read the config with view=FULL; ` +
      'a Terraform plan shows no value it marks sensitive)'
    );
  }
  const text = decodeBase64(contents, path);
  if (text.error !== undefined) return text.error;
  const parsed = parseYamlText(text.value, { maxAliasCount: MAX_ALIAS_COUNT, maxDepth: MAX_DOCUMENT_DEPTH });
  if (!parsed.ok) {
    const at = parsed.line === undefined ? '' : ` (line ${parsed.line})`;
    return `document ${path} is neither YAML nor JSON${at}: ${parsed.problem}`;
  }
  const value = parsed.value;
  if (!isObject(value)) return `document ${path} is not an OpenAPI document (not a mapping)`;
  const version = openApiVersionOf(value);
  if (!version) return `document ${path} is not an OpenAPI document (no swagger: "2.0" or openapi: "3.x")`;
  if (value.paths !== undefined && !isObject(value.paths))
    return `document ${path} has a "paths" that is not a mapping`;
  return { spec: value, version };
}

function decodeBase64(
  contents: string,
  path: string,
): { value: string; error?: undefined } | { error: string } {
  const compact = contents.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    return { error: `document ${path} contents are not valid base64` };
  }
  if (Math.floor((compact.length * 3) / 4) > MAX_DOCUMENT_BYTES) {
    return { error: `document ${path} is larger than ${MAX_DOCUMENT_BYTES / (1024 * 1024)} MB; refused` };
  }
  try {
    const bytes = Buffer.from(compact, 'base64');
    const value = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { value };
  } catch {
    return { error: `document ${path} is not UTF-8 text` };
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function openApiVersionOf(spec: Json): string | undefined {
  // Unquoted YAML `swagger: 2.0` / `openapi: 3.0` arrive as numbers.
  const swagger = spec.swagger;
  if (swagger === '2.0' || swagger === 2) return '2.0';
  const openapi = spec.openapi;
  if (typeof openapi === 'string' && /^3(\.|$)/.test(openapi)) return openapi;
  if (typeof openapi === 'number' && Math.floor(openapi) === 3) return String(openapi);
  return undefined;
}

function summarise(
  documents: readonly { path: string; spec: Json; version: string }[],
): OpenApiAnalysis | { readonly kind: 'unreadable'; readonly reason: string } {
  const specsByPath = new Map(
    documents.map((document) => [normaliseDocumentPath(document.path), document.spec]),
  );
  const operations = new Map<string, ApiOperation>();
  const apiKeys: ApiKeyScheme[] = [];
  const jwtProviders: JwtProvider[] = [];
  const other: string[] = [];
  let allowAll = false;
  for (const { spec } of documents) {
    if (spec['x-google-allow'] === 'all') allowAll = true;
    const found = operationsOf(spec, specsByPath);
    if (typeof found === 'string') return { kind: 'unreadable', reason: found };
    for (const operation of found) {
      const key = `${operation.method} ${operation.path}`;
      const previous = operations.get(key);
      // The same operation in two documents: the weaker declaration is what a caller meets.
      operations.set(
        key,
        previous
          ? {
              ...operation,
              authenticated: previous.authenticated && operation.authenticated,
              schemes: [...new Set([...previous.schemes, ...operation.schemes])],
            }
          : operation,
      );
    }
    collectSchemes(spec, apiKeys, jwtProviders, other);
  }
  const all = [...operations.values()];
  const unauthenticated = all
    .filter((operation) => !operation.authenticated)
    .map((o) => `${o.method} ${o.path}`);
  return {
    kind: 'openapi',
    version: [...new Set(documents.map((document) => document.version))].join(', '),
    documents: documents.map((document) => document.path),
    operations: all,
    unauthenticated,
    allowAll,
    fullyAuthenticated: !allowAll && unauthenticated.length === 0,
    securitySchemes: { apiKeys, jwtProviders, other },
  };
}

/** Path items reached through `$ref` chains of at most this many hops. */
const MAX_REF_HOPS = 16;

/** The operations of a document, or why they cannot be told (a `$ref` path item outside the API config). */
function operationsOf(spec: Json, specsByPath: ReadonlyMap<string, Json>): ApiOperation[] | string {
  const paths = isObject(spec.paths) ? spec.paths : {};
  const operations: ApiOperation[] = [];
  for (const [path, entry] of Object.entries(paths)) {
    if (path.startsWith('x-') || !isObject(entry)) continue;
    const items = pathItemsOf(entry, spec, specsByPath, path);
    if (typeof items === 'string') return items;
    for (const item of items) operations.push(...itemOperations(item, path, spec));
  }
  return operations;
}

/**
 * A path item and every item its `$ref` chain leads to (a `$ref` beside operations adds to them; which wins is
 * undefined in OpenAPI, so both count and the weaker security is what a caller meets). References within the API
 * config are followed: `#/pointer` in the same document, `other.yaml#/pointer` to another document of the config.
 */
function pathItemsOf(
  entry: Json,
  spec: Json,
  specsByPath: ReadonlyMap<string, Json>,
  path: string,
): Json[] | string {
  const quoted = elideMiddle(path, MAX_QUOTED_PATH_CHARS);
  const items: Json[] = [];
  const seen = new Set<Json>();
  let current: Json | undefined = entry;
  let document = spec;
  for (let hops = 0; current && !seen.has(current); hops++) {
    seen.add(current);
    items.push(current);
    const ref = current.$ref;
    if (ref === undefined) break;
    if (hops >= MAX_REF_HOPS) return `path ${quoted} follows more than ${MAX_REF_HOPS} $ref hops`;
    if (typeof ref !== 'string') return `path ${quoted} has a $ref that is not a string`;
    const hash = ref.indexOf('#');
    const file = hash < 0 ? ref : ref.slice(0, hash);
    const target = file === '' ? document : specsByPath.get(normaliseDocumentPath(file));
    if (!target) {
      return `path ${quoted} is a $ref to ${JSON.stringify(ref.slice(0, 120))}, outside the API config's documents, which is not followed`;
    }
    const resolved = resolvePointer(target, hash < 0 ? '' : ref.slice(hash + 1));
    if (!isObject(resolved))
      return `path ${quoted} is a $ref to ${JSON.stringify(ref.slice(0, 120))}, which names no path item`;
    document = target;
    current = resolved;
  }
  return items;
}

function normaliseDocumentPath(path: string): string {
  return path.replace(/^(\.\/)+/, '');
}

/** RFC 6901 JSON pointer (URI fragment form: percent-decoded first), undefined when it names nothing. */
function resolvePointer(root: Json, pointer: string): unknown {
  let text = pointer;
  try {
    text = decodeURIComponent(pointer);
  } catch {
    return undefined;
  }
  if (text === '') return root;
  if (!text.startsWith('/')) return undefined;
  let value: unknown = root;
  for (const raw of text.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (isObject(value) && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

function itemOperations(item: Json, path: string, spec: Json): ApiOperation[] {
  const operations: ApiOperation[] = [];
  for (const method of HTTP_METHODS) {
    const operation = item[method];
    if (!isObject(operation)) continue;
    // An operation's own `security` (even `[]`) replaces the top-level one.
    const security = 'security' in operation ? operation.security : spec.security;
    operations.push({
      method: method.toUpperCase(),
      path,
      authenticated: isAuthenticating(security),
      schemes: schemesOf(security),
    });
  }
  return operations;
}

/** Absent, `[]`, or any alternative `{}` (auth optional) lets an anonymous caller through. */
function isAuthenticating(security: unknown): boolean {
  if (!Array.isArray(security) || security.length === 0) return false;
  return security.every((requirement) => isObject(requirement) && Object.keys(requirement).length > 0);
}

function schemesOf(security: unknown): string[] {
  if (!Array.isArray(security)) return [];
  return [
    ...new Set(security.flatMap((requirement) => (isObject(requirement) ? Object.keys(requirement) : []))),
  ];
}

function collectSchemes(
  spec: Json,
  apiKeys: ApiKeyScheme[],
  jwtProviders: JwtProvider[],
  other: string[],
): void {
  // OpenAPI 2 keeps schemes in `securityDefinitions`; 3.x in `components.securitySchemes`.
  const declared = isObject(spec.securityDefinitions)
    ? spec.securityDefinitions
    : isObject(spec.components) && isObject(spec.components.securitySchemes)
      ? spec.components.securitySchemes
      : {};
  for (const [name, scheme] of Object.entries(declared)) {
    if (!isObject(scheme)) continue;
    const googleAuth = isObject(scheme['x-google-auth']) ? scheme['x-google-auth'] : undefined;
    if (scheme.type === 'apiKey') {
      apiKeys.push({ name, ...optionalString('in', scheme.in), ...optionalString('parameter', scheme.name) });
    } else if (googleAuth) {
      jwtProviders.push({
        name,
        ...optionalString('issuer', googleAuth.issuer),
        ...optionalString('jwksUri', googleAuth.jwksUri),
        ...optionalList('audiences', googleAuth.audiences),
      });
    } else if (typeof scheme['x-google-issuer'] === 'string') {
      jwtProviders.push({
        name,
        ...optionalString('issuer', scheme['x-google-issuer']),
        ...optionalString('jwksUri', scheme['x-google-jwks_uri']),
        ...optionalList('audiences', scheme['x-google-audiences']),
      });
    } else {
      other.push(name);
    }
  }
}

function optionalString<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return (typeof value === 'string' ? { [key]: value } : {}) as { [P in K]?: string };
}

/** `x-google-audiences` is a comma-separated string in OpenAPI 2, a list in `x-google-auth`. */
function optionalList<K extends string>(key: K, value: unknown): { [P in K]?: string[] } {
  const list =
    typeof value === 'string'
      ? value.split(',').map((item) => item.trim())
      : Array.isArray(value)
        ? value.filter((item): item is string => typeof item === 'string')
        : undefined;
  return (list && list.length > 0 ? { [key]: list } : {}) as { [P in K]?: string[] };
}

export interface GatewayConfigAnalysis {
  /** What the gateway's `apiConfig` says, verbatim. */
  readonly apiConfig: string | undefined;
  /** The config record found in the graph, if any. */
  readonly config: ResourceNode<'apiConfig'> | undefined;
  readonly analysis: ApiConfigAnalysis;
}

/** Per graph, gateway -> its config's analysis: three rules ask for each gateway. Weak by graph, so it goes with it. */
const GATEWAY_ANALYSES = new WeakMap<ResourceGraph, Map<ResourceNode<'gateway'>, GatewayConfigAnalysis>>();

/** The analysis of the config a gateway serves; a config missing from the inventory is unreadable. */
export function analyseGatewayConfig(
  graph: ResourceGraph,
  gateway: ResourceNode<'gateway'>,
): GatewayConfigAnalysis {
  let analyses = GATEWAY_ANALYSES.get(graph);
  if (!analyses) {
    analyses = new Map();
    GATEWAY_ANALYSES.set(graph, analyses);
  }
  let analysis = analyses.get(gateway);
  if (!analysis) {
    analysis = analyseConfigOf(graph, gateway);
    analyses.set(gateway, analysis);
  }
  return analysis;
}

function analyseConfigOf(graph: ResourceGraph, gateway: ResourceNode<'gateway'>): GatewayConfigAnalysis {
  const apiConfig = gateway.data.apiConfig;
  const config = graph.apiConfigOf(gateway);
  if (!config) {
    const reason = apiConfig
      ? `API config ${apiConfig} is not in the inventory (export it with gcloud api-gateway api-configs describe --view=FULL)`
      : 'the gateway names no API config';
    return { apiConfig, config, analysis: { kind: 'unreadable', reason } };
  }
  return { apiConfig, config, analysis: analyseApiConfig(config.data) };
}
