// Why an event's judgement does not commit: a failure a later delivery can get past (`retryable`), or one it cannot.

/**
 * Thrown when neighbours kept changing between the walk and the commit, judgement after judgement: Pub/Sub redelivers
 * the event, and by then they have settled or their own events have judged them.
 */
export class NeighbourhoodMovedError extends Error {
  override readonly name = 'NeighbourhoodMovedError';
  readonly retryable = true;
}

/** Thrown when the resource is mid-change (a gateway still UPDATING): a later delivery will see its final state. */
export class ResourceSettlingError extends Error {
  override readonly name = 'ResourceSettlingError';
  readonly retryable = true;
}

/**
 * Thrown when the re-read resource still shows the state from before the change the event reports (a lagging
 * replica): judging it could resolve a finding on old data, so the delivery fails and Pub/Sub redelivers it.
 */
export class StaleReadSuspectedError extends Error {
  override readonly name = 'StaleReadSuspectedError';
  readonly retryable = true;
}

/**
 * Thrown when a record of the changed resource's neighbourhood names nothing (no selfLink, or one that parses to no
 * resource): it may be the very neighbour a rule needs, so judging without it could resolve findings it still holds.
 * A later delivery reads the same record, so this is acknowledged, logged and left to the sweep (which reports the
 * project incomplete for the same reason) rather than redelivered.
 */
export class UnnamedRecordError extends Error {
  override readonly name = 'UnnamedRecordError';
  readonly retryable = false;
}
