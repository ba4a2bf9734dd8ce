import { describe, expect, test } from 'vitest';
import { type ApiConfigAnalysis, analyseApiConfig } from '../../src/domain/api-config-auth.js';
import type { ApiConfig } from '../../src/domain/resources.js';
import { apiConfig } from '../support/records.js';

const SWAGGER_API_KEY = `
swagger: "2.0"
info: { title: orders, version: "1.0.0" }
x-google-backend:
  address: https://orders-abc-uc.a.run.app
security:
  - api_key: []
securityDefinitions:
  api_key:
    type: apiKey
    name: key
    in: query
  firebase:
    type: oauth2
    flow: implicit
    authorizationUrl: ""
    x-google-issuer: https://securetoken.google.com/acme-edge
    x-google-jwks_uri: https://www.googleapis.com/service_accounts/v1/metadata/x509/securetoken@system.gserviceaccount.com
    x-google-audiences: acme-edge
paths:
  /orders:
    parameters:
      - { name: tenant, in: query, type: string }
    get:
      operationId: listOrders
      responses: { "200": { description: ok } }
    post:
      operationId: createOrder
      security: [ { firebase: [] } ]
      responses: { "201": { description: created } }
  /orders/{id}:
    x-google-quota: { metricCosts: { reads: 1 } }
    get:
      operationId: getOrder
      responses: { "200": { description: ok } }
`;

const OPENAPI_3 = {
  openapi: '3.0.3',
  info: { title: 'orders', version: '1.0.0' },
  'x-google-api-management': {
    backends: { orders: { address: 'https://orders-abc-uc.a.run.app', jwtAudience: 'https://orders' } },
  },
  'x-google-backend': 'orders',
  components: {
    securitySchemes: {
      auth0: {
        type: 'oauth2',
        flows: { implicit: { authorizationUrl: 'https://acme.eu.auth0.com/authorize', scopes: {} } },
        'x-google-auth': {
          issuer: 'https://acme.eu.auth0.com/',
          jwksUri: 'https://acme.eu.auth0.com/.well-known/jwks.json',
          audiences: ['orders-api'],
        },
      },
      header_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
    },
  },
  security: [{ auth0: [] }],
  paths: {
    '/orders': {
      get: { operationId: 'listOrders', responses: { '200': { description: 'ok' } } },
      delete: { operationId: 'purge', security: [{ header_key: [] }], responses: {} },
    },
  },
};

interface AnalyserCase {
  readonly name: string;
  readonly config: ApiConfig;
  readonly expected: Record<string, unknown>;
}

function swaggerWith(paths: string, top = ''): string {
  return `swagger: "2.0"\ninfo: { title: t, version: "1" }\n${top}\npaths:\n${paths}`;
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

const CASES: readonly AnalyserCase[] = [
  {
    name: 'OpenAPI 2 with a top-level api_key requirement and a per-operation JWT override',
    config: apiConfig('orders/configs/orders-v7', SWAGGER_API_KEY),
    expected: {
      kind: 'openapi',
      version: '2.0',
      fullyAuthenticated: true,
      allowAll: false,
      unauthenticated: [],
      operations: [
        { method: 'GET', path: '/orders', authenticated: true, schemes: ['api_key'] },
        { method: 'POST', path: '/orders', authenticated: true, schemes: ['firebase'] },
        { method: 'GET', path: '/orders/{id}', authenticated: true, schemes: ['api_key'] },
      ],
      securitySchemes: {
        apiKeys: [{ name: 'api_key', in: 'query', parameter: 'key' }],
        jwtProviders: [
          {
            name: 'firebase',
            issuer: 'https://securetoken.google.com/acme-edge',
            audiences: ['acme-edge'],
          },
        ],
        other: [],
      },
    },
  },
  {
    name: 'OpenAPI 2 where one operation opts out with security: []',
    config: apiConfig(
      'orders/configs/orders-v8',
      swaggerWith(
        '  /orders:\n    get: { security: [], responses: {} }\n    post: { responses: {} }\n',
        'security: [ { api_key: [] } ]\nsecurityDefinitions: { api_key: { type: apiKey, name: key, in: query } }',
      ),
    ),
    expected: { kind: 'openapi', fullyAuthenticated: false, unauthenticated: ['GET /orders'] },
  },
  {
    name: 'x-google-allow: all passes unlisted paths through even with every operation authenticated',
    config: apiConfig(
      'orders/configs/orders-v9',
      swaggerWith(
        '  /orders:\n    get: { responses: {} }\n',
        'x-google-allow: all\nsecurity: [ { api_key: [] } ]\nsecurityDefinitions: { api_key: { type: apiKey, name: key, in: query } }',
      ),
    ),
    expected: { kind: 'openapi', allowAll: true, unauthenticated: [], fullyAuthenticated: false },
  },
  {
    name: 'OpenAPI 3 with x-google-auth JWT provider and x-google-api-management',
    config: apiConfig('orders/configs/orders-v10', OPENAPI_3),
    expected: {
      kind: 'openapi',
      version: '3.0.3',
      fullyAuthenticated: true,
      operations: [
        { method: 'GET', path: '/orders', authenticated: true, schemes: ['auth0'] },
        { method: 'DELETE', path: '/orders', authenticated: true, schemes: ['header_key'] },
      ],
      securitySchemes: {
        apiKeys: [{ name: 'header_key', in: 'header', parameter: 'x-api-key' }],
        jwtProviders: [
          {
            name: 'auth0',
            issuer: 'https://acme.eu.auth0.com/',
            jwksUri: 'https://acme.eu.auth0.com/.well-known/jwks.json',
            audiences: ['orders-api'],
          },
        ],
      },
    },
  },
  {
    name: 'OpenAPI 3.1 with no security anywhere',
    config: apiConfig(
      'orders/configs/open',
      'openapi: 3.1.0\ninfo: { title: t, version: "1" }\npaths:\n  /health: { get: { responses: {} }, head: { responses: {} } }\n',
    ),
    expected: {
      kind: 'openapi',
      version: '3.1.0',
      fullyAuthenticated: false,
      unauthenticated: ['GET /health', 'HEAD /health'],
    },
  },
  {
    name: 'an empty requirement object {} makes auth optional',
    config: apiConfig(
      'orders/configs/optional',
      swaggerWith(
        '  /orders:\n    get: { security: [ { api_key: [] }, {} ], responses: {} }\n',
        'securityDefinitions: { api_key: { type: apiKey, name: key, in: query } }',
      ),
    ),
    expected: {
      kind: 'openapi',
      fullyAuthenticated: false,
      unauthenticated: ['GET /orders'],
      operations: [{ method: 'GET', path: '/orders', authenticated: false, schemes: ['api_key'] }],
    },
  },
  {
    name: 'unquoted YAML versions (swagger: 2.0 read as a number) are still OpenAPI',
    config: apiConfig('orders/configs/number', 'swagger: 2.0\npaths: {}\n'),
    expected: { kind: 'openapi', version: '2.0', operations: [], fullyAuthenticated: true },
  },
  {
    name: 'a gRPC config',
    config: {
      ...apiConfig('orders/configs/grpc', '{}'),
      openapiDocuments: undefined,
      grpcServices: [{ source: [{ path: 'orders.pb', contents: 'CgZvcmRlcnM=' }] }],
      managedServiceConfigs: [{ path: 'api_config.yaml', contents: base64('type: google.api.Service') }],
    },
    expected: { kind: 'grpc' },
  },
  {
    name: 'contents that are not base64',
    config: apiConfig('orders/configs/bad', '{}', {
      openapiDocuments: [{ document: { path: 'openapi.yaml', contents: 'not base64 at all!' } }],
    }),
    expected: { kind: 'unreadable', reason: expect.stringMatching(/openapi\.yaml.*not valid base64/) },
  },
  {
    name: 'contents that are neither YAML nor JSON',
    config: apiConfig('orders/configs/garbage', 'swagger: "2.0"\npaths: { /a: [unclosed\n'),
    expected: { kind: 'unreadable', reason: expect.stringMatching(/neither YAML nor JSON/) },
  },
  {
    name: 'a YAML document that is not OpenAPI',
    config: apiConfig('orders/configs/k8s', 'apiVersion: v1\nkind: ConfigMap\n'),
    expected: { kind: 'unreadable', reason: expect.stringMatching(/not an OpenAPI document/) },
  },
  {
    name: 'a config read with view=BASIC (no documents at all)',
    config: { ...apiConfig('orders/configs/basic', '{}'), openapiDocuments: undefined },
    expected: { kind: 'unreadable', reason: expect.stringMatching(/view=FULL/) },
  },
  {
    name: 'a document listed without contents',
    config: apiConfig('orders/configs/basic2', '{}', {
      openapiDocuments: [{ document: { path: 'openapi.yaml' } }],
    }),
    expected: {
      kind: 'unreadable',
      reason: expect.stringMatching(/openapi\.yaml has no contents.*view=FULL/),
    },
  },
  {
    name: 'several documents: paths merged, each under its own top-level security',
    config: apiConfig('orders/configs/split', '{}', {
      openapiDocuments: [
        {
          document: {
            path: 'orders.yaml',
            contents: base64(
              swaggerWith(
                '  /orders:\n    get: { responses: {} }\n',
                'security: [ { api_key: [] } ]\nsecurityDefinitions: { api_key: { type: apiKey, name: key, in: query } }',
              ),
            ),
          },
        },
        {
          document: {
            path: 'public.yaml',
            contents: base64(swaggerWith('  /status:\n    get: { responses: {} }\n')),
          },
        },
      ],
    }),
    expected: {
      kind: 'openapi',
      documents: ['orders.yaml', 'public.yaml'],
      operations: [
        { method: 'GET', path: '/orders', authenticated: true },
        { method: 'GET', path: '/status', authenticated: false },
      ],
      unauthenticated: ['GET /status'],
      fullyAuthenticated: false,
    },
  },
  {
    name: 'a document whose paths is not a mapping',
    config: apiConfig('orders/configs/paths', 'swagger: "2.0"\npaths: [ /a, /b ]\n'),
    expected: { kind: 'unreadable', reason: expect.stringMatching(/"paths" that is not a mapping/) },
  },
];

describe('analyseApiConfig', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    expect(analyseApiConfig(testCase.config)).toMatchObject(testCase.expected);
  });

  test('a YAML alias bomb is refused as unreadable instead of expanding', () => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let level = 1; level < 10; level++) {
      const previous = String.fromCharCode(96 + level);
      const current = String.fromCharCode(97 + level);
      lines.push(`${current}: &${current} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const result = analyseApiConfig(
      apiConfig('orders/configs/bomb', `swagger: "2.0"\n${lines.join('\n')}\n`),
    );
    expect(result).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/alias/i) });
  });

  test('a document over the size bound is refused before it is decoded', () => {
    const huge = `swagger: "2.0"\ndescription: "${'x'.repeat(5 * 1024 * 1024)}"\n`;
    const result = analyseApiConfig(apiConfig('orders/configs/huge', huge));
    expect(result).toMatchObject({ kind: 'unreadable', reason: expect.stringMatching(/larger than 4 MB/) });
  });

  test('binary contents are not mistaken for text', () => {
    const config = apiConfig('orders/configs/binary', '{}', {
      openapiDocuments: [
        {
          document: {
            path: 'openapi.yaml',
            contents: Buffer.from([0xff, 0xfe, 0x00, 0xc3]).toString('base64'),
          },
        },
      ],
    });
    expect(analyseApiConfig(config)).toMatchObject({
      kind: 'unreadable',
      reason: expect.stringMatching(/UTF-8/),
    });
  });

  test('the analysis is memoised per config object, and per content for a copy', () => {
    const config = apiConfig('orders/configs/orders-v7', SWAGGER_API_KEY);
    const first: ApiConfigAnalysis = analyseApiConfig(config);
    expect(analyseApiConfig(config)).toBe(first);
    expect(analyseApiConfig({ ...config })).toBe(first);
  });
});

// A document's path is the export's to choose: the reason quotes it, and every undetermined result (stderr, reports)
// quotes the reason, so a path of 100,000 characters made each of twenty stderr lines 100 KB long.
describe('analyseApiConfig: a document path 100,000 characters long is quoted by its ends', () => {
  const longPath = `specs/${'p'.repeat(100_000)}/openapi.yaml`;
  const withPath = (contents: string | undefined) =>
    apiConfig('orders/configs/long-path', '{}', {
      openapiDocuments: [{ document: { path: longPath, ...(contents === undefined ? {} : { contents }) } }],
    });
  test.each([
    { name: 'no contents', contents: undefined, problem: /has no contents/ },
    { name: 'contents that are not base64', contents: '!!!', problem: /are not valid base64/ },
    {
      name: 'contents that are not UTF-8',
      contents: Buffer.from([0xff, 0xfe, 0xfd]).toString('base64'),
      problem: /is not UTF-8 text/,
    },
    {
      name: 'contents that are not YAML',
      contents: base64('paths: [unclosed'),
      problem: /neither YAML nor JSON/,
    },
    {
      name: 'contents that are not OpenAPI',
      contents: base64('kind: ConfigMap\n'),
      problem: /not an OpenAPI document/,
    },
  ])('$name', ({ contents, problem }) => {
    const analysis = analyseApiConfig(withPath(contents));
    expect(analysis.kind).toBe('unreadable');
    const reason = analysis.kind === 'unreadable' ? analysis.reason : '';
    expect(reason).toMatch(problem);
    expect(reason).toMatch(/^document specs\/p+…\[\d+ characters left out\]…p+\/openapi\.yaml /);
    expect(reason.length).toBeLessThan(600);
  });
});

test('an OpenAPI path 100,000 characters long whose $ref is not a string is quoted by its ends', () => {
  const longPath = `/${'p'.repeat(100_000)}`;
  const analysis = analyseApiConfig(
    apiConfig('orders/configs/long-ref', { swagger: '2.0', info: {}, paths: { [longPath]: { $ref: 42 } } }),
  );
  const reason = analysis.kind === 'unreadable' ? analysis.reason : '';
  expect(reason).toMatch(/^path \/p+…\[\d+ characters left out\]…p+ has a \$ref that is not a string$/);
});

describe('analyseApiConfig: $ref path items (issue 17)', () => {
  const OPENAPI_REF = `
openapi: 3.0.3
info: { title: orders, version: "1.0.0" }
security: [ { api_key: [] } ]
components:
  securitySchemes:
    api_key: { type: apiKey, name: key, in: query }
x-paths:
  open-orders:
    get:
      security: []
      responses: { "200": { description: ok } }
paths:
  /orders:
    $ref: "#/x-paths/open-orders"
  /health:
    $ref: "#/paths/~1orders"
`;

  test('a $ref within the document is followed: its operations count, with their own security', () => {
    const analysis = analyseApiConfig(apiConfig('orders/configs/v1', OPENAPI_REF));
    expect(analysis).toMatchObject({
      kind: 'openapi',
      unauthenticated: ['GET /orders', 'GET /health'],
      fullyAuthenticated: false,
    });
  });

  test('a $ref to another document of the same config is followed', () => {
    const main = `openapi: 3.0.3\ninfo: { title: t, version: "1" }\nsecurity: [ { k: [] } ]\npaths:\n  /a:\n    $ref: "./shared.yaml#/x-items/a"\n`;
    const shared = `openapi: 3.0.3\ninfo: { title: t, version: "1" }\nx-items:\n  a:\n    get: { security: [], responses: {} }\n`;
    const config = apiConfig('orders/configs/v1', main, {
      openapiDocuments: [
        { document: { path: 'openapi.yaml', contents: Buffer.from(main).toString('base64') } },
        { document: { path: 'shared.yaml', contents: Buffer.from(shared).toString('base64') } },
      ],
    });
    expect(analyseApiConfig(config)).toMatchObject({ kind: 'openapi', unauthenticated: ['GET /a'] });
  });

  test.each([
    [
      'an external document',
      '"https://example.com/spec.yaml#/paths/~1x"',
      /outside the API config's documents/,
    ],
    ['a pointer that names nothing', '"#/nowhere"', /names no path item/],
  ])('a $ref to %s makes the config unreadable, so the rule cannot decide', (_name, ref, reason) => {
    const text = `swagger: "2.0"\ninfo: { title: t, version: "1" }\npaths:\n  /x:\n    $ref: ${ref}\n`;
    const analysis = analyseApiConfig(apiConfig('orders/configs/v1', text));
    expect(analysis.kind).toBe('unreadable');
    expect((analysis as { reason: string }).reason).toMatch(reason);
  });

  test('a $ref cycle ends', () => {
    const text = `swagger: "2.0"\ninfo: { title: t, version: "1" }\nx-a: { $ref: "#/x-b" }\nx-b: { $ref: "#/x-a", get: {} }\npaths:\n  /x:\n    $ref: "#/x-a"\n`;
    expect(analyseApiConfig(apiConfig('orders/configs/v1', text))).toMatchObject({
      kind: 'openapi',
      unauthenticated: ['GET /x'],
    });
  });
});

describe('analysis cache by content (issue 14)', () => {
  test('a config read again as a new object with the same documents is not parsed again', () => {
    const first = analyseApiConfig(apiConfig('orders/configs/cache-a', swaggerWith('  /cache-a: {}')));
    const again = analyseApiConfig(apiConfig('orders/configs/cache-a', swaggerWith('  /cache-a: {}')));
    expect(again).toBe(first);
  });

  test('a config with other contents gets its own analysis', () => {
    const first = analyseApiConfig(
      apiConfig('orders/configs/cache-b', swaggerWith('  /cache-b:\n    get: {}')),
    );
    const other = analyseApiConfig(
      apiConfig('orders/configs/cache-b', swaggerWith('  /cache-b2:\n    get: {}')),
    );
    expect(other).not.toBe(first);
    expect(other).not.toEqual(first);
  });
});
