// Use case: one change event -> re-read the resource, re-judge it and its neighbours, store transitions.
// The event is only a pointer: the resource's current state is read from the API, its neighbourhood from the
// stored snapshots (references both ways), so no event needs a project-wide list call.

import type { Baseline } from '../domain/baseline.js';
import type { ChangeAttribution } from '../domain/finding.js';
import { ResourceGraph, type ResourceNode } from '../domain/graph.js';
import { HUB_KINDS, type ResourceKind } from '../domain/resource-kind.js';
import { kindOfRef, parseResourceRef } from '../domain/resource-name.js';
import type { ApiRecord } from '../domain/resources.js';
import type { Severity } from '../domain/severity.js';
import { evaluate } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import { reconcile } from '../engine/reconcile.js';
import type { ChangeEvent } from '../events/change-event.js';
import type { Clock } from '../ports/clock.js';
import type { FindingStore } from '../ports/finding-store.js';
import type { Logger } from '../ports/logger.js';
import type { ResourceSource } from '../ports/resource-source.js';
import { type ResourceSnapshot, type SnapshotStore, snapshotVersion } from '../ports/snapshot-store.js';
import type { ProbeResults, ProbeRunner } from '../probe/probe-results.js';
import type { Rule } from '../rules/define-rule.js';
import { attributeDrift } from './drift-attribution.js';
import { hashRecord, inventoryOfRecords, type KindedRecord, snapshotOf } from './snapshots.js';

export interface AuditChangeDeps {
  readonly source: ResourceSource;
  readonly snapshots: SnapshotStore;
  readonly findings: FindingStore;
  readonly rules: readonly Rule[];
  readonly policy: Policy;
  readonly clock: Clock;
  readonly log: Logger;
  readonly loadBaseline?: (resources: readonly string[]) => Promise<Baseline | undefined>;
  readonly minimumAlertSeverity?: Severity;
  /** How many resources one event may pull into its scope (a shared Cloud Armor policy can reach many). */
  readonly maxScope?: number;
  /** How long the dedupe record of a processed entry is kept. */
  readonly dedupeTtlMs?: number;
  /** The active probe (only when the policy enables it): run on the gateways in scope before judging them. */
  readonly probe?: ProbeRunner;
  /** Judgements of one event whose neighbourhood changed before it could commit, before asking for redelivery (3). */
  readonly maxJudgements?: number;
  /** Redelivery of an event whose re-read looks stale (see isLikelyStaleRead); no check when absent. */
  readonly staleReads?: StaleReadRetries;
}

export interface StaleReadRetries {
  /** Redeliveries to ask for before a read that still looks stale is judged as it is. */
  readonly maxRedeliveries: number;
  /** Redeliveries of this event so far (the delivery attempt minus one, or failures the ledger counted). */
  redeliveriesSoFar(): Promise<number>;
}

export interface AuditChangeOutcome {
  readonly status: 'judged' | 'duplicate' | 'ignored' | 'superseded';
  readonly reason?: string;
  readonly resource: string;
  readonly judged: number;
  readonly transitions: readonly {
    readonly transition: string;
    readonly ruleId: string;
    readonly resource: string;
  }[];
}

/**
 * Thrown when neighbours kept changing between the walk and the commit, judgement after judgement: Pub/Sub redelivers
 * the event, and by then they have settled or their own events have judged them.
 */
export class NeighbourhoodMovedError extends Error {
  override readonly name = 'NeighbourhoodMovedError';
  readonly retryable = true;
}

/** Thrown when the resource is mid-change (a gateway still UPDATING): a later delivery will see its final state. */
export class ResourceSettlingError extends Error {
  override readonly name = 'ResourceSettlingError';
  readonly retryable = true;
}

/**
 * Thrown when the re-read resource still shows the state from before the change the event reports (a lagging
 * replica): judging it could resolve a finding on old data, so the delivery fails and Pub/Sub redelivers it.
 */
export class StaleReadSuspectedError extends Error {
  override readonly name = 'StaleReadSuspectedError';
  readonly retryable = true;
}

/** Nothing points at a forwarding rule (ResourceGraph's references): asking for its referrers is a wasted query. */
const NEVER_REFERENCED: ReadonlySet<ResourceKind> = new Set(['forwardingRule']);
const SETTLING_STATES = new Set(['CREATING', 'UPDATING', 'DELETING', 'ACTIVATING']);
const DAY_MS = 24 * 60 * 60 * 1000;

export async function auditChange(event: ChangeEvent, deps: AuditChangeDeps): Promise<AuditChangeOutcome> {
  const kind = kindOfRef(event.ref);
  const base = { resource: event.resource, judged: 0, transitions: [] };
  if (!kind) {
    return {
      ...base,
      status: 'ignored',
      reason: `changes to ${event.ref.collection} do not alter what is judged`,
    };
  }
  const maxJudgements = deps.maxJudgements ?? 3;
  for (let judgement = 1; ; judgement += 1) {
    const outcome = await judgeOnce(event, kind, deps, judgement === 1);
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

/** One judgement of the change; `{ moved }` when a neighbour's snapshot changed before it could commit. */
async function judgeOnce(
  event: ChangeEvent,
  kind: ResourceKind,
  deps: AuditChangeDeps,
  first: boolean,
): Promise<AuditChangeOutcome | { readonly moved: readonly string[] }> {
  const base = { resource: event.resource, judged: 0, transitions: [] };
  const now = deps.clock.now().toISOString();
  // In parallel: a redelivery is answered by its dedupe record, and the other two are needed by everything after.
  const [processed, current, [previous]] = await Promise.all([
    first ? deps.findings.isProcessed(event.entryId) : false,
    deps.source.readResource(event.ref),
    deps.snapshots.get([event.resource]),
  ]);
  if (processed) return { ...base, status: 'duplicate' };
  if (current && SETTLING_STATES.has(String(current.state ?? ''))) {
    throw new ResourceSettlingError(
      `${event.resource} is ${String(current.state)}; judging it once it settles`,
    );
  }

  if (deps.staleReads && isLikelyStaleRead(event, current, previous)) {
    const redeliveries = await deps.staleReads.redeliveriesSoFar();
    if (redeliveries < deps.staleReads.maxRedeliveries) {
      throw new StaleReadSuspectedError(
        `${event.resource} reads as it was before ${event.method} at ${event.at}; asking for redelivery ` +
          `${redeliveries + 1} of ${deps.staleReads.maxRedeliveries}`,
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

  const fresh = freshSnapshots(graph, scope.liveNames, changedNode, event, kind, previous, now);
  const observed = fresh.find((snapshot) => snapshot.name === event.resource);
  const others = fresh.filter((snapshot) => snapshot !== observed);
  // References read live had no snapshot; the changed resource's is stored with the judgement (the commit below).
  if (others.length > 0) await deps.snapshots.save(others);

  const change: ChangeAttribution = {
    method: event.method,
    actor: event.actor ?? null,
    at: event.at,
    entryId: event.entryId,
  };
  const commit = await deps.findings.reconcile(
    {
      resources: [...judgedNames, ...deleted],
      eventId: event.entryId,
      eventExpiresAt: new Date(Date.parse(now) + (deps.dedupeTtlMs ?? 7 * DAY_MS)).toISOString(),
      // Observed at `now`, taken before the re-read: an event that read earlier must not overwrite one that read later.
      ...(observed ? { observed } : {}),
      basis: scope.basis,
    },
    (previous) =>
      reconcile({
        previous,
        results: attributeDrift(results, previous, { resource: event.resource, change }),
        deleted,
        change,
        now,
        ...(deps.minimumAlertSeverity ? { minimumAlertSeverity: deps.minimumAlertSeverity } : {}),
      }),
  );
  if (commit.moved) return { moved: commit.moved };
  const transitions = commit.output.writes.map((write) => ({
    transition: write.history.transition,
    ruleId: write.finding.ruleId,
    resource: write.finding.resource,
  }));
  return {
    status: commit.duplicate ? 'duplicate' : commit.superseded ? 'superseded' : 'judged',
    resource: event.resource,
    judged: judgedNames.size,
    transitions: commit.duplicate || commit.superseded ? [] : transitions,
  };
}

/** The probe is evidence, not a verdict: when it breaks, the event is still judged, without its results. */
async function probeIfEnabled(
  graph: ResourceGraph,
  deps: AuditChangeDeps,
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

interface Scope {
  readonly records: Map<string, KindedRecord>;
  /** Records read from the API in this invocation (their snapshots are refreshed). */
  readonly liveNames: Set<string>;
  /** The version of each stored snapshot judged from (ReconcileRequest.basis). */
  readonly basis: Record<string, string>;
}

/**
 * Walks the neighbourhood of the changed resource, a level at a time: referrers from the names listed on each stored
 * snapshot (checked against their references, as a listing can be stale), or by `array-contains` query where there
 * is no list (a hub that changed, a resource without a snapshot); references from snapshots; and references without
 * a snapshot read live (so the first event after install still judges the whole path below a resource).
 */
async function collectScope(
  start: string,
  kind: ResourceKind,
  current: ApiRecord | undefined,
  previous: ResourceSnapshot | undefined,
  deps: AuditChangeDeps,
): Promise<Scope> {
  const maxScope = deps.maxScope ?? 500;
  const records = new Map<string, KindedRecord>();
  const references = new Map<string, readonly string[]>();
  /** Referrers listed on a node's stored snapshot; a node without an entry has its referrers queried. */
  const listed = new Map<string, readonly string[]>();
  const liveNames = new Set<string>();
  const basis: Record<string, string> = {};
  if (current) {
    records.set(start, { kind, data: current });
    liveNames.add(start);
    references.set(start, referencesOfRecord(kind, current));
  }
  if (previous && !HUB_KINDS.has(kind)) listed.set(start, previous.referrers ?? []);
  const visited = new Set([start]);
  let frontier = [start];
  while (frontier.length > 0 && visited.size < maxScope) {
    const next: string[] = [];
    const climb = frontier.filter((name) => {
      const frontierKind = kindOfName(name) ?? 'backendService';
      return !NEVER_REFERENCED.has(frontierKind) && (name === start || !HUB_KINDS.has(frontierKind));
    });
    const queried = climb.filter((name) => !listed.has(name));
    const candidates = climb.flatMap((name) => listed.get(name) ?? []).filter((name) => !visited.has(name));
    const downward = frontier.flatMap((name) => references.get(name) ?? []);
    const wanted = [...new Set(downward)].filter((name) => !visited.has(name) && kindOfName(name));
    const toRead = [...new Set([...wanted, ...candidates])];
    // Both directions of one level at once: they depend only on the frontier.
    const [fromQuery, read] = await Promise.all([
      queried.length > 0 ? deps.snapshots.referrersOf(queried) : [],
      toRead.length > 0 ? deps.snapshots.get(toRead) : [],
    ]);
    const climbed = new Set(climb);
    const readByName = new Map(read.map((snapshot) => [snapshot.name, snapshot]));
    const fromLists = [...new Set(candidates)].flatMap((name) => {
      const snapshot = readByName.get(name);
      return snapshot?.references.some((reference) => climbed.has(reference)) ? [snapshot] : [];
    });
    const stored = wanted.flatMap((name) => readByName.get(name) ?? []);
    // Snapshots found by query come without their listed referrers: theirs are queried in turn.
    const readWithLists = new Set([...fromLists, ...stored]);
    for (const snapshot of [...fromQuery, ...fromLists, ...stored]) {
      if (visited.has(snapshot.name)) continue;
      // A deleted one too: should it come back before the commit, the judgement missed it.
      basis[snapshot.name] = snapshotVersion(snapshot);
      if (snapshot.deleted) continue;
      visited.add(snapshot.name);
      records.set(snapshot.name, { kind: snapshot.type, data: snapshot.data });
      references.set(snapshot.name, snapshot.references);
      if (!HUB_KINDS.has(snapshot.type) && readWithLists.has(snapshot)) {
        listed.set(snapshot.name, snapshot.referrers ?? []);
      }
      next.push(snapshot.name);
    }
    const unstored = wanted.filter((name) => !readByName.has(name) && !visited.has(name));
    for (const name of unstored) visited.add(name);
    const liveReads = await Promise.all(
      unstored.map(async (name) => {
        const ref = parseResourceRef(name);
        const referencedKind = ref ? kindOfRef(ref) : undefined;
        if (!ref || !referencedKind) return undefined;
        const data = await deps.source.readResource(ref);
        return data ? { name, kind: referencedKind, data } : undefined;
      }),
    );
    for (const live of liveReads) {
      if (!live) continue;
      records.set(live.name, { kind: live.kind, data: live.data });
      references.set(live.name, referencesOfRecord(live.kind, live.data));
      liveNames.add(live.name);
      next.push(live.name);
    }
    frontier = next;
  }
  if (visited.size >= maxScope) {
    deps.log.warn('change scope truncated', { resource: start, maxScope });
  }
  return { records, liveNames, basis };
}

/**
 * Every audited method is a change, and a change shows in what a GET returns (Compute renews `fingerprint`, API
 * Gateway `updateTime`). So a re-read that is byte-for-byte the snapshot stored before the entry's time, a delete
 * that still reads back, or a create or update that reads as missing, shows a replica that has not caught up yet.
 * A snapshot observed after the entry's time proves nothing (the change may already be in it).
 */
export function isLikelyStaleRead(
  event: ChangeEvent,
  current: ApiRecord | undefined,
  previous: ResourceSnapshot | undefined,
): boolean {
  if (event.deleted) return current !== undefined;
  if (!current) return true;
  if (!previous || previous.deleted) return false;
  return previous.hash === hashRecord(current) && Date.parse(previous.observedAt) < Date.parse(event.at);
}

function kindOfName(name: string): ResourceKind | undefined {
  const ref = parseResourceRef(name);
  return ref ? kindOfRef(ref) : undefined;
}

function referencesOfRecord(kind: ResourceKind, data: ApiRecord): readonly string[] {
  const graph = ResourceGraph.build(inventoryOfRecords([{ kind, data }]));
  const [node] = graph.allNodes();
  return node ? graph.referencesOf(node) : [];
}

function freshSnapshots(
  graph: ResourceGraph,
  liveNames: ReadonlySet<string>,
  changedNode: ResourceNode | undefined,
  event: ChangeEvent,
  kind: ResourceKind,
  previous: ResourceSnapshot | undefined,
  now: string,
): ResourceSnapshot[] {
  const live = [...graph.allNodes()].filter((node) => liveNames.has(node.fullName) || node === changedNode);
  const snapshots = live.map((node) => snapshotOf(graph, node, now));
  if (!changedNode) {
    const data = previous?.data ?? {};
    snapshots.push({
      name: event.resource,
      type: kind,
      data,
      references: previous?.references ?? [],
      hash: hashRecord(data),
      observedAt: now,
      deleted: true,
      project: event.project,
    });
  }
  return snapshots;
}
