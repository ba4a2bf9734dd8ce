// Counts print as toLocaleString('en-US') would, without paying for ICU's number formatting.

import { describe, expect, test } from 'vitest';
import { formatCount, plural } from '../../src/report/plural.js';

describe('formatCount', () => {
  test.each([
    0,
    1,
    12,
    999,
    1_000,
    9_999,
    54_638,
    100_000,
    999_999,
    1_000_000,
    289_138_000,
    Number.MAX_SAFE_INTEGER,
    -1,
    -999,
    -1_000,
    -54_638,
    1234.5,
    0.25,
    2 ** 60,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ])('%d prints as toLocaleString does', (count) => {
    expect(formatCount(count)).toBe(count.toLocaleString('en-US'));
  });
});

describe('plural', () => {
  test.each([
    [1, 'finding', '1 finding'],
    [0, 'finding', '0 findings'],
    [54_638, 'resource', '54,638 resources'],
  ] as const)('%d %s', (count, noun, text) => {
    expect(plural(count, noun)).toBe(text);
  });
});
