// Use case: approve baseline entries (all, or the named resources) and re-judge drift on the approved resources at
// once, from their stored snapshots, so a finding the approval makes moot resolves now rather than at the next sweep.

import type { Baseline, BaselineEntry } from '../domain/baseline.js';
import type { ChangeAttribution } from '../domain/finding.js';
import { ResourceGraph } from '../domain/graph.js';
import { evaluate } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import { reconcile } from '../engine/reconcile.js';
import type { Clock } from '../ports/clock.js';
import type { JudgementStore } from '../ports/judgement-store.js';
import type { ResourceSnapshot, SnapshotReader } from '../ports/snapshots.js';
import type { Rule } from '../rules/define-rule.js';
import { attributeDrift, DRIFT_RULE_ID } from './drift-attribution.js';
import { inventoryOfRecords } from './snapshots.js';

export interface ApproveBaselineDeps {
  readonly baselines: { approve(entries: Readonly<Record<string, BaselineEntry>>): Promise<number> };
  readonly snapshots: SnapshotReader;
  readonly judgements: JudgementStore;
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  readonly clock: Clock;
}

export interface ApproveBaselineRequest {
  readonly baseline: Baseline;
  /** Full resource names to approve; every resource of the baseline when absent or empty. */
  readonly resources?: readonly string[];
  readonly approvedBy: string;
}

export interface ApproveBaselineOutcome {
  readonly approved: number;
  readonly approvedAt: string;
  /** Approved resources the auditor has a snapshot of, so their drift was re-judged now. */
  readonly rejudged: number;
  readonly transitions: readonly {
    readonly transition: string;
    readonly resource: string;
    readonly subKey: string | null;
  }[];
}

/** Bad input: a named resource the baseline does not hold. */
export class ApprovalError extends Error {
  override readonly name = 'ApprovalError';
  readonly badInput = true;
  readonly retryable = false;
}

/** The method name recorded in history for a resolution by approval (no audit entry stands behind it). */
export const APPROVAL_METHOD = 'gatewarden.baseline.approve';
// Depth of the references followed from an approved resource: a URL map's governed routes need the backend
// services it reaches and their NEGs to tell which services front API Gateway.
const REFERENCE_DEPTH = 2;

export async function approveBaseline(
  request: ApproveBaselineRequest,
  deps: ApproveBaselineDeps,
): Promise<ApproveBaselineOutcome> {
  const approvedAt = deps.clock.now().toISOString();
  const entries = selectEntries(request.baseline, request.resources);
  const approved: Record<string, BaselineEntry> = {};
  for (const [name, entry] of Object.entries(entries)) {
    approved[name] = { fields: entry.fields, approvedBy: request.approvedBy, approvedAt };
  }
  const count = await deps.baselines.approve(approved);

  const names = Object.keys(approved);
  const records = await collectSnapshots(names, deps.snapshots);
  const graph = ResourceGraph.build(inventoryOfRecords(records.map((s) => ({ kind: s.type, data: s.data }))));
  const judged = new Set(names.filter((name) => graph.find(name)));
  const drift = deps.rules.filter((rule) => rule.id === DRIFT_RULE_ID);
  const results = evaluate(graph, drift, {
    policy: deps.policy,
    now: deps.clock.now(),
    baseline: { version: 1, savedAt: approvedAt, resources: approved },
    only: judged,
  });
  const change: ChangeAttribution = {
    method: APPROVAL_METHOD,
    actor: request.approvedBy,
    at: approvedAt,
    entryId: `${APPROVAL_METHOD}:${approvedAt}`,
  };
  const commit =
    judged.size === 0
      ? undefined
      : await deps.judgements.commit({
          resources: [...judged],
          // Only drift results were produced, so only drift findings can change: other rules decided nothing here.
          decide: (previous) =>
            reconcile({ previous, results: attributeDrift(results, previous), change, now: approvedAt }),
        });
  return {
    approved: count,
    approvedAt,
    rejudged: judged.size,
    transitions: (commit?.output.writes ?? []).map((write) => ({
      transition: write.history.transition,
      resource: write.finding.resource,
      subKey: write.finding.subKey,
    })),
  };
}

function selectEntries(
  baseline: Baseline,
  resources: readonly string[] | undefined,
): Record<string, BaselineEntry> {
  if (!resources || resources.length === 0) return { ...baseline.resources };
  const missing = resources.filter((name) => !Object.hasOwn(baseline.resources, name));
  if (missing.length > 0) {
    throw new ApprovalError(
      `the baseline holds no governed fields for ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''} ` +
        '(give full resource names like //compute.googleapis.com/projects/P/global/backendServices/N)',
    );
  }
  return Object.fromEntries(resources.map((name) => [name, baseline.resources[name] as BaselineEntry]));
}

/** Snapshots of the approved resources and of what they reference, a few levels down. */
async function collectSnapshots(
  names: readonly string[],
  store: SnapshotReader,
): Promise<ResourceSnapshot[]> {
  const found = new Map<string, ResourceSnapshot>();
  let wanted = [...new Set(names)];
  for (let depth = 0; depth <= REFERENCE_DEPTH && wanted.length > 0; depth += 1) {
    const batch = (await store.get(wanted)).filter((snapshot) => !snapshot.deleted);
    for (const snapshot of batch) found.set(snapshot.name, snapshot);
    wanted = [...new Set(batch.flatMap((snapshot) => snapshot.references))].filter(
      (name) => !found.has(name),
    );
  }
  return [...found.values()];
}
