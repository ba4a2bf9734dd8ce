// Pins every result `evaluate` gives, passes and not-applicables with their messages and evidence, key order included,
// so that work on what judging costs (issue 14) cannot change what events, plan checks and baselines are told.

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEstate } from '../../bench/generate-estate.js';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { loadPolicy } from '../../src/config/policy-file.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { evaluate, evaluateFailing } from '../../src/engine/evaluate.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

const NOW = new Date('2026-12-04T12:00:00.000Z');

/** Every result as JSON text, one per line: a change shows as a changed hash; rerun with -u and diff to see it. */
function resultsText(results: readonly unknown[]): string {
  return `${results.map((result) => JSON.stringify(result)).join('\n')}\n`;
}

function pinned(text: string): string {
  const lines = text.split('\n').length - 1;
  return `sha256 ${createHash('sha256').update(text).digest('hex')} of ${lines} results, ${text.length} characters\n`;
}

/** The generator's records as a loader gives them: parsed from JSON text. */
function parsed(inventory: Inventory): Inventory {
  return JSON.parse(JSON.stringify(inventory)) as Inventory;
}

const GENERATED: readonly (readonly [string, Inventory])[] = [
  ['generated-seed-14', parsed(generateEstate({ scale: 0.02, seed: 14 }))],
  ['generated-5-projects', parsed(generateEstate({ scale: 0.1, seed: 7 }))],
  ['generated-one-project', parsed(generateEstate({ scale: 0.04, seed: 14, oneProject: true }))],
];

describe('evaluate gives exactly the pinned results', () => {
  it('on examples/acme-edge with its baseline and examples/policy.yaml', async () => {
    const { inventory, baseline } = await loadEstate('examples/acme-edge');
    const policy = await loadPolicy('examples/policy.yaml', {
      knownRuleIds: ALL_RULES.map((rule) => rule.id),
    });
    const graph = ResourceGraph.build(inventory);
    const results = evaluate(graph, ALL_RULES, { policy, now: NOW, ...(baseline ? { baseline } : {}) });
    // Small enough to pin as text: a changed message reads as itself in the diff.
    await expect(resultsText(results)).toMatchFileSnapshot('./evaluate-golden/acme-edge.txt');
  });

  for (const [label, inventory] of GENERATED) {
    it(`on ${label}, and evaluateFailing keeps exactly its failing results`, async () => {
      const graph = ResourceGraph.build(inventory);
      const results = evaluate(graph, ALL_RULES, { now: NOW });
      await expect(pinned(resultsText(results))).toMatchFileSnapshot(`./evaluate-golden/${label}.txt`);
      // A fresh graph: evaluateFailing must not depend on evaluate having filled the graph's memos first.
      const counted = evaluateFailing(ResourceGraph.build(inventory), ALL_RULES, { now: NOW });
      expect(resultsText(counted.results)).toBe(
        resultsText(results.filter((result) => result.status === 'fail' || result.status === 'error')),
      );
    });
  }
});
