// The graph build reworked for issue 14 against the graph as it was (graph-reference.ts): every node, index, link
// and query answer the same, on generated estates and on small hostile ones (names in every form, duplicates,
// records naming resources of other kinds, project numbers mapped oddly, gateway IDs that are not segments).

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { generateEstate } from '../../bench/generate-estate.js';
import { ResourceGraph } from '../../src/domain/graph.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { RESOURCE_KINDS } from '../../src/domain/resource-kind.js';
import type { UrlMap } from '../../src/domain/resources.js';
import { backendServiceLinksOf } from '../../src/domain/url-map.js';
import {
  apiConfig,
  apiGatewayNeg,
  backendService,
  computeLink,
  gateway,
  inventoryOf,
  maskNeg,
  negBackend,
  PROJECT,
  PROJECT_NUMBER,
} from '../support/records.js';
import {
  ReferenceGraph,
  backendServiceLinksOf as referenceBackendServiceLinksOf,
} from './graph-reference.js';

type AnyGraph = ResourceGraph | ReferenceGraph;
type AnyNode = ReturnType<AnyGraph['allNodes']> extends IterableIterator<infer N> ? N : never;

/** Every string anywhere in a record: the link texts among them are what rules resolve. */
function stringsOf(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') into.add(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value && typeof value === 'object') for (const item of Object.values(value)) stringsOf(item, into);
}

/** Everything the graph answers, with nodes shown as plain values (the record by its position). */
function answersOf(graph: AnyGraph, inventory: Inventory, extraTexts: readonly string[] = []): unknown {
  const records = new Map<unknown, string>();
  for (const kind of RESOURCE_KINDS) {
    for (const [index, record] of inventory[kind].entries()) records.set(record, `${kind}#${index}`);
  }
  const show = (node: AnyNode | undefined) =>
    node && {
      kind: node.kind,
      fullName: node.fullName,
      ref: { ...node.ref },
      record: records.get(node.data),
      project: node.project,
      location: node.location,
      regional: node.regional,
      assetType: node.assetType,
    };
  const name = (node: AnyNode) => `${node.fullName} ${records.get(node.data)}`;
  const g = graph as ReferenceGraph;
  const all = [...g.allNodes()];
  const texts = new Set<string>(extraTexts);
  for (const kind of RESOURCE_KINDS) for (const record of inventory[kind]) stringsOf(record, texts);
  const names = new Set<string>();
  for (const node of all) {
    names.add(node.fullName);
    for (const reference of g.referencesOf(node)) names.add(reference);
  }
  for (const text of texts) {
    const fullName = g.fullNameFor(text);
    if (fullName !== undefined) names.add(fullName);
  }
  const projects = new Set(all.map((node) => node.project));
  const regions = new Set<string | undefined>([undefined, ...all.map((node) => node.location)]);
  return {
    size: g.size,
    all: all.map(show),
    byKind: RESOURCE_KINDS.map((kind) => g.nodes(kind).map(show)),
    skipped: g.skipped.map((skipped) => ({ ...skipped, record: records.get(skipped.record) })),
    references: all.map((node) => g.referencesOf(node)),
    referrers: [...names].map((fullName) => [
      fullName,
      g.referrersOf(fullName).map(name),
      g.referrersOf(fullName, 'backendService').map(name),
      g.referrersOf(fullName, 'networkEndpointGroup').map(name),
    ]),
    links: [...texts].map((text) => [text, show(g.find(text)), g.fullNameFor(text)]),
    gatewaysIn: [...projects].flatMap((project) =>
      [...regions].map((region) => g.gatewaysIn(project, region).map(name)),
    ),
    services: g.nodes('backendService').map((service) => ({
      backends: g.backendsOf(service).map((link) => ({
        ...link,
        neg: link.neg && name(link.neg),
      })),
      serverless: g.serverlessNegsOf(service).map(name),
      fronting: g.isFronting(service),
    })),
    negs: g.nodes('networkEndpointGroup').map((neg) => {
      const lookup = g.gatewayLookup(neg);
      return {
        services: g.backendServicesOfNeg(neg).map(name),
        lookup: lookup && {
          ...lookup,
          reached: lookup.reached.map(name),
          ...(lookup.by === 'resource' ? { elsewhere: lookup.elsewhere.map(name) } : {}),
        },
      };
    }),
    gateways: g.nodes('gateway').map((gateway) => ({
      negs: g.negsReaching(gateway).map(name),
      masks: g.masksReaching(gateway),
      fronting: g.frontingServicesOf(gateway).map(name),
      config: show(g.apiConfigOf(gateway)),
    })),
    urlMaps: g
      .nodes('urlMap')
      .map((urlMap) => [
        g.backendServicesRoutedBy(urlMap).map(name),
        g.frontingServicesRoutedBy(urlMap).map(name),
      ]),
    proxies: [...g.nodes('targetHttpProxy'), ...g.nodes('targetHttpsProxy')].map((proxy) =>
      show(g.urlMapOf(proxy)),
    ),
    rules: g.nodes('forwardingRule').map((rule) => show(g.proxyOf(rule))),
  };
}

function expectSameAnswers(inventory: Inventory, extraTexts: readonly string[] = []): void {
  const built = answersOf(ResourceGraph.build(inventory), inventory, extraTexts);
  expect(built).toEqual(answersOf(ReferenceGraph.build(inventory), inventory, extraTexts));
}

// Small sets of names, so that names collide, repeat and name each other across kinds.
const PROJECTS = ['acme-edge', 'acme-data', '123456789012', '555555555555', 'constructor'];
const PROJECT_IDS: readonly Record<string, string>[] = [
  {},
  { '123456789012': 'acme-edge' },
  { '123456789012': 'acme-edge', '555555555555': 'acme-data' },
  // A number mapped to a number that maps on, an ID that is no segment, one that is not ASCII.
  { '123456789012': '555555555555', '555555555555': 'acme-edge' },
  { '123456789012': 'acme edge' },
  { '123456789012': 'acme/edge' },
  { '123456789012': 'acmé-edge' },
];
const REGIONS = ['us-central1', 'europe-west2'];
const ZONES = ['us-central1-a', 'europe-west2-b', '-a', 'zone'];
const GATEWAY_LOCATIONS = ['us-central1', 'europe-west2', 'global', '-'];
const GATEWAY_IDS = ['gw-a', 'gw-a', 'gw-b', 'gw-a?x', '..', '.', 'g w', 'gwé', 'a/b', ' ', ''];
const NAMES = ['a', 'b', 'c'];

/** Draws every choice from a tape of numbers, so fast-check can shrink an estate by shrinking its tape. */
class Tape {
  private next = 0;
  /** Two projects per estate, so that names in one project meet. */
  readonly projects: readonly string[];
  constructor(private readonly numbers: readonly number[]) {
    this.projects = [this.pick(PROJECTS), this.pick(PROJECTS)];
  }
  pick<T>(options: readonly T[]): T {
    const number = this.numbers[this.next++ % this.numbers.length] ?? 0;
    return options[number % options.length] as T;
  }
  count(max: number): number {
    return this.pick([...Array(max + 1).keys()]);
  }
  chance(inTen: number): boolean {
    return this.count(9) < inTen;
  }
}

const PATHS: Record<string, (tape: Tape) => string> = {
  backendService: (t) =>
    t.chance(7)
      ? `global/backendServices/${t.pick(NAMES)}`
      : `regions/${t.pick(REGIONS)}/backendServices/${t.pick(NAMES)}`,
  networkEndpointGroup: (t) =>
    t.pick([
      `regions/${t.pick(REGIONS)}/networkEndpointGroups/${t.pick(NAMES)}`,
      `zones/${t.pick(ZONES)}/networkEndpointGroups/${t.pick(NAMES)}`,
      `zones/${t.pick(ZONES)}/networkEndpointGroups/${t.pick(NAMES)}`,
      `global/networkEndpointGroups/${t.pick(NAMES)}`,
    ]),
  urlMap: (t) =>
    t.chance(7) ? `global/urlMaps/${t.pick(NAMES)}` : `regions/${t.pick(REGIONS)}/urlMaps/${t.pick(NAMES)}`,
  targetHttpProxy: (t) => `global/targetHttpProxies/${t.pick(NAMES)}`,
  targetHttpsProxy: (t) =>
    t.chance(7)
      ? `global/targetHttpsProxies/${t.pick(NAMES)}`
      : `regions/${t.pick(REGIONS)}/targetHttpsProxies/${t.pick(NAMES)}`,
  forwardingRule: (t) =>
    t.chance(5)
      ? `global/forwardingRules/${t.pick(NAMES)}`
      : `regions/${t.pick(REGIONS)}/forwardingRules/${t.pick(NAMES)}`,
  sslPolicy: (t) => `global/sslPolicies/${t.pick(NAMES)}`,
  securityPolicy: (t) => `global/securityPolicies/${t.pick(NAMES)}`,
  gateway: (t) =>
    `locations/${t.pick(GATEWAY_LOCATIONS)}/${t.chance(8) ? '' : 'apis/orders/'}gateways/${t.pick(['gw-a', 'gw-b'])}`,
  apiConfig: (t) => `locations/global/apis/${t.pick(['orders', 'pets'])}/configs/${t.pick(['v1', 'v2'])}`,
  instanceGroup: (t) => `zones/${t.pick(ZONES)}/instanceGroups/${t.pick(NAMES)}`,
  sslCertificate: (t) => `global/sslCertificates/${t.pick(NAMES)}`,
};
const PATH_KINDS = Object.keys(PATHS);

/** A name for a resource of `kind` (now and then of another kind), in one of the forms APIs write, or none. */
function linkTo(t: Tape, kind: string): string {
  const path = (PATHS[t.chance(9) ? kind : t.pick(PATH_KINDS)] as (tape: Tape) => string)(t);
  const project = t.pick(t.projects);
  const apiGateway = path.startsWith('locations/');
  return t.pick([
    `https://www.googleapis.com/compute/v1/projects/${project}/${path}`,
    `https://www.googleapis.com/compute/beta/projects/${project}/${path}`,
    `projects/${project}/${path}`,
    `projects/${project}/${path}`,
    `//${apiGateway ? 'apigateway' : 'compute'}.googleapis.com/projects/${project}/${path}`,
    `https://www.googleapis.com/compute/v1/projects/${project}/${path}?alt=json`,
    `projects/${project}/${path}/`,
    'not-a-link',
  ]);
}

function recordsOf(t: Tape, kind: string, make: (selfLink: string) => Record<string, unknown>): unknown[] {
  return Array.from(
    { length: t.count(kind === 'networkEndpointGroup' || kind === 'gateway' ? 7 : 4) },
    () => {
      const link = linkTo(t, kind);
      const apiGateway = kind === 'gateway' || kind === 'apiConfig';
      // API Gateway records name themselves by `name`; a compute record without a selfLink falls back to it too.
      return apiGateway || t.chance(1)
        ? { ...make(link), name: link }
        : { ...make(link), selfLink: link, name: 'x' };
    },
  );
}

function hostileEstate(numbers: readonly number[]): Inventory {
  const t = new Tape(numbers);
  const some = <T>(make: () => T, max = 3): T[] => Array.from({ length: t.count(max) }, make);
  return {
    backendService: recordsOf(t, 'backendService', () => ({
      backends: some(() => ({ group: linkTo(t, t.chance(8) ? 'networkEndpointGroup' : 'instanceGroup') })),
      ...(t.chance(6) ? { securityPolicy: linkTo(t, 'securityPolicy') } : {}),
      ...(t.chance(2) ? { edgeSecurityPolicy: linkTo(t, 'securityPolicy') } : {}),
      ...(t.chance(2) ? { healthChecks: some(() => linkTo(t, 'sslCertificate')) } : {}),
    })),
    networkEndpointGroup: recordsOf(t, 'networkEndpointGroup', () => ({
      networkEndpointType: t.pick(['SERVERLESS', 'SERVERLESS', 'GCE_VM_IP_PORT']),
      ...(t.chance(8)
        ? {
            serverlessDeployment: {
              platform: t.pick([
                'apigateway.googleapis.com',
                'apigateway.googleapis.com',
                'run.googleapis.com',
              ]),
              ...(t.chance(7) ? { resource: t.pick(GATEWAY_IDS) } : {}),
              ...(t.chance(4) ? { urlMask: t.pick(['<gateway>.example.com', ' ', '']) } : {}),
            },
          }
        : {}),
    })),
    urlMap: recordsOf(t, 'urlMap', () => ({
      ...(t.chance(7) ? { defaultService: linkTo(t, 'backendService') } : {}),
      pathMatchers: some(
        () => ({
          ...(t.chance(5) ? { defaultService: linkTo(t, 'backendService') } : {}),
          pathRules: some(() => ({ service: linkTo(t, 'backendService') }), 2),
          routeRules: some(
            () => ({
              routeAction: {
                weightedBackendServices: some(() => ({ backendService: linkTo(t, 'backendService') }), 2),
              },
            }),
            2,
          ),
        }),
        2,
      ),
    })),
    targetHttpProxy: recordsOf(t, 'targetHttpProxy', () => ({ urlMap: linkTo(t, 'urlMap') })),
    targetHttpsProxy: recordsOf(t, 'targetHttpsProxy', () => ({
      urlMap: linkTo(t, 'urlMap'),
      ...(t.chance(5) ? { sslPolicy: linkTo(t, 'sslPolicy') } : {}),
      sslCertificates: some(() => linkTo(t, 'sslCertificate'), 2),
    })),
    forwardingRule: recordsOf(t, 'forwardingRule', () => ({
      target: linkTo(t, t.chance(5) ? 'targetHttpsProxy' : 'targetHttpProxy'),
    })),
    sslPolicy: recordsOf(t, 'sslPolicy', () => ({})),
    securityPolicy: recordsOf(t, 'securityPolicy', () => ({})),
    gateway: recordsOf(t, 'gateway', () => ({ apiConfig: linkTo(t, 'apiConfig') })),
    apiConfig: recordsOf(t, 'apiConfig', () => ({})),
    projectIds: t.pick(PROJECT_IDS),
    incomplete: [],
  } as unknown as Inventory;
}

/** A NEG in `region` naming gateway `id`, its backend service, and gateways named `id` in two regions. */
function negAndGateways(
  id: string,
  region: string,
  project = PROJECT,
  gatewayProject = project,
): Partial<Inventory> {
  return {
    backendService: [
      backendService('bs', { backends: [negBackend('neg', region, {}, project)] }, { project }),
    ],
    networkEndpointGroup: [
      apiGatewayNeg('neg', region, id, {}, project),
      maskNeg('mask-neg', region, '<gateway>.example.com', {}, project),
    ],
    gateway: [
      gateway(id, region, 'orders/configs/v1', {}, gatewayProject),
      gateway(id, 'europe-west2', 'orders/configs/v1', {}, gatewayProject),
    ],
    apiConfig: [apiConfig('orders/configs/v1', 'swagger: "2.0"', {}, gatewayProject)],
  };
}

describe('ResourceGraph.build', () => {
  test('a name said three times in different words names the last record, whichever words are looked up', () => {
    const spellings = [
      `https://www.googleapis.com/compute/v1/projects/${PROJECT}/global/backendServices/orders-bs`,
      `projects/${PROJECT}/global/backendServices/orders-bs`,
      `//compute.googleapis.com/projects/${PROJECT}/global/backendServices/orders-bs`,
    ];
    const records = spellings.map((selfLink, index) => ({
      ...backendService('orders-bs'),
      selfLink,
      id: `${index}`,
    }));
    const graph = ResourceGraph.build(inventoryOf({ backendService: records }));
    expect(spellings.map((text) => graph.find(text)?.data)).toEqual([records[2], records[2], records[2]]);
    expect(graph.nodes('backendService').map((node) => node.data)).toEqual([records[2]]);
  });

  // What the build takes a shorter way for when the graph is regular, each broken once.
  test.each<[string, Partial<Inventory>]>([
    ['a regular estate', negAndGateways('orders-gw', 'us-central1')],
    [
      'a project number mapped to a number that maps on',
      {
        ...negAndGateways('orders-gw', 'us-central1', PROJECT_NUMBER),
        projectIds: { [PROJECT_NUMBER]: '555555555555', '555555555555': PROJECT },
      },
    ],
    [
      'a project number mapped to an ID that is not a segment',
      {
        ...negAndGateways('orders-gw', 'us-central1', PROJECT_NUMBER),
        projectIds: { [PROJECT_NUMBER]: 'acme edge' },
      },
    ],
    [
      'a project number mapped to an ID that is not ASCII',
      {
        ...negAndGateways('orders-gw', 'us-central1', PROJECT_NUMBER),
        projectIds: { [PROJECT_NUMBER]: 'acmé-edge' },
      },
    ],
    ['a project named constructor', negAndGateways('orders-gw', 'us-central1', 'constructor')],
    [
      'a project ID with a slash, spelling one full name as two projects and paths',
      {
        gateway: [
          gateway('orders-gw', 'us-east1', 'orders/configs/v1', {}, PROJECT_NUMBER),
          {
            ...gateway('orders-gw', 'us-east1', 'orders/configs/v1'),
            name: 'projects/x/locations/l/locations/us-east1/gateways/orders-gw',
          },
        ],
        projectIds: { [PROJECT_NUMBER]: 'x/locations/l' },
      },
    ],
    [
      'an API config record named as a gateway',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        apiConfig: [{ name: `projects/${PROJECT}/locations/us-central1/gateways/orders-gw` }] as never,
      },
    ],
    [
      'an API config record named as a gateway no gateway record names',
      {
        ...negAndGateways('orders-gw', 'us-east1'),
        gateway: [],
        apiConfig: [{ name: `projects/${PROJECT}/locations/us-east1/gateways/orders-gw` }] as never,
      },
    ],
    [
      'a gateway record named as an API config',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        gateway: [
          gateway('orders-gw', 'us-central1', 'orders/configs/v1'),
          { name: `projects/${PROJECT}/locations/global/apis/orders/configs/v1`, apiConfig: 'x' },
        ] as never,
      },
    ],
    [
      'a zonal NEG whose zone has no region',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        networkEndpointGroup: [
          {
            ...apiGatewayNeg('neg', 'us-central1', 'orders-gw'),
            selfLink: `projects/${PROJECT}/zones/-a/networkEndpointGroups/neg`,
          },
        ],
      },
    ],
    [
      'a gateway named under an API',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        gateway: [
          {
            ...gateway('orders-gw', 'us-central1', 'orders/configs/v1'),
            name: `projects/${PROJECT}/locations/us-central1/apis/orders/gateways/orders-gw`,
          },
        ],
      },
    ],
    [
      'a backend service whose policies and health checks name a NEG and a gateway',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        backendService: [
          backendService('bs', {
            securityPolicy: computeLink('regions/us-central1/networkEndpointGroups/neg'),
            edgeSecurityPolicy: `projects/${PROJECT}/locations/us-central1/gateways/orders-gw`,
            healthChecks: [computeLink('regions/us-central1/networkEndpointGroups/mask-neg')],
          }),
        ],
      },
    ],
    [
      'a NEG record named as a security policy, and a backend service policy naming it',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        networkEndpointGroup: [
          {
            ...apiGatewayNeg('neg', 'us-central1', 'orders-gw'),
            selfLink: computeLink('global/securityPolicies/neg-policy'),
          },
        ],
        backendService: [
          backendService('bs', { securityPolicy: computeLink('global/securityPolicies/neg-policy') }),
        ],
      },
    ],
    ['a gateway ID with a query', negAndGateways('orders-gw?x', 'us-central1')],
    ['a gateway ID with a space', negAndGateways('orders gw', 'us-central1')],
    ['a gateway ID that is ..', negAndGateways('..', 'us-central1')],
    ['a gateway ID that is not ASCII', negAndGateways('orders-gwé', 'us-central1')],
    ['a gateway ID naming no gateway', { ...negAndGateways('orders-gw', 'us-central1'), gateway: [] }],
    [
      'a gateway in a location written -',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        gateway: [
          gateway('orders-gw', '-', 'orders/configs/v1'),
          gateway('orders-gw', 'global', 'orders/configs/v1'),
        ],
      },
    ],
    [
      'the same gateway twice, in two forms',
      {
        ...negAndGateways('orders-gw', 'us-central1'),
        gateway: [
          gateway('orders-gw', 'us-central1', 'orders/configs/v1'),
          {
            ...gateway('orders-gw', 'us-central1', 'orders/configs/v1'),
            name: `//apigateway.googleapis.com/projects/${PROJECT}/locations/us-central1/gateways/orders-gw`,
          },
        ],
      },
    ],
  ])('answers as the graph did with %s', (_label, records) => {
    expectSameAnswers(inventoryOf(records));
  });

  test('answers as the graph did on a generated estate', () => {
    expectSameAnswers(generateEstate({ scale: 0.02, seed: 7 }));
  });

  test('answers as the graph did on a generated one-project estate', () => {
    expectSameAnswers(generateEstate({ scale: 0.02, seed: 11, oneProject: true }));
  });

  test('the frontend path asked first, on a fresh graph, answers as the graph did (links not remembered yet)', () => {
    // proxyOf, urlMapOf and a URL map's routes resolve their link texts without the link memo (each is asked once
    // per graph): the answers must not depend on what was, or was not, resolved before them.
    const frontendFirst = (graph: AnyGraph, inventory: Inventory) => {
      const records = new Map<unknown, string>();
      for (const kind of RESOURCE_KINDS) {
        for (const [index, record] of inventory[kind].entries()) records.set(record, `${kind}#${index}`);
      }
      const name = (node: AnyNode | undefined) => node && `${node.fullName} ${records.get(node.data)}`;
      const g = graph as ReferenceGraph;
      return {
        rules: g.nodes('forwardingRule').map((rule) => name(g.proxyOf(rule))),
        proxies: [...g.nodes('targetHttpsProxy'), ...g.nodes('targetHttpProxy')].map((proxy) =>
          name(g.urlMapOf(proxy)),
        ),
        urlMaps: g
          .nodes('urlMap')
          .map((urlMap) => [
            g.frontingServicesRoutedBy(urlMap).map(name),
            g.backendServicesRoutedBy(urlMap).map(name),
          ]),
        links: g.nodes('forwardingRule').map((rule) => name(g.find(rule.data.target))),
      };
    };
    const same = (inventory: Inventory) =>
      expect(frontendFirst(ResourceGraph.build(inventory), inventory)).toEqual(
        frontendFirst(ReferenceGraph.build(inventory), inventory),
      );
    same(generateEstate({ scale: 0.02, seed: 7 }));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 300 }), (numbers) => {
        same(hostileEstate(numbers));
      }),
      { numRuns: 400 },
    );
  });

  test('answers as the graph did on small hostile estates', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 300 }), (numbers) => {
        expectSameAnswers(hostileEstate(numbers), [
          'projects/acme-edge/locations/us-central1/gateways/gw-a',
          '//compute.googleapis.com/projects/acme-edge/locations/us-central1/gateways/gw-a',
        ]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('backendServiceLinksOf', () => {
  test('lists what it did, in the same order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1_000 }), { minLength: 1, maxLength: 100 }), (numbers) => {
        for (const urlMap of hostileEstate(numbers).urlMap as UrlMap[]) {
          expect(backendServiceLinksOf(urlMap)).toEqual(referenceBackendServiceLinksOf(urlMap));
        }
      }),
      { numRuns: 300 },
    );
  });

  test('keeps each link once, in first-met order, below and above the count where it switches to a Set', () => {
    // Links drawn from a pool of five, so most maps repeat some; up to ~40 links, across the scan/Set threshold.
    const link = fc.constantFrom('', 'a', 'b', 'https://x/projects/p/global/backendServices/c', 'a ', 'A');
    const action = fc.option(
      fc.record({ weightedBackendServices: fc.array(fc.record({ backendService: link }), { maxLength: 4 }) }),
      { nil: undefined },
    );
    const urlMap = fc.record({
      defaultService: fc.option(link, { nil: undefined }),
      defaultRouteAction: action,
      pathMatchers: fc.option(
        fc.array(
          fc.record({
            defaultService: fc.option(link, { nil: undefined }),
            defaultRouteAction: action,
            pathRules: fc.array(fc.record({ service: link, routeAction: action }), { maxLength: 4 }),
            routeRules: fc.array(fc.record({ service: link, routeAction: action }), { maxLength: 4 }),
          }),
          { maxLength: 3 },
        ),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(urlMap, (map) => {
        const urlMap = map as unknown as UrlMap;
        expect(backendServiceLinksOf(urlMap)).toEqual(referenceBackendServiceLinksOf(urlMap));
      }),
      { numRuns: 2_000 },
    );
  });
});
