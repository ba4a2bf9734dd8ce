// Why an API Gateway NEG names no gateway: the known mistakes behind a missing gateway, for specific hints.

import type { ResourceGraph, ResourceNode } from '../../domain/graph.js';
import { apiConfigKey, mayBeOneProject } from '../../domain/graph.js';
import { parseResourceRef } from '../../domain/resource-name.js';

export type MissingGatewayCause =
  | 'empty-resource'
  | 'full-resource-name'
  | 'api-id'
  | 'other-project'
  /** A gateway with the ID is in a project named by a number the inventory does not map: perhaps the NEG's own. */
  | 'unmapped-project-number'
  | 'not-found';

export interface MissingGatewayDiagnosis {
  readonly cause: MissingGatewayCause;
  readonly hint: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** `projects/P/locations/*\/gateways/ID`: where a NEG's gateway may be, in any region of its project. */
export function gatewayPattern(project: string, resource: string): string {
  return `projects/${project}/locations/*/gateways/${resource}`;
}

/** `projects/P/locations/R/gateways/*`: the gateways a mask NEG in region R of project P can reach. */
export function maskPattern(project: string, region: string | undefined): string {
  return `projects/${project}/locations/${region ?? '-'}/gateways/*`;
}

/** True when the gateways of a project could not all be read, so a missing one may not be deleted. */
export function isGatewayListingIncomplete(graph: ResourceGraph, project: string): boolean {
  return graph.incomplete.some(
    (scope) => scope.project === project && (scope.kind === 'gateway' || scope.kind === 'project'),
  );
}

export function diagnoseMissingGateway(
  graph: ResourceGraph,
  neg: ResourceNode<'networkEndpointGroup'>,
  resource: string,
): MissingGatewayDiagnosis {
  if (resource.trim() === '') {
    return {
      cause: 'empty-resource',
      hint:
        'serverlessDeployment.resource and urlMask are both empty: set resource to the gateway ID, or urlMask to ' +
        'a template the gateway ID is parsed from.',
      details: {},
    };
  }
  if (resource.includes('/')) {
    // Terraform's `google_api_gateway_gateway.x.id` is the full name; the NEG wants `gateway_id`.
    const ref = parseResourceRef(resource);
    const gatewayId = ref?.collection === 'gateways' ? ref.name : undefined;
    return {
      cause: 'full-resource-name',
      hint: gatewayId
        ? `serverlessDeployment.resource holds a full resource name: use the gateway ID "${gatewayId}".`
        : 'serverlessDeployment.resource holds a path: use the gateway ID alone.',
      details: gatewayId ? { suggestedResource: gatewayId } : {},
    };
  }
  const servingApi = gatewaysServingApi(graph, neg.project, resource);
  if (servingApi.length > 0 || hasApi(graph, neg.project, resource)) {
    return {
      cause: 'api-id',
      hint: `"${resource}" is an API ID, not a gateway ID: name a gateway that serves the API.`,
      details: { gatewaysServingApi: servingApi.map((gateway) => gateway.fullName) },
    };
  }
  const elsewhere =
    indexOf(graph)
      .gatewaysById.get(resource)
      ?.filter((gateway) => gateway.project !== neg.project) ?? [];
  const perhapsOwn = elsewhere.filter((gateway) => mayBeOneProject(gateway.project, neg.project));
  const [first] = perhapsOwn;
  if (first) {
    return {
      cause: 'unmapped-project-number',
      hint:
        `a gateway "${resource}" exists in project ${first.project}, a number the inventory does not map to a project ` +
        "ID: it may be the NEG's own project (an estate's projects.json maps numbers to IDs).",
      details: { foundInProjectsNamedByNumber: perhapsOwn.map((gateway) => gateway.fullName) },
    };
  }
  if (elsewhere.length > 0) {
    return {
      cause: 'other-project',
      hint: `a gateway "${resource}" exists only in another project; a serverless NEG reaches gateways of its own project only.`,
      details: { foundInOtherProjects: elsewhere.map((gateway) => gateway.fullName) },
    };
  }
  return {
    cause: 'not-found',
    hint: `no gateway "${resource}" exists: it was deleted or never created.`,
    details: {},
  };
}

function hasApi(graph: ResourceGraph, project: string, api: string): boolean {
  return indexOf(graph).apis.has(`${project}/${api}`);
}

function gatewaysServingApi(
  graph: ResourceGraph,
  project: string,
  api: string,
): readonly ResourceNode<'gateway'>[] {
  return indexOf(graph).gatewaysByApi.get(`${project}/${api}`) ?? [];
}

/** What a diagnosis looks for among every gateway and API config of the graph, indexed once per graph. */
interface DiagnosisIndex {
  /** `project/api` of every API config. */
  readonly apis: ReadonlySet<string>;
  /** `project/api` -> the gateways of the project serving a config of that API, in graph order. */
  readonly gatewaysByApi: ReadonlyMap<string, ResourceNode<'gateway'>[]>;
  /** Gateway ID -> the gateways with that ID in any project, in graph order. */
  readonly gatewaysById: ReadonlyMap<string, ResourceNode<'gateway'>[]>;
}

// Each NEG naming a missing gateway looked through every gateway of the graph up to three times: quadratic in
// the estate's size (issue 14). Weakly keyed, so the index goes with its graph.
const INDEXES = new WeakMap<ResourceGraph, DiagnosisIndex>();

function indexOf(graph: ResourceGraph): DiagnosisIndex {
  let index = INDEXES.get(graph);
  if (!index) {
    const apis = new Set<string>();
    for (const config of graph.nodes('apiConfig')) {
      const api = apiOf(config.ref.path);
      if (api !== undefined) apis.add(`${config.project}/${api}`);
    }
    const gatewaysByApi = new Map<string, ResourceNode<'gateway'>[]>();
    const gatewaysById = new Map<string, ResourceNode<'gateway'>[]>();
    for (const gateway of graph.nodes('gateway')) {
      const api = apiOf(gateway.data.apiConfig);
      if (api !== undefined) append(gatewaysByApi, `${gateway.project}/${api}`, gateway);
      append(gatewaysById, gateway.ref.name, gateway);
    }
    index = { apis, gatewaysByApi, gatewaysById };
    INDEXES.set(graph, index);
  }
  return index;
}

function append<V>(index: Map<string, V[]>, key: string, value: V): void {
  const values = index.get(key);
  if (values) values.push(value);
  else index.set(key, [value]);
}

function apiOf(configName: string | undefined): string | undefined {
  return apiConfigKey(configName)?.split('/')[1];
}
