// Cloud Resource Manager v3 `projects.search` (GET /v3/projects:search): the one call an organisation sweep makes.
// Only the `parent:` and `id:`/`projectId:` terms are understood; as in the real API, terms are ORed and matched
// case-insensitively, and a query naming nothing returns every project.

import { badRequest } from './api-error.js';
import { pageOf } from './paging.js';
import { type HandlerResult, UnknownRouteError } from './request-context.js';

export interface SimulatedProject {
  readonly projectId: string;
  /** `folders/123` or `organizations/456`. */
  readonly parent: string;
  readonly projectNumber?: string;
  /** `ACTIVE` unless said; `DELETE_REQUESTED` projects are returned too, as the real search does. */
  readonly state?: 'ACTIVE' | 'DELETE_REQUESTED';
}

const MAX_PAGE_SIZE = 1000;
const TERM = /^([A-Za-z.]+):(\S+)$/;

export function handleResourceManager(
  method: string,
  segments: readonly string[],
  query: URLSearchParams,
  projects: readonly SimulatedProject[],
): HandlerResult {
  if (method !== 'GET' || segments.length !== 1 || segments[0] !== 'projects:search') {
    throw new UnknownRouteError();
  }
  const terms = parseQuery(query.get('query') ?? '');
  const matching = projects
    .filter((project) => terms.length === 0 || terms.some((term) => matches(project, term)))
    .sort((a, b) => (a.projectId < b.projectId ? -1 : a.projectId > b.projectId ? 1 : 0));
  const { page, nextPageToken: next } = pageOf(matching, query, 'pageSize', MAX_PAGE_SIZE);
  return {
    status: 200,
    body: {
      ...(page.length > 0 ? { projects: page.map(toApiProject) } : {}),
      ...(next ? { nextPageToken: next } : {}),
    },
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

function toApiProject(project: SimulatedProject): Record<string, unknown> {
  const number = project.projectNumber ?? numberOf(project.projectId);
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

/** A stable 12-digit number for a project ID the test gave none. */
export function numberOf(projectId: string): string {
  let hash = 0;
  for (const char of projectId) hash = (hash * 31 + char.charCodeAt(0)) % 900_000_000_000;
  return String(100_000_000_000 + hash);
}
