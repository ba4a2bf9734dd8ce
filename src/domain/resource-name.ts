// Resource references: parse selfLinks, audit-log resource names and CAI full names into one shape,
// and print Cloud Asset Inventory full names (`//compute.googleapis.com/projects/P/global/...`).

import { KIND_BY_COLLECTION, type ResourceKind } from './resource-kind.js';

export type ApiService = 'compute' | 'apigateway';
export type LocationScope = 'global' | 'regions' | 'zones' | 'locations';

export interface ResourceRef {
  readonly service: ApiService;
  readonly project: string;
  readonly scope: LocationScope;
  /** `global`, a region (`us-central1`) or a zone (`us-central1-a`). */
  readonly location: string;
  /** API collection of the last path segment pair: `backendServices`, `gateways`, `configs`, `apis`... */
  readonly collection: string;
  readonly name: string;
  /** The path after `projects/{project}/`, version-free: `global/backendServices/x`, `locations/global/apis/a/configs/c`. */
  readonly path: string;
}

// Every `/`-separated segment has no separators, spaces or control characters, and is never `.` or `..`:
// `projects/../global/backendServices/x` names nothing, and passed on it would only fail inside the client library
// (or walk up a URL path). The parser checks ASCII text itself, character by character; a path with any other
// character is checked by this expression, which says the same for all of Unicode (`\s` and `\p{Cc}` hold
// characters above U+007F too).
const SAFE_SEGMENT = String.raw`(?!\.\.?(?:/|$))[^/?#\s\p{Cc}]+`;
const SAFE_PATH = new RegExp(`^${SAFE_SEGMENT}(?:/${SAFE_SEGMENT})*$`, 'u');

const SLASH = 0x2f;
const DOT = 0x2e;
const QUESTION_MARK = 0x3f;
const HASH = 0x23;
/** Space and every ASCII control character but DEL: `\s` and `\p{Cc}` below U+0080. */
const LAST_SPACE_OR_CONTROL = 0x20;
const DELETE = 0x7f;
const FIRST_NON_ASCII = 0x80;
const PROJECTS = 'projects/';
/** `y`, where an `apigateway` in a host ends. */
const LAST_OF_APIGATEWAY = 0x79;

/**
 * A project ID (6-30 characters) or a project number, as Google APIs accept either in `projects/{project}`;
 * anything else would only come back from them as a confusing 404 or 400.
 */
export const PROJECT_ID_PATTERN = /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})$/;

export function isProjectId(text: string): boolean {
  return PROJECT_ID_PATTERN.test(text);
}

const PROJECT_NUMBER = /^\d+$/;

/** A project named by its number (digits alone), not its ID. */
export function isProjectNumber(text: string): boolean {
  return PROJECT_NUMBER.test(text);
}

/**
 * Where the parts of a resource name lie in its text, as scanResourceName finds them: the graph reads them straight
 * from the text, so a link it already holds costs no object and a name it builds costs only the strings it keeps.
 */
export interface NameSpans {
  service: ApiService;
  scope: LocationScope;
  /** Where `projects/` begins. */
  start: number;
  /** The `/` after the project, the scope and the location (`global` names have no location: -1). */
  projectEnd: number;
  scopeEnd: number;
  locationEnd: number;
  /** Where the last segment but one (the collection) and the last one (the name) begin. */
  collectionStart: number;
  nameStart: number;
  /** Where the name ends: the text's end, or its query or fragment. */
  end: number;
}

export function newNameSpans(): NameSpans {
  return {
    service: 'compute',
    scope: 'global',
    start: 0,
    projectEnd: 0,
    scopeEnd: 0,
    locationEnd: 0,
    collectionStart: 0,
    nameStart: 0,
    end: 0,
  };
}

const SPANS = newNameSpans();

/**
 * Parses any of the forms Google APIs use to name a resource:
 * `https://www.googleapis.com/compute/v1/projects/P/global/backendServices/N` (any host, any version: v1, beta,
 * alpha), `projects/P/regions/R/networkEndpointGroups/N` (audit-log `resourceName`),
 * `//compute.googleapis.com/projects/...` and `//apigateway.googleapis.com/projects/P/locations/L/gateways/G`.
 * Returns undefined for anything else; it never throws.
 */
export function parseResourceRef(text: unknown): ResourceRef | undefined {
  if (!scanResourceName(text, SPANS)) return undefined;
  const { service, scope, start, projectEnd, scopeEnd, locationEnd, collectionStart, nameStart, end } = SPANS;
  return {
    service,
    project: text.slice(start + PROJECTS.length, projectEnd),
    scope,
    location: scope === 'global' ? 'global' : text.slice(scopeEnd + 1, locationEnd),
    collection: text.slice(collectionStart, nameStart - 1),
    name: text.slice(nameStart, end),
    path: text.slice(projectEnd + 1, end),
  };
}

/**
 * What parseResourceRef reads, as positions in `spans` (overwritten): true when `text` names a resource. One pass
 * over the text, no regular expression, no split: the graph scans every selfLink and every link it does not hold
 * (issue 14).
 */
export function scanResourceName(text: unknown, spans: NameSpans): text is string {
  if (typeof text !== 'string' || text.length === 0 || text.length > 4096) return false;
  // `start` is where `projects/` begins: the text's start or its first `/projects/`, which counts only when no
  // query or fragment began before it. The host before it is read once, for both, and for an `apigateway` in it.
  let start = 0;
  let apiGatewayHost = false;
  if (!text.startsWith(PROJECTS)) {
    for (let index = 0; start === 0; index++) {
      if (index >= text.length) return false;
      const code = text.charCodeAt(index);
      if (code === SLASH) {
        if (text.startsWith(PROJECTS, index + 1)) start = index + 1;
      } else if (code === QUESTION_MARK || code === HASH) {
        return false;
      } else if (code === LAST_OF_APIGATEWAY && index >= 9 && text.startsWith('apigateway', index - 9)) {
        apiGatewayHost = true;
      }
    }
  }
  let projectEnd = -1;
  let scopeEnd = -1;
  let locationEnd = -1;
  let previousStart = start;
  let segmentStart = start;
  let segments = 1;
  let asciiOnly = true;
  let end = text.length;
  // From the `/` after `projects`: the segment before it is known to be plain.
  for (let index = start + PROJECTS.length - 1; index < text.length; index++) {
    const code = text.charCodeAt(index);
    // Letters first: most of a name, and nothing above `?` but DEL is a separator or a control character.
    if (code > QUESTION_MARK) {
      if (code >= DELETE) {
        if (code === DELETE) return false;
        if (code >= FIRST_NON_ASCII) asciiOnly = false;
      }
    } else if (code === SLASH) {
      if (!isPlainSegment(text, segmentStart, index)) return false;
      if (segments === 2) projectEnd = index;
      else if (segments === 3) scopeEnd = index;
      else if (segments === 4) locationEnd = index;
      segments++;
      previousStart = segmentStart;
      segmentStart = index + 1;
    } else if (code === QUESTION_MARK || code === HASH) {
      end = index;
      break;
    } else if (code <= LAST_SPACE_OR_CONTROL) {
      return false;
    }
  }
  if (!isPlainSegment(text, segmentStart, end)) return false;
  if (!asciiOnly && !SAFE_PATH.test(text.slice(start, end))) return false;
  // projects/{project}/{scope}/{location}/...: a project and a scope at least.
  if (projectEnd < 0) return false;
  const scopeStart = projectEnd + 1;
  const scopeLength = (scopeEnd < 0 ? end : scopeEnd) - scopeStart;
  /** Segments after `projects/{project}/{scope}/{location}`. */
  const rest = segments - 4;
  let service: ApiService = 'compute';
  let scope: LocationScope;
  if (isSegment(text, scopeStart, scopeLength, 'locations') || apiGatewayHost) {
    // An `apigateway` host before `projects/` names an API Gateway resource, whatever the scope says.
    if (!isSegment(text, scopeStart, scopeLength, 'locations') || rest < 2 || rest % 2 !== 0) return false;
    service = 'apigateway';
    scope = 'locations';
  } else if (isSegment(text, scopeStart, scopeLength, 'global')) {
    // global/{collection}/{name}: no location segment.
    if (rest !== 1) return false;
    scope = 'global';
  } else if (rest === 2 && isSegment(text, scopeStart, scopeLength, 'regions')) {
    scope = 'regions';
  } else if (rest === 2 && isSegment(text, scopeStart, scopeLength, 'zones')) {
    scope = 'zones';
  } else {
    return false;
  }
  spans.service = service;
  spans.scope = scope;
  spans.start = start;
  spans.projectEnd = projectEnd;
  spans.scopeEnd = scopeEnd;
  spans.locationEnd = locationEnd;
  spans.collectionStart = previousStart;
  spans.nameStart = segmentStart;
  spans.end = end;
  return true;
}

/** Text that is one segment parseResourceRef would accept between two `/`, in ASCII alone. */
export function isPlainAsciiSegment(text: string): boolean {
  if (!isPlainSegment(text, 0, text.length)) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (
      code <= LAST_SPACE_OR_CONTROL ||
      code === DELETE ||
      code >= FIRST_NON_ASCII ||
      code === SLASH ||
      code === QUESTION_MARK ||
      code === HASH
    ) {
      return false;
    }
  }
  return true;
}

/** The segment of `text` at `start`, `length` long, is `word`. */
function isSegment(text: string, start: number, length: number, word: string): boolean {
  return length === word.length && text.startsWith(word, start);
}

/** A segment of a path: not empty, not `.` or `..` (its characters are checked as the scan passes them). */
function isPlainSegment(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length > 2 || length === 0) return length > 0;
  return !(text.charCodeAt(start) === DOT && (length === 1 || text.charCodeAt(start + 1) === DOT));
}

/** CAI full resource name: `//compute.googleapis.com/projects/P/global/backendServices/N`. */
export function fullNameOf(ref: ResourceRef): string {
  return `//${ref.service}.googleapis.com/projects/${ref.project}/${ref.path}`;
}

/** Full name of whatever `text` names, or undefined when it names nothing we can parse. */
export function toFullName(text: unknown): string | undefined {
  const ref = parseResourceRef(text);
  return ref ? fullNameOf(ref) : undefined;
}

export function kindOfRef(ref: ResourceRef): ResourceKind | undefined {
  return KIND_BY_COLLECTION[ref.collection];
}

/** The region a resource lives in (`us-central1` for a zone `us-central1-a`), or undefined when global. */
export function regionOfRef(ref: ResourceRef): string | undefined {
  if (ref.location === 'global' || ref.location === '-') return undefined;
  if (ref.scope === 'zones') return ref.location.replace(/-[a-z]$/, '');
  return ref.location;
}

export function isRegional(ref: ResourceRef): boolean {
  return ref.scope === 'regions' || (ref.scope === 'locations' && ref.location !== 'global');
}

export function withProject(ref: ResourceRef, project: string): ResourceRef {
  return project === ref.project ? ref : { ...ref, project };
}

/** The last path segment of a URL or name (`.../regions/us-central1` -> `us-central1`). */
export function lastSegment(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const parts = text.split('/').filter(Boolean);
  return parts[parts.length - 1];
}
