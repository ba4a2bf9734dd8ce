// Use case: approve the current governed field values of every governed resource as the new baseline.

import type { Baseline, BaselineEntry } from '../domain/baseline.js';
import type { ResourceGraph } from '../domain/graph.js';
import {
  captureGovernedFields,
  GOVERNED_KINDS,
  type GovernedFieldSet,
} from '../rules/drift/governed-fields.js';

export function captureBaseline(
  graph: ResourceGraph,
  fieldSet: GovernedFieldSet,
  now: Date,
  approvedBy?: string,
): Baseline {
  const approvedAt = now.toISOString();
  const resources: Record<string, BaselineEntry> = {};
  for (const kind of GOVERNED_KINDS) {
    if ((fieldSet[kind] ?? []).length === 0) continue;
    for (const node of graph.nodes(kind)) {
      resources[node.fullName] = {
        fields: captureGovernedFields(node, graph, fieldSet),
        ...(approvedBy ? { approvedBy } : {}),
        approvedAt,
      };
    }
  }
  return { version: 1, savedAt: approvedAt, resources };
}
