// Copies an example estate under another project, so tests, benches and the soak can load many projects alike.

import type { Inventory } from '../../src/domain/inventory.js';

/**
 * `estate` (examples/acme-edge: project `acme-edge`, number 123456789012) with every name moved to `project` and
 * `number`. Join clones with mergeInventories.
 */
export function cloneEstate(estate: Inventory, project: string, number: string): Inventory {
  const text = JSON.stringify({ ...estate, projectIds: {}, incomplete: [] })
    .replaceAll('acme-edge', project)
    .replaceAll('123456789012', number);
  return { ...(JSON.parse(text) as Inventory), projectIds: { [number]: project } };
}
