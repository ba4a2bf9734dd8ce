// The YAML subset read without the yaml package (issue 14): what it accepts it reads exactly as the package does
// (values, key order, numbers), and what it is unsure of it declines, so the package reads it with its own messages.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { readPlainYaml } from '../../src/domain/plain-yaml.js';
import { parseYamlWithPackage } from '../../src/domain/yaml-text.js';

const DEPTH = 16;

/** The package's value for `text`, under the strictest limits any caller uses (warnings count as errors). */
function byPackage(text: string): unknown {
  const outcome = parseYamlWithPackage(text, {
    maxAliasCount: 100,
    maxDepth: DEPTH,
    warningsAreErrors: true,
  });
  if (!outcome.ok) throw new Error(`the yaml package refused what plain-yaml accepted: ${outcome.problem}`);
  return outcome.value;
}

/**
 * Values, types and key order in one string: numbers by Object.is (NaN, -0, Infinity), strings and numbers kept
 * apart, own keys only (a key named `constructor` is data here, not a class to compare).
 */
function exactly(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number') return `number:${Object.is(item, -0) ? '-0' : String(item)}`;
    if (typeof item === 'string') return `string:${item}`;
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    }
    return item;
  });
}

/** Whenever the subset reader accepts, its value is the package's: same values, same types, same key order. */
function expectAgreement(text: string): unknown {
  const plain = readPlainYaml(text, DEPTH);
  if (plain === undefined) return undefined;
  expect(exactly(plain), text).toBe(exactly(byPackage(text)));
  return plain;
}

describe('readPlainYaml reads the plain block style', () => {
  const accepted: readonly (readonly [string, string, unknown])[] = [
    [
      'an OpenAPI head',
      'swagger: "2.0"\ninfo:\n  title: orders\n  version: 7.0.0\nschemes:\n  - https\nx-google-backend:\n  deadline: 30.0\n',
      {
        swagger: '2.0',
        info: { title: 'orders', version: '7.0.0' },
        schemes: ['https'],
        'x-google-backend': { deadline: 30 },
      },
    ],
    [
      'compact mappings in a sequence, and empty flow collections',
      'security:\n  - api_key: []\nparameters:\n  - in: path\n    name: id\n    required: true\n  - {}\n',
      { security: [{ api_key: [] }], parameters: [{ in: 'path', name: 'id', required: true }, {}] },
    ],
    [
      'one-line flow sequences of scalars',
      'schemes: [https]\nproduces: [ application/json , "text/plain" ]\nmixed: [1, 2.5, true, ~, \'x y\'] # c\nnone: [ ]\n',
      {
        schemes: ['https'],
        produces: ['application/json', 'text/plain'],
        mixed: [1, 2.5, true, null, 'x y'],
        none: [],
      },
    ],
    ['a sequence at its key’s indentation', 'a:\n- 1\n- x\nb: 2\n', { a: [1, 'x'], b: 2 }],
    [
      'keys with colons, braces and slashes; integer keys',
      'paths:\n  /v1/orders/{orderId}:cancel:\n    post:\n      responses:\n        201:\n          description: ok\n',
      { paths: { '/v1/orders/{orderId}:cancel': { post: { responses: { 201: { description: 'ok' } } } } } },
    ],
    [
      'comments, a document start, quotes',
      "---\n# head\nurl: https://x.example/a#b # trailing\n'it''s': \"a # b\"\nempty:\nnothing: ~\n",
      { url: 'https://x.example/a#b', "it's": 'a # b', empty: null, nothing: null },
    ],
    [
      'the core schema',
      'b: 0o17\nc: 0x1F\nd: -12\ne: 1e3\nf: .5\ng: -.inf\nh: True\ni: NULL\nj: 1.2.3\nk: +7\n',
      {
        b: 15,
        c: 31,
        d: -12,
        e: 1000,
        f: 0.5,
        g: Number.NEGATIVE_INFINITY,
        h: true,
        i: null,
        j: '1.2.3',
        k: 7,
      },
    ],
  ];

  test.each(accepted)('%s', (_name, text, value) => {
    expect(readPlainYaml(text, DEPTH)).toStrictEqual(value);
    expect(expectAgreement(text)).toStrictEqual(value);
  });

  const declined: readonly (readonly [string, string])[] = [
    ['an anchor and an alias', 'a: &x 1\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a block scalar', 'a: |\n  text\n'],
    ['a folded scalar', 'a: >\n  text\n'],
    ['a nested flow sequence', 'a: [1, [2]]\n'],
    ['a flow sequence with a comma in a quoted item', 'a: ["x,y"]\n'],
    ['a flow sequence with a trailing comma', 'a: [x, ]\n'],
    ['a flow sequence over two lines', 'a: [x,\n  y]\n'],
    ['a flow mapping with content', 'a: {b: 1}\n'],
    ['an escape', 'a: "x\\ty"\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a tab', 'a:\n\tb: 1\n'],
    ['CRLF line ends', 'a: 1\r\nb: 2\r\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['an integer key and its string', '1: x\n"1": y\n'],
    ['a merge key', '<<: {}\n'],
    ['a __proto__ key', '__proto__:\n  polluted: true\n'],
    ['a boolean key', 'true: 1\n'],
    ['a float key', '1.5: 1\n'],
    ['a complex key', '? a\n: b\n'],
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['a scalar document', 'just text\n'],
    ['an empty document', '# nothing\n'],
    ['a key with no space after the colon', 'a:1\n'],
    ['a colon and space inside a value', 'a: b: c\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['an indented root', '  a: 1\n'],
    [
      'nesting as deep as the limit',
      Array.from({ length: DEPTH }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n'),
    ],
  ];

  test.each(declined)('declines %s', (_name, text) => {
    expect(readPlainYaml(text, DEPTH)).toBeUndefined();
  });
});

describe('readPlainYaml agrees with the yaml package', () => {
  test('every API config document of examples/ is read, as the package reads it', () => {
    const configs = JSON.parse(readFileSync('examples/acme-edge/api-configs.json', 'utf8')) as {
      openapiDocuments?: { document: { path: string; contents: string } }[];
    }[];
    const documents = configs.flatMap((config) => config.openapiDocuments ?? []);
    expect(documents.length).toBeGreaterThan(0);
    for (const { document } of documents) {
      const text = Buffer.from(document.contents, 'base64').toString('utf8');
      if (/^\s*[{[]/.test(text)) continue;
      expect(expectAgreement(text), document.path).toBeDefined();
    }
  });

  const word = fc.stringMatching(/^[a-z][a-z0-9_./-]{0,12}$/);
  const simpleValue = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      word,
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(word, tie('value'), { maxKeys: 4 }),
    ),
  })).value;
  const document = fc.dictionary(word, simpleValue, { minKeys: 1, maxKeys: 5 });
  const styles = fc.record({
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
    defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE'),
  } as const);

  test('documents of words, numbers and nesting, as the package writes them in several styles, are read', () => {
    fc.assert(
      fc.property(document, styles, (value, style) => {
        const text = stringify(value, style);
        expect(expectAgreement(text), text).toStrictEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  test('any value the package writes, read or declined, never read otherwise than by the package', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 4 })), styles, (value, style) => {
        expectAgreement(stringify(value, style));
      }),
      { numRuns: 500 },
    );
  });

  // Documents built as trees of keys and scalars from the edges of the subset, written with random indentation,
  // compact and indentless styles, comments, and a random one-character edit: whatever is accepted is read as the
  // package reads it.
  const scalarText = fc.constantFrom(
    '[https]',
    '[a, "b", \'c\']',
    '[1, 2.5, true, null, ~]',
    '[a b]',
    '[a,b]',
    '[ a ]',
    '[ ]',
    '[a, ]',
    '[a: b]',
    '[a, [b]]',
    '[-a]',
    '[- a]',
    '["a,b"]',
    '[a#b]',
    '[a #b]',
    '[a] # c',
    '[a]#c',
    '[a] b',
    '["a]"]',
    '[0x1F, .inf]',
    '[a:b]',
    '[?a]',
    '[? a]',
    '[&a b]',
    '[*a]',
    '[!t a]',
    '[|]',
    '[>]',
    '[%a]',
    '[@a]',
    '[`a`]',
    '["a\\"b"]',
    '[{}]',
    'x',
    'x y',
    '"q # r"',
    "'it''s'",
    '~',
    '0x1F',
    '-.5e3',
    '.NaN',
    '007',
    '+12',
    '1_000',
    '2026-01-02',
    'yes',
    'Null',
    'tRUE',
    '12345678901234567890',
    '1e400',
    '-0',
    '0o',
    'a#b',
    'a # c',
    '[]',
    '{}',
    's ]',
    'u, v',
    '-x',
    '- x',
    '&a w',
    '*a',
    '!t z',
    '|',
    '>-',
    '[1]',
    'e: f',
    'g:',
    '"a\\"b"',
    '@x',
    '`b`',
    'http://h/p?q=1#f',
    'a:b',
    '"open',
    "'x'y",
    '"x" y',
    '"x" # c',
    '"x"#c',
    '3.0',
    '.5',
    '1.',
    'café',
    '\u00a0x',
    'x\u00a0',
    '-',
    '?',
    ':',
  );
  const keyText = fc.constantFrom(
    'a',
    'b',
    'c',
    'a b',
    '1',
    '01',
    '200',
    '"q"',
    "'r s'",
    '"1"',
    'true',
    'null',
    '1.5',
    '-k',
    'k#x',
    'x:y',
    '<<',
    '__proto__',
    'constructor',
    '""',
    '? k',
    '[k]',
    '&a k',
    '/v1/{id}:cancel',
    '"a" ',
    'k ',
    '~',
    '0x1',
  );
  type Tree =
    | { kind: 'map'; entries: [string, Tree][] }
    | { kind: 'seq'; items: Tree[] }
    | { kind: 'scalar'; text: string };
  const tree = fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalarText.map((text): Tree => ({ kind: 'scalar', text })),
      fc
        .array(fc.tuple(keyText, tie('node')), { minLength: 1, maxLength: 4 })
        .map((entries): Tree => ({ kind: 'map', entries })),
      fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((items): Tree => ({ kind: 'seq', items })),
    ),
  })).node;
  const layout = fc.record({
    step: fc.integer({ min: 1, max: 4 }),
    compact: fc.boolean(),
    indentless: fc.boolean(),
  });

  function render(
    node: Tree,
    indent: number,
    style: { step: number; compact: boolean; indentless: boolean },
  ): string[] {
    const pad = ' '.repeat(indent);
    if (node.kind === 'scalar') return [`${pad}${node.text}`];
    const lines: string[] = [];
    if (node.kind === 'map') {
      for (const [key, value] of node.entries) {
        if (value.kind === 'scalar') lines.push(`${pad}${key}: ${value.text}`);
        else {
          lines.push(`${pad}${key}:`);
          const childIndent = value.kind === 'seq' && style.indentless ? indent : indent + style.step;
          lines.push(...render(value, childIndent, style));
        }
      }
      return lines;
    }
    for (const item of node.items) {
      if (item.kind === 'scalar') lines.push(`${pad}- ${item.text}`);
      else if (style.compact) {
        const child = render(item, indent + 2, style);
        lines.push(`${pad}- ${(child[0] ?? '').slice(indent + 2)}`, ...child.slice(1));
      } else lines.push(`${pad}-`, ...render(item, indent + style.step, style));
    }
    return lines;
  }

  const edit = fc.option(
    fc.record({
      line: fc.nat(),
      at: fc.nat(),
      text: fc.constantFrom('', ' ', '#', ':', '- ', ' #c', '"', "'"),
    }),
  );
  const root = fc.oneof(
    fc
      .array(fc.tuple(keyText, tree), { minLength: 1, maxLength: 5 })
      .map((entries): Tree => ({ kind: 'map', entries })),
    fc.array(tree, { minLength: 1, maxLength: 4 }).map((items): Tree => ({ kind: 'seq', items })),
  );

  test('any document of edge-case keys and scalars, in any layout, is read as the package reads it, or declined', () => {
    let accepted = 0;
    fc.assert(
      fc.property(root, layout, edit, fc.boolean(), (node, style, change, comments) => {
        const lines = render(node, 0, style);
        if (comments) lines.splice(lines.length >> 1, 0, '# comment', '', '   # indented comment');
        if (change) {
          const index = change.line % lines.length;
          const line = lines[index] ?? '';
          const at = change.at % (line.length + 1);
          lines[index] = line.slice(0, at) + change.text + line.slice(at + (change.text ? 0 : 1));
        }
        if (expectAgreement(`${lines.join('\n')}\n`) !== undefined) accepted++;
      }),
      { numRuns: 5_000 },
    );
    // Not a vacuous pass: a good share of these documents is within the subset.
    expect(accepted).toBeGreaterThan(150);
  });
});
