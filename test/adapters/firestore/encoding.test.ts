// Pure checks of the Firestore encoding: any JSON round-trips, nothing Firestore refuses is ever produced, and
// trimmed evidence fits its budget with a visible marker.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  chunksOf,
  decodeJson,
  encodeJson,
  storedSizeOf,
  trimEvidence,
} from '../../../src/adapters/firestore/encoding.js';

/** The constraints the emulator enforced when probed: reserved, empty and >1,500-byte keys, arrays in arrays. */
function firestoreRefusal(value: unknown, insideArray = false, path = '$'): string | undefined {
  if (Array.isArray(value)) {
    if (insideArray) return `${path}: array inside an array`;
    for (const [index, item] of value.entries()) {
      const refusal = firestoreRefusal(item, true, `${path}[${index}]`);
      if (refusal) return refusal;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '' || /^__.*__$/.test(key) || Buffer.byteLength(key) > 1500) return `${path}: key ${key}`;
      if (inner === undefined) return `${path}.${key}: undefined`;
      const refusal = firestoreRefusal(inner, false, `${path}.${key}`);
      if (refusal) return refusal;
    }
  }
  return undefined;
}

const awkwardKey = fc.oneof(
  fc.string(),
  fc.constantFrom('', '__x__', '__name__', '~json', '~', '@type', 'a.b', 'a/b', '`q`', 'k'.repeat(1501)),
);
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(awkwardKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** encodeJson as it was before it kept unchanged objects and arrays (a copy of everything): the reference below. */
function copyingEncode(value: unknown, insideArray = false): unknown {
  const plain = copyingToJson(value);
  if (plain === undefined) return insideArray ? null : undefined;
  if (Array.isArray(plain)) {
    if (insideArray) return { '~json': JSON.stringify(plain) };
    return plain.map((item) => copyingEncode(item, true));
  }
  if (plain !== null && typeof plain === 'object') {
    const entries = Object.entries(plain as Record<string, unknown>);
    const storable = (key: string) =>
      key.length > 0 && !key.startsWith('~') && !/^__.*__$/.test(key) && Buffer.byteLength(key) <= 1500;
    if (!entries.every(([key]) => storable(key))) return { '~json': JSON.stringify(plain) };
    const encoded: Record<string, unknown> = {};
    for (const [key, inner] of entries) {
      const stored = copyingEncode(inner, false);
      if (stored !== undefined) encoded[key] = stored;
    }
    return encoded;
  }
  return plain;
}

function copyingToJson(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value + 0 : null;
    case 'bigint':
      return value.toString();
    case 'object': {
      const withToJson = value as { toJSON?: () => unknown };
      return typeof withToJson.toJSON === 'function' ? copyingToJson(withToJson.toJSON()) : value;
    }
    default:
      return undefined;
  }
}

/** JSON and worse: undefined, -0, non-finite numbers, dates, big integers, class instances, prototype-less objects. */
const hostile = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.constantFrom(-0, undefined, null, true, 12345678901234567890n, new Date('2026-11-26T10:00:00.000Z')),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(awkwardKey, tie('value'), { maxKeys: 4 }),
    fc
      .dictionary(fc.string(), tie('value'), { maxKeys: 3 })
      .map((entries) => Object.assign(Object.create(null) as object, entries)),
    fc
      .dictionary(fc.string(), tie('value'), { maxKeys: 3 })
      .map((entries) => new (class Shape {})() && Object.assign(new (class Shape {})(), entries)),
  ),
})).value;

describe('encodeJson / decodeJson', () => {
  test('gives what copying every value gave, on JSON and hostile values alike; a value needing no change is not copied', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        // Both throw alike too (JSON.stringify of a big integer inside a wrapped value).
        const outcome = (encode: (value: unknown) => unknown) => {
          try {
            return { encoded: encode(value) };
          } catch (error) {
            return { error: String(error) };
          }
        };
        const now = outcome(encodeJson);
        const before = outcome(copyingEncode);
        expect(now).toStrictEqual(before);
        if ('encoded' in now && 'encoded' in before) {
          expect(Object.getPrototypeOf(now.encoded ?? {})).toBe(Object.getPrototypeOf(before.encoded ?? {}));
        }
      }),
      { numRuns: 2000 },
    );
    const record = {
      name: 'orders-bs',
      backends: [{ group: 'neg-1', balancingMode: 'UTILIZATION' }],
      port: 80,
    };
    expect(encodeJson(record)).toBe(record);
    const needsOne = { name: 'orders-bs', kept: { a: 1 }, dropped: undefined };
    const encoded = encodeJson(needsOne) as Record<string, unknown>;
    expect(encoded).not.toBe(needsOne);
    expect(encoded.kept).toBe(needsOne.kept);
  });

  test('any JSON value comes back as JSON would give it, and the encoding is always storable', () => {
    fc.assert(
      fc.property(json, (value) => {
        const encoded = encodeJson(value);
        expect(firestoreRefusal(encoded)).toBeUndefined();
        expect(decodeJson(encoded)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 500 },
    );
  });

  test.each([
    ['undefined members are dropped', { a: undefined, b: 1 }, { b: 1 }],
    ['undefined in arrays becomes null', { a: [1, undefined] }, { a: [1, null] }],
    [
      'dates become ISO text',
      { at: new Date('2026-11-26T10:00:00.000Z') },
      { at: '2026-11-26T10:00:00.000Z' },
    ],
    ['non-finite numbers become null', { n: Number.POSITIVE_INFINITY }, { n: null }],
    ['big integers become text', { n: 12345678901234567890n }, { n: '12345678901234567890' }],
  ])('%s', (_name, input, expected) => {
    const encoded = encodeJson(input);
    expect(firestoreRefusal(encoded)).toBeUndefined();
    expect(decodeJson(encoded)).toEqual(expected);
  });
});

describe('chunksOf', () => {
  test.each([
    ['nothing', [], 3, []],
    ['fewer than one chunk', [1, 2], 3, [[1, 2]]],
    ['exactly one chunk', [1, 2, 3], 3, [[1, 2, 3]]],
    ['a short last chunk', [1, 2, 3, 4, 5, 6, 7], 3, [[1, 2, 3], [4, 5, 6], [7]]],
  ])('%s', (_name, items, size, chunks) => {
    expect(chunksOf(items, size)).toEqual(chunks);
  });
});

describe('trimEvidence', () => {
  test('evidence within budget is kept whole', () => {
    const evidence = { logConfig: { enable: false } };
    expect(trimEvidence(evidence, 1000)).toEqual({ evidence, trimmed: false });
  });

  test.each([
    ['one long string', { note: 'n', blob: 'x'.repeat(50_000) }],
    ['a long array of numbers', { ports: Array.from({ length: 20_000 }, (_, i) => i) }],
    ['multibyte text', { text: '🙂'.repeat(20_000) }],
    [
      'a wrapped value (reserved keys inside)',
      encodeJson({ odd: { __x__: 'y'.repeat(50_000) } }) as Record<string, unknown>,
    ],
  ])('%s: fits the budget, carries the marker, decodes', (_name, evidence) => {
    const budget = 10_000;
    const { evidence: kept, trimmed } = trimEvidence(evidence, budget);
    expect(trimmed).toBe(true);
    expect(storedSizeOf(kept)).toBeLessThanOrEqual(budget);
    expect(kept).toMatchObject({ truncated: true, originalBytes: storedSizeOf(evidence) });
    expect(() => decodeJson(kept)).not.toThrow();
    expect(JSON.stringify(kept)).toContain('…[truncated]');
  });

  test('never exceeds the budget, whatever the evidence', () => {
    fc.assert(
      fc.property(fc.dictionary(awkwardKey, json), fc.integer({ min: 64, max: 4000 }), (evidence, budget) => {
        const { evidence: kept } = trimEvidence(encodeJson(evidence) as Record<string, unknown>, budget);
        expect(storedSizeOf(kept)).toBeLessThanOrEqual(
          Math.max(budget, storedSizeOf({ truncated: true, originalBytes: 0 })),
        );
        expect(firestoreRefusal(kept)).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeJson: wrapped JSON nested too deep', () => {
  const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}1${close.repeat(depth)}`;
  test.each([
    ['arrays 5,000 deep (the wrapper the encoder writes)', nested(5000), true],
    ['objects 5,000 deep', `${'{"n":'.repeat(5000)}1${'}'.repeat(5000)}`, true],
    ['one level past the bound', nested(513), true],
    ['at the bound', nested(512), false],
    ['brackets inside strings do not count', JSON.stringify(['['.repeat(5000)]), false],
  ])('%s', (_name, text, tooDeep) => {
    const decoded = decodeJson({ nested: { '~json': text } }) as { nested: unknown };
    if (tooDeep) {
      expect(decoded.nested).toEqual({ nestedTooDeep: true, maxDepth: 512, originalBytes: text.length });
    } else {
      expect(decoded.nested).toEqual(JSON.parse(text));
    }
    expect(() => JSON.stringify(decoded)).not.toThrow();
  });
});
