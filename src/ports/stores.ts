// The four store ports over one database, as a use case or entry point receives them.

import type { FindingQueries } from './finding-queries.js';
import type { JudgementStore } from './judgement-store.js';
import type { Outbox } from './outbox.js';
import type { SnapshotReader } from './snapshots.js';

export interface Stores {
  readonly judgements: JudgementStore;
  readonly snapshots: SnapshotReader;
  readonly findings: FindingQueries;
  readonly outbox: Outbox;
}
