// backend.gateways-equivalent: every gateway behind one backend service serves the same API config.

import { apiConfigKey, type ResourceGraph, type ResourceNode } from '../../domain/graph.js';
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
  /** `apis/{api}/configs/{config}`, or what the gateway says when that cannot be read from it. */
  readonly apiConfig: string | null;
}

/** Each gateway's key once: every service behind it asks again, and each match cuts a new string from the name. */
const CONFIG_KEYS = new WeakMap<ResourceNode<'gateway'>, string | null>();

function configKeyOf(gateway: ResourceNode<'gateway'>): string | null {
  let key = CONFIG_KEYS.get(gateway);
  if (key === undefined) {
    key = apiConfigKey(gateway.data.apiConfig) ?? gateway.data.apiConfig ?? null;
    CONFIG_KEYS.set(gateway, key);
  }
  return key;
}

const REACHES_NO_GATEWAY = notApplicableLater<'backendService'>((service) =>
  notApplicable(`${describe(service)} reaches no API Gateway through its NEGs.`),
);

/** Said from the gateways behind the service again (the graph's, unchanged): no closure per passing service. */
const SERVE_ONE_CONFIG = passLater<'backendService'>((service, { graph }) => {
  const gateways = gatewaysBehind(graph, graph.serverlessNegsOf(service));
  const config = configKeyOf(gateways[0] as ResourceNode<'gateway'>);
  return pass(`Every gateway behind ${describe(service)} serves ${config ?? 'the same API config'}.`, {
    regions: regionsOf(gateways),
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
    const config = configKeyOf(gateways[0] as ResourceNode<'gateway'>);
    if (gateways.every((gateway) => configKeyOf(gateway) === config)) return SERVE_ONE_CONFIG;
    const regions = regionsOf(gateways);
    const entries = Object.values(regions);
    const configs = [...new Set(entries.map((entry) => entry.apiConfig))];
    if (configs.length > 1) {
      return fail(
        `The ${entries.length} gateways behind ${describe(service)} serve ${configs.length} different API configs.`,
        { regions, configs },
      );
    }
    return pass(`Every gateway behind ${describe(service)} serves ${configs[0] ?? 'the same API config'}.`, {
      regions,
    });
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

/** Region -> the gateway there and its config; two gateways in one region (two NEGs, or a mask) keep both. */
function regionsOf(gateways: readonly ResourceNode<'gateway'>[]): Record<string, RegionEntry> {
  const regions: Record<string, RegionEntry> = {};
  for (const reached of gateways) {
    const region = reached.location;
    const key = region in regions ? `${region}/${reached.ref.name}` : region;
    regions[key] = { gateway: reached.fullName, apiConfig: configKeyOf(reached) };
  }
  return regions;
}
