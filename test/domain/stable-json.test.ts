// stableJson: sorted keys, and a depth bound said in words where JSON.stringify would overflow the call stack.

import { describe, expect, it } from 'vitest';
import { MAX_STABLE_JSON_DEPTH, NestedTooDeepError, stableJson } from '../../src/domain/stable-json.js';

/** `{"d":{"d":...{}}}`, `levels` objects deep, parsed as a live answer would be. */
function nested(levels: number): unknown {
  return JSON.parse(`${'{"d":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`);
}

describe('stableJson', () => {
  it.each([
    {
      name: 'keys in any order',
      value: { b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } },
      text: '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    },
    { name: 'a scalar', value: 'x', text: '"x"' },
    { name: 'null', value: null, text: 'null' },
    { name: 'a record at the bound', value: nested(MAX_STABLE_JSON_DEPTH), text: undefined },
  ])('writes $name', ({ value, text }) => {
    const written = stableJson(value);
    if (text !== undefined) expect(written).toBe(text);
    else expect(JSON.parse(written)).toEqual(value);
  });

  it.each([
    { name: 'one level past the bound', levels: MAX_STABLE_JSON_DEPTH + 1 },
    // Where JSON.stringify overflowed the stack (a sweep hashing a live record: RangeError in hashRecord).
    { name: '5,000 levels', levels: 5_000 },
    { name: '100,000 levels', levels: 100_000 },
  ])('refuses a value nested $name, in words', ({ levels }) => {
    const value = nested(levels);
    expect(() => stableJson(value)).toThrow(NestedTooDeepError);
    expect(() => stableJson(value)).toThrow(`nested deeper than ${MAX_STABLE_JSON_DEPTH} levels`);
  });

  it('refuses a deep array as a deep object', () => {
    const value = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`);
    expect(() => stableJson({ wrapped: value })).toThrow(NestedTooDeepError);
  });
});
