// JSON with object keys sorted: equal values give equal text, whatever order their keys arrived in.

/**
 * JSON text of `value` with every object's keys sorted by `localeCompare`. The order is stored data, not a detail:
 * snapshot hashes (app/snapshots.ts) are taken over this text, so another order would make every stored snapshot
 * look changed.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(
          Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : inner,
  );
}
