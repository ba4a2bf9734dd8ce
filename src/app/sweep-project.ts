// Use case: re-read everything in one project, judge it all, refresh snapshots, and resolve the findings of
// resources that are gone -- but only when the inventory is complete (a missing scope is not a deletion).
import type { Baseline } from '../domain/baseline.js';
import { isPermissionDenied } from '../domain/failure.js';
import { ResourceGraph } from '../domain/graph.js';
import {
  type DisabledService,
  emptyInventory,
  type IncompleteScope,
  type Inventory,
} from '../domain/inventory.js';
import type { Severity } from '../domain/severity.js';
import { evaluate } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import { reconcile } from '../engine/reconcile.js';
import type { Clock } from '../ports/clock.js';
import type { FindingStore } from '../ports/finding-store.js';
import type { Logger } from '../ports/logger.js';
import type { ResourceSource } from '../ports/resource-source.js';
import type { SnapshotStore } from '../ports/snapshot-store.js';
import type { Rule } from '../rules/define-rule.js';
import { attributeDrift } from './drift-attribution.js';
import { snapshotOf } from './snapshots.js';

export interface SweepDeps {
  readonly source: ResourceSource;
  readonly snapshots: SnapshotStore;
  readonly findings: FindingStore;
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  readonly clock: Clock;
  readonly log: Logger;
  /** The approved baseline of the named resources: the sweep asks for those its snapshots already know about. */
  readonly loadBaseline?: (resources: readonly string[]) => Promise<Baseline | undefined>;
  readonly minimumAlertSeverity?: Severity;
}

export interface SweepOutcome {
  readonly project: string;
  readonly resources: number;
  readonly results: number;
  readonly failing: number;
  readonly transitions: number;
  readonly snapshotsWritten: number;
  /** Resources whose snapshots say they existed but the (complete) inventory no longer has. */
  readonly deleted: number;
  readonly incomplete: readonly IncompleteScope[];
  /** APIs the project has not enabled (API Gateway): judged as holding none of their kinds, and noted. */
  readonly disabledServices: readonly DisabledService[];
  /** Reads that failed for good (a 403 on the project): reported, and the project's findings left as they are. */
  readonly errors: readonly string[];
  readonly durationMs: number;
}

export async function sweepProject(project: string, deps: SweepDeps): Promise<SweepOutcome> {
  const started = deps.clock.now();
  const now = started.toISOString();
  // The snapshots are read before any are saved: they say what existed, and whose approvals the drift rules need.
  const [{ inventory, errors }, known] = await Promise.all([
    readProjectInventory(deps.source, project),
    deps.snapshots.ofProject(project),
  ]);
  const graph = ResourceGraph.build(inventory);
  const incomplete = graph.incomplete;
  const baseline =
    deps.loadBaseline && incomplete.length === 0 && known.length > 0
      ? await deps.loadBaseline(known.map((snapshot) => snapshot.name))
      : undefined;
  // A partial graph makes rules decide on missing neighbours (a gateway in an unreachable region looks deleted to
  // its NEG), so an incomplete inventory is not judged at all: snapshots of what was read are refreshed, findings
  // stay as they are, and the run record says which scopes were missing. Events keep judging changes meanwhile.
  const results =
    incomplete.length > 0
      ? []
      : evaluate(graph, deps.rules, {
          policy: deps.policy,
          now: started,
          ...(baseline ? { baseline } : {}),
        });

  const live = [...graph.allNodes()].filter((node) => node.project === project);
  const liveNames = new Set(live.map((node) => node.fullName));
  // With any scope unread, absence proves nothing: resolve nothing as deleted, and say so.
  const gone = incomplete.length > 0 ? [] : known.filter((snapshot) => !liveNames.has(snapshot.name));
  if (incomplete.length > 0) {
    deps.log.warn('inventory incomplete: nothing judged, no resource taken as deleted', {
      project,
      incomplete,
    });
  }
  const snapshotsWritten = await deps.snapshots.save([
    ...live.map((node) => snapshotOf(graph, node, now)),
    ...gone.map((snapshot) => ({ ...snapshot, deleted: true, observedAt: now })),
  ]);

  if (incomplete.length > 0) {
    return {
      project,
      resources: live.length,
      results: 0,
      failing: 0,
      transitions: 0,
      snapshotsWritten,
      deleted: 0,
      incomplete,
      disabledServices: inventory.disabledServices ?? [],
      errors,
      durationMs: deps.clock.now().getTime() - started.getTime(),
    };
  }
  const previous = await deps.findings.query({ project, states: ['open', 'muted'] });
  const orphaned = previous.filter((finding) => !liveNames.has(finding.resource));
  const deleted = new Set([
    ...gone.map((snapshot) => snapshot.name),
    ...orphaned.map((finding) => finding.resource),
  ]);
  const commit = await deps.findings.reconcile(
    { resources: [...new Set([...liveNames, ...deleted, ...previous.map((finding) => finding.resource)])] },
    (stored) =>
      reconcile({
        previous: stored,
        // A sweep cannot know who changed a field; it keeps the author an event recorded.
        results: attributeDrift(results, stored),
        deleted,
        change: null,
        now,
        ...(deps.minimumAlertSeverity ? { minimumAlertSeverity: deps.minimumAlertSeverity } : {}),
      }),
  );
  return {
    project,
    resources: live.length,
    results: results.length,
    failing: results.filter((result) => result.status === 'fail').length,
    transitions: commit.output.writes.length,
    snapshotsWritten,
    deleted: deleted.size,
    incomplete,
    disabledServices: inventory.disabledServices ?? [],
    errors,
    durationMs: deps.clock.now().getTime() - started.getTime(),
  };
}

/**
 * The project's inventory; a permission error (a 403 that no retry fixes) becomes an inventory that is incomplete
 * for the whole project, so it is reported rather than failing the sweep or being taken for an empty project.
 */
async function readProjectInventory(
  source: ResourceSource,
  project: string,
): Promise<{ inventory: Inventory; errors: string[] }> {
  try {
    return { inventory: await source.readInventory([project]), errors: [] };
  } catch (error) {
    // Recognised by what the error declares: the app layer does not import adapter classes.
    if (!isPermissionDenied(error)) throw error;
    const reason = `PERMISSION_DENIED: ${error.message.split('\n', 1)[0] ?? ''}`;
    return {
      inventory: { ...emptyInventory(), incomplete: [{ project, kind: 'project', scope: '*', reason }] },
      errors: [reason],
    };
  }
}
