// What a sweep message asks for (pure), and the projects that scope holds (through an injected project finder).
// `{ "project": "p" }` is the fan-out's own message: exactly one project, swept by the invocation that receives it.

import { isProjectId } from '../domain/resource-name.js';
import type { ProjectFinder } from '../ports/project-finder.js';

export type SweepScope =
  | { readonly kind: 'project'; readonly project: string }
  | { readonly kind: 'projects'; readonly projects: readonly string[] }
  | { readonly kind: 'folder'; readonly parent: string }
  | { readonly kind: 'organization'; readonly parent: string }
  /** An empty scheduler tick: the projects the deployment is configured with. */
  | { readonly kind: 'configured' };

export type { ProjectFinder } from '../ports/project-finder.js';

const NUMERIC_ID = /^\d{1,20}$/;
const SCOPE_KEYS = ['project', 'projects', 'folder', 'organization'] as const;

/**
 * Reads the scope from a sweep message body (already base64-decoded). Text that is not a JSON object is a plain
 * scheduler tick (the configured projects); a JSON object with a malformed scope is refused with the reason.
 */
export function parseSweepScope(text: string): SweepScope | { readonly problem: string } {
  if (text.trim() === '') return { kind: 'configured' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'configured' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { kind: 'configured' };
  const record = body as Record<string, unknown>;
  const named = SCOPE_KEYS.filter((key) => key in record);
  if (named.length === 0) return { kind: 'configured' };
  if (named.length > 1)
    return { problem: `give one of ${SCOPE_KEYS.join(', ')}, not ${named.join(' and ')}` };
  const key = named[0] as (typeof SCOPE_KEYS)[number];
  const value = record[key];
  switch (key) {
    case 'project':
      if (typeof value !== 'string' || !isProjectId(value))
        return { problem: `"project" must be a project ID, got ${describe(value)}` };
      return { kind: 'project', project: value };
    case 'projects': {
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string'))
        return { problem: '"projects" must be a list of project IDs' };
      const bad = value.find((project) => !isProjectId(project));
      if (bad !== undefined) return { problem: `"projects" holds ${describe(bad)}, not a project ID` };
      // An empty list is how a scheduler job says "the usual ones".
      if (value.length === 0) return { kind: 'configured' };
      return { kind: 'projects', projects: [...new Set(value as string[])] };
    }
    case 'folder':
      return parentScope('folder', 'folders', value);
    case 'organization':
      return parentScope('organization', 'organizations', value);
  }
}

function parentScope(
  kind: 'folder' | 'organization',
  collection: 'folders' | 'organizations',
  value: unknown,
): SweepScope | { readonly problem: string } {
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
  const id = text.startsWith(`${collection}/`) ? text.slice(collection.length + 1) : text;
  if (!NUMERIC_ID.test(id)) {
    return { problem: `"${kind}" must be like ${collection}/123456789, got ${describe(value)}` };
  }
  return { kind, parent: `${collection}/${id}` };
}

/** The projects of a scope; a folder or organisation asks the finder (direct children: nested folders are not walked). */
export async function projectsOfScope(
  scope: SweepScope,
  configured: readonly string[],
  finder: ProjectFinder | undefined,
): Promise<string[]> {
  switch (scope.kind) {
    case 'project':
      return [scope.project];
    case 'projects':
      return [...scope.projects];
    case 'configured':
      return [...new Set(configured)];
    case 'folder':
    case 'organization':
      if (!finder) throw new Error(`cannot sweep ${scope.parent}: no project finder is configured`);
      return finder.projectsUnder(scope.parent);
  }
}

export function describeScope(scope: SweepScope): string {
  switch (scope.kind) {
    case 'project':
      return `project ${scope.project}`;
    case 'projects':
      return `projects ${scope.projects.join(', ')}`;
    case 'configured':
      return 'the configured projects';
    default:
      return scope.parent;
  }
}

function describe(value: unknown): string {
  return (JSON.stringify(value) ?? String(value)).slice(0, 60);
}
