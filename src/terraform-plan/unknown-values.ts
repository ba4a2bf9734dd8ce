// The post-pass that keeps plan results honest: a verdict that rests on a value known only after apply becomes
// `not-applicable`, naming the Terraform attributes it waits for.
//
// Why a post-pass over results rather than teaching every rule about "unknown": rules judge API records and stay
// ignorant of Terraform; the plan mapper records per resource which API fields are unknown, and the table in
// rule-reads.ts says which fields each rule reads. A result is withdrawn when a resource in its neighbourhood
// has an unknown field the rule reads. The neighbourhood over-approximates (better a withdrawn verdict than a
// wrong one); other resources of the judged kind are left out, since rules judge one of them at a time.

import type { ResourceGraph, ResourceNode } from '../domain/graph.js';
import type { RuleResult } from '../engine/evaluate.js';
import type { PlannedResource } from './read-plan.js';
import { fieldsReadBy, isOverlapping } from './rule-reads.js';
import type { UnknownField } from './to-api-record.js';

/** Outgoing hops cover forwarding rule -> proxy -> URL map -> backend service -> NEG; incoming, gateway <- NEG <- service. */
const OUTGOING_DEPTH = 4;
const INCOMING_DEPTH = 2;

export interface UnknownDependency {
  readonly address: string;
  readonly attribute: string;
}

export function neighbourhoodOf(graph: ResourceGraph, node: ResourceNode): ResourceNode[] {
  const seen = new Map<string, ResourceNode>([[node.fullName, node]]);
  const walk = (
    start: ResourceNode,
    depth: number,
    next: (current: ResourceNode) => ResourceNode[],
  ): void => {
    let frontier = [start];
    for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
      const following: ResourceNode[] = [];
      for (const current of frontier) {
        for (const neighbour of next(current)) {
          if (seen.has(neighbour.fullName)) continue;
          seen.set(neighbour.fullName, neighbour);
          following.push(neighbour);
        }
      }
      frontier = following;
    }
  };
  walk(node, OUTGOING_DEPTH, (current) =>
    graph.referencesOf(current).flatMap((name) => {
      const found = graph.find(name);
      return found ? [found] : [];
    }),
  );
  walk(node, INCOMING_DEPTH, (current) => graph.referrersOf(current.fullName));
  return [...seen.values()];
}

const LOCATION_FIELDS: ReadonlySet<string> = new Set(['project', 'region']);

/**
 * Planned gateways whose project or region is known only after apply. NEGs find gateways by project, region and ID,
 * not by a link, so such a gateway may turn out to be the one any NEG looks for (or the only one its mask reaches),
 * though no edge of the graph leads to it.
 */
function floatingGatewaysOf(plannedByName: ReadonlyMap<string, PlannedResource>): PlannedResource[] {
  return [...plannedByName.values()].filter(
    (planned) =>
      planned.kind === 'gateway' &&
      planned.unknownFields.some((unknown) => LOCATION_FIELDS.has(unknown.field)),
  );
}

function unknownReadsOf(
  ruleId: string,
  planned: PlannedResource,
  fields: readonly UnknownField[],
): UnknownDependency[] {
  const reads = fieldsReadBy(ruleId, planned.kind);
  return fields
    .filter((unknown) => reads.some((read) => isOverlapping(read, unknown.field)))
    .map((unknown) => ({ address: planned.address, attribute: unknown.attribute }));
}

/** What planned gateways of unknown project or region mean to one rule: worked out once per rule, not per result. */
class FloatingGateways {
  private readonly names: ReadonlySet<string>;
  private readonly byRule = new Map<string, readonly { gateway: string; dependency: UnknownDependency }[]>();

  constructor(private readonly gateways: readonly PlannedResource[]) {
    this.names = new Set(gateways.map((gateway) => gateway.fullName));
  }

  /** The dependencies of a result on every floating gateway outside its neighbourhood (`seen`, already counted). */
  dependenciesOf(ruleId: string, seen: ReadonlySet<string>): UnknownDependency[] {
    if (this.gateways.length === 0) return [];
    let reads = this.byRule.get(ruleId);
    if (reads === undefined) {
      reads = this.gateways.flatMap((gateway) =>
        unknownReadsOf(
          ruleId,
          gateway,
          gateway.unknownFields.filter((unknown) => LOCATION_FIELDS.has(unknown.field)),
        ).map((dependency) => ({ gateway: gateway.fullName, dependency })),
      );
      this.byRule.set(ruleId, reads);
    }
    // A neighbourhood is small: only when it holds a floating gateway is the list filtered.
    const inNeighbourhood = [...seen].some((name) => this.names.has(name));
    return reads
      .filter(({ gateway }) => !inNeighbourhood || !seen.has(gateway))
      .map(({ dependency }) => dependency);
  }
}

export function unknownDependenciesOf(
  result: RuleResult,
  graph: ResourceGraph,
  plannedByName: ReadonlyMap<string, PlannedResource>,
  floatingGateways = new FloatingGateways(floatingGatewaysOf(plannedByName)),
): UnknownDependency[] {
  const node = graph.find(result.resource);
  if (!node) return [];
  const dependencies: UnknownDependency[] = [];
  const seen = new Set<string>();
  for (const neighbour of neighbourhoodOf(graph, node)) {
    seen.add(neighbour.fullName);
    if (neighbour !== node && neighbour.kind === node.kind) continue;
    const planned = plannedByName.get(neighbour.fullName);
    if (!planned || planned.unknownFields.length === 0) continue;
    dependencies.push(...unknownReadsOf(result.ruleId, planned, planned.unknownFields));
  }
  if (node.kind !== 'gateway') dependencies.push(...floatingGateways.dependenciesOf(result.ruleId, seen));
  return dependencies;
}

/**
 * Attributes a withdrawn verdict names in its message and evidence; past them, how many more. A plan creating
 * thousands of gateways of unknown region would otherwise list every one under every NEG result.
 */
export const MAX_NAMED_DEPENDENCIES = 20;

export function withdrawUnknownVerdicts(
  results: readonly RuleResult[],
  graph: ResourceGraph,
  /** The plan's resources that remain after apply (deleted ones left out), by full name. */
  plannedByName: ReadonlyMap<string, PlannedResource>,
): RuleResult[] {
  const floatingGateways = new FloatingGateways(floatingGatewaysOf(plannedByName));
  return results.map((result) => {
    if (result.status === 'not-applicable') return result;
    const dependencies = unknownDependenciesOf(result, graph, plannedByName, floatingGateways);
    if (dependencies.length === 0) return result;
    const named = dependencies.slice(0, MAX_NAMED_DEPENDENCIES);
    const more = dependencies.length - named.length;
    const waitingFor = named.map((dependency) => `${dependency.address}.${dependency.attribute}`);
    const { exemption: _exemption, ...rest } = result;
    return {
      ...rest,
      status: 'not-applicable',
      message:
        `Cannot judge before apply: depends on ${waitingFor.join(', ')}` +
        `${more > 0 ? ` and ${more} more` : ''}, known only after apply.`,
      evidence: {
        unknownUntilApply: named,
        ...(more > 0 ? { moreUnknownUntilApply: more } : {}),
        verdictWithPlannedValues: { status: result.status, message: result.message },
      },
    };
  });
}
