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
// (or walk up a URL path). One test over the whole path: the graph parses every selfLink and link it holds (issue 14).
const SAFE_SEGMENT = String.raw`(?!\.\.?(?:/|$))[^/?#\s\p{Cc}]+`;
const SAFE_PATH = new RegExp(`^${SAFE_SEGMENT}(?:/${SAFE_SEGMENT})*$`, 'u');
const QUERY_OR_FRAGMENT = /[?#]/;

/**
 * A project ID (6-30 characters) or a project number, as Google APIs accept either in `projects/{project}`;
 * anything else would only come back from them as a confusing 404 or 400.
 */
export const PROJECT_ID_PATTERN = /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})$/;

export function isProjectId(text: string): boolean {
  return PROJECT_ID_PATTERN.test(text);
}

/**
 * Parses any of the forms Google APIs use to name a resource:
 * `https://www.googleapis.com/compute/v1/projects/P/global/backendServices/N` (any host, any version: v1, beta,
 * alpha), `projects/P/regions/R/networkEndpointGroups/N` (audit-log `resourceName`),
 * `//compute.googleapis.com/projects/...` and `//apigateway.googleapis.com/projects/P/locations/L/gateways/G`.
 * Returns undefined for anything else; it never throws.
 */
export function parseResourceRef(text: unknown): ResourceRef | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 4096) return undefined;
  const end = text.search(QUERY_OR_FRAGMENT);
  const clean = end < 0 ? text : text.slice(0, end);
  const start = clean.startsWith('projects/') ? 0 : clean.indexOf('/projects/') + 1;
  if (start === 0 && !clean.startsWith('projects/')) return undefined;
  const tail = clean.slice(start);
  if (!SAFE_PATH.test(tail)) return undefined;
  // projects/{project}/{scope}/{location}/...: segments are never empty past SAFE_PATH.
  const segments = tail.split('/');
  const [, project, scope, location] = segments;
  if (project === undefined || scope === undefined) return undefined;
  /** Segments after `projects/{project}/{scope}/{location}`. */
  const rest = segments.length - 4;
  /** The path after `projects/{project}/`: the name without its project. */
  const path = tail.slice('projects/'.length + project.length + 1);

  if (scope === 'locations' || clean.slice(0, start).includes('apigateway')) {
    if (scope !== 'locations' || location === undefined || rest < 2 || rest % 2 !== 0) return undefined;
    return buildRef('apigateway', project, 'locations', location, segments, path);
  }
  if (scope === 'global') {
    // global/{collection}/{name}: `location` holds the collection here.
    if (location === undefined || rest !== 1) return undefined;
    return buildRef('compute', project, 'global', 'global', segments, path);
  }
  if ((scope === 'regions' || scope === 'zones') && location !== undefined && rest === 2) {
    return buildRef('compute', project, scope, location, segments, path);
  }
  return undefined;
}

function buildRef(
  service: ApiService,
  project: string,
  scope: LocationScope,
  location: string,
  segments: readonly string[],
  path: string,
): ResourceRef {
  const collection = segments[segments.length - 2] ?? '';
  const name = segments[segments.length - 1] ?? '';
  return { service, project, scope, location, collection, name, path };
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
