// Cloud Resource Manager v3 over a folder hierarchy: what an organisation or folder sweep walks (folders.list and
// projects.list per parent) and what the event path asks for a project's ancestry (projects.get, folders.get).
// `projects.search` is served too: terms are ORed and matched case-insensitively, as in the real API.
// A fault rule on a folder's own path (`/v3/folders/123`) makes that folder unreadable: get, and both of its lists.

import { compareText } from '../domain/compare-text.js';
import { ApiError, badRequest } from './api-error.js';
import { pageOf } from './paging.js';
import { type HandlerResult, type RequestContext, UnknownRouteError } from './request-context.js';

export type LifecycleState = 'ACTIVE' | 'DELETE_REQUESTED';

export interface SimulatedProject {
  readonly projectId: string;
  /** `folders/123` or `organizations/456`. */
  readonly parent: string;
  readonly projectNumber?: string;
  /** `ACTIVE` unless said; `DELETE_REQUESTED` projects are returned by search, and by list only with showDeleted. */
  readonly state?: LifecycleState;
}

export interface SimulatedFolder {
  /** `folders/123`. */
  readonly name: string;
  /** `folders/456` or `organizations/789`. */
  readonly parent: string;
  readonly displayName?: string;
  readonly state?: LifecycleState;
}

const FOLDER_NAME = /^folders\/\d{1,20}$/;
const PARENT_NAME = /^(folders|organizations)\/\d{1,20}$/;

/** The simulated resource hierarchy; tests move, add and remove projects and folders between sweeps. */
export class ResourceHierarchy {
  private readonly projectsById = new Map<string, SimulatedProject>();
  private readonly foldersByName = new Map<string, SimulatedFolder>();

  constructor(projects: readonly SimulatedProject[] = [], folders: readonly SimulatedFolder[] = []) {
    for (const folder of folders) this.putFolder(folder);
    for (const project of projects) this.putProject(project);
  }

  putProject(project: SimulatedProject): void {
    this.projectsById.set(project.projectId, project);
  }

  putFolder(folder: SimulatedFolder): void {
    if (!FOLDER_NAME.test(folder.name)) throw new Error(`folder name ${folder.name} is not folders/NUMBER`);
    if (!PARENT_NAME.test(folder.parent))
      throw new Error(`folder ${folder.name}: parent ${folder.parent} is not folders/N or organizations/N`);
    this.foldersByName.set(folder.name, folder);
  }

  /** Moves a project under another folder or organisation, as `gcloud beta projects move` does. */
  moveProject(projectId: string, parent: string): void {
    const project = this.projectsById.get(projectId);
    if (!project) throw new Error(`no simulated project ${projectId}`);
    this.projectsById.set(projectId, { ...project, parent });
  }

  removeProject(projectId: string): void {
    this.projectsById.delete(projectId);
  }

  get projects(): readonly SimulatedProject[] {
    return [...this.projectsById.values()];
  }

  get folders(): readonly SimulatedFolder[] {
    return [...this.foldersByName.values()];
  }

  project(idOrNumber: string): SimulatedProject | undefined {
    return (
      this.projectsById.get(idOrNumber) ??
      this.projects.find((project) => numberOfProject(project) === idOrNumber)
    );
  }

  folder(name: string): SimulatedFolder | undefined {
    return this.foldersByName.get(name);
  }

  /**
   * Whether a node can be listed: a folder we hold, or a folder or organisation some folder or project names as its
   * parent (an estate may give projects.json without folders.json).
   */
  hasNode(name: string): boolean {
    return (
      this.foldersByName.has(name) ||
      this.folders.some((folder) => folder.parent === name) ||
      this.projects.some((project) => project.parent === name)
    );
  }
}

const MAX_PAGE_SIZE = 1000;
const TERM = /^([A-Za-z.]+):(\S+)$/;

export function handleResourceManager(ctx: RequestContext, hierarchy: ResourceHierarchy): HandlerResult {
  const { method, segments, query } = ctx;
  if (method !== 'GET') throw new UnknownRouteError();
  const [collection, id, ...rest] = segments;
  if (rest.length > 0) throw new UnknownRouteError();
  if (collection === 'projects:search' && id === undefined) return searchProjects(query, hierarchy);
  if (collection === 'projects' && id === undefined) return listProjects(ctx, hierarchy);
  if (collection === 'folders' && id === undefined) return listFolders(ctx, hierarchy);
  if (collection === 'projects' && id !== undefined) return getProject(id, hierarchy);
  if (collection === 'folders' && id !== undefined) return getFolder(`folders/${id}`, hierarchy);
  throw new UnknownRouteError();
}

function searchProjects(query: URLSearchParams, hierarchy: ResourceHierarchy): HandlerResult {
  const terms = parseQuery(query.get('query') ?? '');
  const matching = sortedProjects(
    hierarchy.projects.filter(
      (project) => terms.length === 0 || terms.some((term) => matches(project, term)),
    ),
  );
  return listBody('projects', matching.map(toApiProject), query);
}

/** projects.list: the direct children of `parent`, ACTIVE only unless `showDeleted=true`. */
function listProjects(ctx: RequestContext, hierarchy: ResourceHierarchy): HandlerResult {
  const parent = readableParent(ctx, hierarchy, 'resourcemanager.projects.list');
  const showDeleted = ctx.query.get('showDeleted') === 'true';
  const children = sortedProjects(
    hierarchy.projects.filter(
      (project) => project.parent === parent && (showDeleted || (project.state ?? 'ACTIVE') === 'ACTIVE'),
    ),
  );
  return listBody('projects', children.map(toApiProject), ctx.query);
}

/** folders.list: the direct children of `parent`, ACTIVE only unless `showDeleted=true`, by display name. */
function listFolders(ctx: RequestContext, hierarchy: ResourceHierarchy): HandlerResult {
  const parent = readableParent(ctx, hierarchy, 'resourcemanager.folders.list');
  const showDeleted = ctx.query.get('showDeleted') === 'true';
  const children = hierarchy.folders
    .filter((folder) => folder.parent === parent && (showDeleted || (folder.state ?? 'ACTIVE') === 'ACTIVE'))
    .sort((a, b) => compareText(displayNameOf(a), displayNameOf(b)) || compareText(a.name, b.name));
  return listBody('folders', children.map(toApiFolder), ctx.query);
}

function getProject(idOrNumber: string, hierarchy: ResourceHierarchy): HandlerResult {
  const project = hierarchy.project(idOrNumber);
  // The real API answers 403 for a project that does not exist, so as not to tell which IDs are taken.
  if (!project) throw denied(`projects/${idOrNumber}`, 'resourcemanager.projects.get');
  return { status: 200, body: toApiProject(project) };
}

function getFolder(name: string, hierarchy: ResourceHierarchy): HandlerResult {
  const folder = hierarchy.folder(name);
  if (!folder) throw denied(name, 'resourcemanager.folders.get');
  return { status: 200, body: toApiFolder(folder) };
}

/**
 * The `parent` of a list call, checked as the real API checks it (the permission on the parent): a node that does
 * not exist, or one a fault rule on its own path denies, answers 403.
 */
function readableParent(ctx: RequestContext, hierarchy: ResourceHierarchy, permission: string): string {
  const parent = ctx.query.get('parent') ?? '';
  if (!PARENT_NAME.test(parent)) {
    throw badRequest(`Invalid value for field 'parent': '${parent}'. Must be folders/N or organizations/N.`);
  }
  // Only the fault's error is taken: its latency was already applied to the request's own path.
  const fault = ctx.faults.pick(ctx.method, `/v3/${parent}`);
  // A permission fault is worded as Resource Manager words it, naming the list permission on the parent (the
  // generic fault names a Compute or API Gateway permission, which this API never asks for).
  if (fault?.error?.code === 403 && fault.error.reason === 'forbidden') throw denied(parent, permission);
  if (fault?.error) throw fault.error;
  if (!hierarchy.hasNode(parent)) throw denied(parent, permission);
  return parent;
}

function denied(resource: string, permission: string): ApiError {
  return new ApiError(
    403,
    'forbidden',
    `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`,
  );
}

function listBody(
  key: 'projects' | 'folders',
  items: readonly unknown[],
  query: URLSearchParams,
): HandlerResult {
  const { page, nextPageToken } = pageOf(items, query, 'pageSize', MAX_PAGE_SIZE);
  return {
    status: 200,
    body: { ...(page.length > 0 ? { [key]: page } : {}), ...(nextPageToken ? { nextPageToken } : {}) },
  };
}

interface Term {
  readonly field: string;
  readonly value: string;
}

function parseQuery(text: string): Term[] {
  return text
    .split(/\s+/)
    .filter((part) => part !== '')
    .map((part) => {
      const match = TERM.exec(part);
      if (!match?.[1] || !match[2]) throw badRequest(`Invalid query term '${part}'.`);
      return { field: match[1].toLowerCase(), value: match[2].toLowerCase() };
    });
}

function matches(project: SimulatedProject, term: Term): boolean {
  switch (term.field) {
    case 'parent':
      return project.parent.toLowerCase() === term.value;
    case 'id':
    case 'projectid':
      return project.projectId === term.value;
    default:
      throw badRequest(`The simulator does not search projects by '${term.field}'.`);
  }
}

function sortedProjects(projects: readonly SimulatedProject[]): SimulatedProject[] {
  return [...projects].sort((a, b) => compareText(a.projectId, b.projectId));
}

function toApiProject(project: SimulatedProject): Record<string, unknown> {
  const number = numberOfProject(project);
  return {
    name: `projects/${number}`,
    parent: project.parent,
    projectId: project.projectId,
    state: project.state ?? 'ACTIVE',
    displayName: project.projectId,
    createTime: '2026-01-05T10:00:00.000Z',
    etag: `W/"${number}"`,
  };
}

function toApiFolder(folder: SimulatedFolder): Record<string, unknown> {
  return {
    name: folder.name,
    parent: folder.parent,
    displayName: displayNameOf(folder),
    state: folder.state ?? 'ACTIVE',
    createTime: '2025-06-02T08:00:00.000Z',
    updateTime: '2025-06-02T08:00:00.000Z',
    etag: `W/"${folder.name.slice('folders/'.length)}"`,
  };
}

function displayNameOf(folder: SimulatedFolder): string {
  return folder.displayName ?? folder.name;
}

function numberOfProject(project: SimulatedProject): string {
  return project.projectNumber ?? numberOf(project.projectId);
}

/** A stable 12-digit number for a project ID the test gave none. */
export function numberOf(projectId: string): string {
  let hash = 0;
  for (const char of projectId) hash = (hash * 31 + char.charCodeAt(0)) % 900_000_000_000;
  return String(100_000_000_000 + hash);
}
