// evaluateFailing keeps exactly evaluate's failing and error results and only counts the rest (issue 14).

import { describe, expect, it } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { loadPolicy } from '../../src/config/policy-file.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import { evaluate, evaluateFailing } from '../../src/engine/evaluate.js';
import { DEFAULT_POLICY } from '../../src/engine/policy.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

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
});
