// What a sweep keeps of judging a whole project: failing and undecided results whole, and of every other result only
// the rule that decided it. Passes and not-applicables are ~95 % of a project's results and reconcile reads nothing of
// them but their rule, resource and the resource's labels, so they are never all alive as objects: the project is
// judged a piece at a time.

import type { Baseline } from '../domain/baseline.js';
import type { ResourceLabels } from '../domain/finding.js';
import type { ResourceGraph } from '../domain/graph.js';
import { evaluate, type RuleResult } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import type { Rule } from '../rules/define-rule.js';

/** Resources judged per evaluate call: bounds the results alive at once (each call walks the graph's nodes once). */
const PIECE = 4096;

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
   */
  resultsOf(resources: Iterable<string>): RuleResult[];
}

export const NOTHING_JUDGED: ProjectJudgement = {
  results: 0,
  failing: 0,
  undetermined: 0,
  resultsOf: () => [],
};

export interface JudgeOptions {
  readonly policy: Policy;
  readonly now: Date;
  readonly baseline?: Baseline;
  /** Resources per evaluate call (PIECE unless a test wants several pieces of a small estate). */
  readonly pieceSize?: number;
}

export function judgeProject(
  graph: ResourceGraph,
  rules: readonly Rule[],
  { pieceSize = PIECE, ...options }: JudgeOptions,
): ProjectJudgement {
  const failingOf = new Map<string, RuleResult[]>();
  /**
   * resource -> the rules that passed it or found it not applicable, as bits (bit i: ruleIds[i]): one small value per
   * resource, where an array of IDs grown by push kept 17 slots for two.
   */
  const decidedOf = new Map<string, bigint>();
  const ruleIds: string[] = [];
  const bitOf = new Map<string, bigint>();
  /** resource -> its labels (every result of a resource carries the same), for the stand-ins of its passes. */
  const labelsOf = new Map<string, ResourceLabels>();
  let results = 0;
  let failing = 0;
  let undetermined = 0;
  const names = [...new Set(Array.from(graph.allNodes(), (node) => node.fullName))];
  for (let start = 0; start < names.length; start += pieceSize) {
    const only = new Set(names.slice(start, start + pieceSize));
    for (const result of evaluate(graph, rules, { ...options, only })) {
      results += 1;
      if (result.labels && !labelsOf.has(result.resource)) labelsOf.set(result.resource, result.labels);
      if (result.status === 'fail' || result.status === 'error') {
        if (result.status === 'fail') failing += 1;
        else if (!result.exemption) undetermined += 1;
        append(failingOf, result.resource, result);
      } else {
        let bit = bitOf.get(result.ruleId);
        if (bit === undefined) {
          bit = 1n << BigInt(ruleIds.length);
          bitOf.set(result.ruleId, bit);
          ruleIds.push(result.ruleId);
        }
        decidedOf.set(result.resource, (decidedOf.get(result.resource) ?? 0n) | bit);
      }
    }
  }
  return {
    results,
    failing,
    undetermined,
    resultsOf(resources) {
      const out: RuleResult[] = [];
      for (const resource of resources) {
        for (const result of failingOf.get(resource) ?? []) out.push(result);
        const labels = labelsOf.get(resource);
        const decided = decidedOf.get(resource) ?? 0n;
        ruleIds.forEach((ruleId, index) => {
          if ((decided >> BigInt(index)) & 1n) out.push(decidedResult(ruleId, resource, labels));
        });
      }
      return out;
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

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
