// The stored report's `since` over findings a sweep keeps failing: no write without a change (DESIGN.md §3) leaves
// their lastSeenAt at the day they last changed, yet every sweep since has seen them failing, so a report of the
// days since still lists them; a finding resolved before those days does not.

import { expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { buildStoredReport } from '../../src/app/stored-report.js';
import { sweepProject } from '../../src/app/sweep-project.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { memoryDeps, tickingClock } from '../support/memory-deps.js';

const ORDERS_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';

test('report --since after two sweeps: the findings still open are listed, the one resolved before is not', async () => {
  const estate = (await loadEstate('examples/acme-edge')).inventory;
  const source = new InventorySource(estate);
  const store = new MemoryStore();
  const sweepAt = (start: string) =>
    sweepProject('acme-edge', memoryDeps(source, store, { clock: tickingClock(start) }));

  await sweepAt('2026-11-25T10:00:00.000Z');
  // orders-bs is deleted on the 26th: its findings resolve then.
  source.inventory = {
    ...estate,
    backendService: estate.backendService.filter((service) => service.name !== 'orders-bs'),
  };
  await sweepAt('2026-11-26T10:00:00.000Z');
  // The 27th: nothing changed, nothing is written, every open finding is seen failing again.
  const unchanged = await sweepAt('2026-11-27T10:00:00.000Z');
  expect(unchanged.transitions).toBe(0);
  const open = await store.query({ states: ['open'] });
  expect(open.length).toBeGreaterThan(0);

  const report = await buildStoredReport(
    store,
    { states: ['open', 'undetermined', 'resolved'], since: '2026-11-27T00:00:00.000Z', limit: 1000 },
    { rules: ALL_RULES, now: new Date('2026-11-27T12:00:00.000Z') },
  );
  const listed = report.model.findings;
  expect(
    listed
      .filter((finding) => finding.state === 'open')
      .map((finding) => finding.id)
      .sort(),
  ).toEqual(open.map((finding) => finding.id).sort());
  expect(listed.some((finding) => finding.resource === ORDERS_BS)).toBe(false);
  expect(report.model.openOverTime.at(-1)).toEqual({ day: '2026-11-27', open: open.length });
});
