import { describe, expect, test } from 'vitest';
import type { ResourceNode } from '../../src/domain/graph.js';
import {
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  computeLink,
  fullName,
  gateway,
  graphOf,
  httpsProxy,
  instanceGroupBackend,
  maskNeg,
  negBackend,
  PROJECT,
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

describe('what a NEG reaches', () => {
  const MASK = '<gateway>.api.acme.example';
  const graph = graphOf({
    networkEndpointGroup: [
      maskNeg('apis-mask-usc1', 'us-central1', MASK),
      apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', {
        serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'orders-gw', urlMask: MASK },
      }),
    ],
    gateway: [
      gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
      gateway('billing-gw', 'us-central1', 'billing/configs/billing-v2'),
      gateway('orders-gw', 'europe-west2', 'orders/configs/orders-v7'),
      gateway('chat-gw', 'us-central1', 'chat/configs/chat-v1', {}, 'acme-api'),
    ],
  });
  const neg = (name: string) =>
    graph.find(fullName(`regions/us-central1/networkEndpointGroups/${name}`), 'networkEndpointGroup') as
      | ResourceNode<'networkEndpointGroup'>
      | undefined;
  const gatewayNode = (path: string, project?: string) =>
    graph.find(fullName(`locations/${path}`, project), 'gateway') as ResourceNode<'gateway'>;
  const names = (nodes: readonly ResourceNode[]) => nodes.map((node) => node.fullName);

  test('a mask NEG reaches every gateway of its project in its region, by full name', () => {
    const mask = neg('apis-mask-usc1');
    if (!mask) throw new Error('no mask NEG');
    expect(graph.gatewayLookup(mask)).toMatchObject({ by: 'mask', urlMask: MASK, region: 'us-central1' });
    expect(names(graph.gatewaysReachedBy(mask))).toEqual([
      fullName('locations/us-central1/gateways/billing-gw'),
      fullName('locations/us-central1/gateways/orders-gw'),
    ]);
    expect(graph.referencesOf(mask)).toEqual(names(graph.gatewaysReachedBy(mask)));
  });

  test('a NEG with both resource and urlMask reaches only the gateway resource names', () => {
    const named = neg('orders-neg-usc1');
    if (!named) throw new Error('no NEG');
    expect(graph.gatewayLookup(named)).toMatchObject({ by: 'resource', resource: 'orders-gw' });
    expect(names(graph.gatewaysReachedBy(named))).toEqual([
      fullName('locations/us-central1/gateways/orders-gw'),
    ]);
  });

  test('each gateway knows which NEGs reach it, and which of them by mask', () => {
    expect(names(graph.negsReaching(gatewayNode('us-central1/gateways/orders-gw'))).sort()).toEqual([
      fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1'),
      fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1'),
    ]);
    expect(names(graph.negsReaching(gatewayNode('us-central1/gateways/billing-gw')))).toEqual([
      fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1'),
    ]);
    expect(graph.masksReaching(gatewayNode('us-central1/gateways/billing-gw'))).toEqual([
      { neg: fullName('regions/us-central1/networkEndpointGroups/apis-mask-usc1'), urlMask: MASK },
    ]);
    expect(graph.negsReaching(gatewayNode('europe-west2/gateways/orders-gw'))).toEqual([]);
    expect(graph.negsReaching(gatewayNode('us-central1/gateways/chat-gw', 'acme-api'))).toEqual([]);
  });
});

describe('links and referrers', () => {
  const CERT = fullName('global/sslCertificates/edge-cert');

  test('a record that says its name again (a project number for the ID) replaces the first, under both links', () => {
    const first = backendService('orders-bs', { description: 'first' });
    const second = {
      ...backendService('orders-bs', { description: 'second' }),
      selfLink: computeLink('global/backendServices/orders-bs', PROJECT_NUMBER, 'beta'),
    };
    const graph = graphOf({ backendService: [first, second], projectIds: { [PROJECT_NUMBER]: PROJECT } });
    expect(graph.nodes('backendService').map((node) => node.data.description)).toEqual(['second']);
    expect(graph.find(first.selfLink)?.data).toBe(second);
    expect(graph.find(second.selfLink)?.data).toBe(second);
    expect(graph.size).toBe(1);
  });

  test('a name said again later keeps its last record, placed where that record came', () => {
    const graph = graphOf({
      backendService: [
        backendService('orders-bs', { description: 'first' }),
        backendService('billing-bs'),
        backendService('orders-bs', { description: 'second' }),
        backendService('chat-bs'),
        backendService('orders-bs', { description: 'third' }),
      ],
    });
    expect(graph.nodes('backendService').map((node) => node.data.description || node.ref.name)).toEqual([
      'billing-bs',
      'chat-bs',
      'third',
    ]);
    expect([...graph.allNodes()].map((node) => node.ref.name)).toEqual([
      'orders-bs',
      'billing-bs',
      'chat-bs',
    ]);
  });

  test('a link is the same node whatever form names it, and a kind that does not match finds nothing', () => {
    const graph = graphOf({ backendService: [backendService('orders-bs')] });
    const node = graph.find(BS);
    expect(node).toBeDefined();
    for (const link of [
      computeLink('global/backendServices/orders-bs'),
      computeLink('global/backendServices/orders-bs', PROJECT, 'beta'),
      'projects/acme-edge/global/backendServices/orders-bs',
      `${BS}?alt=json`,
    ]) {
      expect(graph.find(link)).toBe(node);
      expect(graph.find(link, 'backendService')).toBe(node);
      expect(graph.find(link, 'urlMap')).toBeUndefined();
      expect(graph.fullNameFor(link)).toBe(BS);
    }
  });

  test('names the graph does not hold are referenced and have referrers, but find nothing', () => {
    const graph = graphOf({
      targetHttpsProxy: [
        httpsProxy('edge-proxy', 'edge-map', {
          sslCertificates: [computeLink('global/sslCertificates/edge-cert')],
        }),
      ],
      urlMap: [urlMap('edge-map', 'orders-bs')],
    });
    const proxy = graph.nodes('targetHttpsProxy')[0] as ResourceNode;
    expect(graph.referencesOf(proxy)).toEqual([fullName('global/urlMaps/edge-map'), CERT]);
    expect(graph.find(CERT)).toBeUndefined();
    expect(graph.fullNameFor(CERT)).toBe(CERT);
    expect(graph.referrersOf(CERT)).toEqual([proxy]);
    expect(graph.referrersOf(fullName('global/urlMaps/edge-map'))).toEqual([proxy]);
    expect(graph.referrersOf(fullName('global/urlMaps/edge-map'), 'forwardingRule')).toEqual([]);
    expect(graph.referrersOf(fullName('global/urlMaps/nothing'))).toEqual([]);
    expect(graph.fullNameFor('not-a-link')).toBeUndefined();
    expect(graph.fullNameFor(42)).toBeUndefined();
  });

  test('a node never references itself, and each name once', () => {
    const graph = graphOf({
      urlMap: [
        urlMap('edge-map', 'orders-bs', {
          pathMatchers: [
            { name: 'a', defaultService: computeLink('global/backendServices/orders-bs', PROJECT, 'beta') },
            { name: 'b', defaultService: computeLink('global/urlMaps/edge-map') },
          ],
        }),
      ],
    });
    const map = graph.nodes('urlMap')[0] as ResourceNode;
    expect(graph.referencesOf(map)).toEqual([BS]);
  });
});
