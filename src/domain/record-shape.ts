// The type and shape of every field the graph and the rules read, per resource kind, checked once at the edge.
// A record that passes can be walked by any rule without a TypeError; what the values mean is the rules' business.

import type { ResourceKind } from './resource-kind.js';

/** What a field must hold when present (absent is always fine: the APIs omit empty fields). */
export type FieldShape =
  | 'string'
  | 'number'
  | 'boolean'
  /** Any JSON object. */
  | 'object'
  /** Any JSON array. */
  | 'list'
  /** An array of strings. */
  | 'strings'
  | { readonly object: RecordShape }
  | { readonly listOf: RecordShape };

export type RecordShape = Readonly<Record<string, FieldShape>>;

/**
 * Real records nest about ten levels; the bound keeps every later walk over a record shallow. The estate loader and
 * the live source refuse a record nested deeper.
 */
export const MAX_RECORD_DEPTH = 64;

const ROUTE_ACTION: FieldShape = {
  object: { weightedBackendServices: { listOf: { backendService: 'string', weight: 'number' } } },
};
const URL_REDIRECT: FieldShape = { object: { httpsRedirect: 'boolean' } };

const COMPUTE_COMMON: RecordShape = {
  name: 'string',
  selfLink: 'string',
  region: 'string',
  zone: 'string',
  description: 'string',
};

const BACKEND: RecordShape = {
  group: 'string',
  balancingMode: 'string',
  capacityScaler: 'number',
  maxUtilization: 'number',
  maxConnections: 'number',
  maxConnectionsPerInstance: 'number',
  maxConnectionsPerEndpoint: 'number',
  maxRate: 'number',
  maxRatePerInstance: 'number',
  maxRatePerEndpoint: 'number',
  maxInFlightRequests: 'number',
  maxInFlightRequestsPerInstance: 'number',
  maxInFlightRequestsPerEndpoint: 'number',
};

const PATH_MATCHER: RecordShape = {
  name: 'string',
  defaultService: 'string',
  defaultRouteAction: ROUTE_ACTION,
  defaultUrlRedirect: URL_REDIRECT,
  pathRules: {
    listOf: { paths: 'strings', service: 'string', routeAction: ROUTE_ACTION, urlRedirect: URL_REDIRECT },
  },
  routeRules: {
    listOf: { priority: 'number', service: 'string', routeAction: ROUTE_ACTION, urlRedirect: URL_REDIRECT },
  },
};

export const RECORD_SHAPES: Readonly<Record<ResourceKind, RecordShape>> = {
  backendService: {
    ...COMPUTE_COMMON,
    loadBalancingScheme: 'string',
    protocol: 'string',
    backends: { listOf: BACKEND },
    healthChecks: 'strings',
    port: 'number',
    portName: 'string',
    sessionAffinity: 'string',
    localityLbPolicy: 'string',
    localityLbPolicies: 'list',
    consistentHash: 'object',
    outlierDetection: 'object',
    iap: { object: { enabled: 'boolean' } },
    enableCDN: 'boolean',
    cdnPolicy: { object: { cacheMode: 'string' } },
    securityPolicy: 'string',
    edgeSecurityPolicy: 'string',
    logConfig: { object: { enable: 'boolean', sampleRate: 'number' } },
    customRequestHeaders: 'strings',
    fingerprint: 'string',
  },
  networkEndpointGroup: {
    ...COMPUTE_COMMON,
    networkEndpointType: 'string',
    size: 'number',
    defaultPort: 'number',
    serverlessDeployment: {
      object: { platform: 'string', resource: 'string', version: 'string', urlMask: 'string' },
    },
    cloudRun: 'object',
    appEngine: 'object',
    cloudFunction: 'object',
  },
  urlMap: {
    ...COMPUTE_COMMON,
    defaultService: 'string',
    defaultRouteAction: ROUTE_ACTION,
    defaultUrlRedirect: URL_REDIRECT,
    hostRules: { listOf: { hosts: 'strings', pathMatcher: 'string' } },
    pathMatchers: { listOf: PATH_MATCHER },
  },
  targetHttpProxy: { ...COMPUTE_COMMON, urlMap: 'string' },
  targetHttpsProxy: {
    ...COMPUTE_COMMON,
    urlMap: 'string',
    sslPolicy: 'string',
    sslCertificates: 'strings',
    certificateMap: 'string',
  },
  forwardingRule: {
    ...COMPUTE_COMMON,
    target: 'string',
    IPAddress: 'string',
    portRange: 'string',
    loadBalancingScheme: 'string',
  },
  sslPolicy: { ...COMPUTE_COMMON, minTlsVersion: 'string', profile: 'string' },
  securityPolicy: { ...COMPUTE_COMMON, type: 'string' },
  gateway: {
    name: 'string',
    apiConfig: 'string',
    state: 'string',
    defaultHostname: 'string',
    displayName: 'string',
    effectiveStreamingMode: 'string',
  },
  apiConfig: {
    name: 'string',
    openapiDocuments: { listOf: { document: { object: { path: 'string', contents: 'string' } } } },
    grpcServices: 'list',
    managedServiceConfigs: 'list',
    gatewayServiceAccount: 'string',
    state: 'string',
  },
};

export interface ShapeProblem {
  /** `backends[2].group` */
  readonly field: string;
  /** `must be a string, found a number` */
  readonly problem: string;
}

/** The first field of `record` whose value does not have the shape the engine reads, if any. */
export function findShapeProblem(
  kind: ResourceKind,
  record: Readonly<Record<string, unknown>>,
): ShapeProblem | undefined {
  return checkObject(record, RECORD_SHAPES[kind]);
}

// Every record of an estate is checked against the same dozen shapes: their fields are put in a Map once.
const FIELD_MAPS = new WeakMap<RecordShape, ReadonlyMap<string, FieldShape>>();

function fieldMapOf(shape: RecordShape): ReadonlyMap<string, FieldShape> {
  let fields = FIELD_MAPS.get(shape);
  if (fields === undefined) {
    fields = new Map(Object.entries(shape));
    FIELD_MAPS.set(shape, fields);
  }
  return fields;
}

// An object is checked in the order of its own keys, each looked up in the shape (a record holds fewer keys than its
// shape names fields, and walking them is cheap); only when one fails is it checked again in the shape's order, so
// the problem named is the shape's first failing field whatever order the record's keys come in. (`for...in` sees
// the enumerable string keys, which is every key of parsed JSON.)
function checkObject(value: Readonly<Record<string, unknown>>, shape: RecordShape): ShapeProblem | undefined {
  const fields = fieldMapOf(shape);
  for (const key in value) {
    const fieldShape = fields.get(key);
    if (fieldShape !== undefined && checkField(value[key], fieldShape) !== undefined) {
      return firstProblemOf(value, shape);
    }
  }
  return undefined;
}

/**
 * True when `record` has no shape problem (findShapeProblem) and nests no deeper than `maxDepth` levels, the record
 * being level 1 (isNestedDeeperThan's count, one less): both answered in one walk, which the loader makes over every
 * record of an estate while it is still in the cache from parsing (two walks, the depth's and the shape's, cost
 * twice the for...in over every object). False says only that one of the two fails: the caller asks each in turn,
 * in its own order, for the words. Recursion stops `maxDepth` calls down, whatever the input's depth.
 */
export function fitsShapeWithin(
  kind: ResourceKind,
  record: Readonly<Record<string, unknown>>,
  maxDepth: number,
): boolean {
  if (kind !== lastKind) {
    lastShape = compiledShapeOf(RECORD_SHAPES[kind]);
    lastKind = kind;
  }
  return fitsObject(record, lastShape as CompiledShape, maxDepth);
}

// The loader asks about a file's records one after another, all of one kind: its compiled shape is kept at hand
// (a WeakMap look-up per record cost more than the checks of a small record).
let lastKind: ResourceKind | undefined;
let lastShape: CompiledShape | undefined;

/**
 * A shape as the walk reads it: each field's check as a small number and its own fields compiled too, so that a
 * nested object costs no look-up of its shape and a field no test of the shape's type (the walk over the
 * 1x estate's records, cold: 52 -> 40 ms).
 */
type CompiledShape = ReadonlyMap<string, CompiledField>;
interface CompiledField {
  readonly check: FieldCheck;
  /** The fields of an `object` or `listOf` shape's objects. */
  readonly fields: CompiledShape | undefined;
}

// What a field is checked for, as a small integer to switch on.
const STRING = 0;
const NUMBER = 1;
const BOOLEAN = 2;
const ANY_OBJECT = 3;
const ANY_LIST = 4;
const STRINGS = 5;
const OBJECT = 6;
const LIST_OF = 7;
type FieldCheck =
  | typeof STRING
  | typeof NUMBER
  | typeof BOOLEAN
  | typeof ANY_OBJECT
  | typeof ANY_LIST
  | typeof STRINGS
  | typeof OBJECT
  | typeof LIST_OF;

const CHECK_OF_NAME: Readonly<Record<Extract<FieldShape, string>, FieldCheck>> = {
  string: STRING,
  number: NUMBER,
  boolean: BOOLEAN,
  object: ANY_OBJECT,
  list: ANY_LIST,
  strings: STRINGS,
};

const COMPILED_SHAPES = new WeakMap<RecordShape, CompiledShape>();

function compiledShapeOf(shape: RecordShape): CompiledShape {
  let compiled = COMPILED_SHAPES.get(shape);
  if (compiled === undefined) {
    const fields = new Map<string, CompiledField>();
    for (const [field, fieldShape] of Object.entries(shape)) {
      fields.set(
        field,
        typeof fieldShape === 'string'
          ? { check: CHECK_OF_NAME[fieldShape], fields: undefined }
          : 'object' in fieldShape
            ? { check: OBJECT, fields: compiledShapeOf(fieldShape.object) }
            : { check: LIST_OF, fields: compiledShapeOf(fieldShape.listOf) },
      );
    }
    compiled = fields;
    COMPILED_SHAPES.set(shape, compiled);
  }
  return compiled;
}

// `levelsLeft` counts the levels still allowed, this object's included (the depth walk's count: < 1 is too deep).
function fitsObject(
  value: Readonly<Record<string, unknown>>,
  fields: CompiledShape,
  levelsLeft: number,
): boolean {
  if (levelsLeft < 1) return false;
  const below = levelsLeft - 1;
  for (const key in value) {
    const child = value[key];
    const field = fields.get(key);
    if (field === undefined) {
      if (typeof child === 'object' && child !== null && isContainerDeeperThan(child, below)) return false;
    } else if (!fitsField(child, field, below)) {
      return false;
    }
  }
  return true;
}

function fitsField(value: unknown, field: CompiledField, levelsLeft: number): boolean {
  switch (field.check) {
    case STRING:
      return typeof value === 'string';
    case NUMBER:
      return typeof value === 'number';
    case BOOLEAN:
      return typeof value === 'boolean';
    case ANY_OBJECT:
      return isObject(value) && !isContainerDeeperThan(value, levelsLeft);
    case ANY_LIST:
      return Array.isArray(value) && !isContainerDeeperThan(value, levelsLeft);
    case STRINGS: {
      if (!Array.isArray(value) || levelsLeft < 1) return false;
      for (let index = 0; index < value.length; index++) {
        if (typeof value[index] !== 'string') return false;
      }
      return true;
    }
    case OBJECT:
      return isObject(value) && fitsObject(value, field.fields as CompiledShape, levelsLeft);
    case LIST_OF: {
      if (!Array.isArray(value) || levelsLeft < 1) return false;
      const fields = field.fields as CompiledShape;
      for (let index = 0; index < value.length; index++) {
        const item: unknown = value[index];
        if (!isObject(item) || !fitsObject(item, fields, levelsLeft - 1)) return false;
      }
      return true;
    }
  }
}

/**
 * Whether a container nests more than `levelsLeft` levels of objects and arrays, itself being the first: the depth walk
 * alone, for what no shape describes. Recursion is safe here: it stops `levelsLeft` calls down, whatever the input's
 * depth. `for...in` is exact for what JSON.parse returns (own, enumerable, string keys only) and allocates nothing,
 * unlike Object.values; arrays are walked by index, which makes no iterator while V8 has not yet optimised the loop.
 */
export function isContainerDeeperThan(container: object, levelsLeft: number): boolean {
  if (levelsLeft < 1) return true;
  if (Array.isArray(container)) {
    for (let index = 0; index < container.length; index++) {
      const child: unknown = container[index];
      if (typeof child === 'object' && child !== null && isContainerDeeperThan(child, levelsLeft - 1))
        return true;
    }
    return false;
  }
  for (const key in container) {
    const child = (container as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null && isContainerDeeperThan(child, levelsLeft - 1))
      return true;
  }
  return false;
}

// A problem's field is relative to the value checked, and each level prefixes its own step on the way out: paths
// (`backends[2].group`) are spelled out only for the one field that fails, not for every field of every record.
function firstProblemOf(
  value: Readonly<Record<string, unknown>>,
  shape: RecordShape,
): ShapeProblem | undefined {
  for (const [field, fieldShape] of Object.entries(shape)) {
    if (!Object.hasOwn(value, field)) continue;
    const problem = checkField(value[field], fieldShape);
    if (problem) return within(field, problem);
  }
  return undefined;
}

function checkField(value: unknown, shape: FieldShape): ShapeProblem | undefined {
  if (typeof shape === 'string') {
    switch (shape) {
      case 'string':
      case 'number':
      case 'boolean':
        return typeof value === shape ? undefined : mismatch(`a ${shape}`, value);
      case 'object':
        return isObject(value) ? undefined : mismatch('an object', value);
      case 'list':
        return Array.isArray(value) ? undefined : mismatch('a list', value);
      case 'strings': {
        if (!Array.isArray(value)) return mismatch('a list of strings', value);
        for (let index = 0; index < value.length; index++) {
          if (typeof value[index] !== 'string')
            return within(`[${index}]`, mismatch('a string', value[index]));
        }
        return undefined;
      }
    }
  }
  if ('object' in shape) {
    return isObject(value) ? checkObject(value, shape.object) : mismatch('an object', value);
  }
  if (!Array.isArray(value)) return mismatch('a list of objects', value);
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    const problem = isObject(item) ? checkObject(item, shape.listOf) : mismatch('an object', item);
    if (problem) return within(`[${index}]`, problem);
  }
  return undefined;
}

/** The problem seen from one level up: `step` (`backends`, `[2]`) before its field (`group`, `[0]`, or none). */
function within(step: string, problem: ShapeProblem): ShapeProblem {
  const { field } = problem;
  const path = field === '' ? step : field.startsWith('[') ? `${step}${field}` : `${step}.${field}`;
  return { field: path, problem: problem.problem };
}

/** A problem at the value itself (its field is filled in by the levels above). */
function mismatch(expected: string, value: unknown): ShapeProblem {
  return { field: '', problem: `must be ${expected}, found ${describeJsonType(value)}` };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `null`, `an array`, `an object`, `a number`... and `nothing` for a value that is not there at all. */
export function describeJsonType(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * True when `value` nests deeper than `maxDepth` levels (a scalar is level 0, `{}` level 1). Walks with an explicit
 * stack: the input's depth must never decide the depth of our own call stack.
 */
export function isNestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: { readonly value: unknown; readonly depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop() as { value: unknown; depth: number };
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}
