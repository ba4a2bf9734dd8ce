// A sweep's commits run through the HeapPacing port (issue 14): the function keeps its heap tight while a large
// project's are written (functions/sweep-heap.ts), so the port must see the project's size and every commit.

import { describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { sweepProject } from '../../src/app/sweep-project.js';
import type { HeapPacing } from '../../src/ports/heap-pacing.js';
import type { JudgementStore } from '../../src/ports/judgement-store.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

describe('a sweep commits through the heap pacing', () => {
  test('with the count of resources it read, and nothing committed outside it', async () => {
    const inventory = (await loadEstate('examples/acme-edge')).inventory;
    const store = new MemoryStore();
    let pacing = false;
    const paced: number[] = [];
    let commitsOutside = 0;
    let commitsInside = 0;
    // Every write of a sweep is a JudgementStore commit: count those made while the pacing ran and those not.
    const judgements: JudgementStore = {
      isProcessed: (eventId) => store.isProcessed(eventId),
      commit: (request) => {
        if (pacing) commitsInside++;
        else commitsOutside++;
        return store.commit(request);
      },
    };
    const heapPacing: HeapPacing = {
      async whileCommitting(resources, commit) {
        paced.push(resources);
        pacing = true;
        try {
          return await commit();
        } finally {
          pacing = false;
        }
      },
    };
    const outcome = await sweepProject('acme-edge', {
      source: new InventorySource(inventory),
      snapshots: store,
      findings: store,
      judgements,
      rules: ALL_RULES,
      policy: { rules: {}, exemptions: [] },
      clock: { now: () => new Date('2026-12-05T08:00:00.000Z'), sleep: async () => {} },
      log: new MemoryLogger(),
      heapPacing,
    });
    expect(outcome.resources).toBeGreaterThan(0);
    expect(outcome.snapshotsWritten).toBeGreaterThan(0);
    expect(paced).toEqual([outcome.resources]);
    expect(commitsInside).toBeGreaterThan(0);
    expect(commitsOutside).toBe(0);
  });
});
