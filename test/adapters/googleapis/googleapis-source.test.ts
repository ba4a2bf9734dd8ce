// The live source with the real googleapis client against the local simulator: paging, retries, errors, limits.

import { afterEach, describe, expect, it } from 'vitest';
import { loadEstate } from '../../../src/adapters/estate-files/load-estate.js';
import { PermissionDeniedError, RetriesExhaustedError } from '../../../src/adapters/googleapis/errors.js';
import {
  createGoogleApisSource,
  type GoogleApisSourceOptions,
  type RetryEvent,
} from '../../../src/adapters/googleapis/googleapis-source.js';
import { scanInventory } from '../../../src/app/scan.js';
import { ResourceGraph } from '../../../src/domain/graph.js';
import { type Inventory, mergeInventories } from '../../../src/domain/inventory.js';
import { parseResourceRef } from '../../../src/domain/resource-name.js';
import type { Clock } from '../../../src/ports/clock.js';
import { negGatewayExists } from '../../../src/rules/neg/gateway-exists.js';
import type { FaultRule } from '../../../src/simulator/faults.js';
import { encodePageToken } from '../../../src/simulator/paging.js';
import {
  type AnswerRequest,
  type RequestLogEntry,
  type SimulatedAnswer,
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from '../../../src/simulator/server.js';
import { backendService, inventoryOf, negBackend, PROJECT } from '../../support/records.js';

const AGGREGATED_BS = `/compute/v1/projects/${PROJECT}/aggregated/backendServices`;
const GATEWAYS = `/v1/projects/${PROJECT}/locations/-/gateways`;
/** Small waits so a test's real sleeps stay short; random 0.999999 makes each wait its full-jitter ceiling. */
const FAST_POLICY = { baseDelayMs: 40, maxDelayMs: 200, budgetMs: 5_000, maxAttempts: 6 };

let simulator: Simulator | undefined;

afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function acmeEdge(): Promise<Inventory> {
  return (await loadEstate('examples/acme-edge')).inventory;
}

/** A real-time runtime that remembers each wait it was asked for. */
function recordingRuntime(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => new Date(),
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, ms));
    },
  };
}

async function serve(
  inventory: Inventory,
  faults: FaultRule[] = [],
  options: GoogleApisSourceOptions = {},
  reshapeAnswer?: SimulatorOptions['reshapeAnswer'],
) {
  const unknown: string[] = [];
  simulator = await startSimulator({
    inventory,
    faults,
    onUnknownRequest: (message) => unknown.push(message),
    ...(reshapeAnswer ? { reshapeAnswer } : {}),
  });
  const runtime = recordingRuntime();
  const source = await createGoogleApisSource({
    endpoint: simulator.url,
    retry: FAST_POLICY,
    clock: runtime,
    random: () => 0.999_999,
    ...options,
  });
  return { simulator, source, runtime, unknown };
}

function requestsTo(sim: Simulator, path: string): RequestLogEntry[] {
  return sim.requests().filter((request) => request.path === path);
}

/** Quiet time between the end of one answer and the start of the next request, from the simulator's clock. */
function gapsBetween(requests: readonly RequestLogEntry[]): number[] {
  return requests.slice(1).map((request, index) => request.startMs - (requests[index]?.endMs ?? 0));
}

describe('paging', () => {
  it('follows nextPageToken to the last page, with maxResults and returnPartialSuccess on every page', async () => {
    const { simulator: sim, source } = await serve(await acmeEdge(), [], { pageSize: 2 });
    const inventory = await source.readInventory([PROJECT]);
    const pages = requestsTo(sim, AGGREGATED_BS);
    expect(pages).toHaveLength(4);
    expect(pages.map((page) => page.query.maxResults)).toEqual(['2', '2', '2', '2']);
    expect(pages.map((page) => page.query.returnPartialSuccess)).toEqual(['true', 'true', 'true', 'true']);
    expect(pages[0]?.query.pageToken).toBeUndefined();
    expect(new Set(pages.slice(1).map((page) => page.query.pageToken)).size).toBe(3);
    expect(inventory.backendService).toHaveLength(7);
    expect(inventory.networkEndpointGroup).toHaveLength(11);
    expect(requestsTo(sim, GATEWAYS)).toHaveLength(5);
    expect(inventory.gateway).toHaveLength(10);
  });

  it('reads NEGs through the beta API so serverlessDeployment is there', async () => {
    const { simulator: sim, source } = await serve(await acmeEdge());
    const inventory = await source.readInventory([PROJECT]);
    expect(
      requestsTo(sim, `/compute/beta/projects/${PROJECT}/aggregated/networkEndpointGroups`),
    ).toHaveLength(1);
    expect(requestsTo(sim, `/compute/v1/projects/${PROJECT}/aggregated/networkEndpointGroups`)).toHaveLength(
      0,
    );
    expect(inventory.networkEndpointGroup.filter((neg) => neg.serverlessDeployment).length).toBeGreaterThan(
      0,
    );
  });

  it('reads only the API configs the gateways serve, each with view=FULL', async () => {
    const { simulator: sim, source } = await serve(await acmeEdge());
    await source.readInventory([PROJECT]);
    const configReads = sim.requests().filter((request) => request.path.includes('/configs/'));
    expect(configReads.map((request) => request.query.view)).toEqual(Array(6).fill('FULL'));
    expect(sim.requests().filter((request) => request.path.endsWith('/configs'))).toHaveLength(0);
  });

  // Gateways name their config by project number or ID as whoever created them wrote it: one config, one read.
  it('reads a config once when gateways name it by project number and by ID', async () => {
    const estate = await acmeEdge();
    const gateways = estate.gateway.map((gateway, index) =>
      index % 2 === 0
        ? {
            ...gateway,
            apiConfig: String(gateway.apiConfig).replace('projects/123456789012/', `projects/${PROJECT}/`),
          }
        : gateway,
    );
    const { simulator: sim, source } = await serve({ ...estate, gateway: gateways });
    const inventory = await source.readInventory([PROJECT]);
    expect(sim.requests().filter((request) => request.path.includes('/configs/'))).toHaveLength(6);
    expect(inventory.apiConfig).toHaveLength(6);
  });
});

describe('retries', () => {
  it.each([
    { name: '503 x3', fault: { status: 503 as const, times: 3 }, statuses: [503, 503, 503, 200] },
    { name: '429 x2', fault: { status: 429 as const, times: 2 }, statuses: [429, 429, 200] },
    {
      name: '403 rateLimitExceeded x3',
      fault: { status: 403 as const, reason: 'rateLimitExceeded' as const, times: 3 },
      statuses: [403, 403, 403, 200],
    },
    {
      name: '403 userRateLimitExceeded x1',
      fault: { status: 403 as const, reason: 'userRateLimitExceeded' as const, times: 1 },
      statuses: [403, 200],
    },
    { name: '500 x1', fault: { status: 500 as const, times: 1 }, statuses: [500, 200] },
  ])('retries a burst of $name with growing backoff gaps', async ({ fault, statuses }) => {
    const {
      simulator: sim,
      source,
      runtime,
    } = await serve(await acmeEdge(), [{ path: AGGREGATED_BS, ...fault }]);
    const inventory = await source.readInventory([PROJECT]);
    const calls = requestsTo(sim, AGGREGATED_BS);
    expect(calls.map((call) => call.status)).toEqual(statuses);
    const expectedWaits = [40, 80, 160].slice(0, statuses.length - 1);
    expect(runtime.waits).toEqual(expectedWaits);
    gapsBetween(calls).forEach((gap, index) => {
      expect(gap).toBeGreaterThanOrEqual((expectedWaits[index] ?? 0) - 1);
    });
    expect(inventory.backendService).toHaveLength(7);
  });

  it('waits as long as Retry-After asks, even when the backoff ceiling is shorter', async () => {
    const {
      simulator: sim,
      source,
      runtime,
    } = await serve(await acmeEdge(), [{ path: GATEWAYS, status: 429, times: 1, retryAfterSeconds: 1 }]);
    await source.readInventory([PROJECT]);
    const calls = requestsTo(sim, GATEWAYS);
    expect(calls.map((call) => call.status)).toEqual([429, 200]);
    expect(runtime.waits).toEqual([1_000]);
    expect(gapsBetween(calls)[0]).toBeGreaterThanOrEqual(999);
  });

  it('abandons an attempt that outlives its timeout and retries it', async () => {
    const faults = [{ path: AGGREGATED_BS, latencyMs: 1_500, times: 1 }];
    const retries: RetryEvent[] = [];
    const { simulator: sim, source } = await serve(await acmeEdge(), faults, {
      requestTimeoutMs: 500,
      onRetry: (event) => retries.push(event),
    });
    const inventory = await source.readInventory([PROJECT]);
    expect(retries).toContainEqual(
      expect.objectContaining({ method: 'backendServices.aggregatedList', status: undefined, attempt: 1 }),
    );
    expect(requestsTo(sim, AGGREGATED_BS).map((request) => request.status)).toContain(200);
    expect(inventory.backendService).toHaveLength(7);
  });

  it('does not count time queued behind the concurrency limit against the retry budget', async () => {
    const securityPolicies = `/compute/v1/projects/${PROJECT}/aggregated/securityPolicies`;
    const { simulator: sim, source } = await serve(
      await acmeEdge(),
      [
        { path: securityPolicies, status: 503, times: 1 },
        { path: '/**', latencyMs: 100 },
      ],
      { concurrencyPerProject: 1, retry: { ...FAST_POLICY, budgetMs: 300 } },
    );
    const inventory = await source.readInventory([PROJECT]);
    // With one call in flight, the security-policy list waits behind six or more calls of 100 ms each before it
    // is first sent: far over its 300 ms budget, none of it spent by the call itself.
    expect(requestsTo(sim, securityPolicies).map((request) => request.status)).toEqual([503, 200]);
    expect(inventory.securityPolicy).toHaveLength(2);
  });

  it('gives up when the budget is spent, naming what it retried and how often', async () => {
    const { simulator: sim, source } = await serve(await acmeEdge(), [{ path: AGGREGATED_BS, status: 503 }], {
      retry: { ...FAST_POLICY, budgetMs: 250 },
    });
    const error = await source.readInventory([PROJECT]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    const attempts = requestsTo(sim, AGGREGATED_BS).length;
    expect((error as RetriesExhaustedError).attempts).toBe(attempts);
    expect((error as Error).message).toContain(`after ${attempts} attempts`);
    expect((error as Error).message).toContain(`${attempts} x 503`);
    expect((error as Error).message).toContain('acme-edge');
  });

  it('does not retry a 403 permission error and names the project, collection and permission', async () => {
    const { simulator: sim, source } = await serve(await acmeEdge(), [
      { path: GATEWAYS, status: 403, reason: 'forbidden' },
    ]);
    const error = await source.readInventory([PROJECT]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({
      project: PROJECT,
      resource: `projects/${PROJECT}/locations/-/gateways`,
      permission: 'apigateway.gateways.list',
    });
    expect((error as Error).message).toMatch(
      /permission denied in project "acme-edge".*apigateway\.gateways\.list/,
    );
    expect(requestsTo(sim, GATEWAYS)).toHaveLength(1);
  });

  it('takes the missing permission from the fetcher declaration when the server does not name it', async () => {
    const { source } = await serve(await acmeEdge(), [
      { pathRegex: '^/compute/v1/projects/[^/]+/aggregated/sslPolicies$', status: 403, reason: 'forbidden' },
    ]);
    const error = await source.readInventory([PROJECT]).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ permission: 'compute.sslPolicies.list' });
  });
});

describe('reading one resource', () => {
  it.each([
    ['a deleted backend service', `projects/${PROJECT}/global/backendServices/gone-bs`],
    ['a deleted regional NEG', `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/gone-neg`],
    ['a deleted gateway', `projects/${PROJECT}/locations/us-central1/gateways/gone-gw`],
  ])('reads %s (404) as undefined, without retrying', async (_name, path) => {
    const { simulator: sim, source } = await serve(await acmeEdge());
    const ref = parseResourceRef(path);
    if (!ref) throw new Error('test bug');
    expect(await source.readResource(ref)).toBeUndefined();
    expect(sim.requests().map((request) => request.status)).toEqual([404]);
  });

  it('reads a regional NEG with one beta GET', async () => {
    const { simulator: sim, source } = await serve(await acmeEdge());
    const ref = parseResourceRef(
      `projects/${PROJECT}/regions/us-central1/networkEndpointGroups/orders-neg-usc1`,
    );
    if (!ref) throw new Error('test bug');
    const neg = await source.readResource(ref);
    expect(neg).toMatchObject({
      name: 'orders-neg-usc1',
      serverlessDeployment: { platform: 'apigateway.googleapis.com' },
    });
    expect(sim.requests().map((request) => request.path)).toEqual([
      `/compute/beta/projects/${PROJECT}/regions/us-central1/networkEndpointGroups/orders-neg-usc1`,
    ]);
  });
});

describe('incomplete reads', () => {
  it('marks an unreachable scope incomplete instead of dropping its resources silently', async () => {
    const { source } = await serve(await acmeEdge(), [
      {
        pathRegex: '^/compute/beta/projects/[^/]+/aggregated/networkEndpointGroups$',
        unreachableScopes: ['regions/europe-west2'],
      },
    ]);
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([
      expect.objectContaining({
        project: PROJECT,
        kind: 'networkEndpointGroup',
        scope: 'regions/europe-west2',
      }),
    ]);
    expect(inventory.networkEndpointGroup.some((neg) => String(neg.selfLink).includes('europe-west2'))).toBe(
      false,
    );
  });

  // `scan --project 123456789012`: the records name the project by ID, so what could not be read must too, or the
  // rules that hold back on an incomplete listing (neg.gateway-exists) do not see it and call every gateway deleted.
  it('names what a project asked for by number could not read by the project ID its records carry', async () => {
    const { source } = await serve(await acmeEdge(), [], {}, (request, answer) =>
      request.path === '/v1/projects/123456789012/locations/-/gateways' && 'body' in answer
        ? { status: 200, body: { unreachableLocations: ['us-central1', 'europe-west2'] } }
        : undefined,
    );
    const inventory = await source.readInventory(['123456789012']);
    expect(inventory.incomplete).toEqual([
      expect.objectContaining({ project: PROJECT, kind: 'gateway', scope: 'us-central1' }),
      expect.objectContaining({ project: PROJECT, kind: 'gateway', scope: 'europe-west2' }),
    ]);
    expect(inventory.projectIds).toMatchObject({ '123456789012': PROJECT });
    const { findings } = scanInventory(inventory, { rules: [negGatewayExists] });
    expect(findings).toEqual([]);
  });
});

/** A 200 whose body is what `reshape` makes of the simulator's, on the one path only. */
function reshapeOn(path: string, reshape: (body: Record<string, unknown>) => unknown) {
  return (request: AnswerRequest, answer: SimulatedAnswer): SimulatedAnswer | undefined =>
    request.path === path && 'body' in answer && answer.status === 200
      ? { status: 200, body: reshape(structuredClone(answer.body) as Record<string, unknown>) }
      : undefined;
}

/** What a proxy in front of the API answers instead: an HTML page, sent with a 200. */
function htmlOn(path: string) {
  return (request: AnswerRequest): SimulatedAnswer | undefined =>
    request.path === path
      ? {
          status: 200,
          text: '<html><body>Service temporarily rerouted</body></html>',
          contentType: 'text/html',
        }
      : undefined;
}

type Scopes = Record<string, Record<string, unknown>>;

describe('a 200 that is not a list is a failed read of that list, not an empty one', () => {
  it.each([
    {
      name: 'the aggregated list answers an HTML page',
      reshapeAnswer: htmlOn(AGGREGATED_BS),
      expected: {
        kind: 'backendService',
        scope: '*',
        reason:
          'backendServices.aggregatedList answered with a body that is not a list: the answer is text (54 characters), not JSON',
      },
    },
    {
      name: 'the aggregated list answers items as an array of records',
      reshapeAnswer: reshapeOn(AGGREGATED_BS, (body) => ({
        ...body,
        items: Object.values(body.items as Scopes).flatMap((scope) => scope.backendServices ?? []),
      })),
      expected: {
        kind: 'backendService',
        scope: '*',
        reason:
          'backendServices.aggregatedList answered with a body that is not a list: items is an array, not an object',
      },
    },
    {
      name: "a scope's records are an object keyed by name",
      reshapeAnswer: reshapeOn(AGGREGATED_BS, (body) => {
        const global = (body.items as Scopes).global as { backendServices: { name: string }[] };
        global.backendServices = Object.fromEntries(
          global.backendServices.map((bs) => [bs.name, bs]),
        ) as never;
        return body;
      }),
      expected: {
        kind: 'backendService',
        scope: 'global',
        reason:
          'backendServices.aggregatedList answered with a body that is not a list: global: backendServices is an object, not a list',
      },
    },
    {
      name: 'the gateway list answers an HTML page',
      reshapeAnswer: htmlOn(GATEWAYS),
      expected: {
        kind: 'gateway',
        scope: '*',
        reason: expect.stringMatching(
          /^projects\.locations\.gateways\.list answered with a body that is not a list: the answer is text/,
        ),
      },
    },
    {
      name: 'the gateway list holds a null where a gateway was',
      reshapeAnswer: reshapeOn(GATEWAYS, (body) => ({ ...body, gateways: [null, ...(body.gateways as [])] })),
      expected: {
        kind: 'gateway',
        scope: '*',
        reason: expect.stringMatching(/answered with a body that is not a list: gateways holds null at 0$/),
      },
    },
  ])('$name', async ({ reshapeAnswer, expected }) => {
    const { source } = await serve(await acmeEdge(), [], {}, reshapeAnswer);
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([{ project: PROJECT, ...expected }]);
  });

  it('reads a project with no gateways, whose answer leaves the empty list out, as complete', async () => {
    const { source } = await serve(
      await acmeEdge(),
      [],
      {},
      reshapeOn(GATEWAYS, () => ({})),
    );
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.gateway).toEqual([]);
    expect(inventory.incomplete).toEqual([]);
  });
});

/** Each page past the records, under a token never handed out before. */
function newTokenEveryPage(path: string) {
  let offset = 1_000;
  return reshapeOn(path, (body) => ({ ...body, nextPageToken: encodePageToken(offset++) }));
}

describe('paging that would never end is a failed read of that list', () => {
  const FIRST_PAGE_AGAIN = encodePageToken(0);
  it.each([
    {
      name: 'the aggregated list names its first page as the next, every time',
      path: AGGREGATED_BS,
      reshapeAnswer: reshapeOn(AGGREGATED_BS, (body) => ({ ...body, nextPageToken: FIRST_PAGE_AGAIN })),
      kind: 'backendService',
      scope: '*',
      reason:
        'backendServices.aggregatedList repeated a page token after 2 pages, so its paging would never end',
      requests: 2,
    },
    {
      name: 'the gateway list names its first page as the next, every time',
      path: GATEWAYS,
      reshapeAnswer: reshapeOn(GATEWAYS, (body) => ({ ...body, nextPageToken: FIRST_PAGE_AGAIN })),
      kind: 'gateway',
      scope: '*',
      reason:
        'projects.locations.gateways.list repeated a page token after 2 pages, so its paging would never end',
      requests: 2,
    },
    {
      name: 'the global forwarding rules, read apart, name their first page as the next, every time',
      path: `/compute/v1/projects/${PROJECT}/global/forwardingRules`,
      reshapeAnswer: (request: AnswerRequest, answer: SimulatedAnswer) =>
        reshapeOn(`/compute/v1/projects/${PROJECT}/aggregated/forwardingRules`, (body) => {
          delete (body.items as Scopes).global;
          return body;
        })(request, answer) ??
        reshapeOn(`/compute/v1/projects/${PROJECT}/global/forwardingRules`, (body) => ({
          ...body,
          nextPageToken: FIRST_PAGE_AGAIN,
        }))(request, answer),
      kind: 'forwardingRule',
      scope: 'global',
      reason: 'globalForwardingRules.list repeated a page token after 2 pages, so its paging would never end',
      requests: 2,
    },
    {
      name: 'the aggregated list hands out a new token for ever',
      path: AGGREGATED_BS,
      reshapeAnswer: newTokenEveryPage(AGGREGATED_BS),
      kind: 'backendService',
      scope: '*',
      reason:
        'backendServices.aggregatedList was still paging after 5 pages, the most one listing is read for',
      requests: 5,
    },
  ])('$name', async ({ path, reshapeAnswer, kind, scope, reason, requests }) => {
    const { simulator: sim, source } = await serve(
      await acmeEdge(),
      [],
      { maxPagesPerListing: 5 },
      reshapeAnswer,
    );
    const inventory = await source.readInventory([PROJECT]);
    expect(inventory.incomplete).toEqual([{ project: PROJECT, kind, scope, reason }]);
    expect(requestsTo(sim, path)).toHaveLength(requests);
  });
});

describe('concurrency', () => {
  function maxOverlap(requests: readonly RequestLogEntry[]): number {
    const edges = requests.flatMap((request) => [
      { at: request.startMs, delta: 1 },
      { at: request.endMs, delta: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let current = 0;
    let highest = 0;
    for (const edge of edges) {
      current += edge.delta;
      highest = Math.max(highest, current);
    }
    return highest;
  }

  it.each([
    { limit: 1, expected: 1 },
    { limit: 3, expected: 3 },
  ])('keeps at most $limit calls per project in flight', async ({ limit, expected }) => {
    const { simulator: sim, source } = await serve(await acmeEdge(), [{ path: '/**', latencyMs: 20 }], {
      concurrencyPerProject: limit,
    });
    await source.readInventory([PROJECT]);
    expect(maxOverlap(sim.requests())).toBe(expected);
  });

  it('keeps the overall limit across projects, each project still getting its own share', async () => {
    const twoProjects = mergeInventories(
      await acmeEdge(),
      inventoryOf({ backendService: [backendService('other-bs', {}, { project: 'acme-other' })] }),
    );
    const { simulator: sim, source } = await serve(twoProjects, [{ path: '/**', latencyMs: 20 }], {
      concurrencyPerProject: 3,
      maxInFlight: 4,
    });
    const inventory = await source.readInventory([PROJECT, 'acme-other']);
    expect(maxOverlap(sim.requests())).toBe(4);
    for (const project of [PROJECT, 'acme-other']) {
      expect(
        maxOverlap(sim.requests().filter((request) => request.path.includes(`/${project}/`))),
      ).toBeLessThanOrEqual(3);
    }
    expect(inventory.backendService).toHaveLength(8);
  });
});

describe('every call is covered by a declared permission', () => {
  /** Compute's and API Gateway's own IAM naming, written independently of the fetcher declarations. */
  function permissionOf(request: RequestLogEntry): string {
    const compute = request.path.match(/^\/compute\/[^/]+\/projects\/[^/]+\/(.+)$/);
    if (compute?.[1]) {
      const parts = compute[1].split('/');
      const [scope] = parts;
      const collection = parts[scope === 'global' || scope === 'aggregated' ? 1 : 2] ?? '';
      const namesOne = parts.length === (scope === 'global' ? 3 : 4);
      const verb = scope !== 'aggregated' && namesOne ? 'get' : 'list';
      const capitalised = collection.charAt(0).toUpperCase() + collection.slice(1);
      if (scope === 'aggregated' || scope === 'zones') return `compute.${collection}.${verb}`;
      if (scope === 'global') {
        const globalName = ['forwardingRules', 'networkEndpointGroups'].includes(collection)
          ? `global${capitalised}`
          : collection;
        return `compute.${globalName}.${verb}`;
      }
      return collection === 'forwardingRules'
        ? `compute.forwardingRules.${verb}`
        : `compute.region${capitalised}.${verb}`;
    }
    const gateway = request.path.match(/\/(gateways|configs)(\/[^/]+)?$/);
    if (gateway?.[1] === 'configs') return `apigateway.apiconfigs.${gateway[2] ? 'get' : 'list'}`;
    if (gateway?.[1] === 'gateways') return `apigateway.gateways.${gateway[2] ? 'get' : 'list'}`;
    return `unknown permission for ${request.method} ${request.path}`;
  }

  it('a full read and a get of every resource (global, regional, zonal) need only declared permissions', async () => {
    const { REQUIRED_PERMISSIONS } = await import('../../../src/adapters/googleapis/permissions.js');
    const regional = inventoryOf({
      backendService: [
        backendService(
          'internal-bs',
          { backends: [negBackend('orders-neg-usc1', 'us-central1')] },
          { region: 'us-central1' },
        ),
      ],
    });
    const { simulator: sim, source, unknown } = await serve(mergeInventories(await acmeEdge(), regional));
    const inventory = await source.readInventory([PROJECT]);
    for (const node of ResourceGraph.build(inventory).allNodes()) await source.readResource(node.ref);
    const extraRefs = [
      `projects/${PROJECT}/global/networkEndpointGroups/internet-neg`,
      `projects/${PROJECT}/zones/us-central1-a/networkEndpointGroups/vm-neg`,
      `projects/${PROJECT}/regions/us-central1/urlMaps/internal-map`,
      `projects/${PROJECT}/regions/us-central1/forwardingRules/internal-fr`,
      `projects/${PROJECT}/regions/us-central1/targetHttpsProxies/internal-proxy`,
      `projects/${PROJECT}/regions/us-central1/targetHttpProxies/internal-http-proxy`,
      `projects/${PROJECT}/regions/us-central1/sslPolicies/internal-ssl`,
      `projects/${PROJECT}/regions/us-central1/securityPolicies/internal-armor`,
    ];
    for (const path of extraRefs) {
      const ref = parseResourceRef(path);
      if (ref) await source.readResource(ref);
    }
    expect(unknown).toEqual([]);
    const needed = [...new Set(sim.requests().map(permissionOf))].sort();
    expect(needed.length).toBeGreaterThan(20);
    expect(needed.filter((permission) => !REQUIRED_PERMISSIONS.includes(permission))).toEqual([]);
  });
});
