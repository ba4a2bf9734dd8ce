import { describe, expect, test } from 'vitest';
import type { ResourceNode } from '../../../src/domain/graph.js';
import type { Inventory } from '../../../src/domain/inventory.js';
import { stableJson } from '../../../src/domain/stable-json.js';
import {
  captureGovernedFields,
  DEFAULT_GOVERNED_FIELDS,
  isFieldPath,
  resolveGovernedFields,
} from '../../../src/rules/drift/governed-fields.js';
import {
  apiGatewayNeg,
  backendService,
  computeLink,
  fullName,
  gateway,
  graphOf,
  httpsProxy,
  negBackend,
  PROJECT_NUMBER,
  urlMap,
  zonalNeg,
} from '../../support/records.js';

const BS = fullName('global/backendServices/apigw-bs');

function capture(records: Partial<Inventory>, name: string, fieldSet = DEFAULT_GOVERNED_FIELDS) {
  const graph = graphOf(records);
  const node = [...graph.allNodes()].find((candidate) => candidate.fullName === name) as ResourceNode;
  expect(node, `${name} is in the graph`).toBeDefined();
  return captureGovernedFields(node, graph, fieldSet);
}

const NEGS = {
  networkEndpointGroup: [
    apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
    apiGatewayNeg('orders-neg-euw1', 'europe-west1', 'orders-gw'),
  ],
};

describe('captureGovernedFields: equal states capture equal values', () => {
  test.each([
    [
      'a beta selfLink and a v1 selfLink of the same security policy',
      { securityPolicy: computeLink('global/securityPolicies/api-waf', 'acme-edge', 'beta') },
      { securityPolicy: computeLink('global/securityPolicies/api-waf') },
    ],
    [
      'backends listed in another order',
      {
        backends: [
          negBackend('orders-neg-usc1', 'us-central1'),
          negBackend('orders-neg-euw1', 'europe-west1'),
        ],
      },
      {
        backends: [
          negBackend('orders-neg-euw1', 'europe-west1'),
          negBackend('orders-neg-usc1', 'us-central1'),
        ],
      },
    ],
    [
      'a backend group linked through beta and through v1',
      {
        backends: [
          negBackend('orders-neg-usc1', 'us-central1', {
            group: computeLink(
              'regions/us-central1/networkEndpointGroups/orders-neg-usc1',
              'acme-edge',
              'beta',
            ),
          }),
        ],
      },
      { backends: [negBackend('orders-neg-usc1', 'us-central1')] },
    ],
    ['health checks absent and health checks empty', { healthChecks: [] }, { healthChecks: undefined }],
    [
      'a capacity change (not governed)',
      { backends: [negBackend('orders-neg-usc1', 'us-central1', { capacityScaler: 0.5 })] },
      { backends: [negBackend('orders-neg-usc1', 'us-central1')] },
    ],
  ])('%s', (_name, left, right) => {
    const one = capture({ ...NEGS, backendService: [backendService('apigw-bs', left)] }, BS);
    const other = capture({ ...NEGS, backendService: [backendService('apigw-bs', right)] }, BS);
    expect(stableJson(one)).toBe(stableJson(other));
  });

  test('a project number equals its ID where the estate maps them', () => {
    const config = `projects/${PROJECT_NUMBER}/locations/global/apis/orders/configs/orders-v7`;
    const byNumber = capture(
      {
        gateway: [gateway('orders-gw', 'us-central1', config)],
        projectIds: { [PROJECT_NUMBER]: 'acme-edge' },
      },
      fullName('locations/us-central1/gateways/orders-gw'),
    );
    const byId = capture(
      { gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')] },
      fullName('locations/us-central1/gateways/orders-gw'),
    );
    expect(byNumber).toEqual(byId);
    expect(byId).toEqual({
      apiConfig:
        '//apigateway.googleapis.com/projects/acme-edge/locations/global/apis/orders/configs/orders-v7',
    });
  });
});

describe('captureGovernedFields: what is captured', () => {
  test('every default backend service field, links as full names', () => {
    const captured = capture(
      {
        ...NEGS,
        backendService: [
          backendService('apigw-bs', {
            backends: [
              negBackend('orders-neg-usc1', 'us-central1'),
              negBackend('orders-neg-euw1', 'europe-west1'),
            ],
            cdnPolicy: { cacheMode: 'CACHE_ALL_STATIC', defaultTtl: 3600 },
          }),
        ],
      },
      BS,
    );
    expect(captured).toEqual({
      securityPolicy: fullName('global/securityPolicies/api-waf'),
      edgeSecurityPolicy: null,
      'iap.enabled': false,
      enableCDN: false,
      'cdnPolicy.cacheMode': 'CACHE_ALL_STATIC',
      protocol: 'HTTPS',
      loadBalancingScheme: 'EXTERNAL_MANAGED',
      'logConfig.enable': true,
      healthChecks: null,
      'backends[].group': [
        fullName('regions/europe-west1/networkEndpointGroups/orders-neg-euw1'),
        fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'),
      ],
    });
  });

  test('a NEG: its serverless deployment, keys sorted', () => {
    const neg = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
    // The API's order is not sorted here, so the sort in the capture is what puts `platform` first.
    const unsorted = apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', {
      serverlessDeployment: { resource: 'orders-gw', platform: 'apigateway.googleapis.com' },
    });
    expect(Object.keys(unsorted.serverlessDeployment as object)).toEqual(['resource', 'platform']);
    const captured = capture({ networkEndpointGroup: [unsorted] }, neg);
    expect(captured).toEqual({
      serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'orders-gw' },
    });
    expect(Object.keys(captured.serverlessDeployment as object)).toEqual(['platform', 'resource']);
  });

  test('a target HTTPS proxy: SSL policy and certificates', () => {
    const captured = capture(
      { targetHttpsProxy: [httpsProxy('apigw-proxy', 'apigw-map')] },
      fullName('global/targetHttpsProxies/apigw-proxy'),
    );
    expect(captured).toEqual({
      sslPolicy: null,
      sslCertificates: [fullName('global/sslCertificates/apigw-proxy-cert')],
    });
  });

  test('a URL map: only the fronting backend services it routes to', () => {
    const captured = capture(
      {
        networkEndpointGroup: [...NEGS.networkEndpointGroup, zonalNeg('vm-neg', 'us-central1-a')],
        backendService: [
          backendService('apigw-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
          backendService('static-bs', {
            backends: [{ group: computeLink('zones/us-central1-a/networkEndpointGroups/vm-neg') }],
          }),
        ],
        urlMap: [
          urlMap('apigw-map', 'static-bs', {
            pathMatchers: [
              {
                name: 'api',
                defaultService: computeLink('global/backendServices/static-bs'),
                pathRules: [{ paths: ['/v1/*'], service: computeLink('global/backendServices/apigw-bs') }],
              },
            ],
          }),
        ],
      },
      fullName('global/urlMaps/apigw-map'),
    );
    expect(captured).toEqual({ frontingBackendServices: [BS] });
  });

  test('a policy field set replaces the default list of the kinds it names only', () => {
    const fieldSet = resolveGovernedFields({ backendService: ['timeoutSec', 'backends[].balancingMode'] });
    expect(fieldSet.gateway).toEqual(['apiConfig']);
    const captured = capture(
      {
        ...NEGS,
        backendService: [
          backendService('apigw-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
        ],
      },
      BS,
      fieldSet,
    );
    expect(captured).toEqual({ timeoutSec: 30, 'backends[].balancingMode': ['UTILIZATION'] });
  });

  test.each([
    ['iap.enabled', true],
    ['backends[].group', true],
    ['a[].b[].c', true],
    ['iap..enabled', false],
    ['.iap', false],
    ['backends[0].group', false],
    ['', false],
    // No Google API field is named so, and as a key it would set the prototype of the captured values instead.
    ['__proto__', false],
    ['backends[].__proto__', false],
  ])('isFieldPath(%j) is %s', (path, expected) => {
    expect(isFieldPath(path)).toBe(expected);
  });

  // A policy governing a field named like an Object.prototype member crashed `baseline save` (exit 70): the value
  // read was the inherited function. A resource has no such field of its own, so it is absent like any other.
  test.each(['constructor', 'toString', 'hasOwnProperty', 'iap.constructor', 'backends[].valueOf'])(
    'a field named %j that the resource lacks is captured as none, not read from the prototype',
    (field) => {
      const captured = capture(
        {
          ...NEGS,
          backendService: [
            backendService('apigw-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
          ],
        },
        BS,
        resolveGovernedFields({ backendService: [field] }),
      );
      expect(captured).toEqual({ [field]: null });
    },
  );
});
