import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { createGoogleApisSource } from '../../src/adapters/googleapis/googleapis-source.js';
import { startSimulator } from '../../src/simulator/server.js';
import { describeResourceSourceContract } from './resource-source.contract.js';

// A small page size makes every list span several pages, so paging is part of what the contract checks.
describeResourceSourceContract(
  'googleapis client -> local simulator serving examples/acme-edge',
  { estateDir: 'examples/acme-edge', projects: ['acme-edge'] },
  async (estateDir) => {
    const simulator = await startSimulator({ inventory: (await loadEstate(estateDir)).inventory });
    const source = await createGoogleApisSource({ endpoint: simulator.url, pageSize: 2 });
    return { source, close: () => simulator.close() };
  },
);
