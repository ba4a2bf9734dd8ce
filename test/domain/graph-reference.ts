// The resource graph and the name parser as they were before the build was reworked for issue 14 (main at
// f197888), kept verbatim but for their imports, their names and one fix (see the constructor): the references
// the differential tests compare with.

import type { IncompleteScope, Inventory } from '../../src/domain/inventory.js';
import { assetTypeOf, RESOURCE_KINDS, type ResourceKind } from '../../src/domain/resource-kind.js';
import {
  fullNameOf,
  isRegional,
  type ResourceRef,
  regionOfRef,
  withProject,
} from '../../src/domain/resource-name.js';
import type {
  Backend,
  PathMatcher,
  ResourceDataByKind,
  RouteAction,
  UrlMap,
} from '../../src/domain/resources.js';
import { isApiGatewayNeg, isMaskNeg, isServerlessNeg } from '../../src/domain/serverless.js';

const SAFE_SEGMENT = String.raw`(?!\.\.?(?:/|$))[^/?#\s\p{Cc}]+`;
const SAFE_PATH = new RegExp(`^${SAFE_SEGMENT}(?:/${SAFE_SEGMENT})*$`, 'u');
const QUERY_OR_FRAGMENT = /[?#]/;

/** parseResourceRef before the one-pass scanner. */
export function parseResourceRef(text: unknown): ResourceRef | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 4096) return undefined;
  const end = text.search(QUERY_OR_FRAGMENT);
  const clean = end < 0 ? text : text.slice(0, end);
  const start = clean.startsWith('projects/') ? 0 : clean.indexOf('/projects/') + 1;
  if (start === 0 && !clean.startsWith('projects/')) return undefined;
  const tail = clean.slice(start);
  if (!SAFE_PATH.test(tail)) return undefined;
  const segments = tail.split('/');
  const [, project, scope, location] = segments;
  if (project === undefined || scope === undefined) return undefined;
  const rest = segments.length - 4;
  const path = tail.slice('projects/'.length + project.length + 1);
  if (scope === 'locations' || clean.slice(0, start).includes('apigateway')) {
    if (scope !== 'locations' || location === undefined || rest < 2 || rest % 2 !== 0) return undefined;
    return buildRef('apigateway', project, 'locations', location, segments, path);
  }
  if (scope === 'global') {
    if (location === undefined || rest !== 1) return undefined;
    return buildRef('compute', project, 'global', 'global', segments, path);
  }
  if ((scope === 'regions' || scope === 'zones') && location !== undefined && rest === 2) {
    return buildRef('compute', project, scope, location, segments, path);
  }
  return undefined;
}

function buildRef(
  service: ResourceRef['service'],
  project: string,
  scope: ResourceRef['scope'],
  location: string,
  segments: readonly string[],
  path: string,
): ResourceRef {
  const collection = segments[segments.length - 2] ?? '';
  const name = segments[segments.length - 1] ?? '';
  return { service, project, scope, location, collection, name, path };
}

function fromRouteAction(action: RouteAction | undefined): string[] {
  return (action?.weightedBackendServices ?? []).flatMap((weighted) =>
    weighted.backendService ? [weighted.backendService] : [],
  );
}

function fromPathMatcher(matcher: PathMatcher): string[] {
  return [
    ...(matcher.defaultService ? [matcher.defaultService] : []),
    ...fromRouteAction(matcher.defaultRouteAction),
    ...(matcher.pathRules ?? []).flatMap((rule) => [
      ...(rule.service ? [rule.service] : []),
      ...fromRouteAction(rule.routeAction),
    ]),
    ...(matcher.routeRules ?? []).flatMap((rule) => [
      ...(rule.service ? [rule.service] : []),
      ...fromRouteAction(rule.routeAction),
    ]),
  ];
}

/** backendServiceLinksOf before it appended to one array. */
export function backendServiceLinksOf(urlMap: UrlMap): string[] {
  const links = [
    ...(urlMap.defaultService ? [urlMap.defaultService] : []),
    ...fromRouteAction(urlMap.defaultRouteAction),
    ...(urlMap.pathMatchers ?? []).flatMap(fromPathMatcher),
  ];
  return [...new Set(links)];
}

export interface ResourceNode<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  readonly fullName: string;
  readonly ref: ResourceRef;
  readonly data: ResourceDataByKind[K];
  readonly project: string;
  /** `global` or the region (zonal resources: their region). */
  readonly location: string;
  readonly regional: boolean;
  readonly assetType: string;
}

export interface SkippedRecord {
  readonly kind: ResourceKind;
  readonly reason: string;
  readonly record: unknown;
}

export interface BackendLink {
  readonly backend: Backend;
  /** Full name of `backend.group`, undefined when the link cannot be parsed. */
  readonly groupName: string | undefined;
  /** The NEG, when `group` names a NEG that is in the graph. */
  readonly neg: ResourceNode<'networkEndpointGroup'> | undefined;
  /** `group` names an instance group (never a NEG). */
  readonly isInstanceGroup: boolean;
}

/** A backend whose group is a serverless NEG in the graph. */
export interface ServerlessBackendLink extends BackendLink {
  readonly neg: ResourceNode<'networkEndpointGroup'>;
}

interface GatewayLookupBase {
  readonly project: string;
  readonly region: string | undefined;
  /** Every gateway the NEG reaches (RULES.md *reaches*), ordered by full name. */
  readonly reached: readonly ResourceNode<'gateway'>[];
}

/** A NEG naming one gateway by ID: it reaches the gateway with that ID in its own project and region, if any. */
export interface ResourceGatewayLookup extends GatewayLookupBase {
  readonly by: 'resource';
  /** What the NEG's `serverlessDeployment.resource` says, verbatim. */
  readonly resource: string;
  /** Gateways with that ID in the NEG's project but another region. */
  readonly elsewhere: readonly ResourceNode<'gateway'>[];
}

/**
 * A mask NEG (`resource` empty, `urlMask` set): the gateway ID is parsed from each request, so it reaches every
 * gateway of its project in its region, and each of their direct URLs is part of the exposure.
 */
export interface MaskGatewayLookup extends GatewayLookupBase {
  readonly by: 'mask';
  readonly urlMask: string;
}

export type GatewayLookup = ResourceGatewayLookup | MaskGatewayLookup;

/** `apis/{api}/configs/{config}`: how API configs are matched, whatever the project part holds. */
export function apiConfigKey(name: string | undefined): string | undefined {
  const match = name?.match(/(?:^|\/)apis\/([^/]+)\/configs\/([^/?#]+)$/);
  return match ? `apis/${match[1]}/configs/${match[2]}` : undefined;
}

const NO_NODES: readonly never[] = [];

/**
 * What a link text resolves to: the node when the graph holds the resource, the full name when it does not, and
 * null when the text names nothing. Rules resolve the same links (urlMap, target, backends[].group) many times.
 */
type LinkTarget = ResourceNode | string | null;

/** The text a record names itself by: its selfLink (compute), else its name (API Gateway). */
function selfLinkOf(record: { readonly selfLink?: unknown; readonly name?: unknown }): unknown {
  return typeof record.selfLink === 'string' ? record.selfLink : record.name;
}

export class ReferenceGraph {
  private readonly byName = new Map<string, ResourceNode>();
  private readonly byKind = new Map<ResourceKind, ResourceNode[]>();
  /** Link text -> what it names; seeded with every record's own selfLink, as most links are a target's selfLink. */
  private readonly links = new Map<string, LinkTarget>();
  /** Node -> the nodes pointing at it, in graph order. Keyed by object: no string hashing on the hot path. */
  private readonly referrers = new Map<ResourceNode, ResourceNode[]>();
  /** The same for names the graph does not hold (an SSL certificate, a deleted gateway). */
  private readonly referrersOfAbsent = new Map<string, ResourceNode[]>();
  private readonly gatewaysById = new Map<string, ResourceNode<'gateway'>[]>();
  /** `project/region` -> its gateways, by full name: what a mask NEG of that project and region reaches. */
  private readonly gatewaysByLocation = new Map<string, ResourceNode<'gateway'>[]>();
  private readonly apiConfigsByKey = new Map<string, ResourceNode<'apiConfig'>[]>();
  private readonly projectIds: Readonly<Record<string, string>>;
  // What rules ask of a node many times per evaluation (every backend rule asks isFronting, every NEG rule the
  // gateway lookup), worked out on first use. Maps, not WeakMaps: the graph holds its nodes anyway, and weak keys
  // cost the garbage collector on every major collection.
  private readonly backendLinks = new Map<ResourceNode, readonly BackendLink[]>();
  private readonly serverlessBackends = new Map<ResourceNode, readonly ServerlessBackendLink[]>();
  private readonly serverlessNegs = new Map<ResourceNode, readonly ResourceNode<'networkEndpointGroup'>[]>();
  private readonly gatewayLookups = new Map<ResourceNode, GatewayLookup | undefined>();
  private readonly negsReachingGateway = new Map<
    ResourceNode,
    readonly ResourceNode<'networkEndpointGroup'>[]
  >();
  private readonly frontingServices = new Map<ResourceNode, readonly ResourceNode<'backendService'>[]>();
  private readonly servicesRouted = new Map<ResourceNode, readonly ResourceNode<'backendService'>[]>();
  private readonly frontingServicesRouted = new Map<
    ResourceNode,
    readonly ResourceNode<'backendService'>[]
  >();
  readonly skipped: readonly SkippedRecord[];
  readonly incomplete: readonly IncompleteScope[];

  static build(inventory: Inventory): ReferenceGraph {
    return new ReferenceGraph(inventory);
  }

  private constructor(inventory: Inventory) {
    this.projectIds = inventory.projectIds ?? {};
    this.incomplete = inventory.incomplete ?? [];
    const skipped: SkippedRecord[] = [];
    for (const kind of RESOURCE_KINDS) {
      const nodes: ResourceNode[] = [];
      /** Nodes a later record of the same name replaced: left out once at the end, not spliced out one by one. */
      const replacedNodes = new Set<ResourceNode>();
      const globalAssetType = assetTypeOf(kind, false);
      const regionalAssetType = assetTypeOf(kind, true);
      for (const record of inventory[kind]) {
        const link = selfLinkOf(record);
        const parsed = parseResourceRef(link);
        if (!parsed) {
          skipped.push({ kind, reason: `cannot tell which resource ${JSON.stringify(link)} names`, record });
          continue;
        }
        const ref = this.normaliseRef(parsed);
        const regional = isRegional(ref);
        const node: ResourceNode = {
          kind,
          fullName: fullNameOf(ref),
          ref,
          data: record,
          project: ref.project,
          location: regionOfRef(ref) ?? 'global',
          regional,
          assetType: regional ? regionalAssetType : globalAssetType,
        };
        const replaced = this.byName.get(node.fullName);
        if (replaced) {
          // The last record of a name wins; the one it replaces may have said its name in other words.
          replacedNodes.add(replaced);
          this.links.set(selfLinkOf(replaced.data) as string, node);
        }
        this.byName.set(node.fullName, node);
        this.links.set(link as string, node);
        nodes.push(node);
      }
      this.byKind.set(
        kind,
        replacedNodes.size > 0 ? nodes.filter((node) => !replacedNodes.has(node)) : nodes,
      );
    }
    // The one change from f197888: a selfLink names the last record of its name. f197888 re-pointed only the text
    // of the record each later one replaced, so of three records of one name in different words, the first one's
    // text still named the second (a replaced node): the rework resolves every text by its name and fixed that.
    for (const [text, target] of this.links) {
      if (target !== null && typeof target === 'object')
        this.links.set(text, this.byName.get(target.fullName) ?? null);
    }
    this.skipped = skipped;
    for (const gateway of this.nodes('gateway')) {
      appendTo(this.gatewaysById, `${gateway.project}/${gateway.ref.name}`, gateway);
      appendTo(this.gatewaysByLocation, `${gateway.project}/${gateway.location}`, gateway);
    }
    for (const gateways of this.gatewaysByLocation.values()) {
      gateways.sort((a, b) => (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0));
    }
    for (const config of this.nodes('apiConfig')) {
      const key = apiConfigKey(config.ref.path);
      if (key) appendTo(this.apiConfigsByKey, key, config);
    }
    // Only the incoming side is kept: referencesOf works a node's links out again when asked (sweeps ask once per
    // node, rules never), which spares a map and an array per node.
    for (const node of this.byName.values()) {
      for (const target of this.targetsOf(node)) {
        if (typeof target === 'string') appendTo(this.referrersOfAbsent, target, node);
        else appendTo(this.referrers, target, node);
      }
    }
  }

  /** Replaces a project number with its ID where the inventory knows both. */
  normaliseRef(ref: ResourceRef): ResourceRef {
    // Second fix: own keys only (a project named `constructor` found a function here), as the graph does.
    const id = Object.hasOwn(this.projectIds, ref.project) ? this.projectIds[ref.project] : undefined;
    return id ? withProject(ref, id) : ref;
  }

  /** Full name of any link, selfLink, audit-log name or full name, with the project normalised. */
  fullNameFor(link: unknown): string | undefined {
    const target = this.resolve(link);
    return target === null ? undefined : typeof target === 'string' ? target : target.fullName;
  }

  /**
   * Memoised by link text: parsing links was the top self-time in the 10,000-service benchmark, and the same text
   * is resolved by many rules. A name the graph holds comes back as the node itself, so its full name is the node's
   * own string (one copy in memory, compared by reference). projectIds never change.
   */
  private resolve(link: unknown): LinkTarget {
    if (typeof link !== 'string') return null;
    let target = this.links.get(link);
    if (target === undefined) {
      const ref = parseResourceRef(link);
      const name = ref ? fullNameOf(this.normaliseRef(ref)) : undefined;
      target = name === undefined ? null : (this.byName.get(name) ?? name);
      this.links.set(link, target);
    }
    return target;
  }

  nodes<K extends ResourceKind>(kind: K): readonly ResourceNode<K>[] {
    return (this.byKind.get(kind) ?? NO_NODES) as readonly ResourceNode<K>[];
  }

  allNodes(): IterableIterator<ResourceNode> {
    return this.byName.values();
  }

  get size(): number {
    return this.byName.size;
  }

  /** The node a link names (any form: selfLink of any API version, audit name, full name). */
  find<K extends ResourceKind>(link: unknown, kind?: K): ResourceNode<K> | undefined {
    const target = this.resolve(link);
    if (target === null || typeof target === 'string' || (kind && target.kind !== kind)) return undefined;
    return target as ResourceNode<K>;
  }

  /** Full names this node points at (they may be absent from the graph). */
  referencesOf(node: ResourceNode): readonly string[] {
    return this.targetsOf(node).map((target) => (typeof target === 'string' ? target : target.fullName));
  }

  /** Nodes that point at `fullName`, optionally of one kind. */
  referrersOf<K extends ResourceKind>(fullName: string, kind?: K): ResourceNode<K>[] {
    const node = this.byName.get(fullName);
    const referrers = node ? this.referrers.get(node) : this.referrersOfAbsent.get(fullName);
    return filterByKind(referrers ?? NO_NODES, kind);
  }

  backendsOf(service: ResourceNode<'backendService'>): readonly BackendLink[] {
    return remembered(this.backendLinks, service, () => this.linkBackends(service));
  }

  private linkBackends(service: ResourceNode<'backendService'>): BackendLink[] {
    return (service.data.backends ?? []).map((backend) => {
      // targetsOf already resolved every group link while building, so this is a memo hit.
      const target = this.resolve(backend.group);
      const node = typeof target === 'object' ? target : null;
      return {
        backend,
        groupName: target === null ? undefined : typeof target === 'string' ? target : target.fullName,
        neg:
          node?.kind === 'networkEndpointGroup' ? (node as ResourceNode<'networkEndpointGroup'>) : undefined,
        // A node's ref is the link's (same full name); only a group outside the graph needs parsing again.
        isInstanceGroup: (node ? node.ref : parseResourceRef(backend.group))?.collection === 'instanceGroups',
      };
    });
  }

  /** The service's backends whose group is a serverless NEG in the graph, in `backends` order. */
  serverlessBackendsOf(service: ResourceNode<'backendService'>): readonly ServerlessBackendLink[] {
    // Every backend rule asks through isFronting, 10+ times per service.
    return remembered(this.serverlessBackends, service, () =>
      this.backendsOf(service).filter(
        (link): link is ServerlessBackendLink => link.neg !== undefined && isServerlessNeg(link.neg.data),
      ),
    );
  }

  serverlessNegsOf(service: ResourceNode<'backendService'>): readonly ResourceNode<'networkEndpointGroup'>[] {
    return remembered(this.serverlessNegs, service, () =>
      this.serverlessBackendsOf(service).map((link) => link.neg),
    );
  }

  /** A fronting backend service holds at least one serverless NEG (RULES.md). */
  isFronting(service: ResourceNode<'backendService'>): boolean {
    return this.serverlessBackendsOf(service).length > 0;
  }

  backendServicesOfNeg(neg: ResourceNode<'networkEndpointGroup'>): ResourceNode<'backendService'>[] {
    return filterByKind(this.referrers.get(neg) ?? NO_NODES, 'backendService');
  }

  /** Which gateway(s) an API Gateway NEG names, and which it can reach; undefined for other NEGs. */
  gatewayLookup(neg: ResourceNode<'networkEndpointGroup'>): GatewayLookup | undefined {
    return remembered(this.gatewayLookups, neg, () => this.lookUpGateways(neg));
  }

  private lookUpGateways(neg: ResourceNode<'networkEndpointGroup'>): GatewayLookup | undefined {
    if (!isApiGatewayNeg(neg.data)) return undefined;
    const region = regionOfRef(neg.ref);
    if (isMaskNeg(neg.data)) {
      return {
        by: 'mask',
        urlMask: neg.data.serverlessDeployment?.urlMask ?? '',
        project: neg.project,
        region,
        reached: this.gatewaysIn(neg.project, region),
      };
    }
    const resource = neg.data.serverlessDeployment?.resource ?? '';
    const candidates = this.gatewaysById.get(`${neg.project}/${resource}`) ?? NO_NODES;
    return {
      by: 'resource',
      resource,
      project: neg.project,
      region,
      reached: candidates.filter((gateway) => gateway.location === region).slice(0, 1),
      elsewhere: candidates.filter((gateway) => gateway.location !== region),
    };
  }

  /** Every gateway an API Gateway NEG reaches (none for other NEGs). */
  gatewaysReachedBy(neg: ResourceNode<'networkEndpointGroup'>): readonly ResourceNode<'gateway'>[] {
    return this.gatewayLookup(neg)?.reached ?? NO_NODES;
  }

  /** The gateways of a project in one region, by full name. */
  gatewaysIn(project: string, region: string | undefined): readonly ResourceNode<'gateway'>[] {
    return region === undefined
      ? NO_NODES
      : (this.gatewaysByLocation.get(`${project}/${region}`) ?? NO_NODES);
  }

  /** API Gateway NEGs that reach this gateway: by its ID in its project and region, or by a mask there. */
  negsReaching(gateway: ResourceNode<'gateway'>): readonly ResourceNode<'networkEndpointGroup'>[] {
    return remembered(this.negsReachingGateway, gateway, () =>
      filterByKind(this.referrers.get(gateway) ?? NO_NODES, 'networkEndpointGroup').filter((neg) =>
        this.gatewaysReachedBy(neg).includes(gateway),
      ),
    );
  }

  /** The mask NEGs among those reaching this gateway, with their masks: why a gateway no NEG names is fronted. */
  masksReaching(gateway: ResourceNode<'gateway'>): { readonly neg: string; readonly urlMask: string }[] {
    return this.negsReaching(gateway).flatMap((neg) => {
      const lookup = this.gatewayLookup(neg);
      return lookup?.by === 'mask' ? [{ neg: neg.fullName, urlMask: lookup.urlMask }] : [];
    });
  }

  /** Fronting backend services that hold a NEG reaching this gateway: the gateway is "fronted" by them. */
  frontingServicesOf(gateway: ResourceNode<'gateway'>): readonly ResourceNode<'backendService'>[] {
    return remembered(this.frontingServices, gateway, () => {
      const services = new Map<string, ResourceNode<'backendService'>>();
      for (const neg of this.negsReaching(gateway)) {
        for (const service of this.backendServicesOfNeg(neg)) services.set(service.fullName, service);
      }
      return [...services.values()];
    });
  }

  /** The API config a gateway serves, matched by `apis/{api}/configs/{config}`, preferring its own project. */
  apiConfigOf(gateway: ResourceNode<'gateway'>): ResourceNode<'apiConfig'> | undefined {
    const key = apiConfigKey(gateway.data.apiConfig);
    const candidates = key ? this.apiConfigsByKey.get(key) : undefined;
    // One fix beside the constructor's: never another project's config known by ID (a project number that cannot be
    // mapped may be the gateway's own project).
    const numbered = (project: string) => /^\d+$/.test(project);
    return (
      candidates?.find((config) => config.project === gateway.project) ??
      candidates?.find((config) => numbered(config.project) !== numbered(gateway.project))
    );
  }

  backendServicesRoutedBy(urlMap: ResourceNode<'urlMap'>): readonly ResourceNode<'backendService'>[] {
    return remembered(this.servicesRouted, urlMap, () =>
      backendServiceLinksOf(urlMap.data).flatMap((link) => {
        const service = this.find(link, 'backendService');
        return service ? [service] : [];
      }),
    );
  }

  /** Fronting backend services the URL map routes to: what a load balancer in front of API Gateway serves. */
  frontingServicesRoutedBy(urlMap: ResourceNode<'urlMap'>): readonly ResourceNode<'backendService'>[] {
    return remembered(this.frontingServicesRouted, urlMap, () =>
      this.backendServicesRoutedBy(urlMap).filter((service) => this.isFronting(service)),
    );
  }

  urlMapOf(proxy: ResourceNode<'targetHttpProxy' | 'targetHttpsProxy'>): ResourceNode<'urlMap'> | undefined {
    return this.find(proxy.data.urlMap, 'urlMap');
  }

  /** The target proxy a forwarding rule sends traffic to, when it is an HTTP(S) proxy in the graph. */
  proxyOf(
    rule: ResourceNode<'forwardingRule'>,
  ): ResourceNode<'targetHttpProxy' | 'targetHttpsProxy'> | undefined {
    const target = this.find(rule.data.target);
    return target?.kind === 'targetHttpProxy' || target?.kind === 'targetHttpsProxy'
      ? (target as ResourceNode<'targetHttpProxy' | 'targetHttpsProxy'>)
      : undefined;
  }

  /** What this node's links name, each once: nodes of the graph, or full names of resources it does not hold. */
  private targetsOf(node: ResourceNode): (ResourceNode | string)[] {
    const links: unknown[] = [];
    const data = node.data as Record<string, unknown>;
    switch (node.kind) {
      case 'backendService': {
        const service = node as ResourceNode<'backendService'>;
        links.push(...(service.data.backends ?? []).map((backend) => backend.group));
        links.push(
          service.data.securityPolicy,
          service.data.edgeSecurityPolicy,
          ...(service.data.healthChecks ?? []),
        );
        break;
      }
      case 'networkEndpointGroup': {
        const neg = node as ResourceNode<'networkEndpointGroup'>;
        const resource = neg.data.serverlessDeployment?.resource;
        if (isMaskNeg(neg.data)) {
          // Every gateway of its project and region: any of their IDs can be parsed from a request.
          links.push(
            ...this.gatewaysIn(neg.project, regionOfRef(neg.ref)).map((gateway) => gateway.fullName),
          );
        } else if (isApiGatewayNeg(neg.data) && resource && !resource.includes('/')) {
          links.push(`projects/${neg.project}/locations/${neg.location}/gateways/${resource}`);
          for (const gateway of this.gatewaysById.get(`${neg.project}/${resource}`) ?? NO_NODES) {
            links.push(gateway.fullName);
          }
        }
        break;
      }
      case 'urlMap':
        links.push(...backendServiceLinksOf((node as ResourceNode<'urlMap'>).data));
        break;
      case 'targetHttpProxy':
      case 'targetHttpsProxy':
        links.push(data.urlMap, data.sslPolicy, ...((data.sslCertificates as unknown[] | undefined) ?? []));
        break;
      case 'forwardingRule':
        links.push(data.target);
        break;
      case 'gateway': {
        const config = this.apiConfigOf(node as ResourceNode<'gateway'>);
        links.push(config?.fullName ?? data.apiConfig);
        break;
      }
      default:
        break;
    }
    // A handful of links per node: a linear check beats building a Set for each.
    const targets: (ResourceNode | string)[] = [];
    for (const link of links) {
      const target = this.resolve(link);
      if (target !== null && target !== node && !targets.includes(target)) {
        targets.push(target);
      }
    }
    return targets;
  }
}

function filterByKind<K extends ResourceKind>(
  nodes: readonly ResourceNode[],
  kind: K | undefined,
): ResourceNode<K>[] {
  return (kind ? nodes.filter((node) => node.kind === kind) : [...nodes]) as ResourceNode<K>[];
}

/** The value worked out for `key` the first time it is asked for. */
function remembered<K, V>(cache: Map<K, V>, key: K, work: () => V): V {
  const cached = cache.get(key);
  if (cached !== undefined || cache.has(key)) return cached as V;
  const value = work();
  cache.set(key, value);
  return value;
}

function appendTo<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const values = index.get(key);
  if (values) values.push(value);
  else index.set(key, [value]);
}
