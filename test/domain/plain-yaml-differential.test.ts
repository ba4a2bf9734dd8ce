// The plain-YAML reader against its code before issue 14's allocation work (test/domain/plain-yaml-reference.ts):
// the same value (types, key order, numbers) or the same decline, on real-shaped API specs, their one-character
// edits and documents with index-like keys; and the indexed keys of a mapping are kept as a dictionary (V8 detail
// no caller sees, checked here only through what a caller can see: keys, order, values).

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { generateEstate } from '../../bench/generate-estate.js';
import { readPlainYaml } from '../../src/domain/plain-yaml.js';
import { readPlainYamlBefore } from './plain-yaml-reference.js';

const DEPTH = 16;

/** Values, types, key order and prototypes in one string; `declined` for undefined. */
function exactly(value: unknown): string {
  if (value === undefined) return 'declined';
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number') return `number:${Object.is(item, -0) ? '-0' : String(item)}`;
    if (typeof item === 'string') return `string:${item}`;
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      return ['object', Object.getPrototypeOf(item) === Object.prototype, Object.entries(item)];
    }
    return item;
  });
}

function expectSame(text: string, depth = DEPTH): void {
  expect(exactly(readPlainYaml(text, depth)), text).toBe(exactly(readPlainYamlBefore(text, depth)));
}

const generatedSpecs = generateEstate({ scale: 0.1, seed: 14 }).apiConfig.flatMap((config) =>
  (config.openapiDocuments ?? []).map((document) =>
    Buffer.from(document.document?.contents ?? '', 'base64').toString('utf8'),
  ),
);
const exampleSpecs = (
  JSON.parse(readFileSync('examples/acme-edge/api-configs.json', 'utf8')) as {
    openapiDocuments?: { document: { contents: string } }[];
  }[]
).flatMap((config) =>
  (config.openapiDocuments ?? []).map((document) =>
    Buffer.from(document.document.contents, 'base64').toString('utf8'),
  ),
);
const specs = [...generatedSpecs, ...exampleSpecs];

describe('readPlainYaml reads as it did before (differential)', () => {
  test('every generated and example API spec, whole and at every depth limit up to its own', () => {
    expect(generatedSpecs.length).toBeGreaterThan(10);
    for (const text of specs) {
      expect(readPlainYaml(text, DEPTH) !== undefined || /^\s*[{[]/.test(text), text.slice(0, 80)).toBe(true);
      for (const depth of [1, 2, 3, 4, 5, 6, 8, DEPTH]) expectSame(text, depth);
    }
  });

  const edits = fc.constantFrom(
    ' ',
    '-',
    ':',
    '#',
    '"',
    "'",
    '\n',
    '  ',
    '[',
    ']',
    '{',
    '}',
    '2',
    '0',
    'a',
    '- ',
    ': ',
  );
  test('one-character edits of the specs, read or declined alike', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...specs),
        fc.nat(),
        edits,
        fc.constantFrom('insert', 'replace', 'delete'),
        (text, at, piece, how) => {
          const where = at % (text.length + 1);
          const edited =
            how === 'insert'
              ? text.slice(0, where) + piece + text.slice(where)
              : how === 'replace'
                ? text.slice(0, where) + piece + text.slice(where + 1)
                : text.slice(0, where) + text.slice(where + 1);
          expectSame(edited);
        },
      ),
      { numRuns: 1500 },
    );
  });

  const indexLike = fc.constantFrom(
    '0',
    '00',
    '007',
    '1',
    '200',
    '201',
    '404',
    '-1',
    '1.5',
    '4294967294',
    '4294967295',
    '99999999999',
    '123456789012345',
    '1e3',
  );
  const key = fc.oneof(indexLike, fc.stringMatching(/^[a-z][a-z0-9_/-]{0,8}$/), fc.string({ maxLength: 4 }));
  const value = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.stringMatching(/^[a-z0-9 ]{0,8}$/),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    ),
  })).value;
  const styles = fc.record({
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
    defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
  } as const);

  test('documents whose mappings mix index-like and named keys, in several styles', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), styles, (document, style) => {
        expectSame(stringify(document, style));
      }),
      { numRuns: 800 },
    );
  });

  test.each([
    '"a":b\n',
    "'a':b\n",
    '"a" : b\n',
    '"a":\n  b: 1\n',
    '"a":  b\n',
    '- "a":b\n',
    '- "a": b\n  c: d\n',
    '-   x: 1\n    y: 2\n',
    '-\tx\n',
    'k:    v   # c\n',
    '"200":\n  description: ok\n"0": zero\n',
    '- - a\n  - b\n',
  ])('hostile line %j, read or declined alike', (text) => {
    expectSame(text);
  });

  test('indexed keys come first in ascending order, named keys after in document order, the far index unseen', () => {
    const text =
      'responses:\n  "404":\n    description: Missing\n  b: 1\n  "200": ok\n  "4294967294": last\n  a: 2\n';
    const value = readPlainYaml(text, DEPTH) as { responses: Record<string, unknown> };
    expect(Object.keys(value.responses)).toEqual(['200', '404', '4294967294', 'b', 'a']);
    expect(value.responses['4294967294']).toBe('last');
    expectSame(text);
    const named = readPlainYaml('"200": a\nb: c\n', DEPTH) as Record<string, unknown>;
    expect(Object.hasOwn(named, '4294967294')).toBe(false);
    expect(named).toStrictEqual({ 200: 'a', b: 'c' });
  });
});
