// What a sweep keeps of judging a whole project: failing and undecided results whole, and of every other result only
// the rule that decided it. Passes and not-applicables are ~95 % of a project's results and reconcile reads nothing of
// them but their rule, resource and the resource's labels, so they never become objects (evaluateFailing's onDecided).

import type { Baseline } from '../domain/baseline.js';
import { type ResourceLabels, resourceLabelsOf } from '../domain/finding.js';
import type { ResourceGraph } from '../domain/graph.js';
import { evaluateFailing, type RuleResult } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import type { Rule } from '../rules/define-rule.js';

export interface ProjectJudgement {
  /** Every result, passes and not-applicables included. */
  readonly results: number;
  readonly failing: number;
  /** Results the rules could not decide and no exemption covers (stored as `undetermined` findings). */
  readonly undetermined: number;
  /**
   * The results of these resources as reconcile reads them: failing and error results exactly as `evaluate` gives
   * them, in its order; then one result per (rule, resource) decided otherwise, standing for its pass or
   * not-applicable verdicts (reconcile treats both alike: the rule decided, so an older finding of it may resolve).
   *
   * With `hasStored`, those stand-ins are given only for resources it says have stored findings, or that have a result
   * the rules could not decide: a decided rule changes reconcile's output only by resolving a stored finding or by
   * keeping an undecided result of the same rule and resource from becoming `undetermined`. A first sweep's resources
   * have nothing stored, so its ~95 % of results that pass never become objects at all.
   */
  resultsOf(resources: Iterable<string>, hasStored?: (resource: string) => boolean): RuleResult[];
  /** Lets go of these resources' results once they are committed: `resultsOf` gives none for them afterwards. */
  release(resources: Iterable<string>): void;
}

export const NOTHING_JUDGED: ProjectJudgement = {
  results: 0,
  failing: 0,
  undetermined: 0,
  resultsOf: () => [],
  release: () => {},
};

export interface JudgeOptions {
  readonly policy: Policy;
  readonly now: Date;
  readonly baseline?: Baseline;
}

export function judgeProject(
  graph: ResourceGraph,
  rules: readonly Rule[],
  options: JudgeOptions,
): ProjectJudgement {
  /**
   * resource -> the rules that passed it or found it not applicable, as bits (bit i: ruleIds[i]): one small value per
   * resource, where an array of IDs grown by push kept 17 slots for two.
   */
  const decidedOf = new Map<string, bigint>();
  const ruleIds: string[] = [];
  const bitOf = new Map<string, bigint>();
  const onDecided = (ruleId: string, resource: string): void => {
    let bit = bitOf.get(ruleId);
    if (bit === undefined) {
      bit = 1n << BigInt(ruleIds.length);
      bitOf.set(ruleId, bit);
      ruleIds.push(ruleId);
    }
    decidedOf.set(resource, (decidedOf.get(resource) ?? 0n) | bit);
  };
  const { results, counts } = evaluateFailing(graph, rules, { ...options, onDecided });
  const failingOf = new Map<string, RuleResult[]>();
  let undetermined = 0;
  for (const result of results) {
    if (result.status === 'error' && !result.exemption) undetermined += 1;
    const list = failingOf.get(result.resource);
    if (list) list.push(result);
    else failingOf.set(result.resource, [result]);
  }
  /** resource -> its labels, as evaluate puts them on each of its results, for the stand-ins of its passes. */
  const labelsOf = new Map<string, ResourceLabels>();
  for (const node of graph.allNodes()) {
    if (!decidedOf.has(node.fullName) || labelsOf.has(node.fullName)) continue;
    const labels = resourceLabelsOf(node.data);
    if (labels) labelsOf.set(node.fullName, labels);
  }
  return {
    results: counts.pass + counts.fail + counts['not-applicable'] + counts.error,
    failing: counts.fail,
    undetermined,
    resultsOf(resources, hasStored) {
      const out: RuleResult[] = [];
      for (const resource of resources) {
        const failing = failingOf.get(resource) ?? [];
        for (const result of failing) out.push(result);
        if (hasStored && !hasStored(resource) && !failing.some((result) => result.status === 'error'))
          continue;
        const labels = labelsOf.get(resource);
        const decided = decidedOf.get(resource) ?? 0n;
        ruleIds.forEach((ruleId, index) => {
          if ((decided >> BigInt(index)) & 1n) out.push(decidedResult(ruleId, resource, labels));
        });
      }
      return out;
    },
    release(resources) {
      for (const resource of resources) {
        failingOf.delete(resource);
        decidedOf.delete(resource);
        labelsOf.delete(resource);
      }
    },
  };
}

/**
 * A stand-in for a pass or not-applicable verdict: reconcile reads its rule, resource, status and the resource's labels
 * (a resolution is routed by the labels read now), nothing else.
 */
function decidedResult(ruleId: string, resource: string, labels: ResourceLabels | undefined): RuleResult {
  return {
    ruleId,
    status: 'pass',
    severity: 'LOW',
    resource,
    resourceType: '',
    project: '',
    location: '',
    subKey: null,
    message: '',
    evidence: {},
    ...(labels ? { labels } : {}),
  };
}
