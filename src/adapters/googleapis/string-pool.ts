// One copy of each repeated string in the records a project read returns. JSON.parse gives every occurrence its own
// string, and a project's records repeat the same kinds, enums, links and timestamps tens of thousands of times (the
// generated 1x project: 47.8 MB of records, 34.4 MB once pooled). Only which copy a value holds changes.

/** Longer strings (API config documents, certificates) are left alone: rarely repeated, and costly to key on. */
const LONGEST_POOLED = 256;

export class StringPool {
  private readonly pooled = new Map<string, string>();

  /** Replaces, in place and at any depth, each string of `root` with the pool's copy of it. */
  internAll(root: unknown): void {
    // A stack, not recursion: a record nested thousands deep must not overflow the call stack.
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const value = stack.pop();
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index += 1) {
          const item: unknown = value[index];
          if (typeof item === 'string') value[index] = this.intern(item);
          else if (item !== null && typeof item === 'object') stack.push(item);
        }
      } else if (value !== null && typeof value === 'object') {
        const record = value as Record<string, unknown>;
        for (const key of Object.keys(record)) {
          const item = record[key];
          // An own `__proto__` key (JSON.parse makes one) is an own data property, so this assignment writes it.
          if (typeof item === 'string') record[key] = this.intern(item);
          else if (item !== null && typeof item === 'object') stack.push(item);
        }
      }
    }
  }

  private intern(text: string): string {
    if (text.length > LONGEST_POOLED) return text;
    const pooled = this.pooled.get(text);
    if (pooled !== undefined) return pooled;
    this.pooled.set(text, text);
    return text;
  }
}
