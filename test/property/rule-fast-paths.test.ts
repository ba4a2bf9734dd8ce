// Property-based: the rules and graph queries rewritten to cost less (issue 14) answer exactly as the code they
// replaced, kept here as the reference, on random small estates full of what real ones rarely hold: NEGs listed
// twice, two NEGs in one region, NEGs of other projects and unmapped project numbers, gateways of one ID in several
// projects and regions, mask NEGs, empty or absent NEG types, unknown platforms, groups the inventory lacks.

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { directUrlOf } from '../../src/domain/direct-url.js';
import { apiConfigKey, type ResourceGraph, type ResourceNode } from '../../src/domain/graph.js';
import type { Inventory } from '../../src/domain/inventory.js';
import { parseResourceRef } from '../../src/domain/resource-name.js';
import type {
  BackendService,
  ForwardingRule,
  Gateway,
  NetworkEndpointGroup,
} from '../../src/domain/resources.js';
import {
  isApiGatewayNeg,
  isServerlessNeg,
  type ServerlessPlatform,
  serverlessPlatformOf,
} from '../../src/domain/serverless.js';
import { evaluate } from '../../src/engine/evaluate.js';
import { backendGatewaysEquivalent } from '../../src/rules/backend/gateways-equivalent.js';
import { backendGatewaysSameProject } from '../../src/rules/backend/gateways-same-project.js';
import { backendNoBalancingMode } from '../../src/rules/backend/no-balancing-mode.js';
import { backendNoCapacityLimits } from '../../src/rules/backend/no-capacity-limits.js';
import { backendOneNegPerRegion } from '../../src/rules/backend/one-neg-per-region.js';
import { backendServerlessNotMixed } from '../../src/rules/backend/serverless-not-mixed.js';
import { backendSinglePlatform } from '../../src/rules/backend/single-platform.js';
import { backendSupportedScheme } from '../../src/rules/backend/supported-scheme.js';
import { ALL_RULES } from '../../src/rules/catalogue.js';
import {
  cannotDecide,
  describe as describeNode,
  fail,
  notApplicable,
  pass,
  type Rule,
  type Verdict,
} from '../../src/rules/define-rule.js';
import { forwardingRulesOnAddress } from '../../src/rules/frontend/load-balancer.js';
import { negGatewayNotStreaming } from '../../src/rules/neg/gateway-not-streaming.js';
import {
  apiGatewayNeg,
  appEngineNeg,
  backendService,
  cloudRunNeg,
  forwardingRule,
  gateway,
  graphOf,
  instanceGroupBackend,
  maskNeg,
  negBackend,
  zonalNeg,
} from '../support/records.js';

const RUNS = { numRuns: 250 };
const NOW = new Date('2026-12-04T12:00:00.000Z');
const PROJECTS = ['acme-edge', 'acme-other', '123456789012'] as const;
const REGIONS = ['us-central1', 'europe-west2', 'constructor'] as const;
const GATEWAY_IDS = ['gw-a', 'gw-b', 'gw-c'] as const;
const CONFIGS = ['orders/configs/v1', 'orders/configs/v2', 'billing/configs/v1', 'not-a-config'] as const;

const project = fc.constantFrom(...PROJECTS);
const region = fc.constantFrom(...REGIONS);

const gatewayRecord = fc
  .record({
    id: fc.constantFrom(...GATEWAY_IDS),
    region,
    project,
    config: fc.option(fc.constantFrom(...CONFIGS), { nil: undefined }),
    streaming: fc.constantFrom(
      'EFFECTIVE_STREAMING_MODE_ENABLED',
      'EFFECTIVE_STREAMING_MODE_DISABLED',
      undefined,
    ),
  })
  .map(({ id, region, project, config, streaming }): Gateway => {
    const record = gateway(id, region, config ?? 'x', {}, project) as Gateway & Record<string, unknown>;
    const { apiConfig: _apiConfig, effectiveStreamingMode: _mode, ...rest } = record;
    return {
      ...rest,
      ...(config === undefined ? {} : { apiConfig: record.apiConfig }),
      ...(streaming === undefined ? {} : { effectiveStreamingMode: streaming }),
    } as Gateway;
  });

/** A NEG of any kind, named by its index so backends can point at it (or at a NEG the inventory lacks). */
function negRecord(index: number) {
  const name = `neg-${index}`;
  return fc
    .record({
      kind: fc.constantFrom(
        'resource',
        'resource-path',
        'mask',
        'run',
        'app-engine',
        'zonal',
        'typeless',
        'blank',
      ),
      region,
      project,
      resource: fc.constantFrom(...GATEWAY_IDS, ''),
    })
    .map(({ kind, region, project, resource }): NetworkEndpointGroup => {
      switch (kind) {
        case 'resource':
          return apiGatewayNeg(name, region, resource, {}, project);
        case 'resource-path':
          return apiGatewayNeg(
            name,
            region,
            `projects/${project}/locations/${region}/gateways/${resource}`,
            {},
            project,
          );
        case 'mask':
          return maskNeg(name, region, '<gateway>.example.com', {}, project);
        case 'run':
          return cloudRunNeg(name, region, 'orders', project);
        case 'app-engine':
          return appEngineNeg(name, region, 'default', project);
        case 'zonal':
          return zonalNeg(name, `${region}-a`, project);
        case 'typeless': {
          // A serverless NEG exported without its target (v1 API): an unknown platform.
          const { serverlessDeployment: _target, ...rest } = apiGatewayNeg(
            name,
            region,
            resource,
            {},
            project,
          );
          return rest as NetworkEndpointGroup;
        }
        default:
          return { ...apiGatewayNeg(name, region, resource, {}, project), networkEndpointType: '' };
      }
    });
}

const NEG_COUNT = 6;

const backendEntry = fc
  .record({
    neg: fc.integer({ min: 0, max: NEG_COUNT + 1 }),
    region,
    project,
    instanceGroup: fc.boolean(),
    balancingMode: fc.constantFrom('UTILIZATION', 'RATE', 'CONNECTION', 'CUSTOM_METRICS', '', undefined),
    maxRate: fc.constantFrom(undefined, 0, 100, null),
    maxUtilization: fc.constantFrom(undefined, 0, 0.8),
  })
  .map(({ neg, region, project, instanceGroup, balancingMode, maxRate, maxUtilization }) => {
    const limits = {
      ...(balancingMode === undefined ? {} : { balancingMode }),
      ...(maxRate === undefined ? {} : { maxRate }),
      ...(maxUtilization === undefined ? {} : { maxUtilization }),
    };
    if (instanceGroup) return { ...instanceGroupBackend(`ig-${neg}`, `${region}-b`, {}, project), ...limits };
    // Indexes past the NEGs generated name NEGs the inventory does not hold.
    const { balancingMode: _mode, ...entry } = negBackend(`neg-${neg}`, region, {}, project);
    return { ...entry, ...limits };
  });

const serviceRecord = (index: number) =>
  fc
    .record({
      project,
      regional: fc.boolean(),
      scheme: fc.constantFrom('EXTERNAL', 'EXTERNAL_MANAGED', 'INTERNAL_MANAGED', undefined),
      backends: fc.array(backendEntry, { maxLength: 5 }),
    })
    .map(({ project, regional, scheme, backends }): BackendService => {
      const record = backendService(
        `bs-${index}`,
        // null capacity fields are what a hostile export may hold, whatever the type says.
        { backends: backends as BackendService['backends'] },
        { project, ...(regional ? { region: 'us-central1' } : {}) },
      ) as BackendService & Record<string, unknown>;
      const { loadBalancingScheme: _scheme, ...rest } = record;
      return { ...rest, ...(scheme === undefined ? {} : { loadBalancingScheme: scheme }) } as BackendService;
    });

/** NEGs whose selfLinks say where they are: a backend's group link names one when project and region agree. */
function negsPointedAt(negs: readonly NetworkEndpointGroup[], services: readonly BackendService[]) {
  const wanted = new Set(
    services.flatMap((service) => (service.backends ?? []).map((backend) => backend.group)),
  );
  const linked = negs.map((neg, index) => {
    const group = [...wanted].find((link) => typeof link === 'string' && link.endsWith(`/neg-${index}`));
    // Half the time move the NEG to where the first backend naming it says it is, so links resolve.
    return group && index % 2 === 0
      ? { ...neg, selfLink: group.replace('/compute/v1/', '/compute/beta/') }
      : neg;
  });
  return linked;
}

const estate = fc
  .record({
    gateways: fc.array(gatewayRecord, { maxLength: 7 }),
    negs: fc.tuple(...Array.from({ length: NEG_COUNT }, (_, index) => negRecord(index))),
    services: fc.tuple(...Array.from({ length: 4 }, (_, index) => serviceRecord(index))),
  })
  .map(({ gateways, negs, services }) => ({
    gateway: gateways,
    networkEndpointGroup: negsPointedAt(negs, services),
    backendService: services,
    // Project numbers mapped to IDs only for one of them: the other stays a number.
    projectIds: { '123456789012': 'acme-edge' },
  }));

function graphFrom(records: Partial<Inventory>): ResourceGraph {
  return graphOf(records);
}

// ---- The replaced code, as it was (src at f197888), kept as the reference ----

type Services = ResourceNode<'backendService'>;

function referenceSinglePlatform(service: Services, graph: ResourceGraph): Verdict {
  const negs = graph.serverlessNegsOf(service);
  if (negs.length === 0) return notApplicable(`${describeNode(service)} holds no serverless NEG.`);
  const byPlatform: Partial<Record<ServerlessPlatform, string[]>> = {};
  for (const neg of negs) {
    const platform = serverlessPlatformOf(neg.data);
    byPlatform[platform] = [...new Set([...(byPlatform[platform] ?? []), neg.fullName])];
  }
  const known = Object.keys(byPlatform).filter((platform) => platform !== 'unknown');
  if (known.length > 1) {
    return fail(`${describeNode(service)} mixes serverless platforms: ${known.join(', ')}.`, {
      platforms: byPlatform,
    });
  }
  return pass(`${describeNode(service)} holds serverless NEGs of one platform.`, { platforms: byPlatform });
}

function referenceSupportedScheme(service: Services, graph: ResourceGraph): Verdict {
  const apiGatewayNegs = graph
    .serverlessNegsOf(service)
    .filter((neg) => isApiGatewayNeg(neg.data))
    .map((neg) => neg.fullName);
  if (apiGatewayNegs.length === 0) return notApplicable(`${describeNode(service)} holds no API Gateway NEG.`);
  const loadBalancingScheme = service.data.loadBalancingScheme ?? 'EXTERNAL';
  const evidence = {
    scope: service.regional ? 'regional' : 'global',
    location: service.location,
    loadBalancingScheme,
    apiGatewayNegs,
  };
  if (service.regional) {
    return fail(
      `Regional ${describeNode(service)} holds API Gateway NEGs, which need a global service.`,
      evidence,
    );
  }
  if (!['EXTERNAL', 'EXTERNAL_MANAGED'].includes(loadBalancingScheme)) {
    return fail(
      `${describeNode(service)} holds API Gateway NEGs under scheme ${loadBalancingScheme}, which cannot serve them.`,
      evidence,
    );
  }
  return pass(
    `${describeNode(service)} serves its API Gateway NEGs from a global external load balancer.`,
    evidence,
  );
}

function referenceOneNegPerRegion(service: Services, graph: ResourceGraph): Verdict | Verdict[] {
  const negs = graph.serverlessNegsOf(service);
  if (negs.length === 0) return notApplicable(`${describeNode(service)} holds no serverless NEG.`);
  const byRegion = new Map<string, Set<string>>();
  for (const neg of negs) {
    byRegion.set(neg.location, (byRegion.get(neg.location) ?? new Set()).add(neg.fullName));
  }
  const verdicts: Verdict[] = [...byRegion.entries()]
    .filter(([, names]) => names.size > 1)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([region, names]) =>
      fail(
        `${describeNode(service)} holds ${names.size} serverless NEGs in ${region}.`,
        { region, negs: [...names] },
        { subKey: region },
      ),
    );
  if (verdicts.length > 0) return verdicts;
  return pass(`${describeNode(service)} holds one serverless NEG per region.`, {
    regions: [...byRegion.keys()].sort(),
  });
}

/** The config a gateway serves: `apis/{api}/configs/{config}` in the service's project, in full in another. */
function referenceConfigLabel(
  service: Services,
  gateway: ResourceNode<'gateway'>,
  graph: ResourceGraph,
): string | null {
  const key = apiConfigKey(gateway.data.apiConfig);
  if (key === undefined) return gateway.data.apiConfig ?? null;
  const said = parseResourceRef(gateway.data.apiConfig)?.project;
  const named = said === undefined ? gateway.project : graph.projectIdOf(said);
  const project = /^\d+$/.test(named) ? gateway.project : named;
  return project === service.project ? key : `projects/${project}/locations/global/${key}`;
}

function referenceGatewaysEquivalent(service: Services, graph: ResourceGraph): Verdict {
  const negs = graph.serverlessNegsOf(service);
  if (negs.length === 0) return notApplicable(`${describeNode(service)} holds no serverless NEG.`);
  const regions: Record<string, { gateway: string; apiConfig: string | null }> = {};
  const seen = new Set<string>();
  for (const reached of negs.flatMap((neg) => graph.gatewaysReachedBy(neg))) {
    if (seen.has(reached.fullName)) continue;
    seen.add(reached.fullName);
    const region = reached.location;
    const byId = `${region}/${reached.ref.name}`;
    const key = !(region in regions) ? region : !(byId in regions) ? byId : reached.fullName;
    regions[key] = { gateway: reached.fullName, apiConfig: referenceConfigLabel(service, reached, graph) };
  }
  const entries = Object.values(regions);
  if (entries.length === 0) {
    return notApplicable(`${describeNode(service)} reaches no API Gateway through its NEGs.`);
  }
  const configs = [...new Set(entries.map((entry) => entry.apiConfig))];
  if (configs.length > 1) {
    return fail(
      `The ${entries.length} gateways behind ${describeNode(service)} serve ${configs.length} different API configs.`,
      { regions, configs },
    );
  }
  return pass(
    `Every gateway behind ${describeNode(service)} serves ${configs[0] ?? 'the same API config'}.`,
    {
      regions,
    },
  );
}

function referenceNotMixed(service: Services, graph: ResourceGraph): Verdict {
  if (!graph.isFronting(service)) return notApplicable(`${describeNode(service)} holds no serverless NEG.`);
  const serverless: string[] = [];
  const other: { group: string; type: string }[] = [];
  const notJudged: string[] = [];
  for (const link of graph.backendsOf(service)) {
    const group = link.groupName ?? String(link.backend.group);
    const type = link.neg
      ? isServerlessNeg(link.neg.data)
        ? 'SERVERLESS'
        : (link.neg.data.networkEndpointType ?? 'unknown NEG type')
      : link.isInstanceGroup
        ? 'instance group'
        : undefined;
    if (type === 'SERVERLESS') serverless.push(group);
    else if (type) other.push({ group, type });
    else notJudged.push(group);
  }
  const evidence = { serverless, other, ...(notJudged.length > 0 ? { notJudged } : {}) };
  if (other.length > 0) {
    return fail(
      `${describeNode(service)} mixes serverless NEGs with ${other.length} other backend(s).`,
      evidence,
    );
  }
  const caveat = notJudged.length > 0 ? ` (${notJudged.length} backend(s) not in the inventory)` : '';
  return pass(`${describeNode(service)} holds only serverless NEGs${caveat}.`, evidence);
}

function referenceNoBalancingMode(service: Services, graph: ResourceGraph): Verdict {
  if (!graph.isFronting(service)) return notApplicable(`${describeNode(service)} holds no serverless NEG.`);
  const offending = graph.serverlessBackendsOf(service).flatMap((link) => {
    const balancingMode = link.backend.balancingMode;
    return balancingMode && ['RATE', 'CONNECTION', 'CUSTOM_METRICS'].includes(balancingMode)
      ? [{ group: link.groupName ?? String(link.backend.group), balancingMode }]
      : [];
  });
  if (offending.length > 0) {
    const modes = [...new Set(offending.map((backend) => backend.balancingMode))].join(', ');
    return fail(`${describeNode(service)} sets balancing mode ${modes} on serverless backends.`, {
      backends: offending,
    });
  }
  return pass(`${describeNode(service)} sets no ineffective balancing mode on serverless backends.`);
}

const CAPACITY_FIELDS = [
  'maxUtilization',
  'maxConnections',
  'maxConnectionsPerInstance',
  'maxConnectionsPerEndpoint',
  'maxRate',
  'maxRatePerInstance',
  'maxRatePerEndpoint',
  'maxInFlightRequests',
  'maxInFlightRequestsPerInstance',
  'maxInFlightRequestsPerEndpoint',
] as const;

function referenceNoCapacityLimits(service: Services, graph: ResourceGraph): Verdict {
  if (!graph.isFronting(service)) return notApplicable(`${describeNode(service)} holds no serverless NEG.`);
  const offending = graph.serverlessBackendsOf(service).flatMap((link) => {
    const limits = CAPACITY_FIELDS.flatMap((field) => {
      const value = link.backend[field];
      return value !== undefined && value !== null && value !== 0 ? [`${field}=${value}`] : [];
    });
    return limits.length > 0 ? [{ group: link.groupName ?? String(link.backend.group), limits }] : [];
  });
  if (offending.length > 0) {
    return fail(
      `${describeNode(service)} sets capacity limits on ${offending.length} serverless backend(s).`,
      {
        backends: offending,
      },
    );
  }
  return pass(`${describeNode(service)} sets no capacity limits on serverless backends.`);
}

function referenceNotStreaming(
  neg: ResourceNode<'networkEndpointGroup'>,
  graph: ResourceGraph,
): Verdict | Verdict[] {
  const lookup = graph.gatewayLookup(neg);
  if (!lookup || lookup.reached.length === 0)
    return notApplicable(`${describeNode(neg)} reaches no gateway.`);
  const keyed = lookup.by === 'mask';
  return lookup.reached.map((gateway) => {
    const effectiveStreamingMode = gateway.data.effectiveStreamingMode ?? null;
    const evidence = {
      gateway: gateway.fullName,
      effectiveStreamingMode,
      ...(keyed
        ? {
            urlMask: lookup.urlMask,
            directUrl: directUrlOf(gateway.data),
          }
        : {}),
    };
    const subKey = keyed ? { subKey: gateway.ref.name } : {};
    if (effectiveStreamingMode === 'EFFECTIVE_STREAMING_MODE_ENABLED') {
      return fail(
        `${describeNode(neg)} reaches ${describeNode(gateway)}, which has streaming enabled.`,
        evidence,
        subKey,
      );
    }
    return {
      ...pass(`${describeNode(neg)} reaches ${describeNode(gateway)}, which does not stream.`, evidence),
      ...subKey,
    };
  });
}

function referenceSameProject(service: Services, graph: ResourceGraph): Verdict | Verdict[] {
  const negs = graph.serverlessNegsOf(service).filter((neg) => isApiGatewayNeg(neg.data));
  if (negs.length === 0) return notApplicable(`${describeNode(service)} holds no API Gateway NEG.`);
  const verdicts: Verdict[] = [];
  for (const neg of negs) {
    if (neg.project === service.project) continue;
    const evidence = { neg: neg.fullName, negProject: neg.project, serviceProject: service.project };
    const undecided = /^\d+$/.test(neg.project) !== /^\d+$/.test(service.project);
    verdicts.push(
      undecided
        ? {
            ...cannotDecide(
              `${describeNode(service)} holds ${describeNode(neg)}, and whether ${neg.project} and ${service.project} are one project is unknown (a project number without its ID).`,
              evidence,
            ),
            subKey: neg.fullName,
          }
        : fail(
            `${describeNode(service)} holds ${describeNode(neg)} from project ${neg.project}: its gateways are not in the load balancer's project ${service.project}.`,
            evidence,
            { subKey: neg.fullName },
          ),
    );
  }
  if (verdicts.length > 0) return verdicts;
  return pass(`Every API Gateway NEG of ${describeNode(service)} is in its project ${service.project}.`, {
    negs: negs.map((neg) => neg.fullName),
    serviceProject: service.project,
  });
}

const REWRITTEN: readonly (readonly [Rule, (node: never, graph: ResourceGraph) => Verdict | Verdict[]])[] = [
  [backendSinglePlatform, referenceSinglePlatform],
  [backendSupportedScheme, referenceSupportedScheme],
  [backendGatewaysSameProject, referenceSameProject],
  [backendOneNegPerRegion, referenceOneNegPerRegion],
  [backendGatewaysEquivalent, referenceGatewaysEquivalent],
  [backendServerlessNotMixed, referenceNotMixed],
  [backendNoBalancingMode, referenceNoBalancingMode],
  [backendNoCapacityLimits, referenceNoCapacityLimits],
  [negGatewayNotStreaming, referenceNotStreaming],
];

/** JSON of every result, so undefined evidence fields and key order count as they do in output. */
function judged(graph: ResourceGraph, rule: Rule): string {
  return JSON.stringify(evaluate(graph, [rule], { now: NOW }));
}

describe('rules rewritten to cost less answer as the code they replaced', () => {
  for (const [rule, reference] of REWRITTEN) {
    test(rule.id, () => {
      fc.assert(
        fc.property(estate, (records) => {
          const graph = graphFrom(records);
          const old: Rule = { ...rule, evaluate: (node, context) => reference(node as never, context.graph) };
          expect(judged(graph, rule)).toBe(judged(graph, old));
        }),
        RUNS,
      );
    });
  }

  test('every rule gives the same results from a fresh graph and from one whose memos are filled', () => {
    fc.assert(
      fc.property(estate, (records) => {
        const warm = graphFrom(records);
        evaluate(warm, [...ALL_RULES].reverse(), { now: NOW });
        expect(JSON.stringify(evaluate(warm, ALL_RULES, { now: NOW }))).toBe(
          JSON.stringify(evaluate(graphFrom(records), ALL_RULES, { now: NOW })),
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('graph queries rewritten to cost less answer as the code they replaced', () => {
  test('backends, serverless backends and NEGs of a service; gateway lookups; what fronts a gateway', () => {
    fc.assert(
      fc.property(estate, (records) => {
        const graph = graphFrom(records);
        for (const service of graph.nodes('backendService')) {
          const links = graph.backendsOf(service);
          const serverless = links.filter((link) => link.neg !== undefined && isServerlessNeg(link.neg.data));
          expect(graph.serverlessBackendsOf(service)).toEqual(serverless);
          expect(graph.serverlessNegsOf(service)).toEqual(serverless.map((link) => link.neg));
          expect(graph.isFronting(service)).toBe(serverless.length > 0);
          expect(links.map((link) => link.backend)).toEqual(service.data.backends ?? []);
        }
        for (const neg of graph.nodes('networkEndpointGroup')) {
          const lookup = graph.gatewayLookup(neg);
          if (lookup?.by !== 'resource') continue;
          const candidates = graph
            .nodes('gateway')
            .filter((gateway) => gateway.project === neg.project && gateway.ref.name === lookup.resource);
          expect(lookup.reached).toEqual(
            candidates.filter((gateway) => gateway.location === lookup.region).slice(0, 1),
          );
          expect(lookup.elsewhere).toEqual(
            candidates.filter((gateway) => gateway.location !== lookup.region),
          );
        }
        for (const gateway of graph.nodes('gateway')) {
          const negs = graph
            .referrersOf(gateway.fullName, 'networkEndpointGroup')
            .filter((neg) => graph.gatewaysReachedBy(neg).includes(gateway));
          expect(graph.negsReaching(gateway)).toEqual(negs);
          const services = new Map<string, ResourceNode<'backendService'>>();
          for (const neg of negs) {
            for (const service of graph.referrersOf(neg.fullName, 'backendService'))
              services.set(service.fullName, service);
          }
          expect(graph.frontingServicesOf(gateway)).toEqual([...services.values()]);
          expect(graph.masksReaching(gateway)).toEqual(
            negs.flatMap((neg) => {
              const lookup = graph.gatewayLookup(neg);
              return lookup?.by === 'mask' ? [{ neg: neg.fullName, urlMask: lookup.urlMask }] : [];
            }),
          );
        }
      }),
      RUNS,
    );
  });
});

/** forwardingRulesOnAddress before it pushed instead of spreading (the reference). */
function referenceRulesOnAddress(
  graph: ResourceGraph,
  address: string,
): readonly ResourceNode<'forwardingRule'>[] {
  const index = new Map<string, ResourceNode<'forwardingRule'>[]>();
  for (const rule of graph.nodes('forwardingRule')) {
    const ip = rule.data.IPAddress;
    if (typeof ip === 'string' && ip.length > 0) index.set(ip, [...(index.get(ip) ?? []), rule]);
  }
  return index.get(address) ?? [];
}

describe('frontend helpers rewritten to cost less answer as the code they replaced', () => {
  const ADDRESSES = ['34.120.10.20', '34.120.10.21', '', ' ', 'constructor'] as const;
  test('forwardingRulesOnAddress', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: fc.constantFrom('fr-a', 'fr-b', 'fr-c', 'fr-d'),
            project,
            ip: fc.option(fc.constantFrom<unknown>(...ADDRESSES, 7, null), { nil: undefined }),
          }),
          { maxLength: 12 },
        ),
        (rules) => {
          const graph = graphFrom({
            forwardingRule: rules.map(({ name, project, ip }) => {
              const { IPAddress: _ip, ...rest } = forwardingRule(
                name,
                'global/targetHttpsProxies/p',
                {},
                project,
              );
              return (ip === undefined ? rest : { ...rest, IPAddress: ip }) as ForwardingRule;
            }),
          });
          for (const address of [...ADDRESSES, 'absent']) {
            expect(forwardingRulesOnAddress(graph, address)).toEqual(referenceRulesOnAddress(graph, address));
          }
        },
      ),
      RUNS,
    );
  });
});
