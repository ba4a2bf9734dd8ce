// Use case core: one change event -> re-read the resource, re-judge it and its neighbours, and commit the judgement
// (transitions, history, outbox, the snapshots read fresh, the dedupe mark) under the versions it was judged from.
// The event is only a pointer: the resource's current state is read from the API, its neighbourhood from snapshots.

import type { Baseline } from '../domain/baseline.js';
import type { ChangeAttribution } from '../domain/finding.js';
import { ResourceGraph } from '../domain/graph.js';
import type { ResourceKind } from '../domain/resource-kind.js';
import { kindOfRef } from '../domain/resource-name.js';
import type { ApiRecord } from '../domain/resources.js';
import type { Severity } from '../domain/severity.js';
import { disabledRuleIds, evaluate } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import { reconcile } from '../engine/reconcile.js';
import type { ChangeEvent } from '../events/change-event.js';
import type { Clock } from '../ports/clock.js';
import type { JudgementStore } from '../ports/judgement-store.js';
import type { ResourceSnapshot } from '../ports/snapshots.js';
import type { ProbeResults, ProbeRunner } from '../probe/probe-results.js';
import type { Rule } from '../rules/define-rule.js';
import {
  NeighbourhoodMovedError,
  ResourceSettlingError,
  StaleReadSuspectedError,
  UnnamedRecordError,
} from './change-errors.js';
import { type ChangeScopeDeps, collectScope, freshSnapshots } from './change-scope.js';
import { attributeDrift, DRIFT_RULE_ID, governedValuesBefore } from './drift-attribution.js';
import { hashRecord, inventoryOfRecords } from './snapshots.js';

export interface JudgeChangeDeps extends ChangeScopeDeps {
  readonly judgements: JudgementStore;
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  readonly clock: Clock;
  readonly loadBaseline?: (resources: readonly string[]) => Promise<Baseline | undefined>;
  readonly minimumAlertSeverity?: Severity;
  /** Outbox records for every transition (quiet ones for mirrors), when a mirror such as SCC is configured. */
  readonly recordQuietTransitions?: boolean;
  /** How long the dedupe record of a processed entry is kept. */
  readonly dedupeTtlMs?: number;
  /** The active probe (only when the policy enables it): run on the gateways in scope before judging them. */
  readonly probe?: ProbeRunner;
  /** Judgements of one event whose neighbourhood changed before it could commit, before asking for redelivery (3). */
  readonly maxJudgements?: number;
}

/** Redelivery of an event whose re-read looks stale (see isLikelyStaleRead); no check when absent. */
export interface StaleReadBudget {
  /** Redeliveries to ask for before a read that still looks stale is judged as it is. */
  readonly maxRedeliveries: number;
  /** Redeliveries of this event so far (the delivery attempt minus one, or failures the ledger counted). */
  redeliveriesSoFar(): Promise<number>;
}

export interface ChangeTransition {
  readonly transition: string;
  readonly ruleId: string;
  readonly resource: string;
}

export interface ChangeJudgement {
  readonly status: 'judged' | 'duplicate' | 'ignored' | 'superseded';
  readonly reason?: string;
  readonly resource: string;
  readonly judged: number;
  /** What the commit wrote: each transition (with its history record), and how many alerts went to the outbox. */
  readonly transitions: readonly ChangeTransition[];
  readonly alertsWritten: number;
}

const SETTLING_STATES = new Set(['CREATING', 'UPDATING', 'DELETING', 'ACTIVATING']);
const DAY_MS = 24 * 60 * 60 * 1000;

export async function judgeChange(
  event: ChangeEvent,
  deps: JudgeChangeDeps,
  staleReads?: StaleReadBudget,
): Promise<ChangeJudgement> {
  const kind = kindOfRef(event.ref);
  if (!kind) {
    const reason = `changes to ${event.ref.collection} do not alter what is judged`;
    return {
      resource: event.resource,
      judged: 0,
      transitions: [],
      alertsWritten: 0,
      status: 'ignored',
      reason,
    };
  }
  const maxJudgements = deps.maxJudgements ?? 3;
  for (let judgement = 1; ; judgement += 1) {
    const outcome = await judgeOnce(event, kind, deps, judgement === 1, staleReads);
    if (!('moved' in outcome)) return outcome;
    if (judgement >= maxJudgements) {
      throw new NeighbourhoodMovedError(
        `${event.resource}: its neighbourhood changed under ${maxJudgements} judgements in a row ` +
          `(last: ${outcome.moved.slice(0, 3).join(', ')}); asking for redelivery`,
      );
    }
    deps.log.info('neighbourhood changed while judging; judging again from fresh reads', {
      resource: event.resource,
      moved: outcome.moved.slice(0, 5),
      judgement,
    });
  }
}

/** One judgement of the change; `{ moved }` when what it was judged from changed before it could commit. */
async function judgeOnce(
  event: ChangeEvent,
  kind: ResourceKind,
  deps: JudgeChangeDeps,
  first: boolean,
  staleReads: StaleReadBudget | undefined,
): Promise<ChangeJudgement | { readonly moved: readonly string[] }> {
  const base = { resource: event.resource, judged: 0, transitions: [], alertsWritten: 0 };
  const now = deps.clock.now().toISOString();
  // In parallel: a redelivery is answered by its dedupe record, and the other two are needed by everything after.
  const [processed, current, [previous]] = await Promise.all([
    first ? deps.judgements.isProcessed(event.entryId) : false,
    deps.source.readResource(event.ref),
    deps.snapshots.get([event.resource]),
  ]);
  if (processed) return { ...base, status: 'duplicate' };
  if (current && SETTLING_STATES.has(String(current.state ?? ''))) {
    throw new ResourceSettlingError(
      `${event.resource} is ${String(current.state)}; judging it once it settles`,
    );
  }
  if (staleReads && isLikelyStaleRead(event, current, previous)) {
    const redeliveries = await staleReads.redeliveriesSoFar();
    if (redeliveries < staleReads.maxRedeliveries) {
      throw new StaleReadSuspectedError(
        `${event.resource} reads as it was before ${event.method} at ${event.at}; asking for redelivery ` +
          `${redeliveries + 1} of ${staleReads.maxRedeliveries}`,
      );
    }
    // Bounded: a change that really left the resource as it was (a no-op patch) must still be judged once.
    deps.log.warn('judging a read that may be stale: redeliveries used up', {
      resource: event.resource,
      entryId: event.entryId,
      redeliveries,
    });
  }
  const scope = await collectScope(event.resource, kind, current, previous, deps);
  const graph = ResourceGraph.build(inventoryOfRecords(scope.records.values()));
  const unnamed = graph.skipped[0];
  if (unnamed) {
    throw new UnnamedRecordError(
      `${event.resource}: a ${unnamed.kind} record of its neighbourhood could not be named ` +
        `(${unnamed.reason.slice(0, 300)}); left to the next sweep`,
    );
  }
  const changedNode = current ? graph.find(event.resource) : undefined;
  const deleted = new Set(current ? [] : [event.resource]);
  const judgedNames = new Set([...graph.allNodes()].map((node) => node.fullName));
  const [baseline, probes] = await Promise.all([
    deps.loadBaseline?.([...judgedNames]),
    probeIfEnabled(graph, deps),
  ]);
  const results = evaluate(graph, deps.rules, {
    policy: deps.policy,
    now: deps.clock.now(),
    ...(baseline ? { baseline } : {}),
    ...(probes ? { probes } : {}),
  });

  // Only a drift on the changed resource needs its values before the entry (to tell whether the entry made it).
  const driftedValuesBefore = results.some(
    (result) =>
      result.ruleId === DRIFT_RULE_ID && result.status === 'fail' && result.resource === event.resource,
  )
    ? governedValuesBefore(event.resource, previous, scope.records, deps.policy)
    : undefined;
  const before = driftedValuesBefore ? { before: driftedValuesBefore } : {};
  const fresh = freshSnapshots(graph, scope.liveNames, changedNode, event, kind, previous, now);
  const observed = fresh.find((snapshot) => snapshot.name === event.resource);
  const change: ChangeAttribution = {
    method: event.method,
    actor: event.actor ?? null,
    at: event.at,
    entryId: event.entryId,
  };
  const commit = await deps.judgements.commit({
    resources: [...judgedNames, ...deleted],
    eventId: event.entryId,
    eventExpiresAt: new Date(Date.parse(now) + (deps.dedupeTtlMs ?? 7 * DAY_MS)).toISOString(),
    // Observed at `now`, taken before the re-read: an event that read earlier must not overwrite one that read later.
    ...(observed ? { observed } : {}),
    // The neighbours read live for want of a snapshot are stored with the judgement, under the same checks.
    fresh: fresh.filter((snapshot) => snapshot !== observed),
    basis: scope.basis,
    decide: (stored) =>
      reconcile({
        previous: stored,
        results: attributeDrift(results, stored, { resource: event.resource, change, ...before }),
        deleted,
        change,
        now,
        disabledRules: disabledRuleIds(deps.rules, deps.policy),
        ...(deps.minimumAlertSeverity ? { minimumAlertSeverity: deps.minimumAlertSeverity } : {}),
        ...(deps.recordQuietTransitions ? { recordQuietTransitions: true } : {}),
      }),
  });
  if (commit.moved) return { moved: commit.moved };
  const written = commit.duplicate || commit.superseded ? [] : commit.output.writes;
  return {
    status: commit.duplicate ? 'duplicate' : commit.superseded ? 'superseded' : 'judged',
    resource: event.resource,
    judged: judgedNames.size,
    transitions: written.map((write) => ({
      transition: write.history.transition,
      ruleId: write.finding.ruleId,
      resource: write.finding.resource,
    })),
    alertsWritten: written.filter((write) => write.alert !== null).length,
  };
}

/** The probe is evidence, not a verdict: when it breaks, the event is still judged, without its results. */
async function probeIfEnabled(
  graph: ResourceGraph,
  deps: JudgeChangeDeps,
): Promise<ProbeResults | undefined> {
  if (!deps.probe) return undefined;
  try {
    return await deps.probe(graph);
  } catch (error) {
    deps.log.warn('active probe failed; judging without its results', {
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/**
 * Every audited method is a change, and a change shows in what a GET returns (Compute renews `fingerprint`, API
 * Gateway `updateTime`). So a re-read that is byte-for-byte the snapshot stored before the entry's time, a delete
 * that still reads back, or a create or update that reads as missing, shows a replica that has not caught up yet.
 * A snapshot observed after the entry's time proves nothing (the change may already be in it), and neither does a
 * delete that reads back a resource created after it (Terraform replaces by deleting and creating the same name).
 */
export function isLikelyStaleRead(
  event: ChangeEvent,
  current: ApiRecord | undefined,
  previous: ResourceSnapshot | undefined,
): boolean {
  if (event.deleted) return current !== undefined && !isCreatedAfter(current, event.at);
  if (!current) return true;
  if (!previous || previous.deleted) return false;
  return previous.hash === hashRecord(current) && Date.parse(previous.observedAt) < Date.parse(event.at);
}

/** The record says it was created after `at` (Compute `creationTimestamp`, API Gateway `createTime`). */
function isCreatedAfter(record: ApiRecord, at: string): boolean {
  const created = record.creationTimestamp ?? record.createTime;
  return typeof created === 'string' && Date.parse(created) > Date.parse(at);
}
