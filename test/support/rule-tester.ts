// A table-driven tester for rules, in the spirit of ESLint's RuleTester: each case names a scenario,
// builds real-shaped records, and states the verdicts expected for one resource.

import { describe, expect, test } from 'vitest';
import type { Baseline } from '../../src/domain/baseline.js';
import type { DirectUrlProbes } from '../../src/domain/direct-url-probe.js';
import type { Inventory } from '../../src/domain/inventory.js';
import type { Severity } from '../../src/domain/severity.js';
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

export function resultsFor(rule: Rule, testCase: RuleCase): RuleResult[] {
  const graph = graphOf(testCase.records);
  const policy = { rules: testCase.params ? { [rule.id]: { params: testCase.params } } : {}, exemptions: [] };
  return evaluate(graph, [rule], {
    policy,
    ...(testCase.baseline ? { baseline: testCase.baseline } : {}),
    ...(testCase.probes ? { probes: testCase.probes } : {}),
  }).filter((result) => result.resource === testCase.resource);
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
    });
  });
}
