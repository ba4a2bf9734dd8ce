// Use case: one sweep message -- resolve its scope to projects, fan out to one message per project or sweep them
// here with a run record each, send what the outbox holds, and say whether a redelivery could finish what failed.

import { describeError, isRetryable } from '../domain/failure.js';
import { describeUnreadable, type HierarchyNode, type ScopeTree } from '../domain/scope-tree.js';
import type { RunRecord, RunRecordStore } from '../ports/run-records.js';
import type { ScopeTreeReader, SweptScopeStore } from '../ports/scope-tree.js';
import type { SweepPublisher } from '../ports/sweep-publisher.js';
import type { DeliveryOutcome } from './deliver-alerts.js';
import { resolveDeletingProjects } from './resolve-deleting-projects.js';
import { failedRunRecord, newRunId, runRecordOf, scopeRunRecordOf } from './run-record.js';
import { sweptScopeOf } from './scope-membership.js';
import { type SweepDeps, type SweepOutcome, sweepProject } from './sweep-project.js';
import { describeScope, parseSweepScope, projectsOfScope, type ScopeProjects } from './sweep-scope.js';

export type SweepOne = (project: string) => Promise<SweepOutcome>;
export type SweepResult =
  | { readonly project: string; readonly outcome: SweepOutcome }
  | { readonly project: string; readonly error: unknown };

export interface RunSweepDeps extends SweepDeps {
  /** Projects a sweep covers when its message names none. */
  readonly sweepProjects: readonly string[];
  /** Where each project sweep's run record goes (`runs/`); none kept when absent. */
  readonly runs?: RunRecordStore;
  /** Walks a folder or organisation to every depth for a sweep (Cloud Resource Manager folders.list, projects.list). */
  readonly treeReader?: ScopeTreeReader;
  /** The installation's folder or organisation: a tick naming no scope sweeps the whole tree beneath it. */
  readonly sweepRoot?: HierarchyNode;
  /** Where each walk of the installation's tree is kept, for the event path's scope check. */
  readonly sweptScopes?: SweptScopeStore;
  /** Publishes one message per project on the topic the tick arrived on, when the entry point knows that topic. */
  readonly fanOut?: { readonly topic: string; readonly publisher: SweepPublisher };
  /** Runs the sweep of several projects in this invocation when there is no fan-out (one after another by default). */
  readonly dispatchSweep?: (
    projects: readonly string[],
    sweepOne: SweepOne,
  ) => Promise<readonly SweepResult[]>;
  /** Sends what the outbox holds (one delivery at a time per instance). */
  readonly deliverAlerts: () => Promise<DeliveryOutcome>;
}

export type SweepRunOutcome =
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'fanned-out'; readonly projects: number }
  | { readonly kind: 'swept'; readonly outcomes: readonly SweepOutcome[]; readonly failed: readonly string[] }
  /** Ask for a redelivery: some part failed in a way a retry could fix (sweeping again is idempotent). */
  | { readonly kind: 'retry'; readonly error: unknown };

/** Thrown when some projects of a sweep failed in a way a retry could fix. */
export class SweepIncompleteError extends Error {
  override readonly name = 'SweepIncompleteError';
  readonly retryable = true;
  constructor(count: number, first: unknown) {
    super(`${count} part(s) of the sweep failed and may succeed on retry; first: ${describeError(first)}`);
  }
}

export async function runSweep(
  messageText: string,
  messageId: string | null,
  deps: RunSweepDeps,
): Promise<SweepRunOutcome> {
  const scope = parseSweepScope(messageText);
  if ('problem' in scope) {
    deps.log.error('sweep message refused', { reason: scope.problem, messageId });
    return { kind: 'refused', reason: scope.problem };
  }
  let found: ScopeProjects;
  const walkStarted = deps.clock.now().toISOString();
  try {
    found = await projectsOfScope(
      scope,
      deps.sweepRoot ? { root: deps.sweepRoot } : deps.sweepProjects,
      deps.treeReader,
    );
  } catch (error) {
    deps.log.error('sweep scope could not be resolved', {
      scope: describeScope(scope),
      error: describeError(error),
      messageId,
    });
    // A quota or outage on the tree walk's root is worth a redelivery; a refused permission is not.
    return isRetryable(error) ? { kind: 'retry', error } : { kind: 'refused', reason: describeError(error) };
  }
  let resolvedDeleting = 0;
  if (found.tree) {
    await recordWalk(deps, found.tree, walkStarted, messageId);
    resolvedDeleting = await resolveDeleting(deps, found.tree);
  }
  const { projects } = found;
  if (projects.length === 0) {
    const reason = 'sweep has no project: name them in the message or in GATEWARDEN_SWEEP_PROJECTS';
    deps.log.error(reason, { scope: describeScope(scope), messageId });
    // No project sweep follows to send them: the resolutions of projects pending deletion leave now.
    if (resolvedDeleting > 0) {
      await deps.deliverAlerts().catch((error: unknown) => {
        // Left in the outbox for the next delivery.
        deps.log.error('alerts not delivered', { scope: describeScope(scope), error: describeError(error) });
      });
    }
    return { kind: 'refused', reason };
  }
  if (projects.length > 1 && deps.fanOut) {
    // One message per project, each swept by its own invocation; a failed publish retries the whole tick,
    // which is safe because a project sweep of an unchanged estate writes nothing.
    await deps.fanOut.publisher.publishProjectSweeps(projects);
    deps.log.info('sweep fanned out', {
      scope: describeScope(scope),
      projects: projects.length,
      topic: deps.fanOut.topic,
      ...(found.tree ? { unreadable: describeUnreadable(found.tree.unreadable) } : {}),
    });
    return { kind: 'fanned-out', projects: projects.length };
  }
  const started = deps.clock.now().getTime();
  const sweepOne: SweepOne = (project) => sweepWithRunRecord(project, deps, messageId);
  const results = await (deps.dispatchSweep ?? sweepInProcess)(projects, sweepOne);
  const failed = results.filter((result) => 'error' in result);
  for (const result of failed) {
    deps.log.error('project sweep failed', { project: result.project, error: describeError(result.error) });
  }
  const swept = results.flatMap((result) => ('outcome' in result ? [result.outcome] : []));
  let delivered: DeliveryOutcome | undefined;
  let deliveryError: unknown;
  try {
    delivered = await deps.deliverAlerts();
  } catch (error) {
    deliveryError = error;
  }
  deps.log.info('sweep finished', {
    projects: projects.length,
    failedProjects: failed.map((result) => result.project),
    resources: sum(swept, 'resources'),
    failing: sum(swept, 'failing'),
    transitions: sum(swept, 'transitions'),
    snapshotsWritten: sum(swept, 'snapshotsWritten'),
    deleted: sum(swept, 'deleted'),
    yielded: sum(swept, 'yielded'),
    incompleteScopes: swept.reduce((total, outcome) => total + outcome.incomplete.length, 0),
    incompleteProjects: swept.filter((outcome) => outcome.incomplete.length > 0).map((o) => o.project),
    alertsSent: delivered?.sent ?? 0,
    durationMs: deps.clock.now().getTime() - started,
  });
  const retryable = [...failed.map((result) => result.error), deliveryError].filter(isRetryable);
  // Sweeping again is idempotent, so the projects that did succeed cost reads but no writes.
  if (retryable.length > 0)
    return { kind: 'retry', error: new SweepIncompleteError(retryable.length, retryable[0]) };
  if (deliveryError) return { kind: 'retry', error: deliveryError };
  return { kind: 'swept', outcomes: swept, failed: failed.map((result) => result.project) };
}

/**
 * Records a walk of a folder or organisation: its run record names the folders that could not be read, and the
 * installation's own tree is kept for the event path's scope check. Neither failing stops the sweep.
 */
async function recordWalk(
  deps: RunSweepDeps,
  tree: ScopeTree,
  startedAt: string,
  messageId: string | null,
): Promise<void> {
  const finishedAt = deps.clock.now().toISOString();
  const record = scopeRunRecordOf(
    tree,
    { id: newRunId(tree.root, startedAt), startedAt, finishedAt },
    messageId,
  );
  if (tree.unreadable.length > 0) {
    deps.log.warn('parts of the tree could not be read: nothing beneath them is swept', {
      scope: tree.root,
      unreadable: describeUnreadable(tree.unreadable),
    });
  }
  try {
    await deps.runs?.save(record);
  } catch (error) {
    deps.log.error('run record not saved', {
      scope: tree.root,
      runId: record.id,
      error: describeError(error),
    });
  }
  if (tree.root !== deps.sweepRoot || !deps.sweptScopes) return;
  try {
    await deps.sweptScopes.save(sweptScopeOf(tree, finishedAt));
  } catch (error) {
    // Events still place unlisted projects by ancestry, at one lookup each.
    deps.log.error('swept scope not saved', { scope: tree.root, error: describeError(error) });
  }
}

/**
 * Resolves the findings of the projects the walk saw pending deletion (when it read the whole tree). A failure is
 * logged and does not stop the sweep: the project stays pending deletion for 30 days, so the next walk tries again.
 * Their alerts are in the outbox: sent below, or by the fanned-out project sweeps.
 */
async function resolveDeleting(deps: RunSweepDeps, tree: ScopeTree): Promise<number> {
  try {
    return (await resolveDeletingProjects(tree, deps)).resolved;
  } catch (error) {
    deps.log.error('findings of projects pending deletion not resolved', {
      scope: tree.root,
      deleting: tree.deleting.map((project) => project.projectId),
      error: describeError(error),
    });
    return 0;
  }
}

async function sweepInProcess(projects: readonly string[], sweepOne: SweepOne): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  for (const project of projects) {
    try {
      results.push({ project, outcome: await sweepOne(project) });
    } catch (error) {
      results.push({ project, error });
    }
  }
  return results;
}

/** Sweeps one project and records the run (`runs/`), whether it judged, found scopes missing, or failed. */
async function sweepWithRunRecord(
  project: string,
  deps: RunSweepDeps,
  messageId: string | null,
): Promise<SweepOutcome> {
  const startedAt = deps.clock.now().toISOString();
  const id = newRunId(project, startedAt);
  const save = async (record: RunRecord) => {
    try {
      await deps.runs?.save(record);
    } catch (error) {
      // The sweep's own work is done and committed; losing its record is logged, not retried.
      deps.log.error('run record not saved', { project, runId: id, error: describeError(error) });
    }
  };
  let outcome: SweepOutcome;
  try {
    outcome = await sweepProject(project, deps);
  } catch (error) {
    const finishedAt = deps.clock.now().toISOString();
    await save(failedRunRecord(project, error, { id, startedAt, finishedAt }, messageId));
    throw error;
  }
  await save(runRecordOf(outcome, { id, startedAt, finishedAt: deps.clock.now().toISOString() }, messageId));
  if (outcome.incomplete.length > 0) {
    deps.log.warn('project sweep incomplete: nothing judged or resolved', {
      project,
      runId: id,
      incompleteScopes: outcome.incomplete,
      errors: outcome.errors,
    });
  }
  return outcome;
}

function sum(
  outcomes: readonly SweepOutcome[],
  key: 'resources' | 'failing' | 'transitions' | 'snapshotsWritten' | 'deleted' | 'yielded',
): number {
  return outcomes.reduce((total, outcome) => total + outcome[key], 0);
}
