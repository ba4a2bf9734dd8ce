// The in-memory "live project" answers as the Compute and API Gateway readers do, project-number map included.

import { describe, expect, test } from 'vitest';
import { loadEstate } from '../../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../../src/adapters/memory/inventory-source.js';
import { ResourceGraph } from '../../../src/domain/graph.js';

describe('InventorySource', () => {
  // Gateways name their config by project number (projects/123456789012/...). Read for one project, the inventory
  // lost the number -> ID map the live reader keeps, so a sweep through it saw every gateway's config under the
  // number, opened drift.matches-baseline against the approved ID, and the next event on the gateway resolved it.
  test("a project's inventory keeps the project numbers it maps, as the live reader does", async () => {
    const { inventory } = await loadEstate('examples/acme-edge');
    expect(inventory.projectIds).toEqual({ '123456789012': 'acme-edge' });
    const read = await new InventorySource(inventory).readInventory(['acme-edge']);
    expect(read.projectIds).toEqual(inventory.projectIds);
    const graph = ResourceGraph.build(read);
    expect(graph.fullNameFor('projects/123456789012/locations/global/apis/orders/configs/orders-v7')).toBe(
      '//apigateway.googleapis.com/projects/acme-edge/locations/global/apis/orders/configs/orders-v7',
    );
  });
});
