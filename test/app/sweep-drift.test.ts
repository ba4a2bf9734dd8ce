// A sweep judges what it read against the approved baseline, whatever was stored before: the first sweep of a new
// install, and a resource created since the last sweep, have no snapshots yet and must be judged for drift all the
// same. The baseline is asked for once per sweep, for the governed resources read, as the Firestore store batches it.

import { beforeEach, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { type SweepDeps, sweepProject } from '../../src/app/sweep-project.js';
import type { Baseline } from '../../src/domain/baseline.js';
import type { Inventory } from '../../src/domain/inventory.js';
import type { ApiRecord } from '../../src/domain/resources.js';
import { memoryDeps } from '../support/memory-deps.js';

const DRIFT = 'drift.matches-baseline';
const COMPUTE = '//compute.googleapis.com/projects/acme-edge';
const GATEWAYS = '//apigateway.googleapis.com/projects/acme-edge/locations';
const LINK = 'https://www.googleapis.com/compute/v1/projects/acme-edge';
const PROXY = `${COMPUTE}/global/targetHttpsProxies/payments-https-proxy`;
/** The collections of the kinds with governed fields (RULES.md): backend services, NEGs, gateways, proxies, maps. */
const GOVERNED_COLLECTION = /\/(backendServices|networkEndpointGroups|gateways|targetHttpsProxies|urlMaps)\//;

/** The drift examples/acme-edge holds against its baseline.json as exported (what `scan --estate` reports). */
const PROXY_DRIFT = {
  resource: PROXY,
  subKey: 'sslPolicy',
  baseline: `${COMPUTE}/global/sslPolicies/modern-tls12`,
  current: `${COMPUTE}/global/sslPolicies/legacy-clients`,
};

interface Drift {
  readonly resource: string;
  readonly subKey: string;
  readonly baseline: unknown;
  readonly current: unknown;
}

/** The approved baseline as the Firestore store serves it: the entries of the names asked for, one call a batch. */
class BaselineReads {
  readonly calls: (readonly string[])[] = [];
  constructor(readonly approved: Baseline) {}

  readonly load = async (resources: readonly string[]): Promise<Baseline | undefined> => {
    this.calls.push(resources);
    const found = Object.fromEntries(
      resources.flatMap((name) => {
        const entry = this.approved.resources[name];
        return entry ? [[name, entry] as const] : [];
      }),
    );
    return Object.keys(found).length > 0 ? { ...this.approved, resources: found } : undefined;
  };
}

/** The inventory with one record of `kind` changed (a console edit nobody approved). */
function edited(
  inventory: Inventory,
  kind: 'backendService' | 'gateway' | 'networkEndpointGroup',
  name: string,
  patch: ApiRecord,
): Inventory {
  const records = inventory[kind] as readonly ApiRecord[];
  if (!records.some((record) => record.name === name)) throw new Error(`no ${kind} ${name} in the estate`);
  return {
    ...inventory,
    [kind]: records.map((record) => (record.name === name ? { ...record, ...patch } : record)),
  };
}

const byName = (a: Drift, b: Drift) => `${a.resource} ${a.subKey}`.localeCompare(`${b.resource} ${b.subKey}`);

const DRIFTS: readonly {
  readonly name: string;
  readonly edit: (inventory: Inventory) => Inventory;
  readonly drift: readonly Drift[];
}[] = [
  {
    name: 'as exported: an HTTPS proxy serves a legacy SSL policy',
    edit: (inventory) => inventory,
    drift: [],
  },
  {
    name: 'a backend service with another Cloud Armor policy',
    edit: (inventory) =>
      edited(inventory, 'backendService', 'storefront-bs', {
        securityPolicy: `${LINK}/global/securityPolicies/payments-armor`,
      }),
    drift: [
      {
        resource: `${COMPUTE}/global/backendServices/storefront-bs`,
        subKey: 'securityPolicy',
        baseline: `${COMPUTE}/global/securityPolicies/storefront-armor`,
        current: `${COMPUTE}/global/securityPolicies/payments-armor`,
      },
    ],
  },
  {
    name: 'a gateway serving another API config',
    edit: (inventory) =>
      edited(inventory, 'gateway', 'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1', {
        apiConfig: 'projects/123456789012/locations/global/apis/reports/configs/reports-v1',
      }),
    drift: [
      {
        resource: `${GATEWAYS}/us-central1/gateways/orders-gw-usc1`,
        subKey: 'apiConfig',
        baseline: `${GATEWAYS}/global/apis/orders/configs/orders-v7`,
        current: `${GATEWAYS}/global/apis/reports/configs/reports-v1`,
      },
    ],
  },
  {
    name: 'a NEG pointed at another gateway',
    edit: (inventory) =>
      edited(inventory, 'networkEndpointGroup', 'orders-neg-euw2', {
        serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'payments-gw-euw2' },
      }),
    drift: [
      {
        resource: `${COMPUTE}/regions/europe-west2/networkEndpointGroups/orders-neg-euw2`,
        subKey: 'serverlessDeployment',
        baseline: { platform: 'apigateway.googleapis.com', resource: 'orders-gw-euw2' },
        current: { platform: 'apigateway.googleapis.com', resource: 'payments-gw-euw2' },
      },
    ],
  },
];

describe('a sweep judges drift against the approved baseline', () => {
  let inventory: Inventory;
  let store: MemoryStore;
  let source: InventorySource;
  let baseline: BaselineReads;
  let deps: SweepDeps;

  beforeEach(async () => {
    const estate = await loadEstate('examples/acme-edge');
    if (!estate.baseline) throw new Error('examples/acme-edge has a baseline.json');
    inventory = estate.inventory;
    store = new MemoryStore();
    source = new InventorySource(inventory);
    baseline = new BaselineReads(estate.baseline);
    deps = memoryDeps(source, store, { loadBaseline: baseline.load });
  });

  const openDrift = async (): Promise<Drift[]> =>
    (await store.query({ ruleId: DRIFT, states: ['open'] }))
      .map(({ resource, subKey, evidence }) => ({
        resource,
        subKey: subKey ?? '',
        baseline: evidence.baseline,
        current: evidence.current,
      }))
      .sort(byName);

  test.each(DRIFTS)('the first sweep of a new install opens the drift: $name', async ({ edit, drift }) => {
    source.inventory = edit(inventory);
    const expected = [PROXY_DRIFT, ...drift].sort(byName);

    await sweepProject('acme-edge', deps);
    expect(await openDrift()).toEqual(expected);
    for (const finding of await store.query({ ruleId: DRIFT })) {
      // A sweep cannot know who changed a field: no author, no change, only the approval.
      expect(finding.evidence).not.toHaveProperty('changedBy');
      expect(finding.evidence).toMatchObject({ approvedBy: 'platform-team@acme.example' });
      expect(finding.lastChange).toBeNull();
    }
    // The second sweep agrees with the first: nothing to open that the first one skipped.
    const second = await sweepProject('acme-edge', deps);
    expect(second.transitions).toBe(0);
    expect(await openDrift()).toEqual(expected);
  });

  test('a resource created since the last sweep, with no event seen, is judged for drift by the next sweep', async () => {
    source.inventory = {
      ...inventory,
      targetHttpsProxy: inventory.targetHttpsProxy.filter((proxy) => proxy.name !== 'payments-https-proxy'),
    };
    await sweepProject('acme-edge', deps);
    expect(await openDrift()).toEqual([]);
    expect(await store.get([PROXY])).toEqual([]);

    source.inventory = inventory;
    await sweepProject('acme-edge', deps);
    expect(await openDrift()).toEqual([PROXY_DRIFT]);
  });

  test('the baseline is read in one batch per sweep, for the governed resources read and no others', async () => {
    await sweepProject('acme-edge', deps);
    await sweepProject('acme-edge', deps);
    expect(baseline.calls).toHaveLength(2);
    for (const asked of baseline.calls) {
      expect(new Set(asked).size).toBe(asked.length);
      // Every resource the baseline approves is governed and was read.
      expect(asked).toEqual(expect.arrayContaining(Object.keys(baseline.approved.resources)));
      // API configs, forwarding rules, HTTP proxies, SSL and security policies have no governed fields.
      expect(asked.filter((name) => !GOVERNED_COLLECTION.test(name))).toEqual([]);
    }
  });

  test('an incomplete inventory judges nothing and reads no baseline', async () => {
    source.inventory = {
      ...inventory,
      incomplete: [{ project: 'acme-edge', kind: 'gateway', scope: 'europe-west2', reason: 'UNAVAILABLE' }],
    };
    await sweepProject('acme-edge', deps);
    expect(baseline.calls).toEqual([]);
    expect(await openDrift()).toEqual([]);
  });

  test('without a baseline store the sweep judges no drift', async () => {
    const { loadBaseline: _none, ...withoutBaseline } = deps;
    await sweepProject('acme-edge', withoutBaseline);
    await sweepProject('acme-edge', withoutBaseline);
    expect(await openDrift()).toEqual([]);
  });
});
