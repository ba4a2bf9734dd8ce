// apiConfigKey reads a name from its end; the regular expression it replaced (issue 14) is the reference here.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { apiConfigKey } from '../../src/domain/graph.js';

/** apiConfigKey as it was before (main at f197888). */
function referenceKey(name: string | undefined): string | undefined {
  const match = name?.match(/(?:^|\/)apis\/([^/]+)\/configs\/([^/?#]+)$/);
  return match ? `apis/${match[1]}/configs/${match[2]}` : undefined;
}

const PIECES = [
  'apis',
  'apis/',
  '/apis/',
  'configs',
  '/configs/',
  'configs/',
  '/',
  '//',
  '?',
  '#',
  'orders',
  'orders-v1',
  'projects/acme-edge/locations/global/',
  'projects/123456789012/locations/global/',
  'xapis',
  ' ',
  'é',
  '',
];
const hostileName = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 12 })
  .map((pieces) => pieces.join(''));

describe('apiConfigKey', () => {
  test('agrees with the regular expression on hostile and real-shaped names', () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        expect(apiConfigKey(name)).toBe(referenceKey(name));
      }),
      { numRuns: 30_000 },
    );
  });

  test.each([
    ['a gateway apiConfig', 'projects/123456789012/locations/global/apis/orders/configs/orders-v1'],
    [
      'a config full name',
      '//apigateway.googleapis.com/projects/acme-edge/locations/global/apis/orders/configs/v2',
    ],
    ['a bare key', 'apis/orders/configs/orders-v1'],
    ['apis not a whole segment', 'projects/p/locations/global/xapis/orders/configs/v1'],
    ['an empty api', 'projects/p/locations/global/apis//configs/v1'],
    ['an empty config', 'projects/p/locations/global/apis/orders/configs/'],
    ['a query in the config', 'projects/p/locations/global/apis/orders/configs/v1?x'],
    ['a query in the api', 'projects/p/locations/global/apis/or?ders/configs/v1'],
    ['a leading slash', '/apis/orders/configs/v1'],
    ['configs twice', 'apis/configs/configs/v1'],
    ['no configs', 'projects/p/locations/global/apis/orders'],
    ['undefined', undefined],
  ])('agrees on %s', (_label, name) => {
    expect(apiConfigKey(name)).toBe(referenceKey(name));
  });
});
