import { MemorySnapshotStore } from '../../../src/adapters/memory/snapshot-store.js';
import { describeSnapshotStoreContract } from '../../ports/snapshot-store.contract.js';

describeSnapshotStoreContract('memory', {
  create: async () => new MemorySnapshotStore(),
  writes: (store) => store.writes,
});
