// A sweep's judgement (failing results whole, passes kept as the rules that decided) reconciles exactly as
// evaluate's full results do: the same writes, resolutions and their labels included (issue 14).

import { describe, expect, it } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { judgeProject } from '../../src/app/sweep-judgement.js';
import { loadPolicy } from '../../src/config/policy-file.js';
import type { Finding } from '../../src/domain/finding.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import { evaluate, findingOf } from '../../src/engine/evaluate.js';
import { DEFAULT_POLICY } from '../../src/engine/policy.js';
import { reconcile } from '../../src/engine/reconcile.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

const NOW = new Date('2026-12-04T12:00:00.000Z');
const EARLIER = '2026-11-01T08:00:00.000Z';

describe('judgeProject', () => {
  for (const policyFile of [undefined, 'examples/policy.yaml']) {
    it(`reconciles as evaluate does on examples/acme-edge (${policyFile ?? 'default policy'})`, async () => {
      const { inventory, baseline } = await loadEstate('examples/acme-edge');
      const policy = policyFile
        ? await loadPolicy(policyFile, { knownRuleIds: ALL_RULES.map((rule) => rule.id) })
        : DEFAULT_POLICY;
      const graph = ResourceGraph.build(inventory);
      const options = { policy, now: NOW, ...(baseline ? { baseline } : {}) };
      const all = evaluate(graph, ALL_RULES, options);
      const judged = judgeProject(graph, ALL_RULES, options);

      expect(judged.results).toBe(all.length);
      expect(judged.failing).toBe(all.filter((result) => result.status === 'fail').length);
      expect(judged.undetermined).toBe(
        all.filter((result) => result.status === 'error' && !result.exemption).length,
      );
      // Stored before: today's failures (unchanged), and an open finding for every result that passes now, under
      // labels the resource no longer has, which must resolve with the labels read now.
      const previous: Finding[] = [
        ...all.filter((result) => result.status === 'fail').map((result) => findingOf(result, EARLIER)),
        ...all
          .filter((result) => result.status === 'pass' || result.status === 'not-applicable')
          .map((result) => ({
            ...findingOf({ ...result, status: 'fail' }, EARLIER),
            labels: { team: 'former-owner' },
          })),
      ];
      const resources = [...new Set(all.map((result) => result.resource))];
      let resolved = 0;
      for (const resource of resources) {
        const input = {
          previous: previous.filter((finding) => finding.resource === resource),
          change: null,
          now: NOW.toISOString(),
        };
        const expected = reconcile({ ...input, results: all.filter((r) => r.resource === resource) });
        expect(reconcile({ ...input, results: judged.resultsOf([resource]) })).toEqual(expected);
        // Told which resources have stored findings (the sweep's commit knows), passes of the others are left out:
        // the output is the same whether this resource has findings stored or none at all.
        const hasStored = (name: string) => input.previous.some((finding) => finding.resource === name);
        expect(reconcile({ ...input, results: judged.resultsOf([resource], hasStored) })).toEqual(expected);
        const nothingStored = { ...input, previous: [] };
        expect(reconcile({ ...nothingStored, results: judged.resultsOf([resource], () => false) })).toEqual(
          reconcile({ ...nothingStored, results: all.filter((r) => r.resource === resource) }),
        );
        resolved += expected.writes.filter((write) => write.finding.state === 'resolved').length;
      }
      // The estate has passes to resolve on and labels to carry, or the comparison proves little.
      expect(resolved).toBeGreaterThan(10);
      expect(all.some((result) => result.status === 'pass' && result.labels)).toBe(true);
    });
  }

  it('leaves out the passes of resources with nothing stored, but keeps those of resources with an undecided result', async () => {
    const { inventory } = await loadEstate('examples/acme-edge');
    const graph = ResourceGraph.build(inventory);
    const options = { policy: DEFAULT_POLICY, now: NOW };
    const judged = judgeProject(graph, ALL_RULES, options);
    const all = evaluate(graph, ALL_RULES, options);
    const passing = all.find((result) => result.status === 'pass');
    const resource = passing?.resource ?? '';
    const decidedOnly = (results: readonly { status: string }[]) =>
      results.filter((result) => result.status === 'pass');
    expect(decidedOnly(judged.resultsOf([resource])).length).toBeGreaterThan(0);
    expect(decidedOnly(judged.resultsOf([resource], () => true)).length).toBeGreaterThan(0);
    expect(decidedOnly(judged.resultsOf([resource], () => false))).toEqual([]);
  });

  it('lets go of released resources only: their results are gone, the others unchanged', async () => {
    const { inventory } = await loadEstate('examples/acme-edge');
    const graph = ResourceGraph.build(inventory);
    const judged = judgeProject(graph, ALL_RULES, { policy: DEFAULT_POLICY, now: NOW });
    const resources = [
      ...new Set(evaluate(graph, ALL_RULES, { policy: DEFAULT_POLICY, now: NOW }).map((r) => r.resource)),
    ];
    const [released, ...kept] = resources;
    const before = kept.map((resource) => judged.resultsOf([resource]));
    expect(judged.resultsOf([released ?? ''])).not.toEqual([]);
    judged.release([released ?? '']);
    expect(judged.resultsOf([released ?? ''])).toEqual([]);
    expect(kept.map((resource) => judged.resultsOf([resource]))).toEqual(before);
  });
});
