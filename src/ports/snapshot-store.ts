// Port: the last seen state of each resource, with its outgoing references, so reverse edges need no list call.

import type { ResourceKind } from '../domain/resource-kind.js';
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
}

export interface SnapshotStore {
  get(names: readonly string[]): Promise<ResourceSnapshot[]>;
  /** Snapshots (not deleted) whose `references` contain any of `names`, each once (one query per 30 names). */
  referrersOf(names: readonly string[]): Promise<ResourceSnapshot[]>;
  /** All live snapshots of a project (for a sweep to spot resources gone behind its back). */
  ofProject(project: string): Promise<ResourceSnapshot[]>;
  /** Writes snapshots whose hash or deleted flag changed; returns how many were written. */
  save(snapshots: readonly ResourceSnapshot[]): Promise<number>;
}
