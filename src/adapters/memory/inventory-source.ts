// A ResourceSource over an in-memory inventory that tests can change between reads (a stand-in "live project").

import { ResourceGraph } from '../../domain/graph.js';
import { emptyInventory, type Inventory } from '../../domain/inventory.js';
import { RESOURCE_KINDS } from '../../domain/resource-kind.js';
import { fullNameOf, type ResourceRef } from '../../domain/resource-name.js';
import type { ApiRecord } from '../../domain/resources.js';
import type { ResourceSource } from '../../ports/resource-source.js';

export class InventorySource implements ResourceSource {
  reads = 0;

  constructor(public inventory: Inventory = emptyInventory()) {}

  async readInventory(projects: readonly string[]): Promise<Inventory> {
    this.reads += 1;
    if (projects.length === 0) return this.inventory;
    const graph = ResourceGraph.build(this.inventory);
    const wanted = new Set(projects);
    const filtered: Record<string, ApiRecord[]> = {};
    for (const kind of RESOURCE_KINDS) {
      filtered[kind] = graph.nodes(kind).flatMap((node) => (wanted.has(node.project) ? [node.data] : []));
    }
    return {
      ...(filtered as unknown as Inventory),
      incomplete: this.inventory.incomplete ?? [],
      ...(this.inventory.projectIds ? { projectIds: this.inventory.projectIds } : {}),
    };
  }

  async readResource(ref: ResourceRef): Promise<ApiRecord | undefined> {
    this.reads += 1;
    return ResourceGraph.build(this.inventory).find(fullNameOf(ref))?.data;
  }
}
