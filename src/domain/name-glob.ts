// Glob patterns, compiled to automata that match in time linear in pattern x name (never a backtracking RegExp).
// Flat names (project IDs, rule IDs, label values; alert routes and the policy loader): `*` stands for any run of
// characters. Full resource names (exemptions): `*` stays within one path segment, `**` crosses segments.
// Everything else is literal.

import { GlobAutomaton, type GlobStep } from './glob-automaton.js';

const SLASH = 0x2f;

const ANY_RUN: GlobStep = { accepts: () => true };
const RUN_WITHIN_SEGMENT: GlobStep = { accepts: (code) => code !== SLASH };
const ONE_WITHIN_SEGMENT: GlobStep = { single: (code) => code !== SLASH };
// What `**` meant when it compiled to the RegExp `.*` (no `s` flag): any character but a line terminator. Kept
// so that no exemption matches more, or less, than it did; resource names hold no line terminators anyway.
const RUN_ACROSS_SEGMENTS: GlobStep = {
  accepts: (code) => code !== 0x0a && code !== 0x0d && code !== 0x2028 && code !== 0x2029,
};

function literalSteps(text: string): GlobStep[] {
  return Array.from({ length: text.length }, (_, index) => ({ literal: text.charCodeAt(index) }));
}

/** A tester for one pattern over flat names; a pattern without `*` compares exactly. */
export function globTester(pattern: string): (name: string) => boolean {
  if (!pattern.includes('*')) return (name) => name === pattern;
  const automaton = globAutomaton(pattern);
  return (name) => automaton.matches(name);
}

/** The automaton of a pattern over flat names: a run of `*` is one wildcard. */
export function globAutomaton(pattern: string): GlobAutomaton {
  const steps: GlobStep[] = [];
  for (const part of pattern.split(/(\*+)/)) {
    steps.push(...(part.startsWith('*') ? [ANY_RUN] : literalSteps(part)));
  }
  return new GlobAutomaton(steps);
}

/** True when any of the patterns matches. */
export function anyGlobTester(patterns: readonly string[]): (name: string) => boolean {
  const testers = patterns.map(globTester);
  return (name) => testers.some((matches) => matches(name));
}

/**
 * The automaton of an API path pattern (the simulator's fault rules): as a full resource name pattern, and `?` is
 * one character within a segment. These were a backtracking RegExp, where a path with seven `**` froze the simulator.
 */
export function pathGlobAutomaton(pattern: string): GlobAutomaton {
  const steps: GlobStep[] = [];
  for (const part of pattern.split(/(\*\*|\*|\?)/)) {
    if (part === '**') steps.push(RUN_ACROSS_SEGMENTS);
    else if (part === '*') steps.push(RUN_WITHIN_SEGMENT);
    else if (part === '?') steps.push(ONE_WITHIN_SEGMENT);
    else steps.push(...literalSteps(part));
  }
  return new GlobAutomaton(steps);
}

/**
 * The automaton of a full resource name pattern: `*` matches within one path segment, `**` across segments, read
 * left to right (so `***` is `**` then `*`).
 */
export function resourcePatternAutomaton(pattern: string): GlobAutomaton {
  const steps: GlobStep[] = [];
  for (const part of pattern.split(/(\*\*|\*)/)) {
    if (part === '**') steps.push(RUN_ACROSS_SEGMENTS);
    else if (part === '*') steps.push(RUN_WITHIN_SEGMENT);
    else steps.push(...literalSteps(part));
  }
  return new GlobAutomaton(steps);
}
