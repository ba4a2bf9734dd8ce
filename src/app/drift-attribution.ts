// Who changed a drifted field: the audit entry's actor for the resource it changed, kept across later re-judgements.
// The drift rule is pure and cannot know who changed anything; only the event path can, and only for the resource the
// event names. A later event on a neighbour or a sweep re-judges the same drift without knowing the author, so the
// stored attribution is carried over for as long as the drift is the same (same baseline and current value).

import type { ChangeAttribution, Finding } from '../domain/finding.js';
import { findingIdOf } from '../domain/finding.js';
import { stableJson } from '../domain/stable-json.js';
import type { RuleResult } from '../engine/evaluate.js';
import type { DriftEvidence } from '../rules/drift/matches-baseline.js';

export const DRIFT_RULE_ID = 'drift.matches-baseline';

export interface ChangedResource {
  /** Full resource name the audit entry changed. */
  readonly resource: string;
  readonly change: ChangeAttribution;
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
      carried ?? (changed && changed.resource === result.resource ? changedByOf(changed.change) : undefined);
    return changedBy ? { ...result, evidence: { ...result.evidence, changedBy } } : result;
  });
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
