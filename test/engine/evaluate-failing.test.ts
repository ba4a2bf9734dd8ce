// evaluateFailing keeps exactly evaluate's failing and error results and only counts the rest (issue 14).

import { describe, expect, it } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { loadPolicy } from '../../src/config/policy-file.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import { evaluate, evaluateFailing } from '../../src/engine/evaluate.js';
import { DEFAULT_POLICY } from '../../src/engine/policy.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import {
  defineRule,
  fail,
  notApplicable,
  notApplicableLater,
  pass,
  passLater,
} from '../../src/rules/define-rule.js';
import { backendService, graphOf, sslPolicy } from '../support/records.js';

const NOW = new Date('2026-12-04T12:00:00.000Z');

describe('evaluateFailing', () => {
  for (const policyFile of [undefined, 'examples/policy.yaml']) {
    it(`matches evaluate on examples/acme-edge (${policyFile ?? 'default policy'})`, async () => {
      const { inventory, baseline } = await loadEstate('examples/acme-edge');
      const policy = policyFile
        ? await loadPolicy(policyFile, { knownRuleIds: ALL_RULES.map((rule) => rule.id) })
        : DEFAULT_POLICY;
      const graph = ResourceGraph.build(inventory);
      const options = { policy, now: NOW, ...(baseline ? { baseline } : {}) };
      const all = evaluate(graph, ALL_RULES, options);
      const counted = evaluateFailing(graph, ALL_RULES, options);

      expect(counted.results).toEqual(all.filter((r) => r.status === 'fail' || r.status === 'error'));
      const counts = { pass: 0, fail: 0, 'not-applicable': 0, error: 0 };
      for (const result of all) counts[result.status] += 1;
      expect(counted.counts).toEqual(counts);
      // The estate has passes and not-applicables to leave out, and failures to keep, or the comparison proves little.
      expect(counts.pass).toBeGreaterThan(0);
      expect(counts['not-applicable']).toBeGreaterThan(0);
      expect(counted.results.length).toBeGreaterThan(0);
    });
  }

  it('tells onDecided the rule and resource of every pass and not-applicable, in evaluate order', async () => {
    const { inventory } = await loadEstate('examples/acme-edge');
    const graph = ResourceGraph.build(inventory);
    const all = evaluate(graph, ALL_RULES, { now: NOW });
    const decided: string[] = [];
    const counted = evaluateFailing(graph, ALL_RULES, {
      now: NOW,
      onDecided: (ruleId, resource) => decided.push(`${ruleId} ${resource}`),
    });
    expect(decided).toEqual(
      all
        .filter((result) => result.status === 'pass' || result.status === 'not-applicable')
        .map((result) => `${result.ruleId} ${result.resource}`),
    );
    expect(decided.length).toBe(counted.counts.pass + counted.counts['not-applicable']);
  });

  describe('a pass or not-applicable said later', () => {
    /** A rule that passes one SSL policy, fails another and leaves the rest, saying its passes only when asked. */
    function countingRule(onSay: (name: string) => void, faulty = false) {
      return defineRule({
        id: 'test.later',
        title: 'Later verdicts',
        severity: 'LOW',
        source: 'gov',
        appliesTo: ['sslPolicy'],
        rationale: 'test',
        remediation: { summary: 'test' },
        references: [],
        evaluate(policy) {
          if (policy.ref.name === 'bad') return fail(`${policy.ref.name} fails`, { name: policy.ref.name });
          if (policy.ref.name === 'good') {
            return passLater(() => {
              onSay(policy.ref.name);
              if (faulty) throw new Error('cannot say');
              return pass(`${policy.ref.name} passes`, { name: policy.ref.name });
            });
          }
          return notApplicableLater((node) => {
            onSay(node.ref.name);
            return notApplicable(`${node.ref.name} is left alone`);
          });
        },
      });
    }
    const graph = graphOf({
      sslPolicy: [sslPolicy('good', 'TLS_1_2'), sslPolicy('bad', 'TLS_1_0'), sslPolicy('other', 'TLS_1_2')],
      backendService: [backendService('unrelated')],
    });

    it('is never said by evaluateFailing, which counts it as declared and tells onDecided', () => {
      const said: string[] = [];
      const decided: string[] = [];
      const counted = evaluateFailing(graph, [countingRule((name) => said.push(name))], {
        now: NOW,
        onDecided: (_rule, resource) => decided.push(resource.split('/').pop() as string),
      });
      expect(said).toEqual([]);
      expect(counted.counts).toEqual({ pass: 1, fail: 1, 'not-applicable': 1, error: 0 });
      expect(counted.results.map((result) => result.message)).toEqual(['bad fails']);
      expect(decided.sort()).toEqual(['good', 'other']);
    });

    it('is said once per result by evaluate, for the node judged', () => {
      const said: string[] = [];
      const results = evaluate(graph, [countingRule((name) => said.push(name))], { now: NOW });
      expect(said.sort()).toEqual(['good', 'other']);
      expect(results.map((result) => [result.status, result.message, result.evidence])).toEqual([
        ['pass', 'good passes', { name: 'good' }],
        ['fail', 'bad fails', { name: 'bad' }],
        ['not-applicable', 'other is left alone', {}],
      ]);
    });

    it('becomes an error result when saying it throws, as a throwing rule does', () => {
      const results = evaluate(graph, [countingRule(() => {}, true)], { now: NOW });
      expect(results[0]).toMatchObject({
        status: 'error',
        message: expect.stringMatching(/^rule test\.later could not judge .*good: cannot say$/),
      });
    });
  });
});
