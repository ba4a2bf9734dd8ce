// Pure: previous findings + fresh results -> the state transitions to store (finding, history record, alert).
// Nothing is rewritten when nothing changed, and nothing is resolved on missing evidence: an `error` result becomes
// an `undetermined` finding (DESIGN.md §3) unless the rule's finding on that resource is open or muted.

import type { AlertRecord } from '../domain/alert.js';
import {
  ALERTING_TRANSITIONS,
  alertIdOf,
  type ChangeAttribution,
  type Finding,
  type FindingState,
  findingIdOf,
  type HistoryRecord,
  type ResourceLabels,
  sameLabels,
  type Transition,
} from '../domain/finding.js';
import { isAtLeast, type Severity, severityRank } from '../domain/severity.js';
import { stableJson } from '../domain/stable-json.js';
import type { RuleResult } from './evaluate.js';

export interface ReconcileInput {
  /** Stored findings of the resources in scope (any state). */
  readonly previous: readonly Finding[];
  /** Fresh results for the resources in scope. */
  readonly results: readonly RuleResult[];
  /** Resources that no longer exist: every finding of theirs resolves. */
  readonly deleted?: ReadonlySet<string>;
  /** Why the deleted resources are gone, when it is known and is not the resource's own deletion. */
  readonly deletedBecause?: string;
  /**
   * Rules the policy disables: never judged again, so nothing else would ever decide their stored findings, which
   * would stay open (or undetermined) for good. They resolve, saying why.
   */
  readonly disabledRules?: ReadonlySet<string>;
  readonly change: ChangeAttribution | null;
  readonly now: string;
  /** Alerts are produced at or above this severity (resolutions included). */
  readonly minimumAlertSeverity?: Severity;
  /** Also write every other transition to the outbox, marked quiet, for a mirror that wants them all (SCC). */
  readonly recordQuietTransitions?: boolean;
}

export interface FindingWrite {
  readonly finding: Finding;
  readonly history: HistoryRecord;
  readonly alert: AlertRecord | null;
}

export interface ReconcileOutput {
  readonly writes: readonly FindingWrite[];
  /** Failing findings seen again with nothing to record. */
  readonly unchanged: number;
}

// Evidence compares by content rather than key order. Re-exported for the Firestore finding store, which imports it
// from here.
export { stableJson };

const resultKey = (ruleId: string, resource: string) => `${ruleId}\n${resource}`;

export function reconcile(input: ReconcileInput): ReconcileOutput {
  const previousById = new Map(input.previous.map((finding) => [finding.id, finding]));
  const failingIds = new Set<string>();
  /** (rule, resource) pairs the rule decided this time: only those may resolve a finding. */
  const decided = new Set<string>();
  const writes: FindingWrite[] = [];
  let unchanged = 0;

  const undecided: RuleResult[] = [];
  for (const result of input.results) {
    if (result.status === 'error') undecided.push(result);
    else decided.add(resultKey(result.ruleId, result.resource));
    if (result.status !== 'fail') continue;
    const id = findingIdOf(result.ruleId, result.resource, result.subKey);
    failingIds.add(id);
    const next = applyFailure(previousById.get(id), id, result, input);
    if (next) writes.push(next);
    else unchanged += 1;
  }

  // A rule that could not decide keeps what it decided before (an open finding stays open) and is itself recorded:
  // as an `undetermined` finding when nothing of that (rule, resource) is failing, alerted once when it appears.
  const failingPairs = new Set(
    input.previous
      .filter((finding) => finding.state === 'open' || finding.state === 'muted')
      .map((finding) => resultKey(finding.ruleId, finding.resource)),
  );
  for (const result of undecided) {
    if (result.exemption) continue;
    const key = resultKey(result.ruleId, result.resource);
    if (decided.has(key) || failingPairs.has(key)) continue;
    const id = findingIdOf(result.ruleId, result.resource, result.subKey);
    if (failingIds.has(id)) continue;
    failingIds.add(id);
    const next = applyUndetermined(previousById.get(id), id, result, input);
    if (next) writes.push(next);
    else unchanged += 1;
  }

  // A resolution is routed by the resource's labels as read now; a deleted resource keeps the ones stored.
  let currentLabels: Map<string, ResourceLabels | undefined> | undefined;
  const labelsNow = (finding: Finding): ResourceLabels | undefined => {
    currentLabels ??= new Map(input.results.map((result) => [result.resource, result.labels]));
    return currentLabels.has(finding.resource) ? currentLabels.get(finding.resource) : finding.labels;
  };
  for (const finding of input.previous) {
    if (finding.state === 'resolved' || failingIds.has(finding.id)) continue;
    const gone = input.deleted?.has(finding.resource) ?? false;
    const disabled = input.disabledRules?.has(finding.ruleId) ?? false;
    if (!gone && !disabled && !decided.has(resultKey(finding.ruleId, finding.resource))) continue;
    const because = input.deletedBecause ? ` (${input.deletedBecause})` : '';
    const message = gone
      ? `Resolved: ${finding.resource} no longer exists${because}.`
      : disabled
        ? `Resolved: rule ${finding.ruleId} is disabled by the policy.`
        : `Resolved: ${finding.message}`;
    const resolved: Finding = {
      ...finding,
      state: 'resolved',
      resolvedAt: input.now,
      lastSeenAt: input.now,
      lastChange: input.change,
      exemption: null,
      message,
    };
    writes.push(
      record(input, 'resolved', finding.state, gone ? resolved : withLabels(resolved, labelsNow(finding))),
    );
  }
  return { writes, unchanged };
}

function applyFailure(
  previous: Finding | undefined,
  id: string,
  result: RuleResult,
  input: ReconcileInput,
): FindingWrite | undefined {
  const state: FindingState = result.exemption ? 'muted' : 'open';
  const exemption = result.exemption
    ? {
        reason: result.exemption.reason,
        expires: result.exemption.expires,
        ...(result.exemption.owner ? { owner: result.exemption.owner } : {}),
      }
    : null;
  const fresh = {
    severity: result.severity,
    state,
    message: result.message,
    evidence: result.evidence,
    lastSeenAt: input.now,
    exemption,
  };
  if (!previous) {
    const finding: Finding = {
      id,
      ruleId: result.ruleId,
      resource: result.resource,
      resourceType: result.resourceType,
      project: result.project,
      location: result.location,
      subKey: result.subKey,
      firstSeenAt: input.now,
      resolvedAt: null,
      reopenCount: 0,
      lastChange: input.change,
      ...fresh,
      ...(result.labels ? { labels: result.labels } : {}),
    };
    return record(input, state === 'muted' ? 'muted' : 'opened', null, finding);
  }
  const transition = transitionOf(previous, fresh.state, result.severity);
  if (!transition) {
    const sameContent =
      previous.message === result.message &&
      previous.severity === result.severity &&
      stableJson(previous.evidence) === stableJson(result.evidence) &&
      stableJson(previous.exemption ?? null) === stableJson(exemption) &&
      // Relabelling a resource (a team takes it over) is recorded, so its later alerts follow the new labels.
      sameLabels(previous.labels, result.labels);
    if (sameContent) return undefined;
    return record(input, 'updated', previous.state, withLabels({ ...previous, ...fresh }, result.labels));
  }
  const reopened = transition === 'reopened' && previous.state !== 'muted';
  return record(
    input,
    transition,
    previous.state,
    withLabels(
      {
        ...previous,
        ...fresh,
        resolvedAt: null,
        reopenCount: previous.reopenCount + (reopened ? 1 : 0),
        lastChange: input.change,
      },
      result.labels,
    ),
  );
}

/** The finding with the resource's current labels (none: no `labels` field). */
function withLabels(finding: Finding, labels: ResourceLabels | undefined): Finding {
  const { labels: _previous, ...rest } = finding;
  return labels ? { ...rest, labels } : rest;
}

function applyUndetermined(
  previous: Finding | undefined,
  id: string,
  result: RuleResult,
  input: ReconcileInput,
): FindingWrite | undefined {
  const evidence = { ...result.evidence, reason: result.message };
  if (previous?.state === 'undetermined') {
    const sameContent =
      previous.message === result.message &&
      previous.severity === result.severity &&
      stableJson(previous.evidence) === stableJson(evidence);
    if (sameContent && sameLabels(previous.labels, result.labels)) return undefined;
    return record(
      input,
      'updated',
      'undetermined',
      withLabels(
        {
          ...previous,
          severity: result.severity,
          message: result.message,
          evidence,
          lastSeenAt: input.now,
        },
        result.labels,
      ),
    );
  }
  const finding: Finding = {
    id,
    ruleId: result.ruleId,
    resource: result.resource,
    resourceType: result.resourceType,
    project: result.project,
    location: result.location,
    subKey: result.subKey,
    severity: result.severity,
    state: 'undetermined',
    message: result.message,
    evidence,
    firstSeenAt: previous?.firstSeenAt ?? input.now,
    lastSeenAt: input.now,
    // A resolved finding keeps when it resolved while it cannot be decided: failing again is then a reopen.
    resolvedAt: previous?.state === 'resolved' ? previous.resolvedAt : null,
    reopenCount: previous?.reopenCount ?? 0,
    lastChange: input.change,
    exemption: null,
    ...(result.labels ? { labels: result.labels } : {}),
  };
  return record(input, 'undetermined', previous?.state ?? null, finding);
}

function transitionOf(previous: Finding, next: FindingState, severity: Severity): Transition | undefined {
  if (previous.state === 'resolved') return next === 'muted' ? 'muted' : 'reopened';
  // Decided at last, and failing: news as much as a new finding, or a reopen of one that had resolved.
  if (previous.state === 'undetermined') {
    if (next === 'muted') return 'muted';
    return previous.resolvedAt === null ? 'opened' : 'reopened';
  }
  if (previous.state === 'open' && next === 'muted') return 'muted';
  // An exemption that expired (or was removed) makes a muted finding count again.
  if (previous.state === 'muted' && next === 'open') return 'reopened';
  if (next === 'open' && severityRank(severity) > severityRank(previous.severity)) return 'escalated';
  return undefined;
}

function record(
  input: ReconcileInput,
  transition: Transition,
  from: FindingState | null,
  finding: Finding,
): FindingWrite {
  const history: HistoryRecord = {
    transition,
    from,
    to: finding.state,
    severity: finding.severity,
    at: input.now,
    message: finding.message,
    change: input.change,
  };
  const alerting =
    ALERTING_TRANSITIONS.has(transition) && isAtLeast(finding.severity, input.minimumAlertSeverity ?? 'LOW');
  const alert: AlertRecord | null =
    alerting || input.recordQuietTransitions
      ? {
          id: alertIdOf(finding.id, transition, input.change?.entryId ?? input.now),
          findingId: finding.id,
          transition,
          finding,
          change: input.change,
          createdAt: input.now,
          ...(alerting ? {} : { quiet: true as const }),
        }
      : null;
  return { finding, history, alert };
}
