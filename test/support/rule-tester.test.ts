import { describe, expect, test } from 'vitest';
import { defineRule, describe as describeNode, fail, pass, type Rule } from '../../src/rules/define-rule.js';
import { backendService, fullName } from './records.js';
import { checkCase, deepFreeze, type RuleCase } from './rule-tester.js';

const SERVICE = fullName('global/backendServices/orders-bs');

function sampleRule(evaluate: Rule['evaluate']): Rule {
  return defineRule({
    id: 'sample.tester-check',
    title: 'Sample',
    severity: 'LOW',
    source: 'seed',
    appliesTo: ['backendService'],
    rationale: 'Sample rule for the tester.',
    remediation: { summary: 'None.' },
    references: [],
    evaluate,
  });
}

const CASE: RuleCase = {
  name: 'one backend service',
  records: { backendService: [backendService('orders-bs')] },
  resource: SERVICE,
  expected: 'pass',
};

describe('the rule tester', () => {
  test('passes a rule that reads its input and answers the same each time', () => {
    expect(() =>
      checkCase(
        sampleRule((node) => pass(`${describeNode(node)} is fine.`)),
        CASE,
      ),
    ).not.toThrow();
  });

  test('fails a rule that mutates the record it judges', () => {
    const mutating = sampleRule((node) => {
      (node.data as { description?: string }).description = 'touched';
      return pass('fine');
    });
    expect(() => checkCase(mutating, CASE)).toThrow(/mutated its \(frozen\) input/);
  });

  test('fails a rule that mutates its parameters', () => {
    const mutating = sampleRule((_node, context) => {
      (context.params.seen as string[]).push('x');
      return pass('fine');
    });
    expect(() => checkCase(mutating, { ...CASE, params: { seen: [] } })).toThrow(
      /mutated its \(frozen\) input/,
    );
  });

  test('fails a rule whose answer differs on a second run over the same input', () => {
    let calls = 0;
    const flaky = sampleRule(() => {
      calls += 1;
      return fail(`call ${calls}`, { calls });
    });
    expect(() => checkCase(flaky, { ...CASE, expected: 'fail' })).toThrow(/not deterministic/);
  });

  test('deepFreeze freezes nested objects and arrays', () => {
    const value = deepFreeze({ a: { b: [{ c: 1 }] } });
    expect(Object.isFrozen(value.a.b[0])).toBe(true);
  });
});
