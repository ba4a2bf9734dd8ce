// Resource snapshots: what the event path stores of each resource it sees, and how it turns them back into records.

import { createHash } from 'node:crypto';
import type { ResourceGraph, ResourceNode } from '../domain/graph.js';
import { emptyInventory, type Inventory } from '../domain/inventory.js';
import type { ResourceKind } from '../domain/resource-kind.js';
import type { ApiRecord } from '../domain/resources.js';
import { stableJson } from '../engine/reconcile.js';
import type { ResourceSnapshot } from '../ports/snapshot-store.js';

export interface KindedRecord {
  readonly kind: ResourceKind;
  readonly data: ApiRecord;
}

export function hashRecord(data: ApiRecord): string {
  return createHash('sha256').update(stableJson(data)).digest('hex').slice(0, 32);
}

export function snapshotOf(graph: ResourceGraph, node: ResourceNode, observedAt: string): ResourceSnapshot {
  return {
    name: node.fullName,
    type: node.kind,
    data: node.data,
    references: [...graph.referencesOf(node)],
    hash: hashRecord(node.data),
    observedAt,
    deleted: false,
    project: node.project,
  };
}

export function inventoryOfRecords(records: Iterable<KindedRecord>): Inventory {
  const inventory = emptyInventory() as Record<ResourceKind, ApiRecord[]>;
  for (const record of records) inventory[record.kind].push(record.data);
  return inventory as unknown as Inventory;
}
