// In-memory run records, for tests and offline runs.

import type { RunRecord, RunRecordStore } from '../../app/run-record.js';

export class MemoryRunStore implements RunRecordStore {
  readonly records: RunRecord[] = [];

  async save(record: RunRecord): Promise<void> {
    this.records.push(record);
  }
}
