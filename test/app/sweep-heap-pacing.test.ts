// A sweep judges and commits a project through the HeapPacing port (issue 14): the function keeps its heap tight
// while a large project's graph, judgement and commits are in memory (functions/sweep-heap.ts), so the port must see
// the project's size, and the judging and every commit must run inside it.

import { describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { sweepProject } from '../../src/app/sweep-project.js';
import { RESOURCE_KINDS } from '../../src/domain/resource-kind.js';
import type { HeapPacing } from '../../src/ports/heap-pacing.js';
import type { JudgementStore } from '../../src/ports/judgement-store.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import type { Rule } from '../../src/rules/define-rule.js';

describe('a sweep judges and commits through the heap pacing', () => {
  test('with the count of records it read; every rule and every commit runs inside it', async () => {
    const inventory = (await loadEstate('examples/acme-edge')).inventory;
    const records = RESOURCE_KINDS.reduce((sum, kind) => sum + inventory[kind].length, 0);
    const store = new MemoryStore();
    let pacing = false;
    const paced: number[] = [];
    const outside: string[] = [];
    let commitsInside = 0;
    let judgedInside = 0;
    // Every write of a sweep is a JudgementStore commit, and every verdict a rule's evaluate.
    const judgements: JudgementStore = {
      isProcessed: (eventId) => store.isProcessed(eventId),
      commit: (request) => {
        if (pacing) commitsInside++;
        else outside.push('a commit');
        return store.commit(request);
      },
    };
    const rules = ALL_RULES.map(
      (rule): Rule => ({
        ...rule,
        evaluate: (node, context) => {
          if (pacing) judgedInside++;
          else outside.push(`${rule.id} judged`);
          return rule.evaluate(node, context);
        },
      }),
    );
    const heapPacing: HeapPacing = {
      async pace(count, work) {
        paced.push(count);
        pacing = true;
        try {
          return await work();
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
      rules,
      policy: { rules: {}, exemptions: [] },
      clock: { now: () => new Date('2026-12-05T08:00:00.000Z'), sleep: async () => {} },
      log: new MemoryLogger(),
      heapPacing,
    });
    expect(outcome.snapshotsWritten).toBeGreaterThan(0);
    expect(paced).toEqual([records]);
    expect(judgedInside).toBeGreaterThan(0);
    expect(commitsInside).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  });
});
