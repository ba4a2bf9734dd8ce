import { describe, expect, test } from 'vitest';
import type { ResourceNode } from '../../src/domain/graph.js';
import {
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  computeLink,
  fullName,
  graphOf,
  instanceGroupBackend,
  negBackend,
  PROJECT_NUMBER,
  scopedNegBackend,
  urlMap,
  zonalNeg,
} from '../support/records.js';

const BS = fullName('global/backendServices/orders-bs');
const ORDERS_NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const NEGS = [
  apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
  cloudRunNeg('orders-run-euw2', 'europe-west2', 'orders'),
  zonalNeg('vm-neg', 'us-central1-a'),
];

describe('backendsOf', () => {
  test.each([
    [
      'a serverless NEG named by a v1 link while its own selfLink is beta',
      negBackend('orders-neg-usc1', 'us-central1'),
      { groupName: ORDERS_NEG, neg: ORDERS_NEG, isInstanceGroup: false },
    ],
    [
      'a NEG named with the project number',
      negBackend('orders-neg-usc1', 'us-central1', {}, PROJECT_NUMBER),
      { groupName: ORDERS_NEG, neg: ORDERS_NEG, isInstanceGroup: false },
    ],
    [
      'a zonal NEG',
      scopedNegBackend('vm-neg', 'zones/us-central1-a'),
      {
        groupName: fullName('zones/us-central1-a/networkEndpointGroups/vm-neg'),
        neg: fullName('zones/us-central1-a/networkEndpointGroups/vm-neg'),
        isInstanceGroup: false,
      },
    ],
    [
      'a NEG missing from the inventory',
      negBackend('gone-neg', 'us-central1'),
      {
        groupName: fullName('regions/us-central1/networkEndpointGroups/gone-neg'),
        neg: undefined,
        isInstanceGroup: false,
      },
    ],
    [
      'an instance group',
      instanceGroupBackend('legacy-ig', 'us-central1-a'),
      {
        groupName: fullName('zones/us-central1-a/instanceGroups/legacy-ig'),
        neg: undefined,
        isInstanceGroup: true,
      },
    ],
    [
      'a link to a resource of another kind',
      { group: computeLink('global/backendServices/orders-bs') },
      { groupName: BS, neg: undefined, isInstanceGroup: false },
    ],
    [
      'a link that names nothing',
      { group: 'not-a-link' },
      { groupName: undefined, neg: undefined, isInstanceGroup: false },
    ],
  ])('%s', (_name, backend, expected) => {
    const graph = graphOf({
      backendService: [backendService('orders-bs', { backends: [backend as never] })],
      networkEndpointGroup: NEGS,
      projectIds: { [PROJECT_NUMBER]: 'acme-edge' },
    });
    const service = graph.find(BS, 'backendService') as ResourceNode<'backendService'>;
    const [link] = graph.backendsOf(service);
    expect(link?.backend).toBe(service.data.backends?.[0]);
    expect({
      groupName: link?.groupName,
      neg: link?.neg?.fullName,
      isInstanceGroup: link?.isInstanceGroup,
    }).toEqual(expected);
  });
});

describe('serverless backends', () => {
  const graph = graphOf({
    backendService: [
      backendService('orders-bs', {
        backends: [
          instanceGroupBackend('legacy-ig', 'us-central1-a'),
          negBackend('orders-run-euw2', 'europe-west2'),
          scopedNegBackend('vm-neg', 'zones/us-central1-a'),
          negBackend('gone-neg', 'us-central1'),
          negBackend('orders-neg-usc1', 'us-central1'),
        ],
      }),
      backendService('vm-bs', { backends: [scopedNegBackend('vm-neg', 'zones/us-central1-a')] }),
    ],
    networkEndpointGroup: NEGS,
  });
  const orders = graph.find(BS, 'backendService') as ResourceNode<'backendService'>;
  const vms = graph.find(
    fullName('global/backendServices/vm-bs'),
    'backendService',
  ) as ResourceNode<'backendService'>;

  test('only links whose group is a serverless NEG in the graph, in backends order', () => {
    const links = graph.serverlessBackendsOf(orders);
    expect(links.map((link) => link.neg.fullName)).toEqual([
      fullName('regions/europe-west2/networkEndpointGroups/orders-run-euw2'),
      ORDERS_NEG,
    ]);
    expect(links.map((link) => link.backend)).toEqual([orders.data.backends?.[1], orders.data.backends?.[4]]);
  });

  test('serverlessNegsOf gives the same NEGs, and they make the service fronting', () => {
    expect(graph.serverlessNegsOf(orders)).toEqual(
      graph.serverlessBackendsOf(orders).map((link) => link.neg),
    );
    expect(graph.isFronting(orders)).toBe(true);
  });

  test('a service of VM NEGs has none and is not fronting', () => {
    expect(graph.serverlessBackendsOf(vms)).toEqual([]);
    expect(graph.serverlessNegsOf(vms)).toEqual([]);
    expect(graph.isFronting(vms)).toBe(false);
  });

  test('a URL map routes to fronting services only through frontingServicesRoutedBy', () => {
    const withMap = graphOf({
      backendService: [
        backendService('orders-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
        backendService('vm-bs', { backends: [scopedNegBackend('vm-neg', 'zones/us-central1-a')] }),
      ],
      networkEndpointGroup: NEGS,
      urlMap: [
        urlMap('edge-map', 'vm-bs', {
          pathMatchers: [
            {
              name: 'api',
              defaultService: computeLink('global/backendServices/orders-bs', 'acme-edge', 'beta'),
            },
          ],
        }),
      ],
    });
    const map = withMap.find(fullName('global/urlMaps/edge-map'), 'urlMap') as ResourceNode<'urlMap'>;
    expect(withMap.backendServicesRoutedBy(map).map((service) => service.fullName)).toEqual([
      fullName('global/backendServices/vm-bs'),
      BS,
    ]);
    expect(withMap.frontingServicesRoutedBy(map).map((service) => service.fullName)).toEqual([BS]);
  });
});
