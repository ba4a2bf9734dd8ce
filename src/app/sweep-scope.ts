// What a sweep message asks for (pure), and the projects that scope holds (through an injected tree reader).
// `{ "project": "p" }` is the fan-out's own message: exactly one project, swept by the invocation that receives it.

import { isProjectId } from '../domain/resource-name.js';
import type { HierarchyNode, ScopeTree } from '../domain/scope-tree.js';
import type { ScopeTreeReader } from '../ports/scope-tree.js';

export type SweepScope =
  | { readonly kind: 'project'; readonly project: string }
  | { readonly kind: 'projects'; readonly projects: readonly string[] }
  | { readonly kind: 'folder'; readonly parent: string }
  | { readonly kind: 'organization'; readonly parent: string }
  /** An empty scheduler tick: the projects the deployment is configured with. */
  | { readonly kind: 'configured' };

/** The projects a sweep covers; `tree` when they came from walking a folder or organisation. */
export interface ScopeProjects {
  readonly projects: string[];
  readonly tree?: ScopeTree;
}

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

/**
 * The projects of a scope. A folder or organisation is walked to every depth; a configured tree (the installation's
 * own folder or organisation) stands in for the configured project list.
 */
export async function projectsOfScope(
  scope: SweepScope,
  configured: readonly string[] | { readonly root: HierarchyNode },
  reader: ScopeTreeReader | undefined,
): Promise<ScopeProjects> {
  switch (scope.kind) {
    case 'project':
      return { projects: [scope.project] };
    case 'projects':
      return { projects: [...scope.projects] };
    case 'configured':
      if ('root' in configured) return walk(configured.root, reader);
      return { projects: [...new Set(configured)] };
    case 'folder':
    case 'organization':
      return walk(scope.parent, reader);
  }
}

async function walk(root: HierarchyNode, reader: ScopeTreeReader | undefined): Promise<ScopeProjects> {
  if (!reader) throw new Error(`cannot sweep ${root}: no resource tree reader is configured`);
  const tree = await reader.readTree(root);
  return { projects: tree.projects.map((project) => project.projectId), tree };
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
