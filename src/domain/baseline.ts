// An approved baseline: the governed field values of each resource, keyed by full resource name.

export interface Baseline {
  readonly version: 1;
  readonly savedAt: string;
  readonly resources: Readonly<Record<string, BaselineEntry>>;
}

export interface BaselineEntry {
  /** Governed field path -> approved value (JSON). */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly approvedBy?: string;
  readonly approvedAt?: string;
}
