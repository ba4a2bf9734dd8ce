// Port: which outbox records a mirror (Security Command Center) has already dealt with, so a batch redelivered
// because another channel failed writes nothing twice, and a record SCC refused is never sent again.

export type MirrorOutcome = 'written' | 'refused';

export interface MirrorLedger {
  /** The IDs among `alertIds` already written or refused. */
  settled(alertIds: readonly string[]): Promise<ReadonlySet<string>>;
  record(alertId: string, outcome: MirrorOutcome, at: string, detail?: string): Promise<void>;
}

/** One instance's memory: enough for tests and the CLI backfill (which keeps no outbox). */
export class MemoryMirrorLedger implements MirrorLedger {
  readonly outcomes = new Map<string, MirrorOutcome>();
  async settled(alertIds: readonly string[]): Promise<ReadonlySet<string>> {
    return new Set(alertIds.filter((id) => this.outcomes.has(id)));
  }
  async record(alertId: string, outcome: MirrorOutcome): Promise<void> {
    this.outcomes.set(alertId, outcome);
  }
}
