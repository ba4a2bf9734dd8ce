// Use case: the findings of projects a walk saw pending deletion. A project in DELETE_REQUESTED has its resources shut
// down and is deleted 30 days later; the walk no longer sweeps it, so nothing else would ever resolve what it held.
// Once a complete walk lists a project in that state, its stored open, muted and undetermined findings resolve as the
// findings of deleted resources do (reconcile's deleted path: a history record and a `resolved` alert), naming why.
//
// Only the explicit state counts. A project the walk merely no longer lists (moved out of the scope, or not readable)
// keeps its findings: its resources may well be live, findings do not record which scope judged them, and a one-off
// folder sweep lists only part of the installation's tree. An incomplete walk resolves nothing at all.

import type { ScopeTree, TreeProject } from '../domain/scope-tree.js';
import type { Severity } from '../domain/severity.js';
import { reconcile } from '../engine/reconcile.js';
import type { Clock } from '../ports/clock.js';
import type { FindingQueries } from '../ports/finding-queries.js';
import type { JudgementStore } from '../ports/judgement-store.js';
import type { Logger } from '../ports/logger.js';

export interface DeletingProjectsDeps {
  readonly findings: FindingQueries;
  readonly judgements: JudgementStore;
  readonly clock: Clock;
  readonly log: Logger;
  readonly minimumAlertSeverity?: Severity;
  readonly recordQuietTransitions?: boolean;
}

export interface DeletingProjectsOutcome {
  /** Projects pending deletion whose findings were looked at (none when the walk was incomplete). */
  readonly projects: number;
  /** Findings resolved. */
  readonly resolved: number;
}

/** Resources per commit: each carries every finding of the resource, with its history and alert. */
const RESOURCES_PER_COMMIT = 100;

export async function resolveDeletingProjects(
  tree: ScopeTree,
  deps: DeletingProjectsDeps,
): Promise<DeletingProjectsOutcome> {
  if (tree.deleting.length === 0) return { projects: 0, resolved: 0 };
  if (tree.unreadable.length > 0) {
    deps.log.warn('projects pending deletion keep their findings: the walk did not read the whole tree', {
      scope: tree.root,
      deleting: tree.deleting.map((project) => project.projectId),
    });
    return { projects: 0, resolved: 0 };
  }
  let resolved = 0;
  for (const project of tree.deleting) resolved += await resolveProject(project, tree, deps);
  return { projects: tree.deleting.length, resolved };
}

async function resolveProject(project: TreeProject, tree: ScopeTree, deps: DeletingProjectsDeps) {
  const { projectId } = project;
  // One query (a projection of resource names): a project already resolved costs this and nothing more.
  const resources = await deps.findings.resourcesWithFindings(projectId, ['open', 'muted', 'undetermined']);
  if (resources.length === 0) return 0;
  const now = deps.clock.now().toISOString();
  const deletedBecause = `project ${projectId} is pending deletion (DELETE_REQUESTED beneath ${tree.root})`;
  let resolved = 0;
  for (let start = 0; start < resources.length; start += RESOURCES_PER_COMMIT) {
    const chunk = resources.slice(start, start + RESOURCES_PER_COMMIT);
    const deleted = new Set(chunk);
    const committed = await deps.judgements.commit({
      resources: chunk,
      unlistedWithFindings: deleted,
      // Every resource of the project is gone with it: the deleted path resolves each finding not already resolved.
      decide: (previous) =>
        reconcile({
          previous,
          results: [],
          deleted,
          deletedBecause,
          change: null,
          now,
          ...(deps.minimumAlertSeverity ? { minimumAlertSeverity: deps.minimumAlertSeverity } : {}),
          ...(deps.recordQuietTransitions ? { recordQuietTransitions: true } : {}),
        }),
    });
    resolved += committed.output.writes.length;
  }
  deps.log.info('findings of a project pending deletion resolved', {
    project: projectId,
    scope: tree.root,
    resources: resources.length,
    resolved,
  });
  return resolved;
}
