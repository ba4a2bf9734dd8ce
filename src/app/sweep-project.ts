// Use case: re-read everything in one project, judge it all, refresh snapshots, and resolve the findings of
// resources that are gone -- but only when the inventory is complete (a missing scope is not a deletion).

import type { Baseline } from '../domain/baseline.js';
import { ResourceGraph } from '../domain/graph.js';
import type { IncompleteScope } from '../domain/inventory.js';
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
import { snapshotOf } from './snapshots.js';

export interface SweepDeps {
  readonly source: ResourceSource;
  readonly snapshots: SnapshotStore;
  readonly findings: FindingStore;
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  readonly clock: Clock;
  readonly log: Logger;
  readonly baseline?: Baseline;
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
  readonly durationMs: number;
}

export async function sweepProject(project: string, deps: SweepDeps): Promise<SweepOutcome> {
  const started = deps.clock.now();
  const now = started.toISOString();
  const inventory = await deps.source.readInventory([project]);
  const graph = ResourceGraph.build(inventory);
  const incomplete = graph.incomplete;
  const results = evaluate(graph, deps.rules, {
    policy: deps.policy,
    now: started,
    ...(deps.baseline ? { baseline: deps.baseline } : {}),
  });

  const live = [...graph.allNodes()].filter((node) => node.project === project);
  const liveNames = new Set(live.map((node) => node.fullName));
  const known = await deps.snapshots.ofProject(project);
  // With any scope unread, absence proves nothing: resolve nothing as deleted, and say so.
  const gone = incomplete.length > 0 ? [] : known.filter((snapshot) => !liveNames.has(snapshot.name));
  if (incomplete.length > 0) {
    deps.log.warn('inventory incomplete: no resource is taken as deleted', { project, incomplete });
  }
  const snapshotsWritten = await deps.snapshots.save([
    ...live.map((node) => snapshotOf(graph, node, now)),
    ...gone.map((snapshot) => ({ ...snapshot, deleted: true, observedAt: now })),
  ]);

  const previous = await deps.findings.query({ project, states: ['open', 'muted'] });
  const orphaned =
    incomplete.length > 0 ? [] : previous.filter((finding) => !liveNames.has(finding.resource));
  const deleted = new Set([
    ...gone.map((snapshot) => snapshot.name),
    ...orphaned.map((finding) => finding.resource),
  ]);
  const commit = await deps.findings.reconcile(
    { resources: [...new Set([...liveNames, ...deleted, ...previous.map((finding) => finding.resource)])] },
    (stored) =>
      reconcile({
        previous: stored,
        results,
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
    durationMs: deps.clock.now().getTime() - started.getTime(),
  };
}
