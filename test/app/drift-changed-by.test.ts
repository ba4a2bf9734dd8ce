// Who changed a drifted field, as the event path records it (`changedBy`): the actor of the entry that changed the
// governed field, never the actor of an entry that changed something else on a resource already drifted. A drift
// the event did not make (the field reads as it did in the stored snapshot) keeps the author already stored, or none.

import { beforeEach, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { type JudgeChangeDeps, judgeChange } from '../../src/app/judge-change.js';
import { type SweepDeps, sweepProject } from '../../src/app/sweep-project.js';
import type { Baseline } from '../../src/domain/baseline.js';
import type { Inventory } from '../../src/domain/inventory.js';
import type { ApiRecord } from '../../src/domain/resources.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import { auditEntry } from '../support/audit-entries.js';
import { memoryDeps } from '../support/memory-deps.js';

const DRIFT = 'drift.matches-baseline';
const COMPUTE = '//compute.googleapis.com/projects/acme-edge';
const LINK = 'https://www.googleapis.com/compute/v1/projects/acme-edge';
const MALLORY = 'mallory@acme-edge.example';

const PROXY = { kind: 'targetHttpsProxy', name: 'payments-https-proxy' } as const;
const PROXY_PATH = 'projects/acme-edge/global/targetHttpsProxies/payments-https-proxy';
const SERVICE = { kind: 'backendService', name: 'storefront-bs' } as const;
const SERVICE_PATH = 'projects/acme-edge/global/backendServices/storefront-bs';

type Target = typeof PROXY | typeof SERVICE;

function edited(inventory: Inventory, target: Target, patch: ApiRecord | undefined): Inventory {
  const records = inventory[target.kind] as readonly ApiRecord[];
  return {
    ...inventory,
    [target.kind]: records.flatMap((record) =>
      record.name !== target.name ? [record] : patch ? [{ ...record, ...patch }] : [],
    ),
  };
}

function eventOf(method: string, resourceName: string) {
  const parsed = parseLogEntry(
    auditEntry({ method, resourceName, insertId: `entry-${method}`, principal: MALLORY }),
  );
  if (parsed.outcome !== 'change') throw new Error(`not a change: ${JSON.stringify(parsed)}`);
  return parsed.event;
}

const CASES: readonly {
  readonly name: string;
  /** The estate the sweep reads (the examples' as exported, edited); `undefined` removes the record. */
  readonly swept: ApiRecord | undefined | null;
  /** Whether the sweep had the baseline (a sweep before approval stores snapshots and no drift). */
  readonly sweptWithBaseline: boolean;
  /** The record the event reads back. */
  readonly changed: ApiRecord;
  readonly target: Target;
  readonly method: string;
  readonly resourceName: string;
  readonly subKey: string;
  readonly changedBy: string | undefined;
}[] = [
  {
    name: 'a drift the sweep opened, then an entry that changed another field: no author',
    swept: null,
    sweptWithBaseline: true,
    changed: { quicOverride: 'ENABLE' },
    target: PROXY,
    method: 'v1.compute.targetHttpsProxies.setQuicOverride',
    resourceName: PROXY_PATH,
    subKey: 'sslPolicy',
    changedBy: undefined,
  },
  {
    name: 'a drift no sweep judged (approved since), then an entry that changed another field: no author',
    swept: null,
    sweptWithBaseline: false,
    changed: { quicOverride: 'ENABLE' },
    target: PROXY,
    method: 'v1.compute.targetHttpsProxies.setQuicOverride',
    resourceName: PROXY_PATH,
    subKey: 'sslPolicy',
    changedBy: undefined,
  },
  {
    name: 'an entry that re-applied the drifted value (a no-op update): no author',
    swept: null,
    sweptWithBaseline: true,
    changed: { sslPolicy: `${LINK}/global/sslPolicies/legacy-clients` },
    target: PROXY,
    method: 'v1.compute.targetHttpsProxies.setSslPolicy',
    resourceName: PROXY_PATH,
    subKey: 'sslPolicy',
    changedBy: undefined,
  },
  {
    name: 'an entry that set the governed field away from the approved value: its actor',
    swept: { sslPolicy: `${LINK}/global/sslPolicies/modern-tls12` },
    sweptWithBaseline: true,
    changed: { sslPolicy: `${LINK}/global/sslPolicies/legacy-clients` },
    target: PROXY,
    method: 'v1.compute.targetHttpsProxies.setSslPolicy',
    resourceName: PROXY_PATH,
    subKey: 'sslPolicy',
    changedBy: MALLORY,
  },
  {
    name: 'an entry that created the resource with a drifted value: its actor',
    swept: undefined,
    sweptWithBaseline: true,
    changed: {},
    target: PROXY,
    method: 'v1.compute.targetHttpsProxies.insert',
    resourceName: PROXY_PATH,
    subKey: 'sslPolicy',
    changedBy: MALLORY,
  },
  {
    name: 'an entry that moved an already drifted field to another drifted value: its actor',
    swept: { securityPolicy: `${LINK}/global/securityPolicies/payments-armor` },
    sweptWithBaseline: true,
    changed: { securityPolicy: undefined },
    target: SERVICE,
    method: 'v1.compute.backendServices.setSecurityPolicy',
    resourceName: SERVICE_PATH,
    subKey: 'securityPolicy',
    changedBy: MALLORY,
  },
  {
    name: 'a drift the sweep opened on a backend service, then an entry that changed its description: no author',
    swept: { securityPolicy: `${LINK}/global/securityPolicies/payments-armor` },
    sweptWithBaseline: true,
    changed: { description: 'storefront, reviewed' },
    target: SERVICE,
    method: 'v1.compute.backendServices.patch',
    resourceName: SERVICE_PATH,
    subKey: 'securityPolicy',
    changedBy: undefined,
  },
];

describe('changedBy names who changed the governed field', () => {
  let inventory: Inventory;
  let approved: Baseline;
  let store: MemoryStore;
  let source: InventorySource;
  let deps: JudgeChangeDeps & SweepDeps;

  beforeEach(async () => {
    const estate = await loadEstate('examples/acme-edge');
    if (!estate.baseline) throw new Error('examples/acme-edge has a baseline.json');
    inventory = estate.inventory;
    approved = estate.baseline;
    store = new MemoryStore();
    source = new InventorySource(inventory);
    deps = memoryDeps(source, store, { loadBaseline: async () => approved });
  });

  test.each(CASES)('$name', async (testCase) => {
    const { target, swept, changed } = testCase;
    source.inventory = swept === null ? inventory : edited(inventory, target, swept);
    const { loadBaseline: _later, ...withoutBaseline } = deps;
    await sweepProject('acme-edge', testCase.sweptWithBaseline ? deps : withoutBaseline);

    const original = (inventory[target.kind] as readonly ApiRecord[]).find(
      (record) => record.name === target.name,
    );
    const current = { ...original, ...(swept ?? {}), ...changed };
    source.inventory = edited(inventory, target, current);
    await judgeChange(eventOf(testCase.method, testCase.resourceName), deps);

    const [finding] = await store.query({
      ruleId: DRIFT,
      resource: `${COMPUTE}/global/${target.kind === 'targetHttpsProxy' ? 'targetHttpsProxies' : 'backendServices'}/${target.name}`,
      states: ['open'],
    });
    expect(finding?.subKey).toBe(testCase.subKey);
    const changedBy = finding?.evidence.changedBy as { actor: string } | undefined;
    expect(changedBy?.actor).toBe(testCase.changedBy);
  });
});
