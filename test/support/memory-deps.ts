// What a sweep or a judged change needs, on the in-memory store: the deps most app tests build alike.

import type { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import type { MemoryStore } from '../../src/adapters/memory/store.js';
import type { SweepDeps } from '../../src/app/sweep-project.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

/** Every reading of the clock is a millisecond after the last: transitions and history keep their order. */
export function tickingClock(start = '2026-11-26T10:00:00.000Z'): Clock {
  let now = Date.parse(start);
  return { now: () => new Date(now++), sleep: async () => {} };
}

/** Every rule, no policy, a ticking clock and a fresh log over `store`; `overrides` replace or add any of them. */
export function memoryDeps<T extends Partial<SweepDeps>>(
  source: InventorySource,
  store: MemoryStore,
  overrides: T = {} as T,
): SweepDeps & T {
  return {
    source,
    snapshots: store,
    findings: store,
    judgements: store,
    rules: ALL_RULES,
    policy: { rules: {}, exemptions: [] },
    clock: tickingClock(),
    log: new MemoryLogger(),
    ...overrides,
  };
}
