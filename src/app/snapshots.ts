// Resource snapshots: what the event path stores of each resource it sees, and how it turns them back into records.

import { createHash } from 'node:crypto';
import type { ResourceGraph, ResourceNode } from '../domain/graph.js';
import { emptyInventory, type Inventory, projectIdsOfGateways } from '../domain/inventory.js';
import { meetingPointsOf } from '../domain/mask-meeting-points.js';
import type { ResourceKind } from '../domain/resource-kind.js';
import type { ApiRecord } from '../domain/resources.js';
import { stableJson } from '../domain/stable-json.js';
import type { ResourceSnapshot } from '../ports/snapshots.js';

export interface KindedRecord {
  readonly kind: ResourceKind;
  readonly data: ApiRecord;
}

export function hashRecord(data: ApiRecord): string {
  // The first 16 bytes as hex: a string of its own, where slicing the 64-digit hex kept all of it alive (the sweep
  // holds one hash per resource of a project).
  return createHash('sha256').update(stableJson(data)).digest().toString('hex', 0, 16);
}

export function snapshotOf(graph: ResourceGraph, node: ResourceNode, observedAt: string): ResourceSnapshot {
  return {
    name: node.fullName,
    type: node.kind,
    data: node.data,
    // A gateway or mask NEG also points at its region's meeting point, so each is listed where the other looks.
    references: [...graph.referencesOf(node), ...meetingPointsOf(node.kind, node.fullName, node.data)],
    hash: hashRecord(node.data),
    observedAt,
    deleted: false,
    project: node.project,
  };
}

export function inventoryOfRecords(records: Iterable<KindedRecord>): Inventory {
  const inventory = emptyInventory() as Record<ResourceKind, ApiRecord[]>;
  for (const record of records) inventory[record.kind].push(record.data);
  // Without it, a partial graph (an event's neighbourhood) would see `projects/123.../configs/c` where the sweep's
  // full graph sees the project ID, and drift would open on the event and resolve on the sweep.
  const projectIds = projectIdsOfGateways(inventory.gateway);
  return { ...(inventory as unknown as Inventory), projectIds };
}
