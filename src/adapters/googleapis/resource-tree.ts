// Cloud Resource Manager v3 through googleapis: the whole tree under a folder or organisation (folders.list and
// projects.list under each node, paged, breadth first under a concurrency limit, each call with the retry policy),
// and the parent of one project or folder for the event path's ancestry lookups.
//
// Why list and not search: folders.list and projects.list are strongly consistent and check the permission on the
// parent they are asked about, so a folder that cannot be read answers 403 and the walk can say which part of the
// tree it did not see. projects.search and Cloud Asset Inventory are eventually consistent and silently leave out
// what the caller cannot see, so a missing folder would look like an empty one.

import type { AuthClient, GoogleAuth } from 'google-auth-library';
import { cloudresourcemanager_v3 } from 'googleapis/build/src/apis/cloudresourcemanager/v3.js';
import type { HierarchyNode, ScopeTree, TreeProject, UnreadablePart } from '../../domain/scope-tree.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { AncestryReader, NodeParent, ScopeTreeReader } from '../../ports/scope-tree.js';
import { type ApiFailure, classifyFailure, toApiFailure } from './api-failure.js';
import { createLimiter } from './limiter.js';
import { callWithRetries, DEFAULT_RETRY_POLICY } from './retry-policy.js';

export interface ResourceTreeOptions {
  /** Send the calls to this base URL (the local simulator) without credentials. */
  readonly endpoint?: string;
  readonly auth?: GoogleAuth | AuthClient;
  readonly pageSize?: number;
  /** Resource Manager calls in flight at once during a walk. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  /** Told about every Resource Manager call made (after retries), for counting in benches and tests. */
  readonly onCall?: (method: 'folders.list' | 'projects.list' | 'projects.get' | 'folders.get') => void;
}

/** The walk could not start or a lookup failed in a way that says nothing about membership. */
export class ResourceTreeError extends Error {
  override readonly name = 'ResourceTreeError';
  constructor(
    message: string,
    /** Whether a later attempt could succeed (quota, outage). */
    readonly retryable: boolean,
    /** The API refused the name itself (a 400): asking again can only fail the same way. */
    readonly badInput = false,
  ) {
    super(message);
  }
}

/** Projects and folders per page: the most the API is asked for, so a walk makes the fewest calls. */
export const RESOURCE_TREE_PAGE_SIZE = 1000;
export const DEFAULT_RESOURCE_TREE_CONCURRENCY = 8;

export type ResourceManagerReader = ScopeTreeReader & AncestryReader;

export async function createResourceManagerReader(
  options: ResourceTreeOptions = {},
): Promise<ResourceManagerReader> {
  const auth = options.endpoint ? undefined : (options.auth ?? (await createDefaultAuth()));
  const client = new cloudresourcemanager_v3.Cloudresourcemanager({
    ...(options.endpoint ? { rootUrl: `${new URL(options.endpoint).origin}/` } : {}),
    ...(auth ? { auth } : {}),
    retry: false,
  } as cloudresourcemanager_v3.Options);
  const clock = options.clock ?? systemClock;
  const pageSize = options.pageSize ?? RESOURCE_TREE_PAGE_SIZE;
  const limiter = createLimiter(options.concurrency ?? DEFAULT_RESOURCE_TREE_CONCURRENCY);

  async function call<T>(
    method: Parameters<NonNullable<ResourceTreeOptions['onCall']>>[0],
    request: () => Promise<{ data: T }>,
  ): Promise<{ ok: true; value: T } | { ok: false; failure: ApiFailure }> {
    const outcome = await limiter.run(() =>
      callWithRetries(request, toApiFailure, DEFAULT_RETRY_POLICY, clock),
    );
    options.onCall?.(method);
    return outcome.ok ? { ok: true, value: outcome.value.data } : { ok: false, failure: outcome.failure };
  }

  /** Every page of one list; a failure on any page leaves the node's list unread (what was paged is dropped). */
  async function listAll<T>(
    method: 'folders.list' | 'projects.list',
    parent: HierarchyNode,
    page: (pageToken: string | undefined) => Promise<{ data: { nextPageToken?: string | null } & T }>,
  ): Promise<{ ok: true; pages: T[] } | { ok: false; reason: string; retryable: boolean }> {
    const pages: T[] = [];
    let pageToken: string | undefined;
    do {
      const outcome = await call(method, () => page(pageToken));
      if (!outcome.ok) {
        return {
          ok: false,
          reason: describeFailure(outcome.failure, `${method} ${parent}`),
          retryable: classifyFailure(outcome.failure) === 'retryable',
        };
      }
      pages.push(outcome.value);
      pageToken = outcome.value.nextPageToken || undefined;
    } while (pageToken);
    return { ok: true, pages };
  }

  async function readTree(root: HierarchyNode): Promise<ScopeTree> {
    const projects = new Map<string, TreeProject>();
    const nodes = new Set<HierarchyNode>([root]);
    const unreadable: UnreadablePart[] = [];

    async function visit(node: HierarchyNode): Promise<void> {
      const [folders, found] = await Promise.all([
        listAll<cloudresourcemanager_v3.Schema$ListFoldersResponse>('folders.list', node, (pageToken) =>
          client.folders.list({ parent: node, pageSize, ...(pageToken ? { pageToken } : {}) }),
        ),
        listAll<cloudresourcemanager_v3.Schema$ListProjectsResponse>('projects.list', node, (pageToken) =>
          client.projects.list({ parent: node, pageSize, ...(pageToken ? { pageToken } : {}) }),
        ),
      ]);
      // Without the root nothing at all is known: the sweep fails (and is retried when a retry could help).
      const rootFailure = node === root ? [folders, found].find((list) => !list.ok) : undefined;
      if (rootFailure && !rootFailure.ok)
        throw new ResourceTreeError(rootFailure.reason, rootFailure.retryable);
      if (found.ok) {
        for (const project of found.pages.flatMap((page) => page.projects ?? [])) {
          // list leaves out projects pending deletion unless asked; the state is checked anyway.
          if (project.state !== 'ACTIVE' || !project.projectId || projects.has(project.projectId)) continue;
          const number = /^projects\/(\d+)$/.exec(project.name ?? '')?.[1];
          projects.set(project.projectId, {
            projectId: project.projectId,
            ...(number ? { projectNumber: number } : {}),
            parent: node,
          });
        }
      } else {
        unreadable.push({ node, missing: 'projects', reason: found.reason });
      }
      if (!folders.ok) {
        unreadable.push({ node, missing: 'folders', reason: folders.reason });
        return;
      }
      const children = folders.pages
        .flatMap((page) => page.folders ?? [])
        .filter((folder) => folder.state === 'ACTIVE' && folder.name && !nodes.has(folder.name))
        .map((folder) => folder.name as string);
      for (const child of children) nodes.add(child);
      await Promise.all(children.map(visit));
    }

    await visit(root);
    return {
      root,
      projects: [...projects.values()].sort((a, b) => (a.projectId < b.projectId ? -1 : 1)),
      nodes: [...nodes].sort(),
      unreadable: unreadable.sort((a, b) =>
        a.node === b.node ? (a.missing < b.missing ? -1 : 1) : a.node < b.node ? -1 : 1,
      ),
    };
  }

  async function parentOf(resource: string): Promise<NodeParent> {
    const isProject = resource.startsWith('projects/');
    const outcome = isProject
      ? await call('projects.get', () => client.projects.get({ name: resource }))
      : await call('folders.get', () => client.folders.get({ name: resource }));
    if (!outcome.ok) {
      const kind = classifyFailure(outcome.failure);
      const reason = describeFailure(
        outcome.failure,
        `${isProject ? 'projects' : 'folders'}.get ${resource}`,
      );
      // The reader role sits on the scope's root and is inherited downwards, so what it cannot read is not inside.
      if (kind === 'permission-denied' || kind === 'not-found') return { readable: false, reason };
      throw new ResourceTreeError(reason, kind === 'retryable', outcome.failure.status === 400);
    }
    const { parent, state, projectId, name } = outcome.value as {
      parent?: string | null;
      state?: string | null;
      projectId?: string | null;
      name?: string | null;
    };
    return {
      readable: true,
      parent: parent ?? undefined,
      active: state === 'ACTIVE',
      ...(projectId ? { projectId } : {}),
      ...(isProject && name ? { projectNumber: name.slice('projects/'.length) } : {}),
    };
  }

  return { readTree, parentOf };
}

function describeFailure(failure: ApiFailure, what: string): string {
  const { status, reason, message } = failure;
  return `${what}: ${status ?? 'no response'}${reason ? ` ${reason}` : ''}: ${message}`
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

async function createDefaultAuth(): Promise<GoogleAuth> {
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform.read-only'] });
}
