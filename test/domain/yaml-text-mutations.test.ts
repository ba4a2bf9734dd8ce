// parseYamlText reads every API spec as the yaml package alone did before plain-yaml.ts (issue 14): real specs of
// examples/ and the fixtures, edited as people and tools edit them, give the same value or the same one-line problem.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import {
  parseYamlText,
  parseYamlWithPackage,
  type YamlLimits,
  type YamlOutcome,
} from '../../src/domain/yaml-text.js';

/** The limits of every caller: API configs (warnings ignored), policy files (warnings are errors), and a tight depth. */
const LIMITS: readonly YamlLimits[] = [
  { maxAliasCount: 100, maxDepth: 128 },
  { maxAliasCount: 100, maxDepth: 64, warningsAreErrors: true },
  { maxAliasCount: 100, maxDepth: 5 },
];

/** An outcome in one string: values by type and Object.is (NaN, -0), key order, prototypes; problems with position. */
function described(outcome: YamlOutcome): string {
  if (!outcome.ok) return `problem ${outcome.problem} at ${outcome.line}:${outcome.column}`;
  const exact = (value: unknown): string => {
    if (typeof value === 'number') return `number:${Object.is(value, -0) ? '-0' : String(value)}`;
    if (typeof value === 'string') return `string:${JSON.stringify(value)}`;
    if (value === null || typeof value !== 'object') return `${typeof value}:${String(value)}`;
    if (Array.isArray(value)) return `[${value.map(exact).join(',')}]`;
    const prototype = Object.getPrototypeOf(value) === Object.prototype ? '' : 'prototype! ';
    const entries = Object.keys(value).map(
      (key) => `${JSON.stringify(key)}:${exact(Reflect.get(value, key))}`,
    );
    return `{${prototype}${entries.join(',')}}`;
  };
  return `value ${exact(outcome.value)}`;
}

function expectSameAsPackage(text: string): void {
  for (const limits of LIMITS) {
    expect(described(parseYamlText(text, limits)), JSON.stringify({ text, limits })).toBe(
      described(parseYamlWithPackage(text, limits)),
    );
  }
}

/** Every base64 `contents` of an OpenAPI document in a JSON file (API config exports and Terraform plans). */
function specsIn(file: string): string[] {
  const specs: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key === 'contents' && typeof child === 'string')
          specs.push(Buffer.from(child, 'base64').toString('utf8'));
        else walk(child);
      }
    }
  };
  walk(JSON.parse(readFileSync(file, 'utf8')));
  return specs.filter((text) => text.includes(':') && !/^\s*[{[]/.test(text));
}

const plans = readdirSync('test/fixtures/plans').map((plan) =>
  join('test/fixtures/plans', plan, 'plan.json'),
);
const SPECS = [
  ...new Set(
    [
      'examples/acme-edge/api-configs.json',
      'test/fixtures/google-guide/api-configs.json',
      'test/fixtures/estates/orders-edge/api-configs.json',
      ...plans,
    ].flatMap(specsIn),
  ),
];

// What people and tools put into specs: YAML 1.1 booleans, special floats, huge and odd numbers, quoting, flow
// collections, anchors, tags, block scalars, comments, document markers, BOM, tabs, CR, line separators.
const TOKENS = [
  ' ',
  ':',
  ': ',
  '- ',
  '-',
  '#',
  ' #',
  '"',
  "'",
  "''",
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '!!str ',
  '|',
  '>',
  '|-\n  x',
  '\t',
  '\r',
  '\r\n',
  '\ufeff',
  '\u2028',
  '\u0085',
  '\u00a0',
  'é',
  '😀',
  '\\',
  '\\n',
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'on',
  'yes',
  'no',
  'off',
  'y',
  '.inf',
  '-.Inf',
  '.nan',
  '.NaN',
  '0x1F',
  '0o17',
  '017',
  '1e3',
  '1.',
  '.5',
  '-0',
  '+1',
  '9007199254740993',
  '123456789012345678901234567890',
  '1_000',
  '12:30',
  '2001-12-14',
  '?',
  '? ',
  '%',
  '@',
  '`',
  '---',
  '...',
  '<<',
  '__proto__',
  'constructor',
  'x-google-allow: all',
  'security: []',
  '[]',
  '{}',
  '[a, b]',
  '[a,b]',
  '[ ]',
  '[a,]',
  '["a", \'b\']',
  '[a: b]',
  '[[a]]',
  '\n',
  '\n  ',
  '\n- ',
  '200',
  '01',
  'a b',
];

type Edit = (text: string, at: number, token: string) => string;

const lineEdit =
  (change: (line: string, token: string, at: number) => string | string[]): Edit =>
  (text, at, token) => {
    const lines = text.split('\n');
    const index = at % lines.length;
    lines.splice(index, 1, ...[change(lines[index] as string, token, at)].flat());
    return lines.join('\n');
  };

const EDITS: readonly Edit[] = [
  (text, at, token) => text.slice(0, at % (text.length + 1)) + token + text.slice(at % (text.length + 1)),
  (text, at) => text.slice(0, at % text.length) + text.slice((at % text.length) + 1 + (at % 3)),
  (text, at) => text.slice(0, at % (text.length + 1)),
  lineEdit((line, token) => line.replace(/^(\s*(?:- )?[^:#\s][^:#]*: ).*$/, `$1${token}`)),
  lineEdit((line, token) => line.replace(/^(\s*(?:- )?)[^:#\s][^:#]*(:.*)$/, `$1${token}$2`)),
  lineEdit((line, _token, at) =>
    at % 2 === 0 ? ' '.repeat(1 + (at % 4)) + line : line.replace(/^ {1,2}/, ''),
  ),
  lineEdit((line) => [line, line]),
  lineEdit((line, _token, at) => line.replace(/^(\s*(?:- )?)([^:#"'\s]+)/, at % 2 ? '$1"$2"' : "$1'$2'")),
  lineEdit((line, token) => `${line}${token.startsWith(' ') ? token : ` # ${token}`}`),
  (text, at) => text.replace(/^( *)/gm, (spaces: string) => ' '.repeat((spaces.length / 2) * (1 + (at % 4)))),
  (text) => text.replace(/\n( *) {2}- /g, '\n$1- '),
  (text, at) =>
    [
      text.replace(/\n/g, '\r\n'),
      `\ufeff${text}`,
      `---\n${text}`,
      `--- \n${text}`,
      `${text}\n...\n`,
      `${text}\n---\n`,
      `%YAML 1.2\n---\n${text}`,
      `# head\n${text}`,
      `\n\n${text}`,
      text.trimEnd(),
    ][at % 10] as string,
  (text, at) =>
    text.replace(
      /security:\n( +- [^\n]+\n)+/,
      [
        'security: []\n',
        'security:\n',
        'security: [ ]\n',
        'security: ~\n',
        'security:\n  - {}\n',
        'security: [{}]\n',
      ][at % 6] as string,
    ),
  (text, at) =>
    text.replace(
      /^x-google-backend:/m,
      `x-google-allow: ${['all', '"all"', 'ALL', 'configured', "'all'"][at % 5]}\n$&`,
    ),
];

describe('parseYamlText against the yaml package alone', () => {
  // The package warns on the process for each collection used as a key, which many edits make: noise here.
  beforeAll(() => vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined));
  afterAll(() => vi.restoreAllMocks());

  test('the specs of examples/ and of the fixtures are found', () => {
    expect(SPECS.length).toBeGreaterThanOrEqual(8);
  });

  test('property: an edited real spec reads exactly as the package reads it, value or problem', () => {
    const edit = fc.tuple(fc.nat({ max: EDITS.length - 1 }), fc.nat(), fc.constantFrom(...TOKENS));
    fc.assert(
      fc.property(
        fc.constantFrom(...SPECS),
        fc.array(edit, { minLength: 1, maxLength: 3 }),
        (spec, edits) => {
          const text = edits.reduce(
            (current, [kind, at, token]) => (EDITS[kind] as Edit)(current, at, token),
            spec,
          );
          expectSameAsPackage(text);
        },
      ),
      { numRuns: 400 },
    );
  }, 120_000);

  test('every token as a value, a key, a sequence item and a flow item of a spec', () => {
    const spec = SPECS[0] as string;
    for (const token of TOKENS) {
      expectSameAsPackage(spec.replace(/^( {2}title: ).*$/m, `$1${token}`));
      expectSameAsPackage(spec.replace(/^( {2})title(: .*)$/m, `$1${token}$2`));
      expectSameAsPackage(`${spec}\nx-list:\n  - ${token}\n  - ${token}: 1\nx-flow: [${token}]\n`);
    }
  });

  // plain-yaml declines from maxDepth on, the package refuses past it: every form around the edge reads alike.
  test.each([3, 4, 5, 6, 63, 64, 65, 127, 128, 129])(
    'documents nested %i levels (mappings, sequences, compact and flow leaves)',
    (depth) => {
      for (const leaf of ['v', '[a]', '{}', '[]', '- x', 'z: 1']) {
        let mappings = '';
        for (let level = 0; level < depth; level++) mappings += `${' '.repeat(level * 2)}k${level}:\n`;
        expectSameAsPackage(`${mappings}${' '.repeat(depth * 2)}${leaf}\n`);
        expectSameAsPackage(`${'- '.repeat(depth)}${leaf}\n`);
        let sequences = '';
        for (let level = 0; level < depth; level++) sequences += `${' '.repeat(level * 2)}-\n`;
        expectSameAsPackage(`${sequences}${' '.repeat(depth * 2)}${leaf}\n`);
      }
    },
  );
});
