import { MemoryFindingStore } from '../../../src/adapters/memory/finding-store.js';
import { describeFindingStoreContract } from '../../ports/finding-store.contract.js';

describeFindingStoreContract('memory', {
  create: async () => new MemoryFindingStore(),
  writes: (store) => store.writes,
  snapshotsOf: (store) => store.snapshots,
});
