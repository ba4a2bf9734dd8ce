// Property-based: the glob automata (exemption resource patterns, alert-route and rule-ID globs) answer exactly as
// the backtracking RegExps they replaced, kept here as the reference, on random short patterns and names full of
// what the RegExps treated specially (`/`, line terminators, regex syntax, lone surrogates); and a pattern that
// made the RegExp backtrack exponentially is answered in work bounded by pattern x name.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  globAutomaton,
  globTester,
  pathGlobAutomaton,
  resourcePatternAutomaton,
} from '../../src/domain/name-glob.js';
import { ExemptionMatcher } from '../../src/engine/exemptions.js';
import type { Exemption } from '../../src/engine/policy.js';

const RUNS = { numRuns: 2_000 };
const NOW = new Date('2027-01-15T12:00:00Z');

/** The exemption pattern RegExp source as it was (engine/exemptions.ts before the automaton). */
function referencePatternSource(pattern: string): string {
  return pattern
    .split(/(\*\*|\*)/)
    .map((part) =>
      part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
}

/** The exemptions of one rule as one alternation, first listed match wins, as ExemptionMatcher.find was. */
function referenceFind(exemptions: readonly Exemption[], fullName: string): Exemption | undefined {
  const regex = new RegExp(
    `^(?:${exemptions.map((e) => `(${referencePatternSource(e.resource)})`).join('|')})$`,
  );
  const match = regex.exec(fullName);
  if (!match) return undefined;
  return exemptions[match.findIndex((group, position) => position > 0 && group !== undefined) - 1];
}

/** The flat-name glob as it was (domain/name-glob.ts before the automaton). */
function referenceGlobTester(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const regex = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*')}$`, 's');
  return (name) => regex.test(name);
}

/** The fault rule path glob as it was (simulator/faults.ts globToRegExp before the automaton). */
function referencePathGlobTester(glob: string): (path: string) => boolean {
  let source = '';
  for (let index = 0; index < glob.length; index += 1) {
    const char = glob.charAt(index);
    if (char === '*' && glob.charAt(index + 1) === '*') {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const regex = new RegExp(`^${source}$`);
  return (path) => regex.test(path);
}

const NAME_PIECES = [
  'a',
  'b',
  'ab',
  '/',
  '//',
  '.',
  '-',
  '\n',
  '\r',
  '\u2028',
  '(',
  '[',
  '\\',
  '$',
  '\ud83d',
  'é',
];
const name = fc.array(fc.constantFrom(...NAME_PIECES), { maxLength: 12 }).map((pieces) => pieces.join(''));
const pattern = fc
  .array(fc.constantFrom(...NAME_PIECES, '*', '**', '***', '*', '*'), { maxLength: 10 })
  .map((pieces) => pieces.join(''));

/** A name the pattern is likely to match: each wildcard replaced by a random run. */
const patternAndName = fc
  .tuple(pattern, fc.array(name, { minLength: 12, maxLength: 12 }), name)
  .map(([text, fills, other]) => {
    let fill = 0;
    const likely = text.replace(/\*+/g, () => fills[fill++ % fills.length] ?? '');
    return [text, fill % 2 === 0 ? likely : other] as const;
  });

describe('exemption resource patterns', () => {
  test('match exactly as the RegExp they replaced', () => {
    fc.assert(
      fc.property(patternAndName, ([text, candidate]) => {
        const expected = new RegExp(`^${referencePatternSource(text)}$`).test(candidate);
        expect(resourcePatternAutomaton(text).matches(candidate)).toBe(expected);
      }),
      RUNS,
    );
  });

  test('pick the same exemption as the RegExp alternation did (the first listed match)', () => {
    const exemptions = fc.array(pattern, { minLength: 1, maxLength: 4 }).map((patterns) =>
      patterns.map(
        (resource, index): Exemption => ({
          ruleId: '*',
          resource,
          reason: `r${index}`,
          expires: '2099-12-31',
        }),
      ),
    );
    fc.assert(
      fc.property(exemptions, fc.array(name, { minLength: 1, maxLength: 5 }), (listed, candidates) => {
        const matcher = new ExemptionMatcher(listed, NOW);
        for (const candidate of [...candidates, ...listed.map((e) => e.resource.replaceAll('*', 'a'))]) {
          expect(matcher.find('backend.cloud-armor-attached', candidate)).toBe(
            referenceFind(listed, candidate),
          );
        }
      }),
      RUNS,
    );
  });
});

describe('flat-name globs', () => {
  test('match exactly as the RegExp they replaced', () => {
    fc.assert(
      fc.property(patternAndName, ([text, candidate]) => {
        expect(globTester(text)(candidate)).toBe(referenceGlobTester(text)(candidate));
      }),
      RUNS,
    );
  });
});

describe('fault rule path globs', () => {
  // `?` is one character within a segment there; patterns with it, and names it might stand for.
  const withQuestion = fc
    .tuple(patternAndName, fc.array(fc.nat(12), { maxLength: 3 }))
    .map(([[text, candidate], spots]) => {
      let withMarks = text;
      for (const spot of spots) {
        const at = Math.min(spot, withMarks.length);
        withMarks = `${withMarks.slice(0, at)}?${withMarks.slice(at)}`;
      }
      return [withMarks, candidate] as const;
    });
  test('match exactly as the RegExp they replaced', () => {
    fc.assert(
      fc.property(withQuestion, ([text, candidate]) => {
        expect(pathGlobAutomaton(text).matches(candidate)).toBe(referencePathGlobTester(text)(candidate));
      }),
      RUNS,
    );
  });
  test.each([
    ['? stands for one character', '/v1/projects/?/locations', '/v1/projects/p/locations', true],
    ['? stands for no more than one', '/v1/projects/?/locations', '/v1/projects/pp/locations', false],
    ['? stands for no less than one', '/v1/projects/?/locations', '/v1/projects//locations', false],
    ['? stays within its segment', '/a?b', '/a/b', false],
    ['? at the ends', '?a?', 'bac', true],
    ['? beside a run', '/a/*?', '/a/', false],
  ])('%s', (_case, text, candidate, expected) => {
    expect(pathGlobAutomaton(text).matches(candidate)).toBe(expected);
    expect(referencePathGlobTester(text)(candidate)).toBe(expected);
  });
});

describe('patterns that backtrack', () => {
  // The pattern of the report: each extra `**a` multiplied the RegExp's time by ~3.5 (12 of them: minutes).
  const HOSTILE = `//${'**a'.repeat(12)}**/`;
  const PROJECT = 'a'.repeat(28);
  const FULL_NAME = `//compute.googleapis.com/projects/${PROJECT}/global/backendServices/${PROJECT}-bs`;

  // The literal ends are compared as text first, so the names below are chosen to reach the wildcards between.
  test.each([
    [
      'the exemption pattern of the report',
      resourcePatternAutomaton,
      HOSTILE,
      `${FULL_NAME}/`.replace(/a/g, 'b'),
      false,
    ],
    ['the same pattern, one a short', resourcePatternAutomaton, HOSTILE, `//${'ab'.repeat(11)}/`, false],
    ['the same pattern, able to match', resourcePatternAutomaton, HOSTILE.slice(0, -1), FULL_NAME, true],
    // A review's find: this fault glob froze the simulator (`simulate --faults`) as a RegExp.
    [
      'a fault path glob of seven **',
      pathGlobAutomaton,
      '/compute/**/**/**/**/**/**/**/x',
      `/compute/${'a'.repeat(300)}/x`,
      false,
    ],
    [
      'a fault path glob of ? and **',
      pathGlobAutomaton,
      `/${'?**'.repeat(12)}/x`,
      `/${'a/'.repeat(11)}${'/'.repeat(100)}/x`,
      false,
    ],
    [
      'a flat-name glob of many *',
      globAutomaton,
      `${'*a'.repeat(40)}*b`,
      `${'a'.repeat(39)}${'c'.repeat(160)}b`,
      false,
    ],
  ])('%s is answered in work bounded by pattern x name', (_case, compile, text, candidate, expected) => {
    const automaton = compile(text);
    expect(automaton.matches(candidate)).toBe(expected);
    expect(automaton.visits).toBeGreaterThan(0);
    expect(automaton.visits).toBeLessThanOrEqual(2 * (text.length + 1) * (candidate.length + 1));
  });

  test('an exemption with the pattern of the report answers', () => {
    const matcher = new ExemptionMatcher(
      [{ ruleId: '*', resource: HOSTILE, reason: 'r', expires: '2099-12-31' }],
      NOW,
    );
    expect(matcher.find('backend.cloud-armor-attached', FULL_NAME)).toBeUndefined();
  });
});
