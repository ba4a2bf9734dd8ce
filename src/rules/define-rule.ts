// The shape of a rule: metadata (one source for docs, `explain`, alerts and reports) and a pure `evaluate`.

import type { Baseline } from '../domain/baseline.js';
import type { DirectUrlProbes } from '../domain/direct-url-probe.js';
import type { ResourceGraph, ResourceNode } from '../domain/graph.js';
import { KIND_LABELS, type ResourceKind } from '../domain/resource-kind.js';
import type { Severity } from '../domain/severity.js';

export type RuleSource = 'seed' | 'doc' | 'gov' | 'design card';
export type Evidence = Readonly<Record<string, unknown>>;

/** What a rule says about one resource (or one `subKey` of it). `error` is added by the engine, never returned. */
export type Verdict = SaidVerdict | LaterVerdict;

/** A verdict with its message and evidence at hand. */
export type SaidVerdict = PassVerdict | NotApplicableVerdict | FailVerdict | CannotDecideVerdict;

export interface PassVerdict {
  readonly status: 'pass';
  readonly message: string;
  readonly subKey?: string;
  readonly evidence?: Evidence;
}

export interface NotApplicableVerdict {
  readonly status: 'not-applicable';
  readonly message: string;
  readonly subKey?: string;
  readonly evidence?: Evidence;
}

export interface FailVerdict {
  readonly status: 'fail';
  readonly message: string;
  readonly subKey?: string;
  readonly evidence: Evidence;
  /** Only for rules whose severity depends on the case (`gateway.direct-url-protected`). */
  readonly severity?: Severity;
}

export interface CannotDecideVerdict {
  /** The rule cannot decide (an unreadable input); reported as an `error` result someone sees. */
  readonly status: 'error';
  readonly message: string;
  readonly subKey?: string;
  readonly evidence?: Evidence;
}

/**
 * A pass or not-applicable whose message and evidence are worked out only when a caller keeps the result
 * (`evaluate`): `evaluateFailing`, what a scan and a sweep call, only counts passes and not-applicables, and most
 * results are those, so building their text and evidence was most of what judging allocated (issue 14).
 */
export interface LaterVerdict {
  readonly status: 'pass' | 'not-applicable';
  /**
   * The verdict in full, for the node judged and in the context it was judged in (the same graph, whose answers do
   * not change); called at most once per result, and only when it is kept.
   */
  readonly say: (node: ResourceNode, context: RuleContext) => PassVerdict | NotApplicableVerdict;
}

export interface RuleContext {
  readonly graph: ResourceGraph;
  /** The rule's parameters from the policy file, merged over its declared defaults. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Approved baseline, when one was given. */
  readonly baseline: Baseline | undefined;
  /** The policy's governed-field set for `drift.matches-baseline` (kind -> field paths); the default when absent. */
  readonly governedFields?: Readonly<Record<string, readonly string[]>>;
  /** Results of the active probe, by gateway full name, when one ran (never from the policy file). */
  readonly probes?: DirectUrlProbes;
}

export interface Remediation {
  readonly summary: string;
  readonly gcloud?: string;
  readonly terraform?: string;
}

export interface RuleDefinition<K extends ResourceKind = ResourceKind> {
  /** `<group>.<desired-state>`, exactly as in RULES.md. */
  readonly id: string;
  /** Names the compliant state. */
  readonly title: string;
  readonly severity: Severity;
  readonly source: RuleSource;
  readonly appliesTo: readonly K[];
  readonly rationale: string;
  readonly remediation: Remediation;
  readonly references: readonly string[];
  readonly defaultParams?: Readonly<Record<string, unknown>>;
  readonly evaluate: (node: ResourceNode<K>, context: RuleContext) => Verdict | readonly Verdict[];
}

/** Any rule, whatever kinds it applies to (what the catalogue and engine hold). */
export type Rule = RuleDefinition<ResourceKind>;

export function defineRule<K extends ResourceKind>(rule: RuleDefinition<K>): Rule {
  return rule as unknown as Rule;
}

export function pass(message: string, evidence?: Evidence): PassVerdict {
  return evidence ? { status: 'pass', message, evidence } : { status: 'pass', message };
}

export function fail(
  message: string,
  evidence: Evidence,
  extra?: { subKey?: string; severity?: Severity },
): FailVerdict {
  // Spread only when there is something to spread: a spread in a literal is V8's slow path, and most of the 15,000
  // failing results of a large scan have no extra (the same keys, in the same order, either way).
  if (extra === undefined) return { status: 'fail', message, evidence };
  return { status: 'fail', message, evidence, ...extra };
}

export function notApplicable(message: string): NotApplicableVerdict {
  return { status: 'not-applicable', message };
}

export function cannotDecide(message: string, evidence?: Evidence): CannotDecideVerdict {
  return evidence ? { status: 'error', message, evidence } : { status: 'error', message };
}

/**
 * A pass said only when kept: `passLater((node, { graph }) => pass(...))`. Written at module level, working its
 * message and evidence out again from the node and the graph, it is one shared verdict and judging allocates
 * nothing for it; written inline over the rule's locals, a closure and a context per result (and V8 allocates that
 * context on every call of the rule's evaluate that declares the captured locals, passing or not).
 */
export function passLater<K extends ResourceKind>(
  say: (node: ResourceNode<K>, context: RuleContext) => PassVerdict,
): Verdict {
  return { status: 'pass', say: say as LaterVerdict['say'] };
}

/** A not-applicable said only when kept: `notApplicableLater((node) => notApplicable(...))`; see passLater. */
export function notApplicableLater<K extends ResourceKind>(
  say: (node: ResourceNode<K>, context: RuleContext) => NotApplicableVerdict,
): Verdict {
  return { status: 'not-applicable', say: say as LaterVerdict['say'] };
}

/** The verdict in full: a later one said for its node, in the context it was judged in. */
export function sayVerdict(verdict: Verdict, node: ResourceNode, context: RuleContext): SaidVerdict {
  return 'say' in verdict ? verdict.say(node, context) : verdict;
}

/** Short, human name of a node for messages: `backend service apigw-bs (global)`. */
export function describe(node: ResourceNode): string {
  return `${KIND_LABELS[node.kind]} ${node.ref.name} (${node.project}, ${node.location})`;
}
