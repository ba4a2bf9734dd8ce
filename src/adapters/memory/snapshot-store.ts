// In-memory SnapshotStore: the same contract as the Firestore one, for unit tests and offline runs.

import {
  newlyReferenced,
  type ResourceSnapshot,
  type SnapshotStore,
  snapshotVersion,
} from '../../ports/snapshot-store.js';

export class MemorySnapshotStore implements SnapshotStore {
  readonly snapshots = new Map<string, ResourceSnapshot>();
  /** Target -> names saved as pointing at it (never pruned, as on Firestore). */
  readonly listedReferrers = new Map<string, Set<string>>();
  writes = 0;

  async get(names: readonly string[]): Promise<ResourceSnapshot[]> {
    return names.flatMap((name) => {
      const snapshot = this.snapshots.get(name);
      const referrers = this.listedReferrers.get(name);
      if (!snapshot) return [];
      return [referrers ? { ...snapshot, referrers: [...referrers] } : snapshot];
    });
  }

  async referrersOf(names: readonly string[]): Promise<ResourceSnapshot[]> {
    const wanted = new Set(names);
    return [...this.snapshots.values()].filter(
      (snapshot) => !snapshot.deleted && snapshot.references.some((reference) => wanted.has(reference)),
    );
  }

  async ofProject(project: string): Promise<ResourceSnapshot[]> {
    return [...this.snapshots.values()].filter(
      (snapshot) => !snapshot.deleted && snapshot.project === project,
    );
  }

  async save(snapshots: readonly ResourceSnapshot[]): Promise<number> {
    const { saved, listedOn } = this.store(snapshots);
    // Counted as Firestore bills them: each snapshot, and each resource's list (its own document) it was added to.
    this.writes += saved.size + listedOn.size;
    return saved.size;
  }

  /**
   * Stores what `save` stores without counting it (MemoryFindingStore counts its own commit): the names of the
   * snapshots written, and the resources whose list of referrers grew.
   */
  store(snapshots: readonly ResourceSnapshot[]): { saved: Set<string>; listedOn: Set<string> } {
    const saved = new Set<string>();
    const listedOn = new Set<string>();
    for (const snapshot of snapshots) {
      const existing = this.snapshots.get(snapshot.name);
      if (existing && snapshotVersion(existing) === snapshotVersion(snapshot)) continue;
      const { referrers: _readBackOnly, ...stored } = snapshot;
      this.snapshots.set(snapshot.name, stored);
      saved.add(snapshot.name);
      for (const target of newlyReferenced(snapshot, existing?.references)) {
        this.listedReferrers.set(target, (this.listedReferrers.get(target) ?? new Set()).add(snapshot.name));
        listedOn.add(target);
      }
    }
    return { saved, listedOn };
  }
}
