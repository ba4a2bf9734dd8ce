// The snapshot contract: what a judgement commit stores of each resource, and how it reads back (get, referrersOf,
// namesOfProject), for every implementation (memory, Firestore), over snapshots made by the same code the event path uses
// (snapshotOf over a graph of real-shaped records).

import { beforeEach, describe, expect, test } from 'vitest';
import { hashRecord, snapshotOf } from '../../src/app/snapshots.js';
import { gatewaysMeetingPoint, maskNegsMeetingPoint } from '../../src/domain/mask-meeting-points.js';
import { kindOfRef, parseResourceRef } from '../../src/domain/resource-name.js';
import type { ApiRecord } from '../../src/domain/resources.js';
import type { ResourceSnapshot } from '../../src/ports/snapshots.js';
import type { Stores } from '../../src/ports/stores.js';
import {
  apiGatewayNeg,
  backendService,
  fullName,
  gateway,
  graphOf,
  maskNeg,
  negBackend,
} from '../support/records.js';
import {
  AWKWARD_EVIDENCE,
  HOSTILE_RESOURCE_NAMES,
  type StoresHarness,
  saveSnapshots,
} from './judgement-store.contract.js';

const T0 = '2026-11-26T10:00:00.000Z';
const T1 = '2026-11-26T11:00:00.000Z';

/** orders-bs -> orders-neg-usc1 -> orders-gw-usc1, plus a second backend service on the same NEG. */
function estateSnapshots(): ResourceSnapshot[] {
  const graph = graphOf({
    backendService: [
      backendService('orders-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
      backendService('orders-canary-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
    ],
    networkEndpointGroup: [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw-usc1')],
    gateway: [gateway('orders-gw-usc1', 'us-central1', 'orders/configs/orders-v7')],
  });
  return [...graph.allNodes()].map((node) => snapshotOf(graph, node, T0));
}

function named(snapshots: readonly ResourceSnapshot[], suffix: string): ResourceSnapshot {
  const found = snapshots.find((snapshot) => snapshot.name.endsWith(suffix));
  if (!found) throw new Error(`no snapshot named *${suffix}`);
  return found;
}

/** A snapshot with arbitrary JSON as its data (as a future API field might bring). */
function snapshotWith(name: string, data: ApiRecord, references: readonly string[] = []): ResourceSnapshot {
  return {
    name,
    type: 'backendService',
    data,
    references,
    hash: hashRecord(data),
    observedAt: T0,
    deleted: false,
    project: 'acme-edge',
  };
}

const names = (snapshots: readonly ResourceSnapshot[]) => snapshots.map((snapshot) => snapshot.name).sort();
/** What JSON keeps of a value: the round trip every store must match (undefined members dropped). */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function describeSnapshotsContract<S extends Stores>(name: string, harness: StoresHarness<S>): void {
  describe(`Snapshots contract: ${name}`, () => {
    let store: S;
    let estate: ResourceSnapshot[];
    beforeEach(async () => {
      store = await harness.create();
      estate = estateSnapshots();
    });

    test('a commit writes new snapshots, then only those whose hash or deleted flag changed', async () => {
      const before = harness.writes(store);
      expect(await saveSnapshots(store, estate)).toBe(estate.length);
      expect(
        await saveSnapshots(
          store,
          estate.map((snapshot) => ({ ...snapshot, observedAt: T1 })),
        ),
      ).toBe(0);
      const bs = named(estate, '/orders-bs');
      const changedData = { ...bs.data, enableCDN: true };
      expect(await saveSnapshots(store, [{ ...bs, data: changedData, hash: hashRecord(changedData) }])).toBe(
        1,
      );
      expect(
        await saveSnapshots(store, [
          { ...bs, data: changedData, hash: hashRecord(changedData), deleted: true },
        ]),
      ).toBe(1);
      // The estate's snapshots, the lists of referrers of the NEG and of the gateway, the gateway's listing under its
      // region's meeting point, then the two changes.
      expect(harness.writes(store) - before).toBe(estate.length + 3 + 2);
      const [stored] = await store.snapshots.get([bs.name]);
      expect(stored?.deleted).toBe(true);
      expect(stored?.data.enableCDN).toBe(true);
    });

    test('get returns what was saved, in the order asked, skipping unknown names', async () => {
      await saveSnapshots(store, estate);
      const wanted = [named(estate, 'orders-gw-usc1').name, 'nope', named(estate, '/orders-bs').name];
      const found = await store.snapshots.get(wanted);
      expect(found.map((snapshot) => snapshot.name)).toEqual([wanted[0], wanted[2]]);
      expect(found[1]).toEqual(asJson(named(estate, '/orders-bs')));
      expect(await store.snapshots.get([])).toEqual([]);
    });

    test('referrersOf finds what points at a resource (array-contains), leaving deleted ones out', async () => {
      await saveSnapshots(store, estate);
      const neg = named(estate, '/orders-neg-usc1');
      expect(names(await store.snapshots.referrersOf([neg.name]))).toEqual(
        names([named(estate, '/orders-bs'), named(estate, '/orders-canary-bs')]),
      );
      expect(names(await store.snapshots.referrersOf([named(estate, 'orders-gw-usc1').name]))).toEqual([
        neg.name,
      ]);
      await saveSnapshots(store, [{ ...named(estate, '/orders-canary-bs'), deleted: true }]);
      expect(names(await store.snapshots.referrersOf([neg.name]))).toEqual([
        named(estate, '/orders-bs').name,
      ]);
      expect(await store.snapshots.referrersOf([named(estate, '/orders-bs').name])).toEqual([]);
    });

    test('namesOfProject lists the live snapshots of one project only', async () => {
      const elsewhere = {
        ...snapshotWith('//compute.googleapis.com/projects/acme-pay/global/backendServices/x', {}),
        project: 'acme-pay',
      };
      await saveSnapshots(store, [
        ...estate,
        elsewhere,
        { ...named(estate, '/orders-canary-bs'), deleted: true },
      ]);
      expect((await store.snapshots.namesOfProject('acme-edge')).sort()).toEqual(
        names(estate.filter((snapshot) => !snapshot.name.endsWith('/orders-canary-bs'))),
      );
      expect((await store.snapshots.namesOfProject('acme-pay')).sort()).toEqual([elsewhere.name]);
      expect(await store.snapshots.namesOfProject('nope')).toEqual([]);
    });

    test('arbitrary JSON data survives: @type, dotted and slashed keys, reserved-looking keys, nested arrays, undefined', async () => {
      const data = { ...AWKWARD_EVIDENCE, optional: undefined, list: [1, undefined, 3] } as ApiRecord;
      const snapshot = snapshotWith(
        '//compute.googleapis.com/projects/acme-edge/global/backendServices/odd',
        data,
      );
      await saveSnapshots(store, [snapshot]);
      const [stored] = await store.snapshots.get([snapshot.name]);
      expect(asJson(stored?.data)).toEqual(asJson(data));
    });

    test.each(HOSTILE_RESOURCE_NAMES)(
      'hostile name (%s) stored, found and referred to intact',
      async (_label, hostile) => {
        const target = snapshotWith(hostile, { name: hostile });
        const referrer = snapshotWith(`${hostile}-referrer`, { backends: [{ group: hostile }] }, [hostile]);
        await saveSnapshots(store, [target, referrer]);
        const [stored] = await store.snapshots.get([hostile]);
        const { referrers, ...snapshot } = stored ?? { referrers: undefined };
        expect(snapshot).toEqual(asJson(target));
        // Listed where the name parses as a kind Gatewarden reads, else found by query only.
        const ref = parseResourceRef(hostile);
        expect(referrers).toEqual(ref && kindOfRef(ref) ? [referrer.name] : undefined);
        expect(names(await store.snapshots.referrersOf([hostile]))).toEqual([referrer.name]);
        expect((await store.snapshots.namesOfProject('acme-edge')).sort()).toEqual(names([target, referrer]));
      },
    );

    test('names that share a long prefix are not confused (indexes may truncate long values)', async () => {
      const prefix = `//compute.googleapis.com/projects/acme-edge/global/backendServices/${'p'.repeat(1600)}`;
      const [a, b] = [`${prefix}-a`, `${prefix}-b`];
      await saveSnapshots(store, [snapshotWith(a, {}), snapshotWith(b, {}), snapshotWith('ref-a', {}, [a])]);
      expect(names(await store.snapshots.get([a]))).toEqual([a]);
      expect(names(await store.snapshots.referrersOf([a]))).toEqual(['ref-a']);
      expect(await store.snapshots.referrersOf([b])).toEqual([]);
    });

    test('a commit lists each snapshot on the resources it points at (hubs excepted), and get reads the list back', async () => {
      const policy = '//compute.googleapis.com/projects/acme-edge/global/securityPolicies/edge-armor';
      const bs = named(estate, '/orders-bs');
      const guarded = { ...bs, references: [...bs.references, policy] };
      await saveSnapshots(store, [
        ...estate.filter((snapshot) => snapshot !== bs),
        guarded,
        snapshotWith(policy, {}),
      ]);
      const [neg, gw, stored, armor] = await store.snapshots.get([
        named(estate, '/orders-neg-usc1').name,
        named(estate, 'orders-gw-usc1').name,
        policy,
        bs.name,
      ]);
      expect([...(neg?.referrers ?? [])].sort()).toEqual(
        names([named(estate, '/orders-bs'), named(estate, '/orders-canary-bs')]),
      );
      expect(gw?.referrers).toEqual([named(estate, '/orders-neg-usc1').name]);
      // A hub's referrers are queried (one Cloud Armor policy can guard thousands of services), never listed.
      expect(stored?.name === policy ? stored.referrers : armor?.referrers).toBeUndefined();
      expect(names(await store.snapshots.referrersOf([policy]))).toEqual([bs.name]);
    });

    test('gateways and mask NEGs are listed under their region’s meeting points, which getWithLists reads without a snapshot', async () => {
      const graph = graphOf({
        networkEndpointGroup: [
          maskNeg('apis-mask-usc1', 'us-central1', '<gateway>.api.acme.example'),
          apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw-usc1'),
        ],
        gateway: [
          gateway('orders-gw-usc1', 'us-central1', 'orders/configs/orders-v7'),
          gateway('billing-gw-usc1', 'us-central1', 'billing/configs/billing-v2'),
          gateway('orders-gw-euw2', 'europe-west2', 'orders/configs/orders-v7'),
        ],
      });
      await saveSnapshots(
        store,
        [...graph.allNodes()].map((node) => snapshotOf(graph, node, T0)),
      );
      const gateways = gatewaysMeetingPoint('acme-edge', 'us-central1');
      const masks = maskNegsMeetingPoint('acme-edge', 'us-central1');
      const negName = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
      const { snapshots, lists } = await store.snapshots.getWithLists(
        [negName],
        [gateways, masks, maskNegsMeetingPoint('acme-edge', 'europe-west2')],
      );
      expect(names(snapshots)).toEqual([negName]);
      expect([...lists.keys()].sort()).toEqual([gateways, masks].sort());
      expect([...(lists.get(gateways) ?? [])].sort()).toEqual([
        fullName('locations/us-central1/gateways/billing-gw-usc1'),
        fullName('locations/us-central1/gateways/orders-gw-usc1'),
      ]);
      expect(lists.get(masks)).toEqual([
        fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1'),
      ]);
      // A meeting point is no resource: get finds nothing there; lists alone can be asked for.
      expect(await store.snapshots.get([gateways])).toEqual([]);
      const alone = await store.snapshots.getWithLists([], [masks, 'nope']);
      expect(alone.snapshots).toEqual([]);
      expect([...alone.lists.keys()]).toEqual([masks]);
    });

    test('a listing outlives later saves of both ends: a stale name stays listed, and referrersOf says what is true', async () => {
      await saveSnapshots(store, estate);
      const neg = named(estate, '/orders-neg-usc1');
      const canary = named(estate, '/orders-canary-bs');
      const negData = { ...neg.data, description: 'moved' };
      await saveSnapshots(store, [{ ...neg, data: negData, hash: hashRecord(negData) }]);
      await saveSnapshots(store, [
        { ...canary, data: { backends: [] }, hash: hashRecord({ backends: [] }), references: [] },
      ]);
      const [stored] = await store.snapshots.get([neg.name]);
      expect(stored?.data.description).toBe('moved');
      expect([...(stored?.referrers ?? [])].sort()).toEqual(names([named(estate, '/orders-bs'), canary]));
      expect(names(await store.snapshots.referrersOf([neg.name]))).toEqual([
        named(estate, '/orders-bs').name,
      ]);
    });

    test('a referrer saved before its target: get shows no snapshot until the target is saved, then the listing', async () => {
      const bs = named(estate, '/orders-bs');
      const neg = named(estate, '/orders-neg-usc1');
      const before = harness.writes(store);
      await saveSnapshots(store, [bs]);
      // The service, and the listing on the NEG's (not yet snapshotted) document.
      expect(harness.writes(store) - before).toBe(2);
      expect(await store.snapshots.get([neg.name])).toEqual([]);
      expect(await store.snapshots.namesOfProject('acme-edge')).toHaveLength(1);
      await saveSnapshots(store, [neg]);
      const [stored] = await store.snapshots.get([neg.name]);
      expect(stored?.referrers).toEqual([bs.name]);
      expect(await saveSnapshots(store, [bs])).toBe(0);
    });

    test('referrersOf answers many names at once, past the 30 values one query takes, each referrer once', async () => {
      const targets = Array.from(
        { length: 45 },
        (_, index) => `//compute.googleapis.com/projects/p/global/x/t${index}`,
      );
      await saveSnapshots(store, [
        snapshotWith('first', {}, [targets[0] ?? '']),
        snapshotWith('last', {}, [targets[44] ?? '']),
        snapshotWith('both', {}, [targets[3] ?? '', targets[40] ?? '']),
        snapshotWith('neither', {}, ['//compute.googleapis.com/projects/p/global/x/other']),
      ]);
      expect(names(await store.snapshots.referrersOf(targets))).toEqual(['both', 'first', 'last']);
    });
  });
}
