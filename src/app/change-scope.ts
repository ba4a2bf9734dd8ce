// The neighbourhood an event judges: walked from the changed resource through stored snapshots (references both
// ways), reading live only what has no snapshot yet, so no event needs a project-wide list call.

import { ResourceGraph, type ResourceNode } from '../domain/graph.js';
import { meetingPointsToRead } from '../domain/mask-meeting-points.js';
import { HUB_KINDS, type ResourceKind } from '../domain/resource-kind.js';
import { kindOfRef, parseResourceRef } from '../domain/resource-name.js';
import type { ApiRecord } from '../domain/resources.js';
import type { ChangeEvent } from '../events/change-event.js';
import type { Logger } from '../ports/logger.js';
import type { ResourceSource } from '../ports/resource-source.js';
import {
  ABSENT_VERSION,
  type ResourceSnapshot,
  type SnapshotReader,
  snapshotVersion,
} from '../ports/snapshots.js';
import { hashRecord, inventoryOfRecords, type KindedRecord, snapshotOf } from './snapshots.js';

export interface ChangeScope {
  readonly records: Map<string, KindedRecord>;
  /** Records read from the API in this invocation (their snapshots are stored with the judgement). */
  readonly liveNames: Set<string>;
  /**
   * The version of each stored snapshot judged from, and ABSENT_VERSION for each neighbour read live for want of one
   * (JudgementRequest.basis): the commit checks none of them moved.
   */
  readonly basis: Record<string, string>;
}

export interface ChangeScopeDeps {
  readonly source: ResourceSource;
  readonly snapshots: SnapshotReader;
  readonly log: Logger;
  /** How many resources one event may pull into its scope (a shared Cloud Armor policy can reach many). */
  readonly maxScope?: number;
}

/** Nothing points at a forwarding rule (ResourceGraph's references): asking for its referrers is a wasted query. */
const NEVER_REFERENCED: ReadonlySet<ResourceKind> = new Set(['forwardingRule']);

/**
 * Walks the neighbourhood of the changed resource, a level at a time: referrers from the names listed on each stored
 * snapshot (checked against their references, as a listing can be stale), or by `array-contains` query where there
 * is no list (a hub that changed, a resource without a snapshot); references from snapshots; and references without
 * a snapshot read live (so the first event after install still judges the whole path below a resource). Gateways and
 * URL-mask NEGs also meet through their region's meeting points (domain/mask-meeting-points.ts): the names listed
 * there are read with the next level, so a new gateway finds the mask NEGs that reach it.
 */
export async function collectScope(
  start: string,
  kind: ResourceKind,
  current: ApiRecord | undefined,
  previous: ResourceSnapshot | undefined,
  deps: ChangeScopeDeps,
): Promise<ChangeScope> {
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
  }
  // Down from what the resource references now and what it referenced before the change: a NEG a backend service
  // dropped, or the gateway of a deleted NEG, is no longer fronted through it and must be judged again now, not at
  // the next sweep.
  const droppedOrKept = previous && !previous.deleted ? previous.references : [];
  const now = current ? referencesOfRecord(kind, current) : [];
  references.set(start, [...new Set([...now, ...droppedOrKept])]);
  if (previous && !HUB_KINDS.has(kind)) listed.set(start, previous.referrers ?? []);
  const visited = new Set([start]);
  let frontier = [start];
  /** Meeting points already asked for their lists (a region's gateways or mask NEGs). */
  const asked = new Set<string>();
  /** Names listed under the meeting points asked at the last level, with the point: read, and checked, with this one. */
  let met: readonly { readonly name: string; readonly via: string }[] = [];
  while ((frontier.length > 0 || met.length > 0) && visited.size < maxScope) {
    const next: string[] = [];
    // A gateway's judgement needs the mask NEGs of its region, a mask NEG's every gateway there (RULES.md, reaches).
    const meetAt = [
      ...new Set(
        frontier.flatMap((name) => {
          const frontierKind = kindOfName(name);
          const data = records.get(name)?.data ?? (name === start ? previous?.data : undefined);
          return frontierKind ? meetingPointsToRead(frontierKind, name, data) : [];
        }),
      ),
    ].filter((point) => !asked.has(point));
    for (const point of meetAt) asked.add(point);
    const climb = frontier.filter((name) => {
      const frontierKind = kindOfName(name) ?? 'backendService';
      return !NEVER_REFERENCED.has(frontierKind) && (name === start || !HUB_KINDS.has(frontierKind));
    });
    const queried = climb.filter((name) => !listed.has(name));
    const candidates = climb.flatMap((name) => listed.get(name) ?? []).filter((name) => !visited.has(name));
    const downward = frontier.flatMap((name) => references.get(name) ?? []);
    const wanted = [...new Set(downward)].filter((name) => !visited.has(name) && kindOfName(name));
    const metNames = met.map((entry) => entry.name).filter((name) => !visited.has(name));
    const toRead = [...new Set([...wanted, ...candidates, ...metNames])];
    // Both directions of one level at once: they depend only on the frontier.
    // The meeting points' lists ride in the same round trip as the level's snapshots.
    const [fromQuery, { snapshots: read, lists }] = await Promise.all([
      queried.length > 0 ? deps.snapshots.referrersOf(queried) : [],
      toRead.length > 0 || meetAt.length > 0
        ? deps.snapshots.getWithLists(toRead, meetAt)
        : { snapshots: [], lists: new Map<string, readonly string[]>() },
    ]);
    const climbed = new Set(climb);
    const readByName = new Map(read.map((snapshot) => [snapshot.name, snapshot]));
    const fromLists = [...new Set(candidates)].flatMap((name) => {
      const snapshot = readByName.get(name);
      return snapshot?.references.some((reference) => climbed.has(reference)) ? [snapshot] : [];
    });
    const stored = wanted.flatMap((name) => readByName.get(name) ?? []);
    const fromMeetingPoints = met.flatMap(({ name, via }) => {
      const snapshot = readByName.get(name);
      return snapshot?.references.includes(via) ? [snapshot] : [];
    });
    met = [...lists].flatMap(([via, names]) => names.map((name) => ({ name, via })));
    // Snapshots found by query come without their listed referrers: theirs are queried in turn.
    const readWithLists = new Set([...fromLists, ...stored, ...fromMeetingPoints]);
    for (const snapshot of [...fromQuery, ...fromLists, ...stored, ...fromMeetingPoints]) {
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
      // Read live for want of a snapshot: should one be stored before the commit, this judgement missed it.
      basis[live.name] = ABSENT_VERSION;
      next.push(live.name);
    }
    frontier = next;
  }
  if (visited.size >= maxScope) {
    deps.log.warn('change scope truncated', { resource: start, maxScope });
  }
  return { records, liveNames, basis };
}

export function kindOfName(name: string): ResourceKind | undefined {
  const ref = parseResourceRef(name);
  return ref ? kindOfRef(ref) : undefined;
}

function referencesOfRecord(kind: ResourceKind, data: ApiRecord): readonly string[] {
  const graph = ResourceGraph.build(inventoryOfRecords([{ kind, data }]));
  const [node] = graph.allNodes();
  return node ? graph.referencesOf(node) : [];
}

/** Snapshots of what this judgement read live (the changed resource, neighbours without a snapshot), at `now`. */
export function freshSnapshots(
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
