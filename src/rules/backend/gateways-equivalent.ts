// backend.gateways-equivalent: every gateway behind one backend service serves the same API config.

import { apiConfigKey, type ResourceGraph, type ResourceNode } from '../../domain/graph.js';
import { isProjectNumber, parseResourceRef } from '../../domain/resource-name.js';
import {
  defineRule,
  describe,
  fail,
  notApplicable,
  notApplicableLater,
  pass,
  passLater,
} from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

interface RegionEntry {
  readonly gateway: string;
  /** The config as labelOf says it, or what the gateway says when no config can be read from it. */
  readonly apiConfig: string | null;
}

/** The config a gateway serves, as the rule compares it. */
interface ServedConfig {
  /**
   * `projects/{project}/locations/global/apis/{api}/configs/{config}`: two gateways serve one config when these are
   * equal. What the gateway says when its name does not end in `apis/{api}/configs/{config}`.
   */
  readonly identity: string | null;
  /** The config's project ID; undefined with no `apis/{api}/configs/{config}` to read. */
  readonly project: string | undefined;
  /** `apis/{api}/configs/{config}`. */
  readonly key: string | null;
}

/** Each gateway's config once: every service behind it asks again, and each match cuts new strings from the name. */
const SERVED_CONFIGS = new WeakMap<ResourceNode<'gateway'>, ServedConfig>();

/**
 * `apis/{api}/configs/{config}` of a project: configs of two projects are two configs, whatever their IDs. A project
 * number the inventory cannot map is taken as the gateway's own project, the only one whose configs it can serve
 * (API Gateway names configs by number while other names carry the ID).
 */
function servedConfigOf(graph: ResourceGraph, gateway: ResourceNode<'gateway'>): ServedConfig {
  let served = SERVED_CONFIGS.get(gateway);
  if (served === undefined) {
    const name = gateway.data.apiConfig ?? null;
    const key = apiConfigKey(name ?? undefined);
    if (key === undefined) {
      served = { identity: name, project: undefined, key: name };
    } else {
      const said = parseResourceRef(name)?.project;
      const named = said === undefined ? gateway.project : graph.projectIdOf(said);
      const project = isProjectNumber(named) ? gateway.project : named;
      served = { identity: `projects/${project}/locations/global/${key}`, project, key };
    }
    SERVED_CONFIGS.set(gateway, served);
  }
  return served;
}

/** How the evidence names a config behind a service of `project`: the key alone; in full for another project's. */
function labelOf(served: ServedConfig, project: string): string | null {
  return served.project === undefined || served.project === project ? served.key : served.identity;
}

const REACHES_NO_GATEWAY = notApplicableLater<'backendService'>((service) =>
  notApplicable(`${describe(service)} reaches no API Gateway through its NEGs.`),
);

/** Said from the gateways behind the service again (the graph's, unchanged): no closure per passing service. */
const SERVE_ONE_CONFIG = passLater<'backendService'>((service, { graph }) => {
  const gateways = gatewaysBehind(graph, graph.serverlessNegsOf(service));
  const config = labelOf(servedConfigOf(graph, gateways[0] as ResourceNode<'gateway'>), service.project);
  return pass(`Every gateway behind ${describe(service)} serves ${config ?? 'the same API config'}.`, {
    regions: regionsOf(graph, service, gateways),
  });
});

export const backendGatewaysEquivalent = defineRule({
  id: 'backend.gateways-equivalent',
  title: 'All gateways behind a backend service serve the same API config',
  severity: 'HIGH',
  source: 'seed',
  appliesTo: ['backendService'],
  rationale:
    'A multi-region API behind one backend service sends each client to the nearest gateway. When the gateways ' +
    'serve different API configs (a rollout that stopped half-way, a region updated by hand, another API), ' +
    'the same request gets different routes, auth and quotas depending on where the client is: regional drift ' +
    'that is hard to notice from any single region. A URL-mask NEG reaches every gateway of its project in its ' +
    'region, so each of them counts, and a mask that reaches gateways of two configs is drift within one region.',
  remediation: {
    summary: 'Roll every gateway behind the backend service to the same API config.',
    gcloud:
      'gcloud api-gateway gateways update GATEWAY_ID --location=REGION --api=API_ID --api-config=CONFIG_ID  # for each region',
    terraform:
      'resource "google_api_gateway_gateway" "gw" {\n  provider   = google-beta\n  for_each   = toset(var.regions)\n' +
      '  region     = each.key\n  gateway_id = "orders-gw"\n  api_config = google_api_gateway_api_config.cfg.id # one config for all\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/multi-region-deployment',
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
  ],
  evaluate(service, { graph }) {
    // Serverless NEGs are what make a service fronting: none, and there is nothing behind it to compare.
    const negs = graph.serverlessNegsOf(service);
    if (negs.length === 0) return HOLDS_NO_SERVERLESS_NEG;
    const gateways = gatewaysBehind(graph, negs);
    if (gateways.length === 0) return REACHES_NO_GATEWAY;
    // One config for every gateway: one for whichever of them the evidence keeps too (the check alone).
    const identity = servedConfigOf(graph, gateways[0] as ResourceNode<'gateway'>).identity;
    if (gateways.every((gateway) => servedConfigOf(graph, gateway).identity === identity)) {
      return SERVE_ONE_CONFIG;
    }
    const configs = [
      ...new Set(gateways.map((gateway) => labelOf(servedConfigOf(graph, gateway), service.project))),
    ];
    return fail(
      `The ${gateways.length} gateways behind ${describe(service)} serve ${configs.length} different API configs.`,
      { regions: regionsOf(graph, service, gateways), configs },
    );
  },
});

/** Each gateway the service's NEGs reach, once, in the order met: a mask NEG reaches every gateway of its region. */
function gatewaysBehind(
  graph: ResourceGraph,
  negs: readonly ResourceNode<'networkEndpointGroup'>[],
): readonly ResourceNode<'gateway'>[] {
  const [only] = negs;
  // Most services hold one NEG: its gateways are distinct already.
  if (negs.length === 1 && only) return graph.gatewaysReachedBy(only);
  const gateways: ResourceNode<'gateway'>[] = [];
  // Indexed loops: until V8 has optimised this, a for-of makes an iterator result object per step.
  for (let index = 0; index < negs.length; index++) {
    const reached = graph.gatewaysReachedBy(negs[index] as ResourceNode<'networkEndpointGroup'>);
    for (let place = 0; place < reached.length; place++) {
      const gateway = reached[place] as ResourceNode<'gateway'>;
      if (!gateways.includes(gateway)) gateways.push(gateway);
    }
  }
  return gateways;
}

/**
 * Region -> the gateway there and its config; two gateways in one region (two NEGs, or a mask) keep both, the second
 * keyed `region/ID`, or by its full name when gateways of two projects share that ID too.
 */
function regionsOf(
  graph: ResourceGraph,
  service: ResourceNode<'backendService'>,
  gateways: readonly ResourceNode<'gateway'>[],
): Record<string, RegionEntry> {
  const regions: Record<string, RegionEntry> = {};
  for (const reached of gateways) {
    const region = reached.location;
    const byId = `${region}/${reached.ref.name}`;
    const key = !(region in regions) ? region : !(byId in regions) ? byId : reached.fullName;
    regions[key] = {
      gateway: reached.fullName,
      apiConfig: labelOf(servedConfigOf(graph, reached), service.project),
    };
  }
  return regions;
}
