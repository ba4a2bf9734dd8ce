// A least-recently-used map bounded by entry count and by a weight per entry (bytes of the source it was made from).

export interface BoundedCacheLimits {
  readonly maxEntries: number;
  /** Sum of the weights of the entries kept; an entry heavier than this alone is not kept at all. */
  readonly maxWeight: number;
}

export class BoundedCache<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly weight: number }>();
  private totalWeight = 0;

  constructor(private readonly limits: BoundedCacheLimits) {}

  get size(): number {
    return this.entries.size;
  }

  get weight(): number {
    return this.totalWeight;
  }

  /** Empties the cache (benchmarks that must start cold each repetition). */
  clear(): void {
    this.entries.clear();
    this.totalWeight = 0;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Map keeps insertion order: moving a hit to the end makes the first key the least recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, weight: number): void {
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.totalWeight -= previous.weight;
    }
    if (weight > this.limits.maxWeight) return;
    this.entries.set(key, { value, weight });
    this.totalWeight += weight;
    while (this.entries.size > this.limits.maxEntries || this.totalWeight > this.limits.maxWeight) {
      const oldest = this.entries.keys().next().value as string;
      this.totalWeight -= this.entries.get(oldest)?.weight ?? 0;
      this.entries.delete(oldest);
    }
  }
}
