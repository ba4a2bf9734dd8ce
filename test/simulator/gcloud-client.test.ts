// The Google Cloud CLI as an outside client of the simulator: what gcloud really sends must work.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEstate } from '../../src/adapters/estate-files/load-estate.js';
import { runCli } from '../../src/cli/main.js';
import { type AuditLogEntry, type Simulator, startSimulator } from '../../src/simulator/index.js';
import { hasGcloud } from '../support/emulators.js';

const run = promisify(execFile);
const ESTATE = new URL('../../examples/acme-edge', import.meta.url).pathname;
const GCLOUD = hasGcloud();
// gcloud takes 2-4 s a call, more when the machine is busy.
const GCLOUD_TIMEOUT_MS = 120_000;

if (!GCLOUD) console.log('skipping the gcloud client tests: gcloud is not on PATH');

let simulator: Simulator;
let configDir: string;
const unknownRequests: string[] = [];
/** Audit entries the simulator published, kept by an in-memory sink (the Pub/Sub one is tested elsewhere). */
const published: AuditLogEntry[] = [];

async function gcloud(args: readonly string[], computeVersion: 'v1' | 'beta' = 'v1'): Promise<string> {
  const env = {
    ...process.env,
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    // gcloud's compute override replaces the whole base, version included: beta commands need their own.
    ...(computeVersion === 'beta'
      ? { CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${simulator.url}/compute/beta/` }
      : {}),
  };
  try {
    const { stdout } = await run('gcloud', [...args], { env, timeout: GCLOUD_TIMEOUT_MS });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(`gcloud ${args.join(' ')} failed: ${failure.stderr ?? failure.message}`);
  }
}

const ORDERS_BS = '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs';

/** Rule IDs failing on orders-bs, from `gatewarden scan --project acme-edge --endpoint SIMULATOR --format json`. */
async function failingRulesOnOrdersBs(): Promise<string[]> {
  const out: string[] = [];
  const code = await runCli(
    ['scan', '--project', 'acme-edge', '--endpoint', simulator.url, '--format', 'json'],
    {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: () => true },
      env: {},
    },
  );
  expect(code).toBe(0);
  const report = JSON.parse(out.join('')) as { findings: { ruleId: string; resource: string }[] };
  return report.findings.filter((finding) => finding.resource === ORDERS_BS).map((finding) => finding.ruleId);
}

let rulesBefore: string[] = [];

function stored(path: string): Record<string, unknown> | undefined {
  return simulator.store.get(path);
}

describe.skipIf(!GCLOUD)('gcloud against the simulator', () => {
  beforeAll(async () => {
    simulator = await startSimulator({
      inventory: (await loadEstate(ESTATE)).inventory,
      onUnknownRequest: (description) => unknownRequests.push(description),
      auditSink: { publish: async (entries) => void published.push(...entries) },
    });
    configDir = mkdtempSync(join(tmpdir(), 'gatewarden-gcloud-'));
    await gcloud(['config', 'set', 'auth/disable_credentials', 'true']);
    await gcloud(['config', 'set', 'core/project', 'acme-edge']);
    await gcloud(['config', 'set', 'api_endpoint_overrides/compute', `${simulator.url}/compute/v1/`]);
    await gcloud(['config', 'set', 'api_endpoint_overrides/apigateway', `${simulator.url}/`]);
    rulesBefore = await failingRulesOnOrdersBs();
  }, 4 * GCLOUD_TIMEOUT_MS);

  afterAll(async () => {
    await simulator?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
    expect(unknownRequests).toEqual([]);
  });

  it(
    'lists backend services through the aggregated list gcloud asks for',
    async () => {
      simulator.clearRequests();
      const services = JSON.parse(await gcloud(['compute', 'backend-services', 'list', '--format=json']));
      expect(services.map((service: { name: string }) => service.name).sort()).toEqual([
        'legacy-vm-bs',
        'orders-bs',
        'partners-bs',
        'payments-bs',
        'payments-events-bs',
        'reports-bs',
        'storefront-bs',
      ]);
      expect(simulator.requests().map((request) => [request.path, request.query])).toEqual([
        [
          '/compute/v1/projects/acme-edge/aggregated/backendServices',
          { alt: 'json', includeAllScopes: 'True', maxResults: '500', returnPartialSuccess: 'True' },
        ],
      ]);
    },
    GCLOUD_TIMEOUT_MS,
  );

  it(
    'creates an API Gateway NEG with gcloud beta, adds it to a backend service and sets a security policy',
    async () => {
      await gcloud(
        [
          'beta',
          'compute',
          'network-endpoint-groups',
          'create',
          'sim-neg',
          '--region=us-central1',
          '--network-endpoint-type=serverless',
          '--serverless-deployment-platform=apigateway.googleapis.com',
          '--serverless-deployment-resource=orders-gw-usc1',
        ],
        'beta',
      );
      expect(stored('projects/acme-edge/regions/us-central1/networkEndpointGroups/sim-neg')).toMatchObject({
        networkEndpointType: 'SERVERLESS',
        serverlessDeployment: { platform: 'apigateway.googleapis.com', resource: 'orders-gw-usc1' },
      });

      const before = stored('projects/acme-edge/global/backendServices/orders-bs');
      await gcloud([
        'compute',
        'backend-services',
        'add-backend',
        'orders-bs',
        '--global',
        '--network-endpoint-group=sim-neg',
        '--network-endpoint-group-region=us-central1',
      ]);
      await gcloud([
        'compute',
        'backend-services',
        'update',
        'orders-bs',
        '--global',
        '--security-policy=payments-armor',
      ]);

      const after = stored('projects/acme-edge/global/backendServices/orders-bs');
      expect(after?.backends).toContainEqual({
        group:
          'https://www.googleapis.com/compute/v1/projects/acme-edge/regions/us-central1/networkEndpointGroups/sim-neg',
        balancingMode: 'UTILIZATION',
        capacityScaler: 1,
      });
      expect(after?.securityPolicy).toBe(
        'https://www.googleapis.com/compute/v1/projects/acme-edge/global/securityPolicies/payments-armor',
      );
      expect(after?.fingerprint).not.toBe(before?.fingerprint);
      const changes = simulator.requests().filter((request) => request.method !== 'GET');
      expect(changes.map((request) => [request.method, request.path, request.status])).toEqual([
        ['POST', '/compute/beta/projects/acme-edge/regions/us-central1/networkEndpointGroups', 200],
        ['PUT', '/compute/v1/projects/acme-edge/global/backendServices/orders-bs', 200],
        ['POST', '/compute/v1/projects/acme-edge/global/backendServices/orders-bs/setSecurityPolicy', 200],
      ]);
    },
    3 * GCLOUD_TIMEOUT_MS,
  );

  it(
    'creates a URL-mask API Gateway NEG with gcloud beta, and publishes its audit entries',
    async () => {
      published.length = 0;
      await gcloud(
        [
          'beta',
          'compute',
          'network-endpoint-groups',
          'create',
          'sim-mask-neg',
          '--region=us-central1',
          '--network-endpoint-type=serverless',
          '--serverless-deployment-platform=apigateway.googleapis.com',
          '--serverless-deployment-url-mask=<gateway>.api.acme.example',
        ],
        'beta',
      );
      const neg = stored('projects/acme-edge/regions/us-central1/networkEndpointGroups/sim-mask-neg');
      expect(neg).toMatchObject({
        networkEndpointType: 'SERVERLESS',
        serverlessDeployment: {
          platform: 'apigateway.googleapis.com',
          urlMask: '<gateway>.api.acme.example',
        },
      });
      expect(neg?.serverlessDeployment).not.toHaveProperty('resource');
      const last = published.find((entry) => entry.operation?.last === true);
      expect(last?.protoPayload).toMatchObject({
        methodName: 'beta.compute.regionNetworkEndpointGroups.insert',
        resourceName: 'projects/acme-edge/regions/us-central1/networkEndpointGroups/sim-mask-neg',
      });
      const first = published.find((entry) => entry.operation?.first === true);
      expect(first?.protoPayload.request).toMatchObject({
        serverlessDeployment: {
          platform: 'apigateway.googleapis.com',
          urlMask: '<gateway>.api.acme.example',
        },
      });
    },
    GCLOUD_TIMEOUT_MS,
  );

  it(
    'refuses an API Gateway NEG naming neither a resource nor a URL mask, as the API does',
    async () => {
      await expect(
        gcloud(
          [
            'beta',
            'compute',
            'network-endpoint-groups',
            'create',
            'sim-empty-neg',
            '--region=us-central1',
            '--network-endpoint-type=serverless',
            '--serverless-deployment-platform=apigateway.googleapis.com',
          ],
          'beta',
        ),
      ).rejects.toThrow(/resource or urlMask/);
      expect(
        stored('projects/acme-edge/regions/us-central1/networkEndpointGroups/sim-empty-neg'),
      ).toBeUndefined();
    },
    GCLOUD_TIMEOUT_MS,
  );

  it(
    'lists gateways in every location',
    async () => {
      const gateways = JSON.parse(await gcloud(['api-gateway', 'gateways', 'list', '--format=json']));
      expect(gateways.map((gateway: { name: string }) => gateway.name.split('/').pop()).sort()).toEqual([
        'ops-admin-gw-euw1',
        'orders-gw-ane1',
        'orders-gw-euw2',
        'orders-gw-usc1',
        'partners-gold-gw-usw1',
        'partners-silver-gw-usw1',
        'payments-events-gw-ane1',
        'payments-gw-euw2',
        'payments-gw-usc1',
        'reports-gw-euw1',
      ]);
      expect(simulator.requests().at(-1)?.path).toBe('/v1/projects/acme-edge/locations/-/gateways');
    },
    GCLOUD_TIMEOUT_MS,
  );

  it('lets a following `gatewarden scan --endpoint` see what gcloud changed', async () => {
    expect(rulesBefore).toContain('backend.cloud-armor-attached');
    expect(rulesBefore).not.toContain('backend.one-neg-per-region');
    const rulesAfter = await failingRulesOnOrdersBs();
    expect(rulesAfter).not.toContain('backend.cloud-armor-attached');
    expect(rulesAfter).toContain('backend.one-neg-per-region');
  });
});
