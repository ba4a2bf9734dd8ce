// Governed fields: which fields of which resources a baseline pins, and how their values are captured.

import { compareText } from '../../domain/compare-text.js';
import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';
import type { ResourceKind } from '../../domain/resource-kind.js';
import { stableJson } from '../../domain/stable-json.js';

// The old name, still imported by test/rules/drift/governed-fields.test.ts: one function, so what that test compares
// is what the rule compares.

/** The kinds `drift.matches-baseline` judges. */
export const GOVERNED_KINDS = [
  'backendService',
  'networkEndpointGroup',
  'gateway',
  'targetHttpsProxy',
  'urlMap',
] as const satisfies readonly ResourceKind[];
export type GovernedKind = (typeof GOVERNED_KINDS)[number];

/** Field paths per kind: `a.b` walks objects, `a[].b` collects `b` from every element of the list `a`. */
export type GovernedFieldSet = Readonly<Partial<Record<GovernedKind, readonly string[]>>>;

/**
 * A URL map's routes are captured as the fronting backend services they reach, not as raw path matchers:
 * reordering host rules is not drift, sending traffic to another fronting service is.
 */
export const URL_MAP_ROUTES_FIELD = 'frontingBackendServices';

export const DEFAULT_GOVERNED_FIELDS: Readonly<Record<GovernedKind, readonly string[]>> = {
  backendService: [
    'securityPolicy',
    'edgeSecurityPolicy',
    'iap.enabled',
    'enableCDN',
    'cdnPolicy.cacheMode',
    'protocol',
    'loadBalancingScheme',
    'logConfig.enable',
    'healthChecks',
    'backends[].group',
  ],
  networkEndpointGroup: ['serverlessDeployment'],
  gateway: ['apiConfig'],
  targetHttpsProxy: ['sslPolicy', 'sslCertificates'],
  urlMap: [URL_MAP_ROUTES_FIELD],
};

const FIELD_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\[\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[\])?)*$/;

export function isGovernedKind(kind: string): kind is GovernedKind {
  return (GOVERNED_KINDS as readonly string[]).includes(kind);
}

export function isFieldPath(path: string): boolean {
  // `__proto__` names no Google API field, and as a key of the captured values it would set their prototype.
  return (
    FIELD_PATH.test(path) && !path.split('.').some((segment) => segment.replace(/\[\]$/, '') === '__proto__')
  );
}

/** The policy's set laid over the default: a kind the policy names gets exactly its list, others keep theirs. */
export function resolveGovernedFields(
  override: Readonly<Record<string, readonly string[]>> | undefined,
): Readonly<Record<GovernedKind, readonly string[]>> {
  if (!override) return DEFAULT_GOVERNED_FIELDS;
  const resolved = { ...DEFAULT_GOVERNED_FIELDS };
  for (const kind of GOVERNED_KINDS) {
    const fields = override[kind];
    if (fields) resolved[kind] = fields;
  }
  return resolved;
}

/**
 * The current value of each governed field of `node`, normalised so that only real changes differ:
 * links become full resource names (a beta selfLink equals a v1 one, a project number its ID where the
 * graph knows both), lists are sorted, and absent, null and empty lists are all `null` (the Compute API
 * omits empty repeated fields, so "no health checks" arrives either way).
 */
export function captureGovernedFields(
  node: ResourceNode,
  graph: ResourceGraph,
  fieldSet: GovernedFieldSet,
): Record<string, unknown> {
  const fields = isGovernedKind(node.kind) ? (fieldSet[node.kind] ?? []) : [];
  const captured: Record<string, unknown> = {};
  for (const field of fields) {
    try {
      captured[field] = normaliseGovernedValue(readField(node, graph, field), graph);
    } catch (error) {
      if (!(error instanceof GovernedValueTooDeepError)) throw error;
      throw new GovernedValueTooDeepError(
        `${node.fullName}: governed field ${field} nests deeper than ${MAX_GOVERNED_DEPTH} levels`,
      );
    }
  }
  return captured;
}

function readField(node: ResourceNode, graph: ResourceGraph, field: string): unknown {
  if (node.kind === 'urlMap' && field === URL_MAP_ROUTES_FIELD) {
    return graph.frontingServicesRoutedBy(node as ResourceNode<'urlMap'>).map((service) => service.fullName);
  }
  return readPath(node.data, field.split('.'));
}

function readPath(value: unknown, segments: readonly string[]): unknown {
  const [segment, ...rest] = segments;
  if (segment === undefined) return value;
  if (!isPlainObject(value)) return undefined;
  // Own fields only: `constructor` or `toString` would otherwise read a function every object inherits.
  const own = (key: string) => (Object.hasOwn(value, key) ? value[key] : undefined);
  if (!segment.endsWith('[]')) return readPath(own(segment), rest);
  const list = own(segment.slice(0, -2));
  if (!Array.isArray(list)) return undefined;
  return list.flatMap((item) => {
    const inner = readPath(item, rest);
    return inner === undefined
      ? []
      : Array.isArray(inner) && rest.some((s) => s.endsWith('[]'))
        ? inner
        : [inner];
  });
}

/** Governed values nest a few levels; deeper is not a value anyone approves, and our recursion stays bounded. */
export const MAX_GOVERNED_DEPTH = 64;

/** A governed field nests deeper than MAX_GOVERNED_DEPTH: the rule cannot decide, `baseline save` refuses it. */
export class GovernedValueTooDeepError extends Error {
  override readonly name = 'GovernedValueTooDeepError';
  readonly badInput = true;
  readonly retryable = false;
}

/** Canonical JSON form of a governed value: what the baseline stores and what comparisons see. */
export function normaliseGovernedValue(value: unknown, graph: ResourceGraph, depth = 0): unknown {
  if (value === undefined || value === null) return null;
  if (depth > MAX_GOVERNED_DEPTH) {
    throw new GovernedValueTooDeepError(`a governed field nests deeper than ${MAX_GOVERNED_DEPTH} levels`);
  }
  if (typeof value === 'string') return isLinkLike(value) ? (graph.fullNameFor(value) ?? value) : value;
  if (Array.isArray(value)) {
    const items = value.map((item) => normaliseGovernedValue(item, graph, depth + 1));
    if (items.length === 0) return null;
    return items
      .map((item) => [stableJson(item), item] as const)
      .sort(([a], [b]) => compareText(a, b))
      .map(([, item]) => item);
  }
  if (isPlainObject(value)) {
    const normalised: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = normaliseGovernedValue(value[key], graph, depth + 1);
      if (item !== null) normalised[key] = item;
    }
    return normalised;
  }
  return value;
}

function isLinkLike(text: string): boolean {
  // http:// too: a local simulator (or a proxy) echoes links with its own plain-HTTP base.
  return (
    text.startsWith('https://') ||
    text.startsWith('http://') ||
    text.startsWith('//') ||
    text.startsWith('projects/')
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
