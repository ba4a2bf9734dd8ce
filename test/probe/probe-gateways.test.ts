// From graph to evidence: which requests the probe plans for each fronted gateway, and the probe's results
// landing in `gateway.direct-url-protected` findings end to end, against a local HTTPS server.

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scanInventory } from '../../src/app/scan.js';
import { planGatewayProbes } from '../../src/probe/plan-probes.js';
import { DEFAULT_PROBE_SETTINGS, ProbeSession } from '../../src/probe/probe-session.js';
import { gatewayDirectUrlProtected } from '../../src/rules/gateway/direct-url-protected.js';
import { frontedGateway, GATEWAY, NO_PROTECTIONS } from '../rules/gateway/fixtures.js';
import { apiConfig, gateway, graphOf, inventoryOf } from '../support/records.js';
import { makeCertificate, opensslMissing, startHttpsServer, type TestServer } from './https-test-server.js';

const MIXED_SPEC = `swagger: "2.0"
info: { title: orders, version: "1.0.0" }
security:
  - api_key: []
securityDefinitions:
  api_key: { type: apiKey, name: key, in: query }
paths:
  /orders:
    post: { operationId: createOrder, security: [], responses: { "200": { description: ok } } }
    get: { operationId: listOrders, responses: { "200": { description: ok } } }
  /cors:
    options: { operationId: cors, security: [], responses: { "200": { description: ok } } }
  /ping:
    head: { operationId: ping, security: [], responses: { "200": { description: ok } } }
  /orders/{orderId}/items/{item}:
    get: { operationId: getItem, security: [], responses: { "200": { description: ok } } }
  /health:
    get: { operationId: health, security: [], responses: { "200": { description: ok } } }
  /status:
    get: { operationId: status, security: [], responses: { "200": { description: ok } } }
`;

const PROBE_SPEC = `swagger: "2.0"
info: { title: orders, version: "1.0.0" }
security:
  - api_key: []
securityDefinitions:
  api_key: { type: apiKey, name: key, in: query }
paths:
  /orders:
    get: { operationId: listOrders, responses: { "200": { description: ok } } }
  /health:
    get: { operationId: health, security: [], responses: { "200": { description: ok } } }
`;

function frontedAt(host: string, spec: string) {
  const records = frontedGateway({ spec, service: NO_PROTECTIONS });
  return {
    ...records,
    gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', { defaultHostname: host })],
  };
}

describe('planGatewayProbes', () => {
  test('open GETs first (at most the cap), placeholders for path parameters, one authenticated operation, never POST', () => {
    const [plan] = planGatewayProbes(graphOf(frontedGateway({ spec: MIXED_SPEC })), 3);
    expect(plan?.gateway).toBe(GATEWAY);
    expect(plan?.host).toBe('orders-gw-8k2j4h1q.uc.gateway.dev');
    expect(plan?.requests).toEqual([
      {
        operation: 'GET /orders/{orderId}/items/{item}',
        method: 'GET',
        path: '/orders/gatewarden-probe/items/gatewarden-probe',
        expectation: 'open',
      },
      { operation: 'GET /health', method: 'GET', path: '/health', expectation: 'open' },
      { operation: 'GET /status', method: 'GET', path: '/status', expectation: 'open' },
      { operation: 'GET /orders', method: 'GET', path: '/orders', expectation: 'auth-required' },
    ]);
  });

  test('HEAD and OPTIONS operations are probed when the cap leaves room', () => {
    const [plan] = planGatewayProbes(graphOf(frontedGateway({ spec: MIXED_SPEC })), 10);
    expect(plan?.requests.map((request) => request.operation)).toEqual([
      'GET /orders/{orderId}/items/{item}',
      'GET /health',
      'GET /status',
      'HEAD /ping',
      'OPTIONS /cors',
      'GET /orders',
    ]);
  });

  test.each([
    ['a gateway no load balancer fronts is not planned', { ...frontedGateway(), backendService: [] }, []],
    [
      'a gateway without a defaultHostname is planned with a reason',
      {
        ...frontedGateway(),
        gateway: [
          gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7', { defaultHostname: undefined }),
        ],
      },
      [{ gateway: GATEWAY, host: undefined, requests: [], reason: 'the gateway has no defaultHostname' }],
    ],
    [
      'an API config with only a POST open and nothing safe to call',
      frontedGateway({
        config: apiConfig('orders/configs/orders-v7', {
          swagger: '2.0',
          info: { title: 'o', version: '1' },
          paths: { '/orders': { post: { responses: { 200: { description: 'ok' } } } } },
        }),
      }),
      [
        {
          gateway: GATEWAY,
          host: 'orders-gw-8k2j4h1q.uc.gateway.dev',
          requests: [],
          reason: 'the API config has no GET, HEAD or OPTIONS operation to probe',
        },
      ],
    ],
  ])('%s', (_name, records, expected) => {
    expect(planGatewayProbes(graphOf(records), 3)).toEqual(expected);
  });
});

const skipReason = opensslMissing();

describe.skipIf(skipReason !== undefined)(
  `gateway.direct-url-protected with probe results${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let server: TestServer;
    let ca: string;

    beforeAll(async () => {
      const certificate = makeCertificate(['gw.probe.test']);
      ca = certificate.cert;
      server = await startHttpsServer(certificate, {
        '/health': (_request, response) => response.writeHead(200).end('ok'),
        '/orders': (_request, response) => response.writeHead(401).end('{"code":401}'),
      });
    });
    afterAll(async () => server?.close());

    function session(allowHosts: readonly string[]) {
      return new ProbeSession(
        {
          ...DEFAULT_PROBE_SETTINGS,
          allowHosts,
          trustedCa: ca,
          unsafeAllowLoopbackForTests: true,
          unsafePortForTests: server.port,
        },
        {
          resolve: async (host) => (host === 'gw.probe.test' ? [{ address: '127.0.0.1', family: 4 }] : []),
          clock: { now: () => new Date('2026-05-03T10:00:00Z'), sleep: async () => {} },
        },
      );
    }

    test('an open operation answering 200 without credentials is proof in the finding evidence', async () => {
      const records = frontedAt('gw.probe.test', PROBE_SPEC);
      const results = await session(['*.probe.test']).probeGraph(graphOf(records));
      const report = scanInventory(inventoryOf(records), {
        rules: [gatewayDirectUrlProtected],
        probeResults: results,
      });
      const [finding] = report.findings;
      expect(finding?.resource).toBe(GATEWAY);
      expect(finding?.severity).toBe('HIGH');
      expect(finding?.evidence.probe).toEqual({
        ran: true,
        url: `https://gw.probe.test:${server.port}/health`,
        statusCode: 200,
        answeredUnauthenticated: true,
        probedAt: '2026-05-03T10:00:00.000Z',
        authEnforced: true,
        summary:
          'GET /health answered 200 without credentials; GET /orders answered 401 (credentials required)',
        requests: [
          {
            operation: 'GET /health',
            method: 'GET',
            url: `https://gw.probe.test:${server.port}/health`,
            expectation: 'open',
            outcome: 'answered',
            statusCode: 200,
            answeredUnauthenticated: true,
            bytesRead: 2,
            truncated: false,
          },
          {
            operation: 'GET /orders',
            method: 'GET',
            url: `https://gw.probe.test:${server.port}/orders`,
            expectation: 'auth-required',
            outcome: 'answered',
            statusCode: 401,
            answeredUnauthenticated: false,
            bytesRead: 12,
            truncated: false,
          },
        ],
      });
    });

    test('a gateway host outside the allow-list is not probed, and the evidence says why', async () => {
      const records = frontedAt('gw.probe.test', PROBE_SPEC);
      const before = server.received.length;
      const results = await session(['*.gateway.dev']).probeGraph(graphOf(records));
      const report = scanInventory(inventoryOf(records), {
        rules: [gatewayDirectUrlProtected],
        probeResults: results,
      });
      expect(report.findings[0]?.evidence.probe).toMatchObject({
        ran: false,
        reason: expect.stringMatching(/gw\.probe\.test is not on the probe allow-list/),
      });
      expect(server.received.length).toBe(before);
    });
  },
);
