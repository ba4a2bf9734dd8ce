// Judges every resource in the graph against every enabled rule: pure, and a throwing rule becomes an `error`.

import type { Baseline } from '../domain/baseline.js';
import type { DirectUrlProbes } from '../domain/direct-url-probe.js';
import { type Finding, findingIdOf, type ResourceLabels, resourceLabelsOf } from '../domain/finding.js';
import type { ResourceGraph, ResourceNode } from '../domain/graph.js';
import type { ResourceKind } from '../domain/resource-kind.js';
import type { Severity } from '../domain/severity.js';
import {
  type Evidence,
  type Rule,
  type RuleContext,
  type SaidVerdict,
  sayVerdict,
  type Verdict,
} from '../rules/define-rule.js';
import { type AppliedExemption, applyExemptions } from './exemptions.js';
import { DEFAULT_POLICY, type Policy } from './policy.js';

export type ResultStatus = 'pass' | 'fail' | 'not-applicable' | 'error';

export interface RuleResult {
  readonly ruleId: string;
  readonly status: ResultStatus;
  readonly severity: Severity;
  /** Full resource name (CAI style). */
  readonly resource: string;
  readonly resourceType: string;
  readonly project: string;
  readonly location: string;
  readonly subKey: string | null;
  readonly message: string;
  readonly evidence: Evidence;
  /** Set when a policy exemption covers this failing result: it is muted, not hidden. */
  readonly exemption?: AppliedExemption;
  /** The resource's labels, when it has any: carried onto the finding for alert routing. */
  readonly labels?: ResourceLabels;
}

/**
 * A failing result as a finding judged once (a scan, a plan check): muted when an exemption covers it, and with no
 * history, so first seen is not recorded. The stores build theirs through `reconcile`, which keeps the history.
 */
export function findingOf(result: RuleResult, seenAt: string): Finding {
  const finding: { -readonly [K in keyof Finding]: Finding[K] } = {
    id: findingIdOf(result.ruleId, result.resource, result.subKey),
    ruleId: result.ruleId,
    resource: result.resource,
    resourceType: result.resourceType,
    project: result.project,
    location: result.location,
    subKey: result.subKey,
    severity: result.severity,
    state: result.exemption ? 'muted' : 'open',
    message: result.message,
    evidence: result.evidence,
    firstSeenAt: null,
    lastSeenAt: seenAt,
    resolvedAt: null,
    reopenCount: 0,
    lastChange: null,
    exemption: result.exemption ?? null,
  };
  // Added to the built object, not spread into the literal (see toResult): a scan makes one per failing result.
  if (result.labels) finding.labels = result.labels;
  return finding;
}

export interface EvaluateOptions {
  readonly policy?: Policy;
  readonly baseline?: Baseline;
  /** For exemption expiry; defaults to the current time. */
  readonly now?: Date;
  /** Results of the active probe (run beforehand: it is I/O), handed to the rules in their context. */
  readonly probes?: DirectUrlProbes;
  /** Only judge these resources (full names); all when absent. */
  readonly only?: ReadonlySet<string>;
}

export function enabledRules(rules: readonly Rule[], policy: Policy): Rule[] {
  return rules.filter((rule) => policy.rules[rule.id]?.enabled !== false);
}

/** The IDs of the rules the policy disables (`enabled: false`): reconcile resolves what they found before. */
export function disabledRuleIds(rules: readonly Rule[], policy: Policy): ReadonlySet<string> {
  return new Set(rules.filter((rule) => policy.rules[rule.id]?.enabled === false).map((rule) => rule.id));
}

export function evaluate(
  graph: ResourceGraph,
  rules: readonly Rule[],
  options: EvaluateOptions = {},
): RuleResult[] {
  return judgeGraph(graph, rules, options, true).results;
}

/** What `evaluateFailing` returns: the results that matter one by one, and how many of each status there were. */
export interface CountedResults {
  /** The failing and error results, exactly as `evaluate` gives them (exemptions applied), in the same order. */
  readonly results: RuleResult[];
  /** Every result counted by status, passes and not-applicables included. */
  readonly counts: Readonly<Record<ResultStatus, number>>;
}

/** Options of `evaluateFailing`. */
export interface CountingOptions extends EvaluateOptions {
  /**
   * Called with each pass and not-applicable verdict's rule and resource, which are otherwise only counted: for a
   * caller that needs to know which rules decided a resource (a sweep resolves older findings of those rules) but not
   * what they said.
   */
  readonly onDecided?: (ruleId: string, resource: string) => void;
}

/**
 * `evaluate` for callers that need passes and not-applicables only as counts (a scan's report, a sweep): on a big
 * estate most results pass, and keeping each as an object with its message and evidence is most of judging's memory
 * and garbage collection. Failing and error results are built exactly as `evaluate` builds them.
 */
export function evaluateFailing(
  graph: ResourceGraph,
  rules: readonly Rule[],
  options: CountingOptions = {},
): CountedResults {
  return judgeGraph(graph, rules, options, false);
}

/** `keepAll`: every result becomes an object (evaluate); else passes and not-applicables are only counted. */
function judgeGraph(
  graph: ResourceGraph,
  rules: readonly Rule[],
  options: CountingOptions,
  keepAll: boolean,
): CountedResults {
  const policy = options.policy ?? DEFAULT_POLICY;
  const tally = new Tally(keepAll, options.only, options.onDecided);
  for (const rule of enabledRules(rules, policy)) {
    const override = policy.rules[rule.id];
    const context: RuleContext = {
      graph,
      params: { ...rule.defaultParams, ...override?.params },
      baseline: options.baseline,
      ...(policy.governedFields ? { governedFields: policy.governedFields } : {}),
      ...(options.probes ? { probes: options.probes } : {}),
    };
    const severityOverride = override?.severity ? override.severity : undefined;
    for (let kindIndex = 0; kindIndex < rule.appliesTo.length; kindIndex++) {
      const nodes = graph.nodes(rule.appliesTo[kindIndex] as ResourceKind);
      tally.judgeAll(rule, nodes, context, severityOverride);
    }
  }
  return {
    results: applyExemptions(tally.results, policy.exemptions, options.now ?? new Date(), (project) =>
      graph.projectIdOf(project),
    ),
    counts: tally.counts,
  };
}

/**
 * The results kept and every status counted. The loop over one rule's resources is a method of its own, called once
 * per rule and kind, not a loop inside judgeGraph: V8 compiled judgeGraph again for each rule whose code it had
 * inlined into that loop, and its optimised code then ran slower than unoptimised (issue 14, BENCHMARKS.md).
 */
class Tally {
  readonly results: RuleResult[] = [];
  readonly counts: Record<ResultStatus, number> = { pass: 0, fail: 0, 'not-applicable': 0, error: 0 };

  constructor(
    private readonly keepAll: boolean,
    private readonly only: ReadonlySet<string> | undefined,
    private readonly onDecided: ((ruleId: string, resource: string) => void) | undefined,
  ) {}

  judgeAll(
    rule: Rule,
    nodes: readonly ResourceNode[],
    context: RuleContext,
    severityOverride: Severity | undefined,
  ): void {
    // Indexed loops: until this is optimised, a for-of makes an iterator result object per step.
    for (let nodeIndex = 0; nodeIndex < nodes.length; nodeIndex++) {
      const node = nodes[nodeIndex] as ResourceNode;
      if (this.only && !this.only.has(node.fullName)) continue;
      // Most rules give one verdict: it is recorded as it comes, not wrapped in an array first.
      const judged = judge(rule, node, context);
      if (isVerdictList(judged)) {
        for (let index = 0; index < judged.length; index++) {
          this.record(rule, node, judged[index] as Verdict, context, severityOverride);
        }
      } else {
        this.record(rule, node, judged, context, severityOverride);
      }
    }
  }

  private record(
    rule: Rule,
    node: ResourceNode,
    verdict: Verdict,
    context: RuleContext,
    severityOverride: Severity | undefined,
  ): void {
    const status = verdict.status;
    this.counts[status] += 1;
    if (this.keepAll || status === 'fail' || status === 'error') {
      this.results.push(toResult(rule, node, sayInFull(rule, node, verdict, context), severityOverride));
    } else if (this.onDecided) {
      this.onDecided(rule.id, node.fullName);
    }
  }
}

/**
 * A later verdict said for its node. Saying it can throw only through a fault of the rule: that becomes the same
 * `error` result a throwing `evaluate` gives (which `evaluateFailing`, never saying it, counts as what was declared).
 */
function sayInFull(rule: Rule, node: ResourceNode, verdict: Verdict, context: RuleContext): SaidVerdict {
  try {
    return sayVerdict(verdict, node, context);
  } catch (error) {
    return couldNotJudge(rule, node, error);
  }
}

function isVerdictList(judged: Verdict | readonly Verdict[]): judged is readonly Verdict[] {
  return Array.isArray(judged);
}

function judge(rule: Rule, node: ResourceNode, context: RuleContext): Verdict | readonly Verdict[] {
  try {
    return rule.evaluate(node, context);
  } catch (error) {
    return couldNotJudge(rule, node, error);
  }
}

function couldNotJudge(rule: Rule, node: ResourceNode, error: unknown): SaidVerdict {
  const reason = error instanceof Error ? error.message : String(error);
  return { status: 'error', message: `rule ${rule.id} could not judge ${node.fullName}: ${reason}` };
}

function toResult(
  rule: Rule,
  node: ResourceNode,
  verdict: SaidVerdict,
  severityOverride: Severity | undefined,
): RuleResult {
  const caseSeverity = verdict.status === 'fail' ? verdict.severity : undefined;
  const labels = resourceLabelsOf(node.data);
  const result: { -readonly [K in keyof RuleResult]: RuleResult[K] } = {
    ruleId: rule.id,
    status: verdict.status,
    severity: severityOverride ?? caseSeverity ?? rule.severity,
    resource: node.fullName,
    resourceType: node.assetType,
    project: node.project,
    location: node.location,
    subKey: verdict.subKey ?? null,
    message: verdict.message,
    evidence: verdict.evidence ?? {},
  };
  // Added to the built object, not spread into the literal: a spread makes V8 build the object on a slow path, and
  // evaluate builds one per result (about a tenth of `evaluate` on the generated estate). Still the last key.
  if (labels) result.labels = labels;
  return result;
}
