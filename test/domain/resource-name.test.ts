// Project IDs as every entry point accepts them: an ID or a project number, nothing a path could be built from.

import { describe, expect, test } from 'vitest';
import { isProjectId, parseResourceRef } from '../../src/domain/resource-name.js';

describe('isProjectId', () => {
  // 6 and 30 characters are the bounds.
  test.each(['acme-edge', 'a12345', 'acme-edge-production-eu-west1x', '314159265358'])(
    'accepts %j',
    (text) => {
      expect(isProjectId(text)).toBe(true);
    },
  );

  test.each([
    ['too short', 'acme'],
    ['too long', 'acme-edge-production-eu-west1xy'],
    ['a capital', 'Acme-edge'],
    ['a leading digit and letters', '1acme-edge'],
    ['a trailing hyphen', 'acme-edge-'],
    ['a path', '../etc'],
    ['a name with a slash', 'acme-edge/x'],
    ['a number too long', '123456789012345678901'],
    ['empty', ''],
  ])('refuses %s', (_name, text) => {
    expect(isProjectId(text)).toBe(false);
  });
});

describe('parseResourceRef', () => {
  // Every form Google APIs name a resource in, and the near misses around each: pinned before the parser was
  // rewritten to scan the text once (issue 14), so the rewrite had to agree on all of them.
  const ACCEPTED: readonly (readonly [string, string, Record<string, string>])[] = [
    [
      'a v1 selfLink',
      'https://www.googleapis.com/compute/v1/projects/acme-edge/global/backendServices/orders-bs',
      {
        service: 'compute',
        project: 'acme-edge',
        scope: 'global',
        location: 'global',
        collection: 'backendServices',
        name: 'orders-bs',
        path: 'global/backendServices/orders-bs',
      },
    ],
    [
      'a beta regional selfLink with a query',
      'https://compute.googleapis.com/compute/beta/projects/acme-edge/regions/us-central1/networkEndpointGroups/neg-a?alt=json#x',
      {
        service: 'compute',
        project: 'acme-edge',
        scope: 'regions',
        location: 'us-central1',
        collection: 'networkEndpointGroups',
        name: 'neg-a',
        path: 'regions/us-central1/networkEndpointGroups/neg-a',
      },
    ],
    [
      'a zonal instance group',
      'https://www.googleapis.com/compute/v1/projects/314159265358/zones/us-central1-a/instanceGroups/ig-1',
      {
        service: 'compute',
        project: '314159265358',
        scope: 'zones',
        location: 'us-central1-a',
        collection: 'instanceGroups',
        name: 'ig-1',
        path: 'zones/us-central1-a/instanceGroups/ig-1',
      },
    ],
    [
      'an audit-log resourceName',
      'projects/acme-edge/global/urlMaps/lb-map',
      {
        service: 'compute',
        project: 'acme-edge',
        scope: 'global',
        location: 'global',
        collection: 'urlMaps',
        name: 'lb-map',
        path: 'global/urlMaps/lb-map',
      },
    ],
    [
      'an API Gateway gateway',
      'projects/acme-edge/locations/us-central1/gateways/orders-gw',
      {
        service: 'apigateway',
        project: 'acme-edge',
        scope: 'locations',
        location: 'us-central1',
        collection: 'gateways',
        name: 'orders-gw',
        path: 'locations/us-central1/gateways/orders-gw',
      },
    ],
    [
      'an API config by CAI full name',
      '//apigateway.googleapis.com/projects/acme-edge/locations/global/apis/orders/configs/orders-v2',
      {
        service: 'apigateway',
        project: 'acme-edge',
        scope: 'locations',
        location: 'global',
        collection: 'configs',
        name: 'orders-v2',
        path: 'locations/global/apis/orders/configs/orders-v2',
      },
    ],
    [
      'a compute CAI full name',
      '//compute.googleapis.com/projects/acme-edge/global/sslPolicies/modern',
      {
        service: 'compute',
        project: 'acme-edge',
        scope: 'global',
        location: 'global',
        collection: 'sslPolicies',
        name: 'modern',
        path: 'global/sslPolicies/modern',
      },
    ],
    [
      'names with dots and unicode',
      'projects/acme-edge/global/backendServices/a.b…名前',
      {
        service: 'compute',
        project: 'acme-edge',
        scope: 'global',
        location: 'global',
        collection: 'backendServices',
        name: 'a.b…名前',
        path: 'global/backendServices/a.b…名前',
      },
    ],
  ];
  test.each(ACCEPTED)('parses %s', (_label, text, expected) => {
    expect(parseResourceRef(text)).toEqual(expected);
  });

  test.each([
    ['not a string', 42],
    ['empty', ''],
    ['longer than 4096 characters', `projects/acme-edge/global/backendServices/${'x'.repeat(4100)}`],
    ['no projects segment', 'https://www.googleapis.com/compute/v1/global/backendServices/x'],
    ['projects not at a segment start', 'xprojects/acme-edge/global/backendServices/x'],
    ['an empty segment', 'projects/acme-edge/global//backendServices/x'],
    ['a trailing slash', 'projects/acme-edge/global/backendServices/x/'],
    ['a .. segment', 'projects/../global/backendServices/x'],
    ['a . segment', 'projects/acme-edge/global/backendServices/.'],
    ['a space', 'projects/acme-edge/global/backendServices/a b'],
    ['a control character', 'projects/acme-edge/global/backendServices/a\u0007b'],
    ['a project alone', 'projects/acme-edge'],
    ['global without a name', 'projects/acme-edge/global/backendServices'],
    ['global with a sub-collection', 'projects/acme-edge/global/backendServices/x/y'],
    ['a region without a name', 'projects/acme-edge/regions/us-central1/networkEndpointGroups'],
    ['an unknown scope', 'projects/acme-edge/folders/f/backendServices/x'],
    ['locations with an odd path', 'projects/acme-edge/locations/global/apis/orders/configs'],
    ['locations without a collection', 'projects/acme-edge/locations/us-central1'],
    ['an apigateway host without locations', '//apigateway.googleapis.com/projects/acme-edge/global/apis/a'],
    ['a second projects segment', 'https://example.com/projects/x/projects/acme-edge/global/urlMaps/m'],
    ['a query before projects', 'https://x.example/a?projects/acme-edge/global/urlMaps/m'],
  ])('refuses %s', (_label, text) => {
    expect(parseResourceRef(text)).toBeUndefined();
  });
});
