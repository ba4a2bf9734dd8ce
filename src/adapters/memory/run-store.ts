// In-memory run records, for tests and offline runs.

import type { RunRecord, RunRecordStore, ScopeRunRecord } from '../../ports/run-records.js';

export class MemoryRunStore implements RunRecordStore {
  readonly records: (RunRecord | ScopeRunRecord)[] = [];

  async save(record: RunRecord | ScopeRunRecord): Promise<void> {
    this.records.push(record);
  }
}
