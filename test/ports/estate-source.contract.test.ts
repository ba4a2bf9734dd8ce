import { createEstateSource } from '../../src/adapters/estate-files/estate-source.js';
import { describeResourceSourceContract } from './resource-source.contract.js';

describeResourceSourceContract(
  'estate files (examples/acme-edge)',
  { estateDir: 'examples/acme-edge', projects: ['acme-edge'] },
  async (estateDir) => ({ source: createEstateSource(estateDir) }),
);
