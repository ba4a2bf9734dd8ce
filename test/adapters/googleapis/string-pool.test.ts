// The string pool shares copies of strings and changes no value, whatever the record's shape.

import { describe, expect, it } from 'vitest';
import { StringPool } from '../../../src/adapters/googleapis/string-pool.js';

describe('StringPool.internAll', () => {
  it.each([
    [
      'a record with nested objects and arrays',
      {
        kind: 'compute#backendService',
        backends: [{ group: 'g', n: 1 }, { group: 'g' }],
        on: true,
        none: null,
      },
    ],
    [
      'an own __proto__ key, as JSON.parse makes one',
      JSON.parse('{"__proto__": "x", "a": {"__proto__": {"b": "x"}}}'),
    ],
    ['a string longer than the pool keeps', { document: 'y'.repeat(5000), short: 'y' }],
    ['arrays of strings and of arrays', [['a', 'b', ['a']], 'a', 7, null]],
  ])('leaves %s equal to what it was', (_name, record) => {
    const before = structuredClone(record);
    const pool = new StringPool();
    pool.internAll(record);
    pool.internAll(record);
    expect(record).toEqual(before);
    expect(JSON.stringify(record)).toBe(JSON.stringify(before));
  });

  it('walks a record nested 100,000 deep without overflowing the stack', () => {
    const root: { next?: unknown; name: string } = { name: 'root' };
    let at = root;
    for (let depth = 0; depth < 100_000; depth += 1) {
      const next = { name: `n${depth % 3}` };
      at.next = next;
      at = next;
    }
    expect(() => new StringPool().internAll(root)).not.toThrow();
    expect(at.name).toBe('n0');
  });
});
