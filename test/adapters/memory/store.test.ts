import { MemoryStore } from '../../../src/adapters/memory/store.js';
import { describeStoresContract } from '../../ports/judgement-store.contract.js';
import { describeSnapshotsContract } from '../../ports/snapshots.contract.js';

describeStoresContract('memory', { create: async () => new MemoryStore(), writes: (store) => store.writes });
describeSnapshotsContract('memory', {
  create: async () => new MemoryStore(),
  writes: (store) => store.writes,
});
