// In-memory QuarantineStore, for tests and offline runs.

import type { QuarantineRecord, QuarantineStore } from '../../ports/quarantine-store.js';

export class MemoryQuarantineStore implements QuarantineStore {
  readonly records: QuarantineRecord[] = [];

  async add(record: QuarantineRecord): Promise<void> {
    this.records.push(record);
  }
}
