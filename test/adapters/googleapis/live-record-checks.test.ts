// Live records are checked as estate files are: a record of the wrong shape, nested too deep, or naming another
// project, kind or scope than its read is refused by name and its scope reported incomplete, never judged.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEstate } from '../../../src/adapters/estate-files/load-estate.js';
import { UnfitRecordError } from '../../../src/adapters/googleapis/errors.js';
import { createGoogleApisSource } from '../../../src/adapters/googleapis/googleapis-source.js';
import { snapshotOf } from '../../../src/app/snapshots.js';
import { liveSubject } from '../../../src/cli/live-source.js';
import { isBadInput, isRetryable } from '../../../src/domain/failure.js';
import { ResourceGraph } from '../../../src/domain/graph.js';
import type { Inventory } from '../../../src/domain/inventory.js';
import { RESOURCE_KINDS } from '../../../src/domain/resource-kind.js';
import { parseResourceRef } from '../../../src/domain/resource-name.js';
import { type Simulator, startSimulator } from '../../../src/simulator/server.js';
import type { StoredRecord } from '../../../src/simulator/store.js';

const PROJECT = 'acme-edge';
const COMPUTE = 'https://www.googleapis.com/compute/v1/projects';
const BS = `projects/${PROJECT}/global/backendServices`;
const NEG = `projects/${PROJECT}/regions/us-central1/networkEndpointGroups`;
const GW = `projects/${PROJECT}/locations/us-central1/gateways`;
/** Where a proxy puts a value nested far deeper than the simulator (or JSON.stringify) could write one. */
const DEEP_MARKER = '__deep__';

let simulator: Simulator | undefined;
let proxy: Server | undefined;

afterEach(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  await simulator?.close();
  simulator = undefined;
  proxy = undefined;
});

/** `{"d":{"d":...{}}}`, `levels` objects deep. */
function nestedText(levels: number): string {
  return `${'{"d":'.repeat(levels - 1)}{}${'}'.repeat(levels - 1)}`;
}

/**
 * The simulator serving acme-edge with `change` applied to its stored records, and a source reading it. With `deep`,
 * through a proxy that writes a value nested that many levels where a record holds DEEP_MARKER, as a hostile or
 * broken answer would carry it.
 */
async function serve(change: (store: Simulator['store']) => void = () => {}, deep?: number) {
  simulator = await startSimulator({ inventory: (await loadEstate('examples/acme-edge')).inventory });
  change(simulator.store);
  let endpoint = simulator.url;
  if (deep !== undefined) {
    const upstream = simulator.url;
    proxy = createServer(async (request, response) => {
      const answer = await fetch(`${upstream}${request.url ?? '/'}`, { method: request.method ?? 'GET' });
      const text = (await answer.text()).replaceAll(`"${DEEP_MARKER}"`, nestedText(deep));
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(text);
    });
    await new Promise<void>((resolve) => proxy?.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  }
  const source = await createGoogleApisSource({
    endpoint,
    retry: { baseDelayMs: 5, maxDelayMs: 20, budgetMs: 2_000 },
  });
  return { sim: simulator, source, endpoint };
}

function edit(store: Simulator['store'], path: string, change: (record: StoredRecord) => StoredRecord): void {
  const record = store.get(path);
  if (!record) throw new Error(`test bug: no ${path}`);
  store.put(path, change({ ...record }));
}

function namesOf(inventory: Inventory): string[] {
  return RESOURCE_KINDS.flatMap((kind) => inventory[kind].map((record) => String(record.name)));
}

/** What a sweep does with an inventory before judging it: the graph, and a hashed snapshot of every node. */
function snapshotAll(inventory: Inventory): number {
  const graph = ResourceGraph.build(inventory);
  let count = 0;
  for (const node of graph.allNodes()) {
    snapshotOf(graph, node, '2026-05-11T14:13:00.000Z');
    count += 1;
  }
  return count;
}

describe('a live list refuses records that cannot be judged, and reports their scope incomplete', () => {
  it('accepts acme-edge as served, gateways naming configs by project number included', async () => {
    const { source } = await serve();
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([]);
    expect(namesOf(inventory)).toHaveLength(52);
  });

  it('accepts acme-edge read by project number, whose records name the project ID', async () => {
    const { source } = await serve();
    const inventory = await source.readInventory(['123456789012']);
    expect(inventory.incomplete).toEqual([]);
    expect(namesOf(inventory)).toHaveLength(52);
  });

  it('accepts a gateway named by its project number (API Gateway may name either)', async () => {
    const { source } = await serve((store) =>
      edit(store, `${GW}/orders-gw-usc1`, (record) => ({
        ...record,
        name: 'projects/123456789012/locations/us-central1/gateways/orders-gw-usc1',
      })),
    );
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([]);
    expect(inventory.gateway).toHaveLength(10);
  });

  it.each([
    {
      name: 'backends an object (every check of the estate loader missed live)',
      path: `${BS}/payments-bs`,
      change: (record: StoredRecord) => ({ ...record, backends: { group: 'x' } }),
      kind: 'backendService',
      scope: 'global',
      reason: 'REFUSED: backend service "payments-bs": backends must be a list of objects, found an object',
    },
    {
      name: 'a null backend (crashed the graph build: TypeError in linkBackends)',
      path: `${BS}/payments-bs`,
      change: (record: StoredRecord) => ({ ...record, backends: [null] }),
      kind: 'backendService',
      scope: 'global',
      reason: 'REFUSED: backend service "payments-bs": backends[0] must be an object, found null',
    },
    {
      name: 'a record nested deeper than the loader allows',
      path: `${BS}/payments-bs`,
      change: (record: StoredRecord) => ({ ...record, cdnPolicy: JSON.parse(nestedText(100)) }),
      kind: 'backendService',
      scope: 'global',
      reason: 'REFUSED: backend service "payments-bs" is nested deeper than 64 levels',
    },
    {
      name: 'no selfLink (the graph skipped it, and a sweep took the service as deleted)',
      path: `${BS}/orders-bs`,
      change: ({ selfLink: _, ...record }: StoredRecord) => record,
      kind: 'backendService',
      scope: 'global',
      reason: 'REFUSED: backend service "orders-bs" has no "selfLink"',
    },
    {
      name: 'a selfLink naming another project (judged there, and the real one taken as deleted)',
      path: `${BS}/payments-bs`,
      change: (record: StoredRecord) => ({
        ...record,
        selfLink: `${COMPUTE}/other-proj/global/backendServices/payments-bs`,
      }),
      kind: 'backendService',
      scope: 'global',
      reason:
        'REFUSED: backend service "payments-bs" is not of project acme-edge: its selfLink names project "other-proj"',
    },
    {
      name: 'a NEG whose selfLink names a backend service',
      path: `${NEG}/orders-neg-usc1`,
      change: (record: StoredRecord) => ({
        ...record,
        selfLink: `${COMPUTE}/${PROJECT}/global/backendServices/orders-neg-usc1`,
      }),
      kind: 'networkEndpointGroup',
      scope: 'regions/us-central1',
      reason: 'REFUSED: NEG "orders-neg-usc1" is not a NEG: its selfLink names a "backendServices" resource',
    },
    {
      name: 'a NEG listed in one region whose selfLink names another',
      path: `${NEG}/orders-neg-usc1`,
      change: (record: StoredRecord) => ({
        ...record,
        selfLink: `${COMPUTE}/${PROJECT}/regions/europe-west2/networkEndpointGroups/orders-neg-usc1`,
      }),
      kind: 'networkEndpointGroup',
      scope: 'regions/us-central1',
      reason:
        'REFUSED: NEG "orders-neg-usc1" was listed in regions/us-central1, but its selfLink names ' +
        '"regions/europe-west2"',
    },
    {
      name: 'a URL map whose selfLink is no link',
      path: `projects/${PROJECT}/global/urlMaps/orders-map`,
      change: (record: StoredRecord) => ({ ...record, selfLink: 'not a link at all' }),
      kind: 'urlMap',
      scope: 'global',
      reason: 'REFUSED: URL map "orders-map": its selfLink "not a link at all" names no resource',
    },
    {
      name: 'a gateway with no name',
      path: `${GW}/orders-gw-usc1`,
      change: ({ name: _, ...record }: StoredRecord) => record,
      kind: 'gateway',
      scope: 'locations/-',
      reason: 'REFUSED: a gateway record has no "name"',
    },
    {
      name: 'a gateway named in another project',
      path: `${GW}/orders-gw-usc1`,
      change: (record: StoredRecord) => ({
        ...record,
        name: 'projects/other-proj/locations/us-central1/gateways/orders-gw-usc1',
      }),
      kind: 'gateway',
      scope: 'locations/-',
      reason:
        'REFUSED: gateway "projects/other-proj/locations/us-central1/gateways/orders-gw-usc1" is not of project ' +
        'acme-edge: its name names project "other-proj"',
    },
    {
      name: 'an API config of another name than the gateway asked for',
      path: `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v7`,
      change: (record: StoredRecord) => ({
        ...record,
        name: `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v6`,
      }),
      kind: 'apiConfig',
      scope: 'locations/global',
      reason:
        'REFUSED: API config "projects/acme-edge/locations/global/apis/orders/configs/orders-v6" is not the API ' +
        'config asked for ("locations/global/apis/orders/configs/orders-v7"): its name names ' +
        '"locations/global/apis/orders/configs/orders-v6"',
    },
  ])('refuses $name', async ({ path, change, kind, scope, reason }) => {
    const { source } = await serve((store) => edit(store, path, change));
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([{ project: PROJECT, kind, scope, reason }]);
    const name = path.slice(path.lastIndexOf('/') + 1);
    expect(namesOf(inventory).some((recordName) => recordName.endsWith(name))).toBe(false);
    // What a sweep builds before it judges: no TypeError, no stack overflow.
    expect(snapshotAll(inventory)).toBe(namesOf(inventory).length);
  });

  it('names the first three refused records of a scope and counts the rest', async () => {
    const { source } = await serve((store) => {
      for (const name of ['orders-bs', 'payments-bs', 'payments-events-bs', 'storefront-bs', 'reports-bs']) {
        edit(store, `${BS}/${name}`, (record) => ({ ...record, backends: { group: 'x' } }));
      }
    });
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([
      { project: PROJECT, kind: 'backendService', scope: 'global', reason: expect.any(String) },
    ]);
    const [scope] = inventory.incomplete ?? [];
    expect(scope?.reason).toMatch(
      /^REFUSED 5 records: (backend service "[a-z-]+": backends must [^;]+; ){3}and 2 more$/,
    );
    expect(inventory.backendService.map((record) => record.name).sort()).toEqual([
      'legacy-vm-bs',
      'partners-bs',
    ]);
  });

  it('refuses a record nested 20,000 levels deep (a RangeError in every sweep of the project)', async () => {
    const { source } = await serve(
      (store) => edit(store, `${BS}/payments-bs`, (record) => ({ ...record, cdnPolicy: DEEP_MARKER })),
      20_000,
    );
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([
      {
        project: PROJECT,
        kind: 'backendService',
        scope: 'global',
        reason: 'REFUSED: backend service "payments-bs" is nested deeper than 64 levels',
      },
    ]);
    expect(snapshotAll(inventory)).toBe(51);
  });

  it('makes `scan --project` warn about the refused record, so --fail-on exits 2', async () => {
    const { endpoint } = await serve((store) =>
      edit(store, `${BS}/payments-bs`, (record) => ({ ...record, backends: { group: 'x' } })),
    );
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {} };
    const input = await liveSubject([PROJECT], endpoint, io).read();
    expect(input.warnings).toEqual([
      'project acme-edge: backend services in global could not be read (REFUSED: backend service "payments-bs": ' +
        'backends must be a list of objects, found an object); they are not judged and not taken as deleted',
    ]);
  });
});

describe('a live get refuses a record that cannot be judged', () => {
  const ORDERS_BS = `${BS}/orders-bs`;

  it.each([
    {
      name: 'a selfLink naming another project',
      change: (record: StoredRecord) => ({
        ...record,
        selfLink: `${COMPUTE}/other-proj/global/backendServices/orders-bs`,
      }),
      problem:
        'backend service "orders-bs" is not of project acme-edge: its selfLink names project "other-proj"',
    },
    {
      name: 'a selfLink naming another backend service',
      change: (record: StoredRecord) => ({
        ...record,
        selfLink: `${COMPUTE}/${PROJECT}/global/backendServices/payments-bs`,
      }),
      problem:
        'backend service "orders-bs" is not the backend service asked for ("global/backendServices/orders-bs"): ' +
        'its selfLink names "global/backendServices/payments-bs"',
    },
    {
      name: 'a null backend',
      change: (record: StoredRecord) => ({ ...record, backends: [null] }),
      problem: 'backend service "orders-bs": backends[0] must be an object, found null',
    },
  ])('throws an UnfitRecordError (not retried, not poison) for $name', async ({ change, problem }) => {
    const { sim, source } = await serve((store) => edit(store, ORDERS_BS, change));
    const ref = parseResourceRef(ORDERS_BS);
    if (!ref) throw new Error('test bug');
    const error = await source.readResource(ref).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnfitRecordError);
    expect(error).toMatchObject({ project: PROJECT });
    // The event path acknowledges it and logs an error: redelivered, the same answer would come back, and the entry
    // is not at fault (not quarantined). The next sweep names the record among its incomplete scopes.
    expect(isRetryable(error)).toBe(false);
    expect(isBadInput(error)).toBe(false);
    expect((error as Error).message).toContain(`the answer cannot be judged: ${problem}`);
    expect(sim.requests()).toHaveLength(1);
  });

  it('throws an UnfitRecordError for a record nested 20,000 levels deep', async () => {
    const { source } = await serve(
      (store) => edit(store, ORDERS_BS, (record) => ({ ...record, cdnPolicy: DEEP_MARKER })),
      20_000,
    );
    const ref = parseResourceRef(ORDERS_BS);
    if (!ref) throw new Error('test bug');
    await expect(source.readResource(ref)).rejects.toThrow(
      'the answer cannot be judged: backend service "orders-bs" is nested deeper than 64 levels',
    );
  });

  it.each([
    ['a backend service', ORDERS_BS, 'orders-bs'],
    ['a gateway', `${GW}/orders-gw-usc1`, `${GW}/orders-gw-usc1`],
    // Gateways name their config by project number; the config's own name carries the project ID.
    [
      'an API config asked for by project number',
      'projects/123456789012/locations/global/apis/orders/configs/orders-v7',
      `projects/${PROJECT}/locations/global/apis/orders/configs/orders-v7`,
    ],
  ])('returns %s that names what was asked for', async (_what, path, name) => {
    const { source } = await serve();
    const ref = parseResourceRef(path);
    if (!ref) throw new Error('test bug');
    expect(await source.readResource(ref)).toMatchObject({ name });
  });
});
