// Use case: judge a Terraform plan with the catalogue, in the context of resources that exist already (pure).

import { ResourceGraph, type ResourceNode } from '../domain/graph.js';
import type { Inventory } from '../domain/inventory.js';
import { type Severity, severityRank } from '../domain/severity.js';
import { type EvaluateOptions, evaluate, type RuleResult } from '../engine/evaluate.js';
import type { Policy } from '../engine/policy.js';
import type { Rule } from '../rules/define-rule.js';
import type { TerraformPlan } from './plan-file.js';
import { overlayPlan, type PlanInventory, type PlannedResource, readPlan } from './read-plan.js';
import { withdrawUnknownVerdicts } from './unknown-values.js';

export interface PlanResult extends RuleResult {
  /** Terraform address of the judged resource, when the plan manages it. */
  readonly address?: string;
  /** For a resource the plan does not manage: the nearest planned resource, whose change brought the result. */
  readonly causedBy?: string;
}

export interface CheckPlanInput {
  readonly plan: TerraformPlan;
  readonly rules: readonly Rule[];
  /** Resources that exist already (estate or live project), judged together with the plan. */
  readonly existing?: Inventory;
  readonly policy?: Policy;
  readonly now?: Date;
  readonly defaultProject?: string;
}

export interface CheckPlanOutcome {
  readonly results: readonly PlanResult[];
  readonly planned: PlanInventory;
  readonly graph: ResourceGraph;
}

function keyOf(result: RuleResult): string {
  return `${result.ruleId}\n${result.resource}\n${result.subKey ?? ''}`;
}

/**
 * The address of the planned change nearest to an unmanaged resource: a planned neighbour in the graph, or a
 * resource the plan deletes that it still names (a deleted gateway its NEG points at is not in the graph).
 */
function nearestPlanned(
  graph: ResourceGraph,
  node: ResourceNode,
  plannedByName: ReadonlyMap<string, PlannedResource>,
  deletedBy: ReadonlyMap<string, string>,
): string | undefined {
  const seen = new Set([node.fullName]);
  let frontier = [node];
  for (let hop = 0; hop < 5 && frontier.length > 0; hop++) {
    const next: ResourceNode[] = [];
    for (const current of frontier) {
      const neighbours: ResourceNode[] = [];
      for (const name of graph.referencesOf(current)) {
        const found = graph.find(name);
        if (found) neighbours.push(found);
        else if (deletedBy.has(name)) return deletedBy.get(name);
      }
      neighbours.push(...graph.referrersOf(current.fullName));
      for (const neighbour of neighbours) {
        if (seen.has(neighbour.fullName)) continue;
        seen.add(neighbour.fullName);
        const planned = plannedByName.get(neighbour.fullName);
        if (planned) return planned.address;
        next.push(neighbour);
      }
    }
    frontier = next;
  }
  return undefined;
}

/**
 * Judges the plan's resources (created, updated, replaced or kept by the configuration) and, with existing
 * resources given, also the failures the plan brings to resources it does not manage: those that fail with the
 * plan applied but not today, or today at a lower severity. Pre-existing failures of unmanaged resources are not the plan's to report.
 */
export function checkPlan(input: CheckPlanInput): CheckPlanOutcome {
  const planned = readPlan(input.plan, input.defaultProject ? { defaultProject: input.defaultProject } : {});
  const inventory = input.existing ? overlayPlan(input.existing, planned) : planned.inventory;
  const graph = ResourceGraph.build(inventory);
  const options: EvaluateOptions = {
    ...(input.policy ? { policy: input.policy } : {}),
    ...(input.now ? { now: input.now } : {}),
  };
  const plannedByName = new Map(
    planned.resources
      .filter((resource) => !resource.deleted)
      .map((resource) => [resource.fullName, resource]),
  );
  const applied = evaluate(graph, input.rules, options);

  // An unmanaged resource's result counts only when it fails with the plan applied but not today, so only those
  // resources are judged again as they are today, and only the results that can still be reported are checked
  // for values known after apply (a withdrawn verdict is not a failure, so an unmanaged one is dropped too).
  const unmanagedFailing = new Set(
    applied
      .filter((result) => result.status === 'fail' && !plannedByName.has(result.resource))
      .map((result) => result.resource),
  );
  const failingToday = new Map<string, Severity>();
  if (input.existing && unmanagedFailing.size > 0) {
    const today = evaluate(ResourceGraph.build(input.existing), input.rules, {
      ...options,
      only: unmanagedFailing,
    });
    for (const result of today) {
      if (result.status === 'fail') failingToday.set(keyOf(result), result.severity);
    }
  }
  // A failure the plan makes more severe (a HIGH exposure turned CRITICAL by a new Cloud Armor service) is the
  // plan's to report, as an escalation is a transition of its own in the findings.
  const isBroughtByPlan = (result: RuleResult): boolean => {
    const before = failingToday.get(keyOf(result));
    return before === undefined || severityRank(result.severity) > severityRank(before);
  };
  const reportable = applied.filter(
    (result) => plannedByName.has(result.resource) || (result.status === 'fail' && isBroughtByPlan(result)),
  );
  const results: PlanResult[] = [];
  for (const result of withdrawUnknownVerdicts(reportable, graph, plannedByName)) {
    const own = plannedByName.get(result.resource);
    if (own) {
      results.push({ ...result, address: own.address });
      continue;
    }
    if (result.status !== 'fail') continue;
    const node = graph.find(result.resource);
    const cause = node ? nearestPlanned(graph, node, plannedByName, planned.deletedBy) : undefined;
    results.push(cause ? { ...result, causedBy: cause } : result);
  }
  return { results, planned, graph };
}
