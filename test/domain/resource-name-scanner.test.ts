// The one-pass resource-name scanner against the regular-expression parser it replaced (issue 14): the same answer
// for every text, hostile or real-shaped. The old parser is kept in graph-reference.ts as the reference.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseResourceRef } from '../../src/domain/resource-name.js';
import { parseResourceRef as referenceParse } from './graph-reference.js';

/** Pieces a hostile name is made of: separators, dot segments, every kind of space and control character. */
const PIECES = [
  '/',
  '//',
  '.',
  '..',
  '/./',
  '/../',
  '?',
  '#',
  '?alt=json',
  '#frag',
  'projects',
  'projects/',
  '/projects/',
  'global',
  'regions',
  'zones',
  'locations',
  'apigateway',
  'compute',
  'https://www.googleapis.com/compute/v1/',
  '//apigateway.googleapis.com/',
  'acme-edge',
  '314159265358',
  'us-central1',
  'us-central1-a',
  'backendServices',
  'gateways',
  'apis',
  'configs',
  'a',
  '-',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u000b',
  '\u000c',
  '\u0000',
  '\u0007',
  '\u001f',
  '\u007f',
  '\u0080',
  '\u0085',
  '\u009f',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
  '\u200b',
  'é',
  '名前',
  '🚀',
  '\ud800',
  '\udc00',
  '%2F',
];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 30 })
  .map((pieces) => pieces.join(''));

const SEGMENT_CHOICES = [
  'x',
  'orders-0-bs0',
  'a.b',
  '.',
  '..',
  '...',
  '.x',
  '',
  'a b',
  'a\tb',
  'a\u0000',
  'a\u001fb',
  'a\u007fb',
  '\u0085',
  'a\u00a0b',
  '\u3000',
  'é',
  '\ud800',
  'a?b',
  'a#b',
  '-',
  '~',
];
const segment = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SEGMENT_CHOICES) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const PREFIXES = [
  '',
  'https://www.googleapis.com/compute/v1/',
  'https://compute.googleapis.com/compute/beta/',
  'https://www.googleapis.com/compute/alpha/',
  '//compute.googleapis.com/',
  '//apigateway.googleapis.com/',
  'https://apigateway.googleapis.com/v1/',
  'x/',
  'https://x.example/a?',
  'https://x.example/a#',
  'https://x.example/a?b/',
  'https://x.example/#/',
  'https://apigateway.example/',
];
/** Every form the doc comment lists, with segments drawn from plain and hostile names. */
const realShaped = fc
  .tuple(
    fc.constantFrom(...PREFIXES),
    fc.constantFrom('acme-edge', '314159265358', '..', '', 'a b'),
    fc.constantFrom(
      ['global', 'backendServices'],
      ['global', 'urlMaps'],
      ['regions', 'us-central1', 'networkEndpointGroups'],
      ['zones', 'us-central1-a', 'networkEndpointGroups'],
      ['zones', 'us-central1-a', 'instanceGroups'],
      ['locations', 'us-central1', 'gateways'],
      ['locations', 'global', 'apis', 'orders', 'configs'],
      ['locations', 'global', 'apis'],
      ['folders', 'f', 'backendServices'],
      ['global'],
      [],
    ),
    fc.array(segment, { minLength: 0, maxLength: 3 }),
    fc.constantFrom('', '?alt=json', '#x', '/', '?', '/?x'),
  )
  .map(
    ([prefix, project, middle, names, suffix]) =>
      `${prefix}projects/${[project, ...middle, ...names].join('/')}${suffix}`,
  );

describe('parseResourceRef (the one-pass scanner)', () => {
  test('agrees with the regular-expression parser on hostile text', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(parseResourceRef(text)).toEqual(referenceParse(text));
      }),
      { numRuns: 20_000 },
    );
  });

  test('agrees with the regular-expression parser on real-shaped links of every form', () => {
    fc.assert(
      fc.property(realShaped, (text) => {
        expect(parseResourceRef(text)).toEqual(referenceParse(text));
      }),
      { numRuns: 20_000 },
    );
  });

  test('agrees on long names, at and past the 4,096-character limit', () => {
    fc.assert(
      fc.property(
        realShaped,
        fc.integer({ min: 4_000, max: 4_200 }),
        fc.constantFrom('x', 'é', ' ', '/', '.'),
        (text, length, filler) => {
          const long = `${text}${filler.repeat(Math.max(0, length - text.length))}`;
          expect(parseResourceRef(long)).toEqual(referenceParse(long));
        },
      ),
      { numRuns: 500 },
    );
  });

  test.each([
    [
      'a v1 selfLink',
      'https://www.googleapis.com/compute/v1/projects/acme-edge/global/backendServices/orders-bs',
    ],
    ['a query before projects', 'https://x.example/a?b/projects/acme-edge/global/urlMaps/m'],
    ['a fragment before projects', 'https://x.example/#/projects/acme-edge/global/urlMaps/m'],
    ['a query right after projects/', 'x/projects/?acme-edge/global/urlMaps/m'],
    ['apigateway in the host', 'https://apigateway.example/projects/acme-edge/global/urlMaps/m'],
    ['apigateway overlapping /projects/', 'apigateway/projects/acme/locations/l/gateways/g'],
    ['a non-ASCII space in a name', 'projects/acme-edge/global/backendServices/a\u3000b'],
    ['a C1 control in a name', 'projects/acme-edge/global/backendServices/a\u0085b'],
    ['non-ASCII after the query', 'projects/acme-edge/global/backendServices/a?\u3000'],
    ['a lone surrogate', 'projects/acme-edge/global/backendServices/\ud800'],
    ['a .. project', 'projects/../global/backendServices/x'],
    ['a ... name', 'projects/acme-edge/global/backendServices/...'],
    ['a .x name', 'projects/acme-edge/global/backendServices/.x'],
    ['an empty project', 'projects//global/backendServices/x'],
    ['projects alone', 'projects/'],
    ['a zone scope with a global path', 'projects/acme-edge/zones/backendServices/x'],
  ])('agrees on %s', (_label, text) => {
    expect(parseResourceRef(text)).toEqual(referenceParse(text));
  });
});
