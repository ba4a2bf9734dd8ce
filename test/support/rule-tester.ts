// A table-driven tester for rules, in the spirit of ESLint's RuleTester: each case names a scenario,
// builds real-shaped records, and states the verdicts expected for one resource. Every input is deep-frozen and
// every case judged twice, so a rule that mutates what it is given, or answers differently the second time, fails.

import { describe, expect, test } from 'vitest';
import type { Baseline } from '../../src/domain/baseline.js';
import type { DirectUrlProbes } from '../../src/domain/direct-url-probe.js';
import type { Inventory } from '../../src/domain/inventory.js';
import type { Severity } from '../../src/domain/severity.js';
import { stableJson } from '../../src/domain/stable-json.js';
import { evaluate, type ResultStatus, type RuleResult } from '../../src/engine/evaluate.js';
import type { Rule } from '../../src/rules/define-rule.js';
import { graphOf } from './records.js';

export interface ExpectedResult {
  readonly status: ResultStatus;
  readonly subKey?: string | null;
  readonly severity?: Severity;
  /** Checked with toMatchObject: name only the evidence that matters for the case. */
  readonly evidence?: Record<string, unknown>;
  readonly message?: RegExp;
}

export interface RuleCase {
  readonly name: string;
  readonly records: Partial<Inventory>;
  /** Full name of the resource whose results are checked. */
  readonly resource: string;
  /** One status, or every result expected for the resource (in order). */
  readonly expected: ResultStatus | readonly ExpectedResult[];
  readonly baseline?: Baseline;
  readonly params?: Record<string, unknown>;
  /** Active probe results, handed in through the rule context as a probe run does. */
  readonly probes?: DirectUrlProbes;
}

/** Freezes a value and everything reachable from it (plain objects and arrays; Maps and Sets are left alone). */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  return value;
}

/**
 * The case's results for its resource, judged twice over the same deep-frozen inputs. Throws (an assertion
 * error) when the two runs differ or when the inputs changed: a mutation the freeze did not stop (an unfrozen Map)
 * still shows as a change, and one it did stop shows as the `error` result the engine makes of the throw.
 */
export function resultsFor(rule: Rule, testCase: RuleCase): RuleResult[] {
  const records = deepFreeze(structuredClone(testCase.records));
  const graph = graphOf(records);
  for (const node of graph.allNodes()) deepFreeze(node);
  const params = testCase.params ? deepFreeze(structuredClone(testCase.params)) : undefined;
  const baseline = testCase.baseline ? deepFreeze(structuredClone(testCase.baseline)) : undefined;
  const probes = testCase.probes ? deepFreeze(structuredClone(testCase.probes)) : undefined;
  const inputs = () => stableJson({ records, params, baseline, probes });
  const before = inputs();
  const policy = { rules: params ? { [rule.id]: { params } } : {}, exemptions: [] };
  const judge = () =>
    evaluate(graph, [rule], {
      policy,
      ...(baseline ? { baseline } : {}),
      ...(probes ? { probes } : {}),
    }).filter((result) => result.resource === testCase.resource);
  const first = judge();
  const second = judge();
  const readOnly = [...first, ...second].find((result) =>
    /read.only|not extensible|frozen/i.test(result.status === 'error' ? result.message : ''),
  );
  expect(readOnly?.message, `${rule.id} mutated its (frozen) input`).toBeUndefined();
  expect(inputs(), `${rule.id} mutated its input`).toBe(before);
  expect(second, `${rule.id} is not deterministic: a second run over the same input differs`).toEqual(first);
  return first;
}

/** Checks one case: the statuses in order, then what each expected result names. */
export function checkCase(rule: Rule, testCase: RuleCase): void {
  const results = resultsFor(rule, testCase);
  const expected =
    typeof testCase.expected === 'string' ? [{ status: testCase.expected }] : testCase.expected;
  expect(
    results.map((r) => r.status),
    results.map((r) => r.message).join('\n'),
  ).toEqual(expected.map((e) => e.status));
  expected.forEach((want, index) => {
    const got = results[index] as RuleResult;
    if (want.subKey !== undefined) expect(got.subKey).toBe(want.subKey);
    if (want.severity) expect(got.severity).toBe(want.severity);
    if (want.evidence) expect(got.evidence).toMatchObject(want.evidence);
    if (want.message) expect(got.message).toMatch(want.message);
  });
}

export function testRule(rule: Rule, cases: readonly RuleCase[]): void {
  describe(rule.id, () => {
    test('the table has at least one pass and one fail case', () => {
      const statuses = cases.flatMap((c) =>
        typeof c.expected === 'string' ? [c.expected] : c.expected.map((e) => e.status),
      );
      expect(statuses).toContain('pass');
      expect(statuses).toContain('fail');
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
      checkCase(rule, testCase);
    });
  });
}
