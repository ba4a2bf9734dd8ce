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
import { isObject } from '../../domain/record-shape.js';
import { isProjectId } from '../../domain/resource-name.js';
import type { HierarchyNode, ScopeTree, TreeProject, UnreadablePart } from '../../domain/scope-tree.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { AncestryReader, NodeParent, ScopeTreeReader } from '../../ports/scope-tree.js';
import { describeShape, notAList } from './answer-shape.js';
import { type ApiFailure, classifyFailure, toApiFailure } from './api-failure.js';
import { createLimiter } from './limiter.js';
import { callWithRetries, DEFAULT_RETRY_POLICY } from './retry-policy.js';

export interface ResourceTreeOptions {
  /** Send the calls to this base URL (the local simulator) without credentials. */
  readonly endpoint?: string;
  readonly auth?: GoogleAuth | AuthClient;
  readonly pageSize?: number;
  /** Pages one node's list may take before it is given up as unread: MAX_RESOURCE_TREE_PAGES unless a test wants few. */
  readonly maxPages?: number;
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
/**
 * 1,000 pages of 1,000 are a million projects (or folders) directly under one node, far past any organisation's
 * quota: a list still paging then is an API that does not end, and reading on would only grow memory.
 */
export const MAX_RESOURCE_TREE_PAGES = 1_000;

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
  const maxPages = options.maxPages ?? MAX_RESOURCE_TREE_PAGES;
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

  /**
   * The entries of every page of one list; a failure on any page leaves the node's list unread (what was paged is
   * dropped). So does an answer that is not a list page, a page token asked for before, or more than maxPages pages:
   * each would otherwise read as fewer children than there are, or page for ever.
   */
  async function listAll(
    method: 'folders.list' | 'projects.list',
    parent: HierarchyNode,
    page: (pageToken: string | undefined) => Promise<{ data: unknown }>,
  ): Promise<{ ok: true; entries: unknown[] } | { ok: false; reason: string; retryable: boolean }> {
    const field = method === 'folders.list' ? 'folders' : 'projects';
    const what = `${method} ${parent}`;
    const unread = (reason: string) => ({ ok: false as const, reason, retryable: false });
    const entries: unknown[] = [];
    const tokensAsked = new Set<string>();
    let pageToken: string | undefined;
    for (let pages = 1; ; pages += 1) {
      const outcome = await call(method, () => page(pageToken));
      if (!outcome.ok) {
        return {
          ok: false,
          reason: describeFailure(outcome.failure, what),
          retryable: classifyFailure(outcome.failure) === 'retryable',
        };
      }
      const answer = outcome.value;
      if (!isObject(answer)) return unread(notAList(what, `the answer is ${describeShape(answer)}`));
      // proto3 JSON leaves an empty list out: a node without children answers without the field.
      const listed = answer[field] ?? [];
      if (!Array.isArray(listed)) return unread(notAList(what, `${field} is ${describeShape(listed)}`));
      for (const entry of listed) entries.push(entry);
      const next = answer.nextPageToken;
      if (next === undefined || next === null || next === '') return { ok: true, entries };
      if (typeof next !== 'string') return unread(notAList(what, `nextPageToken is ${describeShape(next)}`));
      if (tokensAsked.has(next))
        return unread(`${what}: repeated a page token after ${pages} pages, so its paging would never end`);
      if (pages >= maxPages)
        return unread(`${what}: still paging after ${pages} pages, the most one list is read for`);
      tokensAsked.add(next);
      pageToken = next;
    }
  }

  async function readTree(root: HierarchyNode): Promise<ScopeTree> {
    const projects = new Map<string, TreeProject>();
    const deleting = new Map<string, TreeProject>();
    const nodes = new Set<HierarchyNode>([root]);
    const unreadable: UnreadablePart[] = [];

    async function visit(node: HierarchyNode): Promise<void> {
      const [folders, found] = await Promise.all([
        listAll('folders.list', node, (pageToken) =>
          client.folders.list({ parent: node, pageSize, ...(pageToken ? { pageToken } : {}) }),
        ),
        // showDeleted: a project pending deletion is listed too, so the walk can say it is going rather than gone.
        listAll('projects.list', node, (pageToken) =>
          client.projects.list({
            parent: node,
            pageSize,
            showDeleted: true,
            ...(pageToken ? { pageToken } : {}),
          }),
        ),
      ]);
      // Without the root nothing at all is known: the sweep fails (and is retried when a retry could help).
      const rootFailure = node === root ? [folders, found].find((list) => !list.ok) : undefined;
      if (rootFailure && !rootFailure.ok)
        throw new ResourceTreeError(rootFailure.reason, rootFailure.retryable);
      if (found.ok) {
        const skipped = new SkippedEntries(`projects.list ${node}`);
        for (const [index, entry] of found.entries.entries()) {
          const project = projectOf(entry);
          if (project && 'problem' in project) {
            skipped.add(index, project.problem);
            continue;
          }
          if (project === undefined) continue;
          const { state, ...found } = project;
          const kept = state === 'ACTIVE' ? projects : deleting;
          if (kept.has(found.projectId)) continue;
          kept.set(found.projectId, { ...found, parent: node });
        }
        // The node says its projects were not all read, so no project missing from beneath it is taken as gone.
        if (skipped.reason)
          unreadable.push({ node, missing: 'projects', reason: skipped.reason, entriesSkipped: true });
      } else {
        unreadable.push({ node, missing: 'projects', reason: found.reason });
      }
      if (!folders.ok) {
        unreadable.push({ node, missing: 'folders', reason: folders.reason });
        return;
      }
      const skipped = new SkippedEntries(`folders.list ${node}`);
      const children: HierarchyNode[] = [];
      for (const [index, entry] of folders.entries.entries()) {
        const found = folderOf(entry);
        if (found && 'problem' in found) skipped.add(index, found.problem);
        else if (found && !nodes.has(found.folder)) children.push(found.folder);
      }
      if (skipped.reason)
        unreadable.push({ node, missing: 'folders', reason: skipped.reason, entriesSkipped: true });
      for (const child of children) nodes.add(child);
      await Promise.all(children.map(visit));
    }

    await visit(root);
    return {
      root,
      projects: byProjectId(projects),
      // A project listed twice (moved during the walk) and ACTIVE once is not taken as going.
      deleting: byProjectId(deleting).filter((project) => !projects.has(project.projectId)),
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

function byProjectId(projects: ReadonlyMap<string, TreeProject>): TreeProject[] {
  return [...projects.values()].sort((a, b) => (a.projectId < b.projectId ? -1 : 1));
}

/**
 * An ACTIVE or DELETE_REQUESTED project of a projects.list answer; undefined for one in any other state; what is
 * wrong with an entry that is not a project or whose ID is not one (`Bad/../ID` would otherwise reach a scan as if a
 * user had typed it).
 */
function projectOf(
  entry: unknown,
):
  | (Omit<TreeProject, 'parent'> & { state: 'ACTIVE' | 'DELETE_REQUESTED' })
  | undefined
  | { problem: string } {
  if (!isObject(entry)) return { problem: `is ${describeShape(entry)}` };
  const { state } = entry;
  if (state !== 'ACTIVE' && state !== 'DELETE_REQUESTED') return undefined;
  const { projectId, name } = entry;
  // A project ID starts with a letter: digits alone are a number, which projectId never holds.
  if (typeof projectId !== 'string' || !isProjectId(projectId) || /^\d+$/.test(projectId))
    return { problem: `has projectId ${quote(projectId)}, not a project ID` };
  const number = typeof name === 'string' ? /^projects\/(\d+)$/.exec(name)?.[1] : undefined;
  return { projectId, state, ...(number ? { projectNumber: number } : {}) };
}

/** An ACTIVE folder's name from a folders.list answer; undefined for one that is not ACTIVE; or what is wrong. */
function folderOf(entry: unknown): { folder: HierarchyNode } | undefined | { problem: string } {
  if (!isObject(entry)) return { problem: `is ${describeShape(entry)}` };
  if (entry.state !== 'ACTIVE') return undefined;
  const { name } = entry;
  if (typeof name !== 'string' || !/^folders\/\d{1,20}$/.test(name))
    return { problem: `has name ${quote(name)}, not a folder's` };
  return { folder: name };
}

/** Entries of one node's list that were left out: the first few by position, for an unreadable part's reason. */
class SkippedEntries {
  private readonly found: string[] = [];
  private count = 0;

  constructor(private readonly what: string) {}

  add(index: number, problem: string): void {
    this.count += 1;
    if (this.found.length < 3) this.found.push(`entry ${index} ${problem}`);
  }

  get reason(): string | undefined {
    if (this.count === 0) return undefined;
    const more = this.count > this.found.length ? `; ${this.count - this.found.length} more` : '';
    return `${this.what}: skipped ${this.count} ${this.count === 1 ? 'entry' : 'entries'} (${this.found.join('; ')}${more})`;
  }
}

/** A short JSON rendering of a name the API gave, for a reason line (names can be long or hostile). */
function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
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
