// JSON with object keys sorted: equal values give equal text, whatever order their keys arrived in.

import { isContainerDeeperThan } from './record-shape.js';

/**
 * The deepest value stableJson writes. JSON.stringify recurses once per level, with the replacer's frames on top, and
 * overflows the call stack at a few thousand levels (Node 24: about 5,000): the bound leaves it a wide margin and
 * still holds every value written here (records nest at most MAX_RECORD_DEPTH levels, a plan MAX_PLAN_DEPTH).
 */
export const MAX_STABLE_JSON_DEPTH = 512;

/** A value too deep for stableJson: said in words, where JSON.stringify would overflow the call stack. */
export class NestedTooDeepError extends Error {
  override readonly name = 'NestedTooDeepError';
  readonly retryable = false;
}

/**
 * JSON text of `value` with every object's keys sorted by `localeCompare`. The order is stored data, not a detail:
 * snapshot hashes (app/snapshots.ts) are taken over this text, so another order would make every stored snapshot
 * look changed. Throws NestedTooDeepError for a value nested deeper than MAX_STABLE_JSON_DEPTH levels.
 */
export function stableJson(value: unknown): string {
  // The depth walk recurses too, but never more than the bound's levels, whatever the value's depth.
  if (typeof value === 'object' && value !== null && isContainerDeeperThan(value, MAX_STABLE_JSON_DEPTH)) {
    throw new NestedTooDeepError(`cannot write a value nested deeper than ${MAX_STABLE_JSON_DEPTH} levels`);
  }
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}
