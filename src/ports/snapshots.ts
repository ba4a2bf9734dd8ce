// Port: the last seen state of each resource, with its outgoing references, so reverse edges need no list call.
// Read here; written only by the judgement store's commit (ports/judgement-store.ts), under its version checks.

import { isMeetingPoint } from '../domain/mask-meeting-points.js';
import { HUB_KINDS, type ResourceKind } from '../domain/resource-kind.js';
import { kindOfRef, parseResourceRef } from '../domain/resource-name.js';
import type { ApiRecord } from '../domain/resources.js';

export interface ResourceSnapshot {
  /** Full resource name. */
  readonly name: string;
  readonly type: ResourceKind;
  readonly data: ApiRecord;
  /** Full names this resource points at (queried with `array-contains` to find referrers). */
  readonly references: readonly string[];
  /** Content hash of `data`: an unchanged resource is not rewritten. */
  readonly hash: string;
  readonly observedAt: string;
  readonly deleted: boolean;
  readonly project: string;
  /**
   * Read back by `get` only (not by `referrersOf`): names saved as pointing at this resource (every save adds its
   * source to the list of each target that is not a hub, and nothing removes one), so a stale name can be listed:
   * check its `references`. Absent when none were listed, and always for hubs (HUB_KINDS), whose referrers are queried.
   */
  readonly referrers?: readonly string[];
}

export interface SnapshotsWithLists {
  readonly snapshots: ResourceSnapshot[];
  readonly lists: ReadonlyMap<string, readonly string[]>;
}

export interface SnapshotReader {
  get(names: readonly string[]): Promise<ResourceSnapshot[]>;
  /** Snapshots (not deleted) whose `references` contain any of `names`, each once (one query per 30 names). */
  referrersOf(names: readonly string[]): Promise<ResourceSnapshot[]>;
  /**
   * The names of a project's live snapshots, for a sweep to spot resources gone behind its back: names only, as a
   * project's snapshots hold a copy of every record it has, and the sweep reads the few gone ones with `get`.
   */
  namesOfProject(project: string): Promise<string[]>;
  /**
   * `get`, and in the same round trip the names listed under each of `listsOf`: meeting points that no resource has
   * (domain/mask-meeting-points.ts), under which the gateways and mask NEGs of a region are listed as referrers are
   * beside a snapshot. Points with nothing listed are left out of `lists`; a listing can be stale: check `references`.
   */
  getWithLists(names: readonly string[], listsOf: readonly string[]): Promise<SnapshotsWithLists>;
}

/**
 * The resources a save lists `snapshot` as a referrer of: those it points at that it did not point at when last
 * saved (`previousReferences`), except hubs and names of kinds Gatewarden does not read (mask meeting points, which
 * name no resource, are listed too). A deleted snapshot lists nothing (its references are the ones it had).
 */
export function newlyReferenced(
  snapshot: ResourceSnapshot,
  previousReferences: readonly string[] | undefined,
): string[] {
  if (snapshot.deleted) return [];
  const before = new Set(previousReferences ?? []);
  return snapshot.references.filter((target) => {
    const ref = parseResourceRef(target);
    const kind = ref ? kindOfRef(ref) : undefined;
    const listable = (kind !== undefined && !HUB_KINDS.has(kind)) || isMeetingPoint(target);
    return listable && !before.has(target);
  });
}

/** What identifies one stored state of a resource in JudgementRequest.basis: its content hash and deleted flag. */
export function snapshotVersion(snapshot: { readonly hash: string; readonly deleted: boolean }): string {
  return `${snapshot.deleted ? 'deleted:' : ''}${snapshot.hash}`;
}

/** The version of a resource with no stored snapshot: a judgement made without one says so in its basis. */
export const ABSENT_VERSION = 'absent';

/** The version of what is stored (or ABSENT_VERSION), as a basis compares it. */
export function storedVersion(
  snapshot: { readonly hash: string; readonly deleted: boolean } | undefined,
): string {
  return snapshot ? snapshotVersion(snapshot) : ABSENT_VERSION;
}

/** A read never overwrites a newer one: true when what is stored was observed after `fresh` was. */
export function isNewerThan(
  stored: { readonly observedAt: string } | undefined,
  fresh: { readonly observedAt: string },
): boolean {
  return stored !== undefined && Date.parse(stored.observedAt) > Date.parse(fresh.observedAt);
}
