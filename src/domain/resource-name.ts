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

// No separators, spaces or control characters, and never `.` or `..`: `projects/../global/backendServices/x` names
// nothing, and passed on it would only fail inside the client library (or walk up a URL path).
const SAFE_SEGMENT = /^(?!\.\.?$)[^/?#\s\p{Cc}]+$/u;

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
  const clean = text.split(/[?#]/, 1)[0] ?? '';
  const start = clean.startsWith('projects/') ? 0 : clean.indexOf('/projects/') + 1;
  if (start < 0 || (start === 0 && !clean.startsWith('projects/'))) return undefined;
  const prefix = clean.slice(0, start);
  const segments = clean.slice(start).split('/');
  if (segments.some((segment) => !SAFE_SEGMENT.test(segment))) return undefined;
  const [, project, scope, location, ...rest] = segments;
  if (!project || !scope) return undefined;

  if (scope === 'locations' || prefix.includes('apigateway')) {
    if (scope !== 'locations' || !location || rest.length < 2 || rest.length % 2 !== 0) return undefined;
    return buildRef('apigateway', project, 'locations', location, [scope, location, ...rest]);
  }
  if (scope === 'global') {
    // global/{collection}/{name}: `location` holds the collection here.
    if (!location || rest.length !== 1) return undefined;
    return buildRef('compute', project, 'global', 'global', [scope, location, ...rest]);
  }
  if ((scope === 'regions' || scope === 'zones') && location && rest.length === 2) {
    return buildRef('compute', project, scope, location, [scope, location, ...rest]);
  }
  return undefined;
}

function buildRef(
  service: ApiService,
  project: string,
  scope: LocationScope,
  location: string,
  pathSegments: readonly string[],
): ResourceRef {
  const collection = pathSegments[pathSegments.length - 2] ?? '';
  const name = pathSegments[pathSegments.length - 1] ?? '';
  return { service, project, scope, location, collection, name, path: pathSegments.join('/') };
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
