// URL-mask NEGs in one crowded region: a mask NEG reaches every gateway of its project and region, so a hub with
// thousands of gateways and hundreds of mask NEGs has gateways x NEGs links. Times graph build and evaluateFailing,
// to show both grow with the links, not with their square.
// Usage: npm run build && node bench/mask-region.mjs [GATEWAYS MASK_NEGS]...   (default: 1000 100, 2000 100, 4000 100, 4000 400)
import { ResourceGraph } from '../dist/src/domain/graph.js';
import { emptyInventory } from '../dist/src/domain/inventory.js';
import { evaluateFailing } from '../dist/src/engine/evaluate.js';
import { ALL_RULES } from '../dist/src/rules/catalogue.js';

const PROJECT = 'acme-hub';
const REGION = 'us-central1';
const COMPUTE = 'https://www.googleapis.com/compute/v1';

/** G gateways in one region, M mask NEGs there, each held by a backend service of its own: parsed from JSON text. */
function crowdedRegion(gateways, masks) {
  const inventory = { ...emptyInventory() };
  inventory.gateway = Array.from({ length: gateways }, (_, i) => ({
    name: `projects/${PROJECT}/locations/${REGION}/gateways/gw-${i}`,
    apiConfig: `projects/${PROJECT}/locations/global/apis/orders/configs/v1`,
    state: 'ACTIVE',
    defaultHostname: `gw-${i}-x7k2.uc.gateway.dev`,
  }));
  inventory.networkEndpointGroup = Array.from({ length: masks }, (_, i) => ({
    kind: 'compute#networkEndpointGroup',
    name: `mask-${i}`,
    selfLink: `${COMPUTE}/projects/${PROJECT}/regions/${REGION}/networkEndpointGroups/mask-${i}`,
    region: `${COMPUTE}/projects/${PROJECT}/regions/${REGION}`,
    networkEndpointType: 'SERVERLESS',
    serverlessDeployment: { platform: 'apigateway.googleapis.com', urlMask: '<gateway>.example.com' },
  }));
  inventory.backendService = inventory.networkEndpointGroup.map((neg, i) => ({
    kind: 'compute#backendService',
    name: `bs-${i}`,
    selfLink: `${COMPUTE}/projects/${PROJECT}/global/backendServices/bs-${i}`,
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    protocol: 'HTTPS',
    backends: [{ group: neg.selfLink }],
  }));
  return JSON.parse(JSON.stringify(inventory));
}

const args = process.argv.slice(2).map(Number);
const cases =
  args.length >= 2
    ? []
    : [
        [1000, 100],
        [2000, 100],
        [4000, 100],
        [4000, 400],
      ];
for (let i = 0; i + 1 < args.length; i += 2) cases.push([args[i], args[i + 1]]);
for (const [gateways, masks] of cases) {
  const inventory = crowdedRegion(gateways, masks);
  const built = performance.now();
  const graph = ResourceGraph.build(inventory);
  const judged = performance.now();
  const { results } = evaluateFailing(graph, ALL_RULES, { now: new Date('2026-06-01T00:00:00Z') });
  const done = performance.now();
  process.stdout.write(
    `${gateways} gateways, ${masks} mask NEGs (${gateways * masks} links): build ${(judged - built).toFixed(0)} ms, ` +
      `judge ${(done - judged).toFixed(0)} ms, ${results.length} failing\n`,
  );
}
