import { google } from 'googleapis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  FaultInjector,
  parseFaultRules,
  pathGlobMatcher,
  permissionFor,
} from '../../src/simulator/faults.js';
import { type Simulator, startSimulator } from '../../src/simulator/index.js';
import { PROJECT } from '../support/records.js';
import { sampleEstate } from './sample-estate.js';

const SERVICE_PATH = `/compute/v1/projects/${PROJECT}/global/backendServices/orders-bs`;

let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ inventory: sampleEstate() });
});
afterAll(() => simulator.close());
beforeEach(() => {
  simulator.setFaults([]);
  simulator.clearRequests();
});

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field below.
type Json = any;

async function rawGet(path: string): Promise<{ status: number; retryAfter: string | null; body: Json }> {
  const response = await fetch(`${simulator.url}${path}`);
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  };
}

describe('fault injection', () => {
  it.each([
    {
      name: '403 rateLimitExceeded',
      rule: { status: 403, reason: 'rateLimitExceeded' },
      expected: { status: 403, reason: 'rateLimitExceeded', domain: 'usageLimits', retryAfter: null },
    },
    {
      name: '403 userRateLimitExceeded',
      rule: { status: 403, reason: 'userRateLimitExceeded' },
      expected: { status: 403, reason: 'userRateLimitExceeded', domain: 'usageLimits', retryAfter: null },
    },
    {
      name: '403 forbidden (permission)',
      rule: { status: 403, reason: 'forbidden' },
      expected: { status: 403, reason: 'forbidden', domain: 'global', retryAfter: null },
    },
    {
      name: '429 with Retry-After',
      rule: { status: 429, retryAfterSeconds: 7 },
      expected: { status: 429, reason: 'rateLimitExceeded', domain: 'usageLimits', retryAfter: '7' },
    },
    {
      name: '503',
      rule: { status: 503 },
      expected: { status: 503, reason: 'backendError', domain: 'global', retryAfter: null },
    },
  ] as const)('answers $name for the first k matching requests only', async ({ rule, expected }) => {
    simulator.setFaults([{ path: '/compute/*/projects/*/global/backendServices/**', times: 2, ...rule }]);
    const answers = [await rawGet(SERVICE_PATH), await rawGet(SERVICE_PATH), await rawGet(SERVICE_PATH)];
    expect(answers.map((answer) => answer.status)).toEqual([expected.status, expected.status, 200]);
    const error = answers[0]?.body.error;
    expect({
      status: error.code,
      reason: error.errors[0].reason,
      domain: error.errors[0].domain,
      retryAfter: answers[0]?.retryAfter,
    }).toEqual(expected);
    expect(simulator.requests().map((entry) => [entry.status, entry.fault])).toEqual([
      [expected.status, `${expected.status} ${expected.reason}`],
      [expected.status, `${expected.status} ${expected.reason}`],
      [200, undefined],
    ]);
  });

  it('names the missing permission in a forbidden answer', async () => {
    simulator.setFaults([{ pathRegex: 'backendServices', status: 403, reason: 'forbidden' }]);
    const { body } = await rawGet(SERVICE_PATH);
    expect(body.error.message).toBe(
      `Required 'compute.backendServices.get' permission for 'projects/${PROJECT}/global/backendServices/orders-bs'`,
    );
  });

  it('delays matching requests and notes the latency in the request log', async () => {
    simulator.setFaults([{ path: '/compute/v1/**', latencyMs: 30, method: 'GET' }]);
    await rawGet(SERVICE_PATH);
    await rawGet(`/v1/projects/${PROJECT}/locations/-/gateways`);
    expect(simulator.requests().map((entry) => [entry.path, entry.status, entry.fault])).toEqual([
      [SERVICE_PATH, 200, 'latency 30ms'],
      [`/v1/projects/${PROJECT}/locations/-/gateways`, 200, undefined],
    ]);
  });

  it('serves the previous state to the first k GETs after a change (stale reads)', async () => {
    simulator.setFaults([{ path: '/compute/*/projects/*/global/backendServices/billing-bs', staleReads: 2 }]);
    const compute = google.compute({ version: 'v1', rootUrl: `${simulator.url}/` });
    await compute.backendServices.patch({
      project: PROJECT,
      backendService: 'billing-bs',
      requestBody: { description: 'changed' },
    });
    const reads = [];
    for (let read = 0; read < 3; read += 1) {
      reads.push(
        (await compute.backendServices.get({ project: PROJECT, backendService: 'billing-bs' })).data,
      );
    }
    expect(reads.map((read) => read.description)).toEqual(['', '', 'changed']);
    expect(simulator.requests().map((entry) => entry.fault)).toEqual([
      undefined,
      'stale read',
      'stale read',
      undefined,
    ]);
  });

  it('reports faulted scopes as unreachable with returnPartialSuccess, and fails the call without it', async () => {
    simulator.setFaults([
      {
        path: '/compute/v1/projects/*/aggregated/backendServices',
        unreachableScopes: ['regions/europe-west2'],
      },
    ]);
    const path = `/compute/v1/projects/${PROJECT}/aggregated/backendServices`;
    const partial = await rawGet(`${path}?returnPartialSuccess=true`);
    expect(partial.body.unreachables).toEqual(['regions/europe-west2']);
    expect(partial.body.items['regions/europe-west2'].warning.code).toBe('UNREACHABLE');
    expect(
      partial.body.items['regions/us-central1'].backendServices.map((item: { name: string }) => item.name),
    ).toEqual(['run-bs']);
    expect((await rawGet(path)).status).toBe(503);
  });

  it('serves the request log and clears it over HTTP', async () => {
    await rawGet(SERVICE_PATH);
    const log: Json = await (await fetch(`${simulator.url}/__simulator/requests`)).json();
    expect(log.requests).toHaveLength(1);
    expect(log.requests[0]).toMatchObject({ method: 'GET', path: SERVICE_PATH, status: 200, query: {} });
    expect(log.requests[0].endMs).toBeGreaterThanOrEqual(log.requests[0].startMs);
    expect((await fetch(`${simulator.url}/__simulator/requests`, { method: 'DELETE' })).status).toBe(204);
    expect(simulator.requests()).toEqual([]);
  });

  it('takes fault rules over HTTP and refuses invalid ones with the field named', async () => {
    const put = (body: unknown) =>
      fetch(`${simulator.url}/__simulator/faults`, { method: 'PUT', body: JSON.stringify(body) });
    expect((await put({ faults: [{ path: '/compute/**', status: 503, times: 1 }] })).status).toBe(204);
    expect((await rawGet(SERVICE_PATH)).status).toBe(503);
    const refused = await put([{ path: '/x', status: 418 }]);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as Json).error.message).toMatch(/0\.status/);
  });
});

describe('fault rule parsing', () => {
  it.each([
    { name: 'no path', input: [{ status: 503 }], message: /exactly one of "path"/ },
    { name: 'both path forms', input: [{ path: '/a', pathRegex: 'a', status: 503 }], message: /exactly one/ },
    {
      name: 'reason on a 503',
      input: [{ path: '/a', status: 503, reason: 'forbidden' }],
      message: /only applies/,
    },
    { name: 'bad regex', input: [{ pathRegex: '(', status: 503 }], message: /0\.pathRegex/ },
    { name: 'unknown field', input: [{ path: '/a', latency: 5 }], message: /0/ },
    {
      name: 'bad scope',
      input: [{ path: '/a', unreachableScopes: ['europe'] }],
      message: /unreachableScopes/,
    },
  ])('refuses $name with a message naming the problem', ({ input, message }) => {
    expect(() => parseFaultRules(input, 'faults.json')).toThrow(message);
  });

  it.each([
    {
      glob: '/compute/*/projects/p/global/backendServices',
      path: '/compute/v1/projects/p/global/backendServices',
      hit: true,
    },
    { glob: '/compute/*/projects/p', path: '/compute/v1/projects/p/global', hit: false },
    { glob: '/compute/**', path: '/compute/beta/projects/p/regions/r/networkEndpointGroups/n', hit: true },
    { glob: '/v1/projects/?/locations/-/gateways', path: '/v1/projects/p/locations/-/gateways', hit: true },
  ])('glob $glob matches $path: $hit', ({ glob, path, hit }) => {
    expect(pathGlobMatcher(glob)(path)).toBe(hit);
  });

  // A review's find: each `**` was `.*` in a RegExp, and this glob froze the simulator on a long path (the
  // RegExp took 86 ms at 40 segments and about 2.5^7 times that at 100).
  it.each([
    { path: `/compute/${'a/'.repeat(100)}y`, hit: false },
    { path: `/compute/${'a/'.repeat(100)}x`, hit: true },
  ])('a rule whose glob has seven ** answers on a path of 100 segments ($hit)', ({ path, hit }) => {
    const injector = new FaultInjector([{ path: '/compute/**/**/**/**/**/**/**/x', latencyMs: 1 }]);
    expect(injector.pick('GET', path) !== undefined).toBe(hit);
  });

  it.each([
    { method: 'GET', path: '/compute/v1/projects/p/aggregated/urlMaps', permission: 'compute.urlMaps.list' },
    {
      method: 'GET',
      path: '/compute/beta/projects/p/regions/r/networkEndpointGroups/n',
      permission: 'compute.networkEndpointGroups.get',
    },
    {
      method: 'GET',
      path: '/v1/projects/p/locations/global/apis/a/configs/c',
      permission: 'apigateway.apiconfigs.get',
    },
    {
      method: 'PATCH',
      path: '/v1/projects/p/locations/r/gateways/g',
      permission: 'apigateway.gateways.update',
    },
  ])('needs $permission for $method $path', ({ method, path, permission }) => {
    expect(permissionFor(method, path).permission).toBe(permission);
  });
});
