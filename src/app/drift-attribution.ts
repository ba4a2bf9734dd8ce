// Who changed a drifted field: the audit entry's actor for the resource it changed, kept across later re-judgements.
// The drift rule is pure and cannot know who changed anything; only the event path can, and only for the resource the
// event names, and only for a field the entry changed: a drift already there before it (the stored snapshot held the
// same value) is not its doing, whatever else it changed. A later event on a neighbour or a sweep re-judges the same
// drift without knowing the author, so the stored attribution is carried over for as long as the drift is the same
// (same baseline and current value).

import type { ChangeAttribution, Finding } from '../domain/finding.js';
import { findingIdOf } from '../domain/finding.js';
import { ResourceGraph } from '../domain/graph.js';
import { stableJson } from '../domain/stable-json.js';
import type { RuleResult } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import type { ResourceSnapshot } from '../ports/snapshots.js';
import { captureGovernedFields, resolveGovernedFields } from '../rules/drift/governed-fields.js';
import type { DriftEvidence } from '../rules/drift/matches-baseline.js';
import { inventoryOfRecords, type KindedRecord } from './snapshots.js';

export const DRIFT_RULE_ID = 'drift.matches-baseline';

export interface ChangedResource {
  /** Full resource name the audit entry changed. */
  readonly resource: string;
  readonly change: ChangeAttribution;
  /**
   * The resource's governed values before the entry, as the drift rule reads them (see governedValuesBefore); absent
   * when nothing was stored of it (a create, or a resource never seen): then any drift on it is taken as the entry's.
   */
  readonly before?: Readonly<Record<string, unknown>>;
}

/** Adds `changedBy` to the evidence of failing drift results; other results pass through untouched. */
export function attributeDrift(
  results: readonly RuleResult[],
  previous: readonly Finding[],
  changed?: ChangedResource,
): RuleResult[] {
  const previousById = new Map(previous.map((finding) => [finding.id, finding]));
  return results.map((result) => {
    if (result.ruleId !== DRIFT_RULE_ID || result.status !== 'fail') return result;
    const stored = previousById.get(findingIdOf(result.ruleId, result.resource, result.subKey));
    const carried = stored && stored.state !== 'resolved' ? sameDriftAuthor(stored, result) : undefined;
    const changedBy =
      carried ?? (changed && isChangedBy(changed, result) ? changedByOf(changed.change) : undefined);
    return changedBy ? { ...result, evidence: { ...result.evidence, changedBy } } : result;
  });
}

/** The entry changed the drifted field: it names the resource, and the field did not read so before it. */
function isChangedBy(changed: ChangedResource, result: RuleResult): boolean {
  if (changed.resource !== result.resource) return false;
  const { field, current } = result.evidence as Partial<DriftEvidence>;
  if (!changed.before || field === undefined || !Object.hasOwn(changed.before, field)) return true;
  return stableJson(changed.before[field] ?? null) !== stableJson(current ?? null);
}

/**
 * The governed values of `resource` as its stored snapshot had them, read in the neighbourhood judged now (so a URL
 * map's routes and project-number links come out as the rule reads them today): what differs from the current value
 * is what the entry changed. Undefined when there is no live snapshot to compare with, or it cannot be read.
 */
export function governedValuesBefore(
  resource: string,
  previous: ResourceSnapshot | undefined,
  neighbourhood: ReadonlyMap<string, KindedRecord>,
  policy: Policy,
): Record<string, unknown> | undefined {
  if (!previous || previous.deleted) return undefined;
  const records = new Map(neighbourhood);
  records.set(resource, { kind: previous.type, data: previous.data });
  const graph = ResourceGraph.build(inventoryOfRecords(records.values()));
  const node = graph.find(resource);
  if (!node) return undefined;
  try {
    return captureGovernedFields(node, graph, resolveGovernedFields(policy.governedFields));
  } catch {
    // A value nested too deep to compare: the entry is taken as the author, as it was before values were compared.
    return undefined;
  }
}

/** The stored author, when the stored finding records the very same drift (a new value is a new change). */
function sameDriftAuthor(stored: Finding, result: RuleResult): DriftEvidence['changedBy'] | undefined {
  const before = stored.evidence as Partial<DriftEvidence>;
  const now = result.evidence as Partial<DriftEvidence>;
  if (!before.changedBy) return undefined;
  const same =
    stableJson(before.baseline ?? null) === stableJson(now.baseline ?? null) &&
    stableJson(before.current ?? null) === stableJson(now.current ?? null);
  return same ? before.changedBy : undefined;
}

function changedByOf(change: ChangeAttribution): NonNullable<DriftEvidence['changedBy']> {
  return {
    // Audit entries of some service accounts carry no principal; "unknown" still says the event path saw it.
    actor: change.actor ?? 'unknown',
    method: change.method,
    at: change.at,
    entryId: change.entryId,
  };
}
