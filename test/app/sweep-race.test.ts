// A sweep that read the estate before an event committed must not put back the older state (issue 17 item 5): its
// commit runs under the checks an event's does, and the parts an event judged from a newer read are left to it.

import { beforeEach, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { judgeChange } from '../../src/app/judge-change.js';
import { type SweepDeps, sweepProject } from '../../src/app/sweep-project.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import type { JudgementStore } from '../../src/ports/judgement-store.js';
import { auditEntry } from '../support/audit-entries.js';
import { memoryDeps } from '../support/memory-deps.js';

const ORDERS_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';
const GW_EUW2 = 'projects/acme-edge/locations/europe-west2/gateways/orders-gw-euw2';
const GW_EUW2_FULL = `//apigateway.googleapis.com/${GW_EUW2}`;
const V7 = 'projects/123456789012/locations/global/apis/orders/configs/orders-v7';
const V8 = 'projects/123456789012/locations/global/apis/orders/configs/orders-v8';
const RULE = 'backend.gateways-equivalent';

function movedTo(inventory: Inventory, config: string): Inventory {
  return {
    ...inventory,
    gateway: inventory.gateway.map((gateway) =>
      gateway.name === GW_EUW2 ? { ...gateway, apiConfig: config } : gateway,
    ),
  };
}

function gatewayUpdate(insertId: string) {
  const parsed = parseLogEntry(
    auditEntry({
      method: 'google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway',
      resourceName: GW_EUW2,
      insertId,
      principal: 'mallory@acme-edge.example',
    }),
  );
  if (parsed.outcome !== 'change') throw new Error('not a change');
  return parsed.event;
}

describe('a sweep raced by an event', () => {
  let store: MemoryStore;
  let source: InventorySource;
  let deps: SweepDeps;

  beforeEach(async () => {
    const original = (await loadEstate('examples/acme-edge')).inventory;
    const v7 = original.apiConfig.find((config) => config.name === V7);
    source = new InventorySource({ ...original, apiConfig: [...original.apiConfig, { ...v7, name: V8 }] });
    store = new MemoryStore();
    deps = memoryDeps(source, store);
    await sweepProject('acme-edge', deps);
  });

  const open = async () =>
    (await store.query({ ruleId: RULE, resource: ORDERS_BS, states: ['open'] })).length;

  /** A sweep that has read the estate as it is now, and commits only after `meanwhile` ran. */
  async function sweepCommittingAfter(meanwhile: () => Promise<void>) {
    let raced = false;
    const judgements: JudgementStore = {
      isProcessed: (eventId) => store.isProcessed(eventId),
      commit: async (request) => {
        if (!raced) {
          raced = true;
          await meanwhile();
        }
        return store.commit(request);
      },
    };
    return sweepProject('acme-edge', { ...deps, judgements });
  }

  test('an event that opened a finding after the sweep read stays open; the sweep yields what the event judged', async () => {
    expect(await open()).toBe(0);
    const outcome = await sweepCommittingAfter(async () => {
      source.inventory = movedTo(source.inventory, V8);
      const judged = await judgeChange(gatewayUpdate('move-to-v8'), deps);
      expect(judged.transitions).toContainEqual({ transition: 'opened', ruleId: RULE, resource: ORDERS_BS });
    });
    // The sweep read v7 everywhere (equivalent gateways): committing that would resolve the finding just opened.
    expect(await open()).toBe(1);
    const history = await store.history(
      (await store.query({ ruleId: RULE, resource: ORDERS_BS }))[0]?.id ?? '',
    );
    expect(history.map((record) => record.transition)).toEqual(['opened']);
    expect(outcome.yielded).toBeGreaterThan(0);
    const [gateway] = await store.get([GW_EUW2_FULL]);
    expect(gateway?.data.apiConfig).toBe(V8);
    // The next sweep reads the new state and agrees with the event.
    const next = await sweepProject('acme-edge', deps);
    expect(next.yielded).toBe(0);
    expect(await open()).toBe(1);
  });

  test('an event that resolved a finding after the sweep read is not reopened by the sweep', async () => {
    source.inventory = movedTo(source.inventory, V8);
    await sweepProject('acme-edge', deps);
    expect(await open()).toBe(1);
    await sweepCommittingAfter(async () => {
      source.inventory = movedTo(source.inventory, V7);
      await judgeChange(gatewayUpdate('back-to-v7'), deps);
    });
    expect(await open()).toBe(0);
    const [finding] = await store.query({ ruleId: RULE, resource: ORDERS_BS });
    const history = await store.history(finding?.id ?? '');
    expect(history.map((record) => record.transition)).toEqual(['opened', 'resolved']);
  });

  test('units the event did not touch are still committed by the raced sweep', async () => {
    const outcome = await sweepCommittingAfter(async () => {
      source.inventory = movedTo(source.inventory, V8);
      await judgeChange(gatewayUpdate('move-to-v8-again'), deps);
    });
    expect(outcome.yielded).toBeLessThan(outcome.resources);
    expect(outcome.resources).toBeGreaterThan(0);
  });
});
