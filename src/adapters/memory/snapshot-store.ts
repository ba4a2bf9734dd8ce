// In-memory SnapshotStore: the same contract as the Firestore one, for unit tests and offline runs.

import type { ResourceSnapshot, SnapshotStore } from '../../ports/snapshot-store.js';

export class MemorySnapshotStore implements SnapshotStore {
  readonly snapshots = new Map<string, ResourceSnapshot>();
  writes = 0;

  async get(names: readonly string[]): Promise<ResourceSnapshot[]> {
    return names.flatMap((name) => {
      const snapshot = this.snapshots.get(name);
      return snapshot ? [snapshot] : [];
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
    let written = 0;
    for (const snapshot of snapshots) {
      const existing = this.snapshots.get(snapshot.name);
      if (existing && existing.hash === snapshot.hash && existing.deleted === snapshot.deleted) continue;
      this.snapshots.set(snapshot.name, snapshot);
      written += 1;
    }
    this.writes += written;
    return written;
  }
}
