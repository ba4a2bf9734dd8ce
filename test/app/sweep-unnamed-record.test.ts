// A sweep that reads a record it cannot name (no selfLink, or one that names nothing) takes nothing as deleted and
// resolves nothing: the record may be any stored resource, or the neighbour a rule needs, as with a scope that did
// not answer. A review's find: the record's own findings, and those of what pointed at it, were resolved and alerted.

import { describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { type SweepDeps, sweepProject } from '../../src/app/sweep-project.js';
import type { Inventory } from '../../src/domain/inventory.js';
import type { ApiRecord } from '../../src/domain/resources.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import type { ResourceSource } from '../../src/ports/resource-source.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';

const ORDERS_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';

/**
 * The project as a live read returns it: every record the listing held, named or not (the in-memory source keeps
 * only records it can place in a project, so a record without a name would never reach the sweep through it).
 */
function liveRead(inventory: Inventory): ResourceSource {
  return {
    readInventory: async () => inventory,
    readResource: (ref) => new InventorySource(inventory).readResource(ref),
  };
}

function depsOver(inventory: Inventory, store: MemoryStore, log = new MemoryLogger()): SweepDeps {
  return {
    source: liveRead(inventory),
    snapshots: store,
    findings: store,
    judgements: store,
    rules: ALL_RULES,
    policy: { rules: {}, exemptions: [] },
    clock: { now: () => new Date('2026-12-05T10:00:00.000Z'), sleep: async () => {} },
    log,
  };
}

/** The estate with orders-bs's selfLink replaced as `unname` says. */
function withOrdersBs(inventory: Inventory, unname: (record: ApiRecord) => ApiRecord): Inventory {
  return {
    ...inventory,
    backendService: inventory.backendService.map((record) =>
      record.name === 'orders-bs' ? unname(record) : record,
    ),
  };
}

describe('a sweep over a record it cannot name', () => {
  test.each([
    ['without a selfLink', ({ selfLink: _gone, ...record }: ApiRecord) => record],
    ['with a selfLink that names nothing', (record: ApiRecord) => ({ ...record, selfLink: 'not-a-link' })],
  ])('%s: nothing resolved, nothing deleted, and the run says which kind', async (_case, unname) => {
    const inventory = (await loadEstate('examples/acme-edge')).inventory;
    const store = new MemoryStore();
    await sweepProject('acme-edge', depsOver(inventory, store));
    const open = await store.query({ project: 'acme-edge', states: ['open'] });
    expect(open.some((finding) => finding.resource === ORDERS_BS)).toBe(true);

    const log = new MemoryLogger();
    const outcome = await sweepProject('acme-edge', depsOver(withOrdersBs(inventory, unname), store, log));
    expect(outcome.deleted).toBe(0);
    expect(outcome.transitions).toBe(0);
    expect(outcome.incomplete).toEqual([
      expect.objectContaining({
        kind: 'backendService',
        reason: expect.stringContaining('could not be read'),
      }),
    ]);
    expect((await store.query({ project: 'acme-edge', states: ['open'] })).map((f) => f.id).sort()).toEqual(
      open.map((f) => f.id).sort(),
    );
  });
});
