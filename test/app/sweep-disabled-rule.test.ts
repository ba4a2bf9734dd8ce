// A rule the policy disables after it found something: the next sweep resolves its stored findings, saying why
// (a disabled rule is never judged again, so nothing else would ever decide them), and leaves the other rules' alone.

import { expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { sweepProject } from '../../src/app/sweep-project.js';
import { memoryDeps, tickingClock } from '../support/memory-deps.js';

const DISABLED = 'backend.logging-enabled';

test('a sweep after the policy disables a rule resolves that rule’s findings, and only those', async () => {
  const source = new InventorySource((await loadEstate('examples/acme-edge')).inventory);
  const store = new MemoryStore();
  await sweepProject(
    'acme-edge',
    memoryDeps(source, store, { clock: tickingClock('2026-12-01T10:00:00.000Z') }),
  );
  const before = await store.query({ states: ['open'] });
  const ofDisabled = before.filter((finding) => finding.ruleId === DISABLED);
  expect(ofDisabled.length).toBeGreaterThan(0);

  const policy = { rules: { [DISABLED]: { enabled: false } }, exemptions: [] };
  const swept = await sweepProject(
    'acme-edge',
    memoryDeps(source, store, { policy, clock: tickingClock('2026-12-02T10:00:00.000Z') }),
  );
  expect(swept.transitions).toBe(ofDisabled.length);
  const after = await store.query({ states: ['open'] });
  expect(after.map((finding) => finding.id).sort()).toEqual(
    before
      .filter((finding) => finding.ruleId !== DISABLED)
      .map((finding) => finding.id)
      .sort(),
  );
  const resolved = await store.query({ states: ['resolved'] });
  expect(resolved.map((finding) => [finding.ruleId, finding.message])).toEqual(
    ofDisabled.map(() => [DISABLED, `Resolved: rule ${DISABLED} is disabled by the policy.`]),
  );
});
