import { beforeEach, describe, expect, test } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { InventorySource } from '../../src/adapters/memory/inventory-source.js';
import { MemoryStore } from '../../src/adapters/memory/store.js';
import { ResourceSettlingError, UnnamedRecordError } from '../../src/app/change-errors.js';
import { type JudgeChangeDeps, judgeChange } from '../../src/app/judge-change.js';
import { snapshotOf } from '../../src/app/snapshots.js';
import type { SweepDeps } from '../../src/app/sweep-project.js';
import { sweepProject } from '../../src/app/sweep-project.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import type { Inventory } from '../../src/domain/inventory.js';
import type { Gateway } from '../../src/domain/resources.js';
import type { ChangeEvent } from '../../src/events/change-event.js';
import { parseLogEntry } from '../../src/events/parse-log-entry.js';
import type { Clock } from '../../src/ports/clock.js';
import { MemoryLogger } from '../../src/ports/logger.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import { saveSnapshots } from '../ports/judgement-store.contract.js';
import { auditEntry } from '../support/audit-entries.js';

const ORDERS_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';
const ORDERS_NEG_USC1 =
  '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/orders-neg-usc1';
const GW_EUW2 = 'projects/acme-edge/locations/europe-west2/gateways/orders-gw-euw2';
const GW_USC1 = 'projects/acme-edge/locations/us-central1/gateways/orders-gw-usc1';

const clock: Clock = { now: () => new Date('2026-11-26T10:00:00.000Z'), sleep: async () => {} };

let insertCounter = 0;
function eventFor(method: string, resourceName: string): ChangeEvent {
  insertCounter += 1;
  const parsed = parseLogEntry(
    auditEntry({
      method,
      resourceName,
      insertId: `entry-${insertCounter}`,
      principal: 'mallory@acme-edge.example',
    }),
  );
  if (parsed.outcome !== 'change') throw new Error(`not a change: ${JSON.stringify(parsed)}`);
  return parsed.event;
}

function withGateway(
  inventory: Inventory,
  name: string,
  change: (gateway: Gateway) => Gateway | undefined,
): Inventory {
  return {
    ...inventory,
    gateway: inventory.gateway.flatMap((gateway) => {
      if (gateway.name !== name) return [gateway];
      const changed = change(gateway);
      return changed ? [changed] : [];
    }),
  };
}

describe('judgeChange over a swept estate', () => {
  let source: InventorySource;
  let findings: MemoryStore;
  let deps: JudgeChangeDeps & SweepDeps;
  let original: Inventory;

  beforeEach(async () => {
    original = (await loadEstate('examples/acme-edge')).inventory;
    const ordersV7 = original.apiConfig.find((config) =>
      config.name?.endsWith('/apis/orders/configs/orders-v7'),
    );
    // orders-v8: the same document under a new config ID, as `gcloud api-gateway api-configs create` would make it.
    const ordersV8 = { ...ordersV7, name: ordersV7?.name?.replace('orders-v7', 'orders-v8') };
    source = new InventorySource({ ...original, apiConfig: [...original.apiConfig, ordersV8] });
    // One storage, as one Firestore database: the commit stores the changed resource's snapshot.
    findings = new MemoryStore();
    deps = {
      source,
      snapshots: findings,
      findings,
      judgements: findings,
      rules: ALL_RULES,
      policy: { rules: {}, exemptions: [] },
      clock,
      log: new MemoryLogger(),
    };
    await sweepProject('acme-edge', deps);
  });

  const openOn = async (ruleId: string, resource: string) =>
    (await findings.query({ ruleId, resource, states: ['open'] })).length;

  /** The transitions alerted (written to the outbox) for one finding, oldest first. */
  const alertsOn = (ruleId: string, resource: string) =>
    [...findings.alerts.values()]
      .map((entry) => entry.alert)
      .filter((alert) => alert.finding.ruleId === ruleId && alert.finding.resource === resource)
      .map((alert) => alert.transition);

  // Read live, a record may come without a usable selfLink; left out of the neighbourhood, it looked deleted to the
  // rules of what points at it, which resolved their findings and reopened them on the next clean event (a review's
  // find). The judgement is refused instead, with nothing committed.
  test('a neighbourhood holding a record that names nothing is not judged, and nothing is committed', async () => {
    const proxy = 'orders-https-proxy';
    const unnamed = {
      readInventory: (projects: readonly string[]) => source.readInventory(projects),
      async readResource(ref: Parameters<InventorySource['readResource']>[0]) {
        const record = await source.readResource(ref);
        return ref.collection === 'targetHttpsProxies' && record
          ? { ...record, selfLink: 'not-a-link' }
          : record;
      },
    };
    const before = await findings.query({ project: 'acme-edge' });
    const event = eventFor(
      'v1.compute.targetHttpsProxies.setSslPolicy',
      `projects/acme-edge/global/targetHttpsProxies/${proxy}`,
    );
    await expect(judgeChange(event, { ...deps, source: unnamed })).rejects.toThrow(UnnamedRecordError);
    expect(await findings.query({ project: 'acme-edge' })).toEqual(before);
  });

  test('one region moved to another config opens gateways-equivalent with the actor; reverting resolves it', async () => {
    expect(await openOn('backend.gateways-equivalent', ORDERS_BS)).toBe(0);
    source.inventory = withGateway(source.inventory, GW_EUW2, (gateway) => ({
      ...gateway,
      apiConfig: 'projects/123456789012/locations/global/apis/orders/configs/orders-v8',
    }));
    const changed = await judgeChange(
      eventFor('google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway', GW_EUW2),
      deps,
    );
    expect(changed.transitions).toContainEqual({
      transition: 'opened',
      ruleId: 'backend.gateways-equivalent',
      resource: ORDERS_BS,
    });
    const [finding] = await findings.query({ ruleId: 'backend.gateways-equivalent', resource: ORDERS_BS });
    expect(finding?.lastChange?.actor).toBe('mallory@acme-edge.example');

    source.inventory = withGateway(source.inventory, GW_EUW2, (gateway) => ({
      ...gateway,
      apiConfig: 'projects/123456789012/locations/global/apis/orders/configs/orders-v7',
    }));
    const reverted = await judgeChange(
      eventFor('google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway', GW_EUW2),
      deps,
    );
    expect(reverted.transitions).toContainEqual({
      transition: 'resolved',
      ruleId: 'backend.gateways-equivalent',
      resource: ORDERS_BS,
    });
    const alerts = [...findings.alerts.values()].map((entry) => entry.alert);
    const ordersAlerts = alerts.filter(
      (alert) =>
        alert.finding.ruleId === 'backend.gateways-equivalent' && alert.finding.resource === ORDERS_BS,
    );
    expect(ordersAlerts.map((alert) => alert.transition)).toEqual(['opened', 'resolved']);
  });

  test('deleting a gateway fails neg.gateway-exists on the NEG that points at it', async () => {
    source.inventory = withGateway(source.inventory, GW_USC1, () => undefined);
    const outcome = await judgeChange(
      eventFor('google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway', GW_USC1),
      deps,
    );
    expect(outcome.transitions).toContainEqual({
      transition: 'opened',
      ruleId: 'neg.gateway-exists',
      resource: ORDERS_NEG_USC1,
    });
    const [finding] = await findings.query({ ruleId: 'neg.gateway-exists', resource: ORDERS_NEG_USC1 });
    expect(finding?.lastChange).toMatchObject({
      actor: 'mallory@acme-edge.example',
      method: 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway',
    });
    expect(alertsOn('neg.gateway-exists', ORDERS_NEG_USC1)).toEqual(['opened']);
  });

  test('the same entry delivered again is a duplicate and changes nothing', async () => {
    source.inventory = withGateway(source.inventory, GW_USC1, () => undefined);
    const event = eventFor('google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway', GW_USC1);
    const [first, second, third] = await Promise.all([
      judgeChange(event, deps),
      judgeChange(event, deps),
      judgeChange(event, deps),
    ]);
    expect([first, second, third].map((outcome) => outcome.status).sort()).toEqual([
      'duplicate',
      'duplicate',
      'judged',
    ]);
    const history = await findings.history(
      (await findings.query({ ruleId: 'neg.gateway-exists', resource: ORDERS_NEG_USC1 }))[0]?.id ?? '',
    );
    expect(history.map((record) => record.transition)).toEqual(['opened']);
    expect(alertsOn('neg.gateway-exists', ORDERS_NEG_USC1)).toEqual(['opened']);
  });

  test('an unchanged resource re-judged writes no finding', async () => {
    const before = findings.writes;
    const outcome = await judgeChange(
      eventFor('v1.compute.backendServices.patch', 'projects/acme-edge/global/backendServices/orders-bs'),
      deps,
    );
    expect(outcome.transitions).toEqual([]);
    expect(findings.writes - before).toBe(1); // the dedupe record only
  });

  test('referrers come from the lists on snapshots, checked against their references: a stale listing pulls nothing in', async () => {
    const negEvent = () =>
      eventFor(
        'beta.compute.regionNetworkEndpointGroups.insert',
        'projects/acme-edge/regions/us-central1/networkEndpointGroups/orders-neg-usc1',
      );
    const judgedBefore = (await judgeChange(negEvent(), deps)).judged;
    source.inventory = {
      ...source.inventory,
      backendService: source.inventory.backendService.map((service) =>
        service.name === 'orders-bs'
          ? {
              ...service,
              backends: service.backends?.filter((backend) => !backend.group?.endsWith('/orders-neg-usc1')),
            }
          : service,
      ),
    };
    await judgeChange(
      eventFor('v1.compute.backendServices.patch', 'projects/acme-edge/global/backendServices/orders-bs'),
      deps,
    );
    const [neg] = await deps.snapshots.get([ORDERS_NEG_USC1]);
    expect(neg?.referrers).toContain(ORDERS_BS);

    const stale = await judgeChange(negEvent(), deps);
    // The same scope as a store swept after the change, which lists nothing stale.
    const store = new MemoryStore();
    const fresh = { ...deps, snapshots: store, findings: store, judgements: store };
    await sweepProject('acme-edge', fresh);
    const expected = await judgeChange(negEvent(), fresh);
    expect(stale.judged).toBe(expected.judged);
    expect(stale.judged).toBeLessThan(judgedBefore);
  });

  test('a neighbour that changes between the walk and the commit: the event judges again, on its new state', async () => {
    const moved = withGateway(source.inventory, GW_EUW2, (gateway) => ({
      ...gateway,
      apiConfig: 'projects/123456789012/locations/global/apis/orders/configs/orders-v8',
    }));
    const log = new MemoryLogger();
    const store = findings;
    let commits = 0;
    // As the gateway's own event would: it commits its new snapshot just before this event's first commit.
    const racing: JudgeChangeDeps = {
      ...deps,
      log,
      judgements: {
        isProcessed: (eventId) => store.isProcessed(eventId),
        commit: async (request) => {
          commits += 1;
          if (commits === 1) {
            source.inventory = moved;
            const graph = ResourceGraph.build(moved);
            const gateway = graph.find(GW_EUW2);
            if (gateway) await saveSnapshots(store, [snapshotOf(graph, gateway, '2026-11-26T10:00:01.000Z')]);
          }
          return store.commit(request);
        },
      },
    };
    const outcome = await judgeChange(
      eventFor('v1.compute.backendServices.patch', 'projects/acme-edge/global/backendServices/orders-bs'),
      racing,
    );
    expect(commits).toBe(2);
    expect(log.entries.map((entry) => entry.message)).toContain(
      'neighbourhood changed while judging; judging again from fresh reads',
    );
    expect(outcome.transitions).toContainEqual({
      transition: 'opened',
      ruleId: 'backend.gateways-equivalent',
      resource: ORDERS_BS,
    });
  });

  test('a gateway still UPDATING is judged later (a retry), not now', async () => {
    source.inventory = withGateway(source.inventory, GW_EUW2, (gateway) => ({
      ...gateway,
      state: 'UPDATING',
    }));
    await expect(
      judgeChange(eventFor('google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway', GW_EUW2), deps),
    ).rejects.toBeInstanceOf(ResourceSettlingError);
  });
  describe('what a change drops from the graph is judged again in the same event', () => {
    const EVENTS_BS = 'projects/acme-edge/global/backendServices/payments-events-bs';
    const EVENTS_NEG =
      'projects/acme-edge/regions/asia-northeast1/networkEndpointGroups/payments-events-neg-ane1';
    const EVENTS_GW =
      '//apigateway.googleapis.com/projects/acme-edge/locations/asia-northeast1/gateways/payments-events-gw-ane1';
    const detachNeg = (inventory: Inventory): Inventory => ({
      ...inventory,
      backendService: inventory.backendService.map((service) =>
        service.name === 'payments-events-bs'
          ? {
              ...service,
              backends: service.backends?.filter((backend) => !backend.group?.endsWith(EVENTS_NEG)),
            }
          : service,
      ),
    });
    /** The open findings a fresh sweep of the simulator's current state finds: what every event must converge on. */
    const openAfterFreshSweep = async () => {
      const store = new MemoryStore();
      await sweepProject('acme-edge', { ...deps, snapshots: store, findings: store, judgements: store });
      return openKeys(store);
    };
    const openKeys = async (store: MemoryStore) =>
      (await store.query({ states: ['open'] }))
        .map((finding) => `${finding.ruleId} ${finding.resource}`)
        .sort();
    const gatewayFindings = async () =>
      (await findings.query({ states: ['open'] })).filter((finding) => finding.resource === EVENTS_GW);

    test('a backend service that detaches a NEG: the gateway it fronted is no longer fronted, its exposure resolves', async () => {
      expect(await gatewayFindings()).not.toEqual([]);
      source.inventory = detachNeg(source.inventory);
      const outcome = await judgeChange(eventFor('v1.compute.backendServices.patch', EVENTS_BS), deps);
      expect(outcome.transitions).toContainEqual({
        transition: 'resolved',
        ruleId: 'gateway.direct-url-protected',
        resource: EVENTS_GW,
      });
      expect(await openKeys(findings)).toEqual(await openAfterFreshSweep());
    });

    test('the detached NEG then deleted: the event leaves what a fresh sweep finds', async () => {
      source.inventory = detachNeg(source.inventory);
      await judgeChange(eventFor('v1.compute.backendServices.patch', EVENTS_BS), deps);
      source.inventory = {
        ...source.inventory,
        networkEndpointGroup: source.inventory.networkEndpointGroup.filter(
          (neg) => !EVENTS_NEG.endsWith(`/${neg.name}`),
        ),
      };
      await judgeChange(eventFor('beta.compute.regionNetworkEndpointGroups.delete', EVENTS_NEG), deps);
      expect(await openKeys(findings)).toEqual(await openAfterFreshSweep());
    });
  });
  describe('URL-mask NEGs meet the gateways of their region through the stored lists', () => {
    const CREATE = 'google.cloud.apigateway.v1.ApiGatewayService.CreateGateway';
    const DELETE = 'google.cloud.apigateway.v1.ApiGatewayService.DeleteGateway';
    const PARTNERS_MASK_NEG =
      '//compute.googleapis.com/projects/acme-edge/regions/us-west1/networkEndpointGroups/partners-mask-neg-usw1';
    const gatewayIn = (region: string, id: string) => `projects/acme-edge/locations/${region}/gateways/${id}`;
    const created = (region: string, id: string, config: string): Gateway => ({
      name: gatewayIn(region, id),
      apiConfig: `projects/123456789012/locations/global/apis/${config}`,
      state: 'ACTIVE',
      defaultHostname: `${id}-5x2c8v1b.ew.gateway.dev`,
      displayName: id,
      effectiveStreamingMode: 'EFFECTIVE_STREAMING_MODE_DISABLED',
    });

    test('a gateway created in a mask NEG’s region is fronted at once: its exposure opens in that event', async () => {
      const id = 'ops-batch-gw-euw1';
      const resource = `//apigateway.googleapis.com/${gatewayIn('europe-west1', id)}`;
      source.inventory = {
        ...source.inventory,
        gateway: [...source.inventory.gateway, created('europe-west1', id, 'ops-admin/configs/ops-admin-v3')],
      };
      const readsBefore = source.reads;
      const outcome = await judgeChange(eventFor(CREATE, gatewayIn('europe-west1', id)), deps);
      expect(outcome.transitions).toContainEqual({
        transition: 'opened',
        ruleId: 'gateway.direct-url-protected',
        resource,
      });
      expect(alertsOn('gateway.direct-url-protected', resource)).toEqual(['opened']);
      // The mask NEG joined the judgement without any list call: only the created gateway was read live.
      expect(source.reads - readsBefore).toBe(1);
    });

    test('the last gateway of a mask NEG’s region deleted, even one newer than the NEG’s snapshot: neg.gateway-exists opens', async () => {
      const bronze = 'partners-bronze-gw-usw1';
      source.inventory = {
        ...source.inventory,
        gateway: [...source.inventory.gateway, created('us-west1', bronze, 'partners/configs/partners-v2')],
      };
      await judgeChange(eventFor(CREATE, gatewayIn('us-west1', bronze)), deps);
      for (const id of ['partners-gold-gw-usw1', 'partners-silver-gw-usw1', bronze]) {
        expect(await openOn('neg.gateway-exists', PARTNERS_MASK_NEG)).toBe(0);
        source.inventory = withGateway(source.inventory, gatewayIn('us-west1', id), () => undefined);
        await judgeChange(eventFor(DELETE, gatewayIn('us-west1', id)), deps);
      }
      expect(await openOn('neg.gateway-exists', PARTNERS_MASK_NEG)).toBe(1);
      expect(alertsOn('neg.gateway-exists', PARTNERS_MASK_NEG)).toEqual(['opened']);
    });
  });
});
