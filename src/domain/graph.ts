// The resource graph: API records indexed by full name, with references followed both ways.
// Immutable once built; every query is a map look-up so judging 10,000s of resources stays linear. Nodes hold the
// records themselves (never copies), and each link text is parsed once and interned to the node it names (issue 14).

import { compareText } from './compare-text.js';
import { type IncompleteScope, type Inventory, mappedProjectId } from './inventory.js';
import { assetTypeOf, descriptorOf, RESOURCE_KINDS, type ResourceKind } from './resource-kind.js';
import {
  isPlainAsciiSegment,
  isProjectNumber,
  isRegional,
  type LocationScope,
  type NameSpans,
  newNameSpans,
  type ResourceRef,
  regionOfRef,
  scanResourceName,
} from './resource-name.js';
import type {
  Backend,
  BackendService,
  Gateway,
  NetworkEndpointGroup,
  ResourceDataByKind,
  TargetHttpProxy,
  TargetHttpsProxy,
} from './resources.js';
import { isApiGatewayNeg, isMaskNeg, isServerlessNeg } from './serverless.js';
import { stableJson } from './stable-json.js';
import { backendServiceLinksOf } from './url-map.js';

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

/** Records of one name that said different things: the last was judged, the ones before it were not. */
export interface ConflictingRecords {
  readonly kind: ResourceKind;
  readonly fullName: string;
  /** How many records named it (2 or more). */
  readonly count: number;
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

/** A backend service's links, worked out together the first time one is asked for. */
interface ServiceLinks {
  readonly backends: readonly BackendLink[];
  readonly serverless: readonly ServerlessBackendLink[];
  readonly negs: readonly ResourceNode<'networkEndpointGroup'>[];
}

/** What fronts a gateway: the NEGs reaching it (the mask NEGs among them with their masks) and their services. */
interface GatewayFronting {
  readonly negs: readonly ResourceNode<'networkEndpointGroup'>[];
  readonly masks: readonly { readonly neg: string; readonly urlMask: string }[];
  readonly services: readonly ResourceNode<'backendService'>[];
}

interface UrlMapRoutes {
  readonly services: readonly ResourceNode<'backendService'>[];
  readonly fronting: readonly ResourceNode<'backendService'>[];
}

const CONFIGS_SEGMENT = '/configs/';
const APIS_SEGMENT = 'apis/';

/**
 * `apis/{api}/configs/{config}`: how API configs are matched, whatever the project part holds. The name's own tail
 * when it ends so (`{config}` with no `/`, `?` or `#`, `apis` a whole segment), read from the end: every gateway is
 * matched while the graph is built, and a regular expression tried at each position cost 3 us a name.
 */
export function apiConfigKey(name: string | undefined): string | undefined {
  if (typeof name !== 'string') return undefined;
  const configStart = name.lastIndexOf('/') + 1;
  if (configStart === 0 || configStart === name.length) return undefined;
  for (let index = configStart; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if (code === 0x3f || code === 0x23) return undefined;
  }
  const apiEnd = configStart - CONFIGS_SEGMENT.length;
  if (apiEnd < 1 || !name.startsWith(CONFIGS_SEGMENT, apiEnd)) return undefined;
  const apiStart = name.lastIndexOf('/', apiEnd - 1) + 1;
  const apisStart = apiStart - APIS_SEGMENT.length;
  if (apiStart === apiEnd || apisStart < 0 || !name.startsWith(APIS_SEGMENT, apisStart)) return undefined;
  if (apisStart > 0 && name.charCodeAt(apisStart - 1) !== 0x2f) return undefined;
  return name.slice(apisStart);
}

/** What the build saw of one name held by several records. */
interface Duplicated {
  readonly kind: ResourceKind;
  readonly fullName: string;
  count: number;
  differ: boolean;
}

/** Counts one more record of `latest`'s name; records are compared only when a name is held twice (rare). */
function noteDuplicate(
  duplicates: Map<string, Duplicated>,
  replaced: ResourceNode,
  latest: ResourceNode,
): void {
  let duplicated = duplicates.get(latest.fullName);
  if (duplicated === undefined) {
    duplicated = { kind: latest.kind, fullName: latest.fullName, count: 1, differ: false };
    duplicates.set(latest.fullName, duplicated);
  }
  duplicated.count += 1;
  duplicated.differ ||= stableJson(replaced.data) !== stableJson(latest.data);
}

const NO_NODES: readonly never[] = [];
const NO_LINKS: ServiceLinks = { backends: NO_NODES, serverless: NO_NODES, negs: NO_NODES };
const PROJECTS_LENGTH = 'projects/'.length;
const INSTANCE_GROUPS = 'instanceGroups';

/**
 * What a link text resolves to: the node when the graph holds the resource, the full name when it does not, and
 * null when the text names nothing. Rules resolve the same links (urlMap, target, backends[].group) many times.
 */
type LinkTarget = ResourceNode | string | null;

/** What the graph worked out for the last project a name held: consecutive names mostly share one. */
interface ProjectSeen {
  /** The project segment as the text said it. */
  readonly said: string;
  /** The project the graph knows it by (its ID when the inventory maps a number to one). */
  readonly project: string;
  /** `projects/{project}/`: with the path after it, a name's key in one table for all projects (see flatNames). */
  readonly keyPrefix: string;
  /** Full names of the project's resources are these prefixes and the path. */
  readonly computePrefix: string;
  readonly apigatewayPrefix: string;
  /** The project's names (or every project's, see flatNames) -> place in `order`. */
  readonly names: Map<string, number>;
  /** A renamed project's ID is a plain segment that maps to nothing: a full name with it parses back to it. */
  readonly regular: boolean;
}

interface SelfNamed {
  readonly selfLink?: unknown;
  readonly name?: unknown;
}

/** What the build needs of each kind, worked out once. */
interface KindShape {
  readonly collection: string;
  readonly globalAssetType: string;
  readonly regionalAssetType: string;
}

const KIND_SHAPES = Object.fromEntries(
  RESOURCE_KINDS.map((kind) => [
    kind,
    {
      collection: descriptorOf(kind).collection,
      globalAssetType: assetTypeOf(kind, false),
      regionalAssetType: assetTypeOf(kind, true),
    },
  ]),
) as Readonly<Record<ResourceKind, KindShape>>;

/** The text a record names itself by: its selfLink (compute), else its name (API Gateway). */
function selfLinkOf(record: SelfNamed): unknown {
  return typeof record.selfLink === 'string' ? record.selfLink : record.name;
}

export class ResourceGraph {
  /** Every node, in the order its name was first met; a later record of a name takes the earlier one's place. */
  private readonly order: ResourceNode[] = [];
  /**
   * Project (normalised) -> the path after `projects/{project}/` (`global/backendServices/x`, which decides the
   * service) -> the node's place in `order`. A table per project: a look-up hashes the path alone, never a string
   * built or sliced for it, in a table of one project's names, which stays in the cache while a project's records
   * and links are read one after another (one table for 55,000 names was the build's costliest line).
   */
  private readonly namesByProject = new Map<string, Map<string, number>>();
  /**
   * A project ID with a `/` in it (an inventory mapping numbers to such) could spell one full name as two projects
   * and paths: then there is one table, keyed by `projects/{project}/{path}`, as full names compare.
   */
  private readonly flatNames: boolean;
  /** Full name -> node, for referrersOf: built when first asked. */
  private byFullName: Map<string, ResourceNode> | undefined;
  private readonly byKind = new Map<ResourceKind, ResourceNode[]>();
  /**
   * Link text -> what it names, for every text resolved: rules resolve the same links many times. Not seeded with
   * the records' own selfLinks: hashing 55,000 of them cost the build more than it saved the links that name them.
   */
  private readonly links = new Map<string, LinkTarget>();
  /**
   * What rules follow backwards, built with the graph: NEG -> the backend services linking to it, gateway -> the
   * NEGs naming it, each in graph order. No other node or referrer is in it (referrersOf indexes them all). Keyed
   * by object: no string hashing.
   */
  private readonly backendReferrers = new Map<ResourceNode, ResourceNode[]>();
  /**
   * Every referrer, of nodes and of names the graph does not hold (an SSL certificate, a deleted gateway), built
   * the first time referrersOf asks: only plan checks do, on small graphs, and a scan or a sweep never pays for
   * indexing the links of its 20,000 URL maps, proxies, forwarding rules and gateways backwards.
   */
  private allReferrers:
    | { readonly ofNodes: Map<ResourceNode, ResourceNode[]>; readonly ofAbsent: Map<string, ResourceNode[]> }
    | undefined;
  private readonly gatewaysById = new Map<string, ResourceNode<'gateway'>[]>();
  /** `project/region` -> its gateways, by full name: what a mask NEG of that project and region reaches. */
  private readonly gatewaysByLocation = new Map<string, ResourceNode<'gateway'>[]>();
  private readonly apiConfigsByKey = new Map<string, ResourceNode<'apiConfig'>[]>();
  private readonly projectIds: Readonly<Record<string, string>>;
  // What rules ask of a node many times per evaluation (every backend rule asks isFronting, every NEG rule the
  // gateway lookup): the services' links and the NEGs' lookups at build, the others at the first question, all of one
  // node's answers at once: one look-up per question then, not one per memo. Maps, not WeakMaps: the graph holds its
  // nodes anyway, and weak keys cost the garbage collector on every major collection.
  private readonly servicesLinked = new Map<ResourceNode, ServiceLinks>();
  /** null: not an API Gateway NEG. */
  private readonly gatewayLookups = new Map<ResourceNode, GatewayLookup | null>();
  private readonly gatewaysFronted = new Map<ResourceNode, GatewayFronting>();
  private readonly urlMapsRouting = new Map<ResourceNode, UrlMapRoutes>();
  /** null: the gateway's config is not in the graph. */
  private readonly gatewayConfigs = new Map<ResourceNode, ResourceNode<'apiConfig'> | null>();
  readonly skipped: readonly SkippedRecord[];
  /** Names held by more than one record, where the records differ (identical copies are one record). */
  readonly conflicting: readonly ConflictingRecords[];
  readonly incomplete: readonly IncompleteScope[];
  /** Where scanResourceName writes; reused for every name the graph reads. */
  private readonly spans: NameSpans = newNameSpans();
  private lastProject: ProjectSeen | undefined;
  /** The name (path, or key: see flatNames) of the node nodeOf made last, and the table it goes in. */
  private lastName = '';
  private lastNames: Map<string, number> | undefined;
  private lastLocation = '';
  private lastZone = '';
  private lastZoneRegion = '';
  /** gatewaysWithId's last question and answer. */
  private lastIdProject: string | undefined;
  private lastId: string | undefined;
  private lastIdGateways: readonly ResourceNode<'gateway'>[] = NO_NODES;
  /**
   * Every node's full name resolves to the node itself, and a name built from a NEG's project and location parses
   * back to them: every record names a resource of its own kind (so no record of one kind replaced a node of
   * another either: the two would share a collection), and every project ID the inventory maps a number to is a
   * plain segment that maps to nothing. Then the links the graph makes itself (a NEG's gateways, a gateway's
   * config) need no text and no look-up.
   */
  private regular = true;

  static build(inventory: Inventory): ResourceGraph {
    return new ResourceGraph(inventory);
  }

  private constructor(inventory: Inventory) {
    this.projectIds = inventory.projectIds ?? {};
    this.flatNames = Object.values(this.projectIds).some((id) => typeof id !== 'string' || id.includes('/'));
    this.incomplete = inventory.incomplete ?? [];
    const skipped: SkippedRecord[] = [];
    const duplicates = new Map<string, Duplicated>();
    // Each step is a method of its own: V8 optimises a function called many times, while a long loop in a
    // constructor run once is only ever optimised on the stack, and left again after each kind's records.
    for (const kind of RESOURCE_KINDS) {
      this.byKind.set(kind, this.addNodes(kind, inventory[kind], skipped, duplicates));
    }
    this.skipped = skipped;
    this.conflicting = [...duplicates.values()]
      .filter((duplicated) => duplicated.differ)
      .map(({ kind, fullName, count }) => ({ kind, fullName, count }));
    // Indexed loops in what runs once per graph: until V8 has optimised it, a for-of makes an iterator result
    // object per step (11 MB of the first scan's garbage, issue 14).
    const gateways = this.nodes('gateway');
    for (let index = 0; index < gateways.length; index++) {
      const gateway = gateways[index] as ResourceNode<'gateway'>;
      appendTo(this.gatewaysById, `${gateway.project}/${gateway.ref.name}`, gateway);
      appendTo(this.gatewaysByLocation, `${gateway.project}/${gateway.location}`, gateway);
    }
    for (const gateways of this.gatewaysByLocation.values()) {
      gateways.sort((a, b) => compareText(a.fullName, b.fullName));
    }
    for (const config of this.nodes('apiConfig')) {
      const key = apiConfigKey(config.ref.path);
      if (key) appendTo(this.apiConfigsByKey, key, config);
    }
    // Only the incoming side is kept, and of it only what rules follow: referencesOf works a node's links out again
    // when asked (sweeps ask once per node, rules never), which spares a map and an array per node.
    const targets: (ResourceNode | string)[] = [];
    const order = this.order;
    for (let index = 0; index < order.length; index++) {
      const node = order[index] as ResourceNode;
      if (node.kind === 'backendService' || node.kind === 'networkEndpointGroup') {
        this.indexBackendReferrers(node, targets);
      }
    }
  }

  /**
   * Adds a backend service to backendReferrers of the NEGs it links to, or a NEG to those of the gateways it names.
   * In a regular graph a link names a node of its own collection's kind, so a service's policy and health-check
   * links are resolved only if they could name a NEG.
   */
  private indexBackendReferrers(node: ResourceNode, targets: (ResourceNode | string)[]): void {
    targets.length = 0;
    let kind: ResourceKind;
    if (node.kind === 'networkEndpointGroup') {
      const neg = node as ResourceNode<'networkEndpointGroup'>;
      // Every NEG rule asks for the lookup, and it is made of the same gateways the build looks up here: worked out
      // now, while the NEG is at hand, not in a second walk over every NEG at the first rule's question.
      this.gatewayLookups.set(neg, this.lookUpGateways(neg) ?? null);
      this.collectGatewayTargets(neg, targets);
      kind = 'gateway';
    } else {
      const service = node as ResourceNode<'backendService'>;
      const data = service.data;
      // Every backend rule asks for the service's links, made of the group links read here: worked out now, each
      // group text resolved once and not remembered (only this asks), not in a second walk at the first question.
      const links = this.linkBackends(service);
      this.servicesLinked.set(service, links);
      const backends = links.backends;
      for (let index = 0; index < backends.length; index++) {
        const neg = (backends[index] as BackendLink).neg;
        if (neg !== undefined && !targets.includes(neg)) targets.push(neg);
      }
      this.addNegLinkTarget(node, targets, data.securityPolicy);
      this.addNegLinkTarget(node, targets, data.edgeSecurityPolicy);
      const checks = data.healthChecks ?? NO_NODES;
      for (let index = 0; index < checks.length; index++) this.addNegLinkTarget(node, targets, checks[index]);
      kind = 'networkEndpointGroup';
    }
    for (let index = 0; index < targets.length; index++) {
      const target = targets[index] as ResourceNode | string;
      if (typeof target !== 'string' && target.kind === kind) appendTo(this.backendReferrers, target, node);
    }
  }

  private addNegLinkTarget(node: ResourceNode, targets: (ResourceNode | string)[], link: unknown): void {
    if (!this.regular || (typeof link === 'string' && link.includes('/networkEndpointGroups/'))) {
      this.addLinkTarget(node, targets, link);
    }
  }

  /** One kind's nodes, in record order but for those a later record of the same name replaced. */
  private addNodes(
    kind: ResourceKind,
    records: readonly unknown[],
    skipped: SkippedRecord[],
    duplicates: Map<string, Duplicated>,
  ): ResourceNode[] {
    const nodes: ResourceNode[] = [];
    /** Nodes a later record of the same name replaced: left out once at the end, not spliced out one by one. */
    let replacedNodes: Set<ResourceNode> | undefined;
    const shape = KIND_SHAPES[kind];
    for (let index = 0; index < records.length; index++) {
      const record = records[index];
      const node = this.nodeOf(kind, record, shape);
      if (node === undefined) {
        const link = selfLinkOf(record as SelfNamed);
        skipped.push({ kind, reason: `cannot tell which resource ${JSON.stringify(link)} names`, record });
        continue;
      }
      const names = this.lastNames as Map<string, number>;
      const place = names.get(this.lastName);
      if (place === undefined) {
        names.set(this.lastName, this.order.length);
        this.order.push(node);
      } else {
        // The last record of a name wins (its name finds it, whatever words the one it replaces said it in). Two
        // that say different things hide one from judging (an export concatenated from overlapping reads): said.
        const replaced = this.order[place] as ResourceNode;
        replacedNodes ??= new Set();
        replacedNodes.add(replaced);
        this.order[place] = node;
        noteDuplicate(duplicates, replaced, node);
      }
      nodes.push(node);
    }
    return replacedNodes ? nodes.filter((node) => !replacedNodes.has(node)) : nodes;
  }

  /** Adds what `node` links to to `referrers` (and `absent`, when given), with `node` as their referrer. */
  private indexTargets(
    node: ResourceNode,
    targets: (ResourceNode | string)[],
    referrers: Map<ResourceNode, ResourceNode[]>,
    absent: Map<string, ResourceNode[]> | undefined,
  ): void {
    targets.length = 0;
    this.collectTargets(node, targets);
    for (const target of targets) {
      if (typeof target !== 'string') appendTo(referrers, target, node);
      else if (absent) appendTo(absent, target, node);
    }
  }

  /** Every node's referrers, indexed once (see allReferrers). */
  private indexAllReferrers(): NonNullable<ResourceGraph['allReferrers']> {
    if (this.allReferrers) return this.allReferrers;
    const ofNodes = new Map<ResourceNode, ResourceNode[]>();
    const ofAbsent = new Map<string, ResourceNode[]>();
    const targets: (ResourceNode | string)[] = [];
    for (const node of this.order) this.indexTargets(node, targets, ofNodes, ofAbsent);
    this.allReferrers = { ofNodes, ofAbsent };
    return this.allReferrers;
  }

  /**
   * The node for a record, or undefined when its selfLink names nothing; its name is left in this.lastName. Strings
   * the nodes share (the project, the location, a zone's region, the collection) are reused from the name before.
   */
  private nodeOf(kind: ResourceKind, record: unknown, shape: KindShape): ResourceNode | undefined {
    const link = selfLinkOf(record as SelfNamed);
    const spans = this.spans;
    if (!scanResourceName(link, spans)) return undefined;
    const { service, scope, start, projectEnd, scopeEnd, locationEnd, collectionStart, nameStart, end } =
      spans;
    const seen = this.projectSeen(link, start + PROJECTS_LENGTH, projectEnd);
    if (!seen.regular) this.regular = false;
    const path = link.slice(projectEnd + 1, end);
    this.lastName = this.flatNames ? seen.keyPrefix + path : path;
    this.lastNames = seen.names;
    const location = scope === 'global' ? 'global' : this.locationSeen(link, scopeEnd + 1, locationEnd);
    const { collection } = shape;
    const sameCollection =
      nameStart - 1 - collectionStart === collection.length && link.startsWith(collection, collectionStart);
    if (!sameCollection) this.regular = false;
    const ref: ResourceRef = {
      service,
      project: seen.project,
      scope,
      location,
      collection: sameCollection ? collection : link.slice(collectionStart, nameStart - 1),
      name: link.slice(nameStart, end),
      path,
    };
    const regional = isRegional(ref);
    return {
      kind,
      fullName: (service === 'compute' ? seen.computePrefix : seen.apigatewayPrefix) + path,
      ref,
      data: record as ResourceDataByKind[ResourceKind],
      project: seen.project,
      location: this.regionOf(scope, location),
      regional,
      assetType: regional ? shape.regionalAssetType : shape.globalAssetType,
    };
  }

  /** The location segment `text[start, end)`: the last one's string again when they say the same. */
  private locationSeen(text: string, start: number, end: number): string {
    const last = this.lastLocation;
    if (last.length === end - start && text.startsWith(last, start)) return last;
    this.lastLocation = text.slice(start, end);
    return this.lastLocation;
  }

  /** regionOfRef, or `global`: a zone's region is worked out once per run of names in that zone. */
  private regionOf(scope: LocationScope, location: string): string {
    if (location === 'global' || location === '-') return 'global';
    if (scope !== 'zones') return location;
    if (location !== this.lastZone) {
      this.lastZone = location;
      this.lastZoneRegion = location.replace(/-[a-z]$/, '');
    }
    return this.lastZoneRegion;
  }

  /** The project of the name whose project segment is `text[start, end)`, its number mapped to its ID where the inventory knows both. */
  private projectSeen(text: string, start: number, end: number): ProjectSeen {
    const last = this.lastProject;
    if (last !== undefined && last.said.length === end - start && text.startsWith(last.said, start))
      return last;
    const said = text.slice(start, end);
    const id = mappedProjectId(this.projectIds, said);
    const project = id ?? said;
    const table = this.flatNames ? '' : project;
    let names = this.namesByProject.get(table);
    if (names === undefined) {
      names = new Map();
      this.namesByProject.set(table, names);
    }
    const seen: ProjectSeen = {
      said,
      project,
      keyPrefix: `projects/${project}/`,
      computePrefix: `//compute.googleapis.com/projects/${project}/`,
      apigatewayPrefix: `//apigateway.googleapis.com/projects/${project}/`,
      names,
      regular:
        id === undefined || (isPlainAsciiSegment(id) && mappedProjectId(this.projectIds, id) === undefined),
    };
    this.lastProject = seen;
    return seen;
  }

  /** The project ID a `projects/{project}` segment names: the ID the inventory maps a number to, else the text. */
  projectIdOf(project: string): string {
    return mappedProjectId(this.projectIds, project) ?? project;
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
      target = this.resolveText(link);
      this.links.set(link, target);
    }
    return target;
  }

  /** What a link text not seen before names: scanned, and its path looked up in its project's names. */
  private resolveText(link: string): LinkTarget {
    const spans = this.spans;
    if (!scanResourceName(link, spans)) return null;
    const { service, start, projectEnd, end } = spans;
    const seen = this.projectSeen(link, start + PROJECTS_LENGTH, projectEnd);
    const path = link.slice(projectEnd + 1, end);
    const place = seen.names.get(this.flatNames ? seen.keyPrefix + path : path);
    if (place !== undefined) return this.order[place] as ResourceNode;
    return (service === 'compute' ? seen.computePrefix : seen.apigatewayPrefix) + path;
  }

  /** The node whose full name this is, if the graph holds it. */
  private nodeNamed(fullName: string): ResourceNode | undefined {
    if (this.byFullName === undefined) {
      this.byFullName = new Map();
      for (const node of this.order) this.byFullName.set(node.fullName, node);
    }
    return this.byFullName.get(fullName);
  }

  nodes<K extends ResourceKind>(kind: K): readonly ResourceNode<K>[] {
    return (this.byKind.get(kind) ?? NO_NODES) as readonly ResourceNode<K>[];
  }

  allNodes(): IterableIterator<ResourceNode> {
    return this.order.values();
  }

  get size(): number {
    return this.order.length;
  }

  /** The node a link names (any form: selfLink of any API version, audit name, full name). */
  find<K extends ResourceKind>(link: unknown, kind?: K): ResourceNode<K> | undefined {
    const target = this.resolve(link);
    if (target === null || typeof target === 'string' || (kind && target.kind !== kind)) return undefined;
    return target as ResourceNode<K>;
  }

  /**
   * find, for a link whose answer the caller keeps (a URL map's routes, a proxy's URL map, a forwarding rule's
   * proxy): each of those texts is asked about once per graph, so remembering it cost a hash of the whole text and an
   * insert into a map of every link resolved, for no later hit. The answer is resolve's: the memo only remembers
   * resolveText, which depends on the text and the graph's fixed names.
   */
  private findUnremembered<K extends ResourceKind>(link: unknown, kind?: K): ResourceNode<K> | undefined {
    if (typeof link !== 'string') return undefined;
    const target = this.resolveText(link);
    if (target === null || typeof target === 'string' || (kind && target.kind !== kind)) return undefined;
    return target as ResourceNode<K>;
  }

  /** Full names this node points at (they may be absent from the graph). */
  referencesOf(node: ResourceNode): readonly string[] {
    const targets: (ResourceNode | string)[] = [];
    this.collectTargets(node, targets);
    return targets.map((target) => (typeof target === 'string' ? target : target.fullName));
  }

  /** Nodes that point at `fullName`, optionally of one kind. */
  referrersOf<K extends ResourceKind>(fullName: string, kind?: K): ResourceNode<K>[] {
    const { ofNodes, ofAbsent } = this.indexAllReferrers();
    const node = this.nodeNamed(fullName);
    const referrers = node ? ofNodes.get(node) : ofAbsent.get(fullName);
    return filterByKind(referrers ?? NO_NODES, kind);
  }

  backendsOf(service: ResourceNode<'backendService'>): readonly BackendLink[] {
    return this.linksOfService(service).backends;
  }

  /** The service's backends whose group is a serverless NEG in the graph, in `backends` order. */
  serverlessBackendsOf(service: ResourceNode<'backendService'>): readonly ServerlessBackendLink[] {
    return this.linksOfService(service).serverless;
  }

  serverlessNegsOf(service: ResourceNode<'backendService'>): readonly ResourceNode<'networkEndpointGroup'>[] {
    return this.linksOfService(service).negs;
  }

  /** A fronting backend service holds at least one serverless NEG (RULES.md). */
  isFronting(service: ResourceNode<'backendService'>): boolean {
    // Every backend rule asks, 10+ times per service.
    return this.linksOfService(service).negs.length > 0;
  }

  private linksOfService(service: ResourceNode<'backendService'>): ServiceLinks {
    let links = this.servicesLinked.get(service);
    if (links === undefined) {
      // The build links every service the kind's list holds; a node it does not hold (one a later record replaced) is
      // worked out alone.
      links = this.linkBackends(service);
      this.servicesLinked.set(service, links);
    }
    return links;
  }

  private linkBackends(service: ResourceNode<'backendService'>): ServiceLinks {
    const listed = service.data.backends;
    if (!listed || listed.length === 0) return NO_LINKS;
    const backends: BackendLink[] = [];
    let serverless: ServerlessBackendLink[] | undefined;
    for (let index = 0; index < listed.length; index++) {
      const backend = listed[index] as Backend;
      const group = backend.group;
      const target = typeof group === 'string' ? this.resolveText(group) : null;
      const node = typeof target === 'object' ? target : null;
      const neg =
        node?.kind === 'networkEndpointGroup' ? (node as ResourceNode<'networkEndpointGroup'>) : undefined;
      const link: BackendLink = {
        backend,
        groupName: target === null ? undefined : typeof target === 'string' ? target : target.fullName,
        neg,
        // A node's ref is the link's (same full name); only a group outside the graph needs scanning again.
        isInstanceGroup: node ? node.ref.collection === INSTANCE_GROUPS : this.namesInstanceGroup(group),
      };
      backends.push(link);
      if (neg !== undefined && isServerlessNeg(neg.data)) {
        if (serverless) serverless.push(link as ServerlessBackendLink);
        else serverless = [link as ServerlessBackendLink];
      }
    }
    if (serverless === undefined) return { backends, serverless: NO_NODES, negs: NO_NODES };
    return { backends, serverless, negs: serverless.map((link) => link.neg) };
  }

  /** parseResourceRef(text)?.collection === 'instanceGroups', with no ref and no strings made. */
  private namesInstanceGroup(text: unknown): boolean {
    const spans = this.spans;
    if (!scanResourceName(text, spans)) return false;
    const { collectionStart, nameStart } = spans;
    return (
      nameStart - 1 - collectionStart === INSTANCE_GROUPS.length &&
      text.startsWith(INSTANCE_GROUPS, collectionStart)
    );
  }

  backendServicesOfNeg(neg: ResourceNode<'networkEndpointGroup'>): ResourceNode<'backendService'>[] {
    return filterByKind(this.backendReferrers.get(neg) ?? NO_NODES, 'backendService');
  }

  /** Which gateway(s) an API Gateway NEG names, and which it can reach; undefined for other NEGs. */
  gatewayLookup(neg: ResourceNode<'networkEndpointGroup'>): GatewayLookup | undefined {
    let lookup = this.gatewayLookups.get(neg);
    if (lookup === undefined) {
      // The build looks up every NEG the kind's list holds; a node it does not hold is looked up alone.
      lookup = this.lookUpGateways(neg) ?? null;
      this.gatewayLookups.set(neg, lookup);
    }
    return lookup ?? undefined;
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
    const candidates = this.gatewaysWithId(neg.project, resource);
    // Most NEGs name one gateway that is where they are: no arrays to filter.
    const only = candidates.length === 1 ? candidates[0] : undefined;
    return {
      by: 'resource',
      resource,
      project: neg.project,
      region,
      reached:
        only !== undefined
          ? only.location === region
            ? candidates
            : NO_NODES
          : candidates.filter((gateway) => gateway.location === region).slice(0, 1),
      elsewhere:
        only !== undefined
          ? only.location === region
            ? NO_NODES
            : candidates
          : candidates.filter((gateway) => gateway.location !== region),
    };
  }

  /**
   * The gateways with this ID in this project. The build asks twice in a row for each NEG (its lookup, its links):
   * the last answer is kept, so the key is built and hashed once.
   */
  private gatewaysWithId(project: string, id: string): readonly ResourceNode<'gateway'>[] {
    if (project !== this.lastIdProject || id !== this.lastId) {
      this.lastIdProject = project;
      this.lastId = id;
      this.lastIdGateways = this.gatewaysById.get(`${project}/${id}`) ?? NO_NODES;
    }
    return this.lastIdGateways;
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
    return this.frontingOf(gateway).negs;
  }

  /** The mask NEGs among those reaching this gateway, with their masks: why a gateway no NEG names is fronted. */
  masksReaching(
    gateway: ResourceNode<'gateway'>,
  ): readonly { readonly neg: string; readonly urlMask: string }[] {
    return this.frontingOf(gateway).masks;
  }

  /** Fronting backend services that hold a NEG reaching this gateway: the gateway is "fronted" by them. */
  frontingServicesOf(gateway: ResourceNode<'gateway'>): readonly ResourceNode<'backendService'>[] {
    return this.frontingOf(gateway).services;
  }

  private frontingOf(gateway: ResourceNode<'gateway'>): GatewayFronting {
    let fronting = this.gatewaysFronted.get(gateway);
    if (fronting === undefined) {
      // Every gateway's at the first question, in one loop: asked one at a time, the miss's work was inlined by the
      // optimising compiler into every rule that asks, though only the first rule ever misses.
      if (this.gatewaysFronted.size === 0) {
        const gateways = this.nodes('gateway');
        for (let index = 0; index < gateways.length; index++) {
          const each = gateways[index] as ResourceNode<'gateway'>;
          this.gatewaysFronted.set(each, this.findFronting(each));
        }
        fronting = this.gatewaysFronted.get(gateway);
      }
      if (fronting === undefined) {
        fronting = this.findFronting(gateway);
        this.gatewaysFronted.set(gateway, fronting);
      }
    }
    return fronting;
  }

  private findFronting(gateway: ResourceNode<'gateway'>): GatewayFronting {
    const negs: ResourceNode<'networkEndpointGroup'>[] = [];
    const masks: { readonly neg: string; readonly urlMask: string }[] = [];
    const services: ResourceNode<'backendService'>[] = [];
    const referrers = this.backendReferrers.get(gateway) ?? NO_NODES;
    for (let index = 0; index < referrers.length; index++) {
      const referrer = referrers[index] as ResourceNode;
      if (referrer.kind !== 'networkEndpointGroup') continue;
      const neg = referrer as ResourceNode<'networkEndpointGroup'>;
      const lookup = this.gatewayLookup(neg);
      if (!lookup?.reached.includes(gateway)) continue;
      negs.push(neg);
      if (lookup.by === 'mask') masks.push({ neg: neg.fullName, urlMask: lookup.urlMask });
      const holders = this.backendReferrers.get(neg) ?? NO_NODES;
      for (let place = 0; place < holders.length; place++) {
        const holder = holders[place] as ResourceNode;
        // Each service once, in the order first met (a service may hold two NEGs reaching the gateway).
        if (
          holder.kind === 'backendService' &&
          !services.includes(holder as ResourceNode<'backendService'>)
        ) {
          services.push(holder as ResourceNode<'backendService'>);
        }
      }
    }
    return {
      negs: negs.length > 0 ? negs : NO_NODES,
      masks: masks.length > 0 ? masks : NO_NODES,
      services: services.length > 0 ? services : NO_NODES,
    };
  }

  /**
   * The API config a gateway serves, matched by `apis/{api}/configs/{config}` in its own project (a gateway serves
   * configs of its project only): failing that, one named by a project number the inventory cannot map, which may be
   * its project. Never another project's known ID: dev and prod projects often hold the same API and config IDs.
   */
  apiConfigOf(gateway: ResourceNode<'gateway'>): ResourceNode<'apiConfig'> | undefined {
    // Asked by the build and then by three rules per gateway: the name is matched once.
    let config = this.gatewayConfigs.get(gateway);
    if (config === undefined) {
      const key = apiConfigKey(gateway.data.apiConfig);
      const candidates = key ? this.apiConfigsByKey.get(key) : undefined;
      config =
        candidates?.find((candidate) => candidate.project === gateway.project) ??
        candidates?.find((candidate) => mayBeOneProject(candidate.project, gateway.project)) ??
        null;
      this.gatewayConfigs.set(gateway, config);
    }
    return config ?? undefined;
  }

  backendServicesRoutedBy(urlMap: ResourceNode<'urlMap'>): readonly ResourceNode<'backendService'>[] {
    return this.routesOf(urlMap).services;
  }

  /** Fronting backend services the URL map routes to: what a load balancer in front of API Gateway serves. */
  frontingServicesRoutedBy(urlMap: ResourceNode<'urlMap'>): readonly ResourceNode<'backendService'>[] {
    return this.routesOf(urlMap).fronting;
  }

  private routesOf(urlMap: ResourceNode<'urlMap'>): UrlMapRoutes {
    let routes = this.urlMapsRouting.get(urlMap);
    if (routes === undefined) {
      // Every URL map's at the first question, in one loop, as for the gateways' fronting above.
      if (this.urlMapsRouting.size === 0) {
        const urlMaps = this.nodes('urlMap');
        for (let index = 0; index < urlMaps.length; index++) {
          const each = urlMaps[index] as ResourceNode<'urlMap'>;
          this.urlMapsRouting.set(each, this.findRoutes(each));
        }
        routes = this.urlMapsRouting.get(urlMap);
      }
      if (routes === undefined) {
        routes = this.findRoutes(urlMap);
        this.urlMapsRouting.set(urlMap, routes);
      }
    }
    return routes;
  }

  private findRoutes(urlMap: ResourceNode<'urlMap'>): UrlMapRoutes {
    // Each link text once (two texts may still name one service, and then it is listed twice, as it always was).
    const services: ResourceNode<'backendService'>[] = [];
    const links = backendServiceLinksOf(urlMap.data);
    for (let index = 0; index < links.length; index++) {
      const service = this.findUnremembered(links[index], 'backendService');
      if (service) services.push(service);
    }
    const fronting = services.filter((service) => this.isFronting(service));
    return { services, fronting: fronting.length > 0 ? fronting : NO_NODES };
  }

  urlMapOf(proxy: ResourceNode<'targetHttpProxy' | 'targetHttpsProxy'>): ResourceNode<'urlMap'> | undefined {
    return this.findUnremembered(proxy.data.urlMap, 'urlMap');
  }

  /** The target proxy a forwarding rule sends traffic to, when it is an HTTP(S) proxy in the graph. */
  proxyOf(
    rule: ResourceNode<'forwardingRule'>,
  ): ResourceNode<'targetHttpProxy' | 'targetHttpsProxy'> | undefined {
    const target = this.findUnremembered(rule.data.target);
    return target?.kind === 'targetHttpProxy' || target?.kind === 'targetHttpsProxy'
      ? (target as ResourceNode<'targetHttpProxy' | 'targetHttpsProxy'>)
      : undefined;
  }

  /**
   * What this node's links name, each once and in link order, added to `targets`: nodes of the graph, or full
   * names of resources it does not hold.
   */
  private collectTargets(node: ResourceNode, targets: (ResourceNode | string)[]): void {
    switch (node.kind) {
      case 'backendService': {
        const data = node.data as BackendService;
        for (const backend of data.backends ?? NO_NODES) this.addLinkTarget(node, targets, backend.group);
        this.addLinkTarget(node, targets, data.securityPolicy);
        this.addLinkTarget(node, targets, data.edgeSecurityPolicy);
        for (const check of data.healthChecks ?? NO_NODES) this.addLinkTarget(node, targets, check);
        break;
      }
      case 'networkEndpointGroup':
        this.collectGatewayTargets(node as ResourceNode<'networkEndpointGroup'>, targets);
        break;
      case 'urlMap':
        for (const link of backendServiceLinksOf((node as ResourceNode<'urlMap'>).data)) {
          this.addLinkTarget(node, targets, link);
        }
        break;
      case 'targetHttpProxy':
      case 'targetHttpsProxy': {
        const data = node.data as TargetHttpProxy | TargetHttpsProxy;
        this.addLinkTarget(node, targets, data.urlMap);
        this.addLinkTarget(node, targets, (data as TargetHttpsProxy).sslPolicy);
        for (const certificate of (data as TargetHttpsProxy).sslCertificates ?? NO_NODES) {
          this.addLinkTarget(node, targets, certificate);
        }
        break;
      }
      case 'forwardingRule':
        this.addLinkTarget(node, targets, (node as ResourceNode<'forwardingRule'>).data.target);
        break;
      case 'gateway': {
        const config = this.apiConfigOf(node as ResourceNode<'gateway'>);
        if (config && this.regular) this.addTarget(node, targets, config);
        else this.addLinkTarget(node, targets, config?.fullName ?? (node.data as Gateway).apiConfig);
        break;
      }
      default:
        break;
    }
  }

  /**
   * An API Gateway NEG's gateways: every gateway of its project and region for a mask NEG; for one naming a
   * gateway ID, the gateway `projects/{project}/locations/{location}/gateways/{ID}` (or its full name, when the
   * graph does not hold it), then every gateway with that ID in its project.
   */
  private collectGatewayTargets(
    neg: ResourceNode<'networkEndpointGroup'>,
    targets: (ResourceNode | string)[],
  ): void {
    const data = neg.data as NetworkEndpointGroup;
    const resource = data.serverlessDeployment?.resource;
    if (isMaskNeg(data)) {
      // Every gateway of the region, possibly thousands: checked against a set, not by a scan of `targets` per
      // gateway, which made a mask NEG cost the square of its region's gateways (4,000 gateways and 400 mask NEGs
      // took 1.1 s to build).
      const seen = new Set<ResourceNode | string>(targets);
      for (const gateway of this.gatewaysIn(neg.project, regionOfRef(neg.ref))) {
        const target = this.regular ? gateway : this.resolve(gateway.fullName);
        if (target !== null && target !== neg && !seen.has(target)) {
          seen.add(target);
          targets.push(target);
        }
      }
      return;
    }
    if (!isApiGatewayNeg(data) || !resource || resource.includes('/')) return;
    const candidates = this.gatewaysWithId(neg.project, resource);
    if (this.regular && isPlainAsciiSegment(neg.location) && isPlainAsciiSegment(resource)) {
      // The name parses back to this project, location and ID: it is the candidate there (a gateway's collection
      // is `gateways` in a regular graph, so its path is `locations/{location}/gateways/{ID}` when that long), or
      // a gateway the graph does not hold.
      const pathLength = 'locations/'.length + neg.location.length + '/gateways/'.length + resource.length;
      let named: ResourceNode | string | undefined;
      for (let index = 0; index < candidates.length; index++) {
        const gateway = candidates[index] as ResourceNode<'gateway'>;
        if (gateway.ref.location === neg.location && gateway.ref.path.length === pathLength) {
          named = gateway;
          break;
        }
      }
      named ??= `//apigateway.googleapis.com/projects/${neg.project}/locations/${neg.location}/gateways/${resource}`;
      this.addTarget(neg, targets, named);
    } else {
      this.addLinkTarget(
        neg,
        targets,
        `projects/${neg.project}/locations/${neg.location}/gateways/${resource}`,
      );
    }
    for (let index = 0; index < candidates.length; index++) {
      this.addGateway(neg, targets, candidates[index] as ResourceNode<'gateway'>);
    }
  }

  /** A gateway node found through an index: itself in a regular graph, else what its full name resolves to. */
  private addGateway(
    node: ResourceNode,
    targets: (ResourceNode | string)[],
    gateway: ResourceNode<'gateway'>,
  ): void {
    if (this.regular) this.addTarget(node, targets, gateway);
    else this.addLinkTarget(node, targets, gateway.fullName);
  }

  private addLinkTarget(node: ResourceNode, targets: (ResourceNode | string)[], link: unknown): void {
    const target = this.resolve(link);
    if (target !== null) this.addTarget(node, targets, target);
  }

  /** A handful of links per node: a linear check beats building a Set for each. */
  private addTarget(
    node: ResourceNode,
    targets: (ResourceNode | string)[],
    target: ResourceNode | string,
  ): void {
    if (target !== node && !targets.includes(target)) targets.push(target);
  }
}

/**
 * Two projects the graph could not tell apart: one named by a number it cannot map (mapped ones are the project's
 * ID in every node), the other by ID.
 */
export function mayBeOneProject(a: string, b: string): boolean {
  return a === b || isProjectNumber(a) !== isProjectNumber(b);
}

function filterByKind<K extends ResourceKind>(
  nodes: readonly ResourceNode[],
  kind: K | undefined,
): ResourceNode<K>[] {
  return (kind ? nodes.filter((node) => node.kind === kind) : [...nodes]) as ResourceNode<K>[];
}

function appendTo<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const values = index.get(key);
  if (values) values.push(value);
  else index.set(key, [value]);
}
