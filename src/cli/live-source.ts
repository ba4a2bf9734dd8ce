// `gatewarden scan --project P`: reads live projects (or the simulator at --endpoint) with progress on stderr.

import type { GoogleApisSourceOptions, RetryEvent } from '../adapters/googleapis/googleapis-source.js';
import type { ResourceTreeOptions } from '../adapters/googleapis/resource-tree.js';
import type { DisabledService, IncompleteScope, Inventory } from '../domain/inventory.js';
import { emptyInventory, mergeInventories } from '../domain/inventory.js';
import { KIND_PLURAL_LABELS, RESOURCE_KINDS, type ResourceKind } from '../domain/resource-kind.js';
import { isProjectId } from '../domain/resource-name.js';
import { describeUnreadable, type UnreadablePart } from '../domain/scope-tree.js';
import type { ReadProgress, ResourceSource } from '../ports/resource-source.js';
import type { ScopeTreeReader } from '../ports/scope-tree.js';
import { type CliIo, UsageError } from './io.js';
import type { ScanSubject } from './scan-subject.js';

export type CreateLiveSource = (options: GoogleApisSourceOptions) => Promise<ResourceSource>;

/** Live projects as a scan subject; the googleapis modules load only when a live scan actually runs. */
export function liveSubject(
  projects: readonly string[],
  endpoint: string | undefined,
  io: CliIo,
  createSource: CreateLiveSource = createDefaultSource,
): ScanSubject {
  for (const project of projects) {
    if (!isProjectId(project)) {
      throw new UsageError(`--project ${JSON.stringify(project)} is not a project ID or number`);
    }
  }
  const base = endpoint === undefined ? undefined : parseEndpoint(endpoint);
  const wanted = [...new Set(projects)];
  return {
    label: `${wanted.length === 1 ? 'project' : 'projects'} ${wanted.join(', ')}${base ? ` via ${base}` : ''}`,
    async read() {
      const source = await createSource({
        ...(base ? { endpoint: base } : {}),
        onRetry: (event) => io.stderr.write(describeRetry(event)),
      });
      const options = {
        onProgress: (progress: ReadProgress) => {
          if (progress.done) io.stderr.write(describeProgress(progress));
        },
      };
      // Each project on its own: one that a missing permission or a switched-off API keeps from being read must not
      // keep the others (an organisation's hundreds) from being judged. It is named, and the run still exits 2.
      const outcomes = await Promise.all(
        wanted.map((project) =>
          source.readInventory([project], options).then(
            (inventory) => ({ project, inventory, error: undefined }),
            (error: unknown) => ({ project, inventory: undefined, error: asUsageError(error) }),
          ),
        ),
      );
      const read: Inventory[] = [];
      const unread: IncompleteScope[] = [];
      for (const { project, inventory, error } of outcomes) {
        if (inventory) read.push(inventory);
        else if (error instanceof UsageError)
          unread.push({ project, kind: 'project', scope: '*', reason: error.message });
        else throw error;
      }
      const [first] = unread;
      if (first && read.length === 0) throw new UsageError(first.reason);
      const joined = read.length === 1 && unread.length === 0 ? read[0] : mergeInventories(...read);
      if (!joined) throw new Error('a live scan reads at least one project');
      const inventory: Inventory = { ...joined, incomplete: [...unread, ...(joined.incomplete ?? [])] };
      const recordCount = RESOURCE_KINDS.reduce((sum, kind) => sum + inventory[kind].length, 0);
      return {
        inventory,
        recordCount,
        warnings: [
          ...(inventory.incomplete ?? []).map(describeIncomplete),
          ...(inventory.disabledServices ?? []).map(describeDisabled),
        ],
        ...(unread.length > 0 ? { unreadProjects: { failed: unread.length, of: wanted.length } } : {}),
      };
    },
  };
}

export type CreateTreeReader = (options: ResourceTreeOptions) => Promise<ScopeTreeReader>;

/**
 * Every ACTIVE project beneath a folder or organisation, read live: the tree is walked first (as the sweep walks it),
 * then each project is read with its progress lines. Folders that could not be read are named in the warnings.
 */
export function liveTreeSubject(
  root: string,
  endpoint: string | undefined,
  io: CliIo,
  createSource: CreateLiveSource = createDefaultSource,
  createTreeReader: CreateTreeReader = createDefaultTreeReader,
): ScanSubject {
  const base = endpoint === undefined ? undefined : parseEndpoint(endpoint);
  return {
    label: `every project beneath ${root}${base ? ` via ${base}` : ''}`,
    async read() {
      const reader = await createTreeReader(base ? { endpoint: base } : {});
      let tree: Awaited<ReturnType<ScopeTreeReader['readTree']>>;
      try {
        tree = await reader.readTree(root);
      } catch (error) {
        throw asUsageError(error);
      }
      const folders = tree.nodes.filter((node) => node !== root && node.startsWith('folders/')).length;
      io.stderr.write(
        `gatewarden: ${root}: ${tree.projects.length} ACTIVE project(s) in ${folders} folder(s) beneath it\n`,
      );
      for (const line of describeUnreadable(tree.unreadable))
        io.stderr.write(`gatewarden: unreadable: ${line}\n`);
      const unreadable = tree.unreadable.map(describeUnreadablePart);
      const unreadParts = tree.unreadable.length;
      if (tree.projects.length === 0) {
        return {
          inventory: emptyInventory(),
          recordCount: 0,
          warnings: [`no ACTIVE project found beneath ${root}`, ...unreadable],
          unreadParts,
        };
      }
      // IDs the API gave, not the user: one that is not an ID is skipped with a warning, never blamed on --project.
      const projects = tree.projects.map((project) => project.projectId).filter(isProjectId);
      const notIds = tree.projects
        .filter((project) => !isProjectId(project.projectId))
        .map((project) => `${root}: skipped ${JSON.stringify(project.projectId)}: not a project ID`);
      if (projects.length === 0) {
        return {
          inventory: emptyInventory(),
          recordCount: 0,
          warnings: [...unreadable, ...notIds],
          unreadParts: unreadParts + notIds.length,
        };
      }
      const input = await liveSubject(projects, base, io, createSource).read();
      return {
        ...input,
        warnings: [...unreadable, ...notIds, ...input.warnings],
        unreadParts: unreadParts + notIds.length,
      };
    },
  };
}

function describeUnreadablePart(part: UnreadablePart): string {
  if (part.entriesSkipped)
    return `${part.node}: some of its ${part.missing} could not be read (${part.reason}); those are not judged`;
  return `${part.node}: its ${part.missing} could not be listed (${part.reason}); nothing beneath it is judged`;
}

async function createDefaultTreeReader(options: ResourceTreeOptions): Promise<ScopeTreeReader> {
  const { createResourceManagerReader } = await import('../adapters/googleapis/resource-tree.js');
  return createResourceManagerReader(options);
}

async function createDefaultSource(options: GoogleApisSourceOptions): Promise<ResourceSource> {
  const { createGoogleApisSource } = await import('../adapters/googleapis/googleapis-source.js');
  return createGoogleApisSource(options);
}

function parseEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`--endpoint ${JSON.stringify(endpoint)} is not a URL (e.g. http://127.0.0.1:8085)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--endpoint must be an http or https URL, got ${url.protocol}`);
  }
  return url.origin;
}

function describeProgress(progress: ReadProgress): string {
  return `gatewarden: ${progress.project}: ${progress.count} ${KIND_PLURAL_LABELS[progress.kind]}\n`;
}

function describeRetry(event: RetryEvent): string {
  const status =
    event.status === undefined ? 'no response' : `${event.status}${event.reason ? ` ${event.reason}` : ''}`;
  return `gatewarden: ${event.project}: ${event.method} answered ${status}; retry ${event.attempt} in ${(event.delayMs / 1000).toFixed(1)} s\n`;
}

function describeIncomplete(scope: IncompleteScope): string {
  if (scope.kind === 'project')
    return `project ${scope.project} could not be read (${scope.reason}); nothing in it is judged`;
  // `*`: the whole list failed (an answer that is not a list, paging that would not end), not one region of it.
  const where = scope.scope === '*' ? '' : ` in ${scope.scope}`;
  return (
    `project ${scope.project}: ${KIND_PLURAL_LABELS[scope.kind as ResourceKind] ?? scope.kind}${where} could not be read ` +
    `(${scope.reason}); they are not judged and not taken as deleted`
  );
}

function describeDisabled(disabled: DisabledService): string {
  return (
    `project ${disabled.project}: ${disabled.service} is not enabled, so it holds no ` +
    `${disabled.kinds.map((kind) => KIND_PLURAL_LABELS[kind]).join(' or ')}; judged as such`
  );
}

/**
 * A project that cannot be read is input that cannot be read, like an unreadable estate: exit 2 with one line.
 * Exit 1 stays reserved for "findings at or above --fail-on", so CI never mistakes an outage for findings.
 */
function asUsageError(error: unknown): unknown {
  if (!(error instanceof Error) || error instanceof UsageError) return error;
  if (
    ![
      'PermissionDeniedError',
      'RetriesExhaustedError',
      'GoogleApiError',
      'ResourceTreeError',
      'ServiceDisabledError',
    ].includes(error.name)
  )
    return error;
  return new UsageError(error.message.split('\n', 1)[0] ?? error.message);
}
