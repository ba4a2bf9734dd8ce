// The Google Cloud CLI as an outside client of the simulator, and a regional external Application Load Balancer
// built with it (the shape gcloud's own docs build), for tests of the regional kinds.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// gcloud takes 2-4 s a call, more when the machine is busy.
export const GCLOUD_TIMEOUT_MS = 120_000;

export interface Gcloud {
  /** Runs `gcloud ARGS --format=json` against the simulator; throws with gcloud's stderr when it fails. */
  (args: readonly string[]): Promise<string>;
  cleanup(): void;
}

/** gcloud configured for the simulator through environment properties (no `gcloud config set` round trips). */
export function gcloudFor(simulatorUrl: string, project: string): Gcloud {
  const configDir = mkdtempSync(join(tmpdir(), 'gatewarden-gcloud-'));
  const env = {
    ...process.env,
    CLOUDSDK_CONFIG: configDir,
    CLOUDSDK_CORE_DISABLE_PROMPTS: '1',
    CLOUDSDK_AUTH_DISABLE_CREDENTIALS: 'true',
    CLOUDSDK_CORE_PROJECT: project,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_COMPUTE: `${simulatorUrl}/compute/v1/`,
    CLOUDSDK_API_ENDPOINT_OVERRIDES_APIGATEWAY: `${simulatorUrl}/`,
  };
  const gcloud = async (args: readonly string[]): Promise<string> => {
    try {
      const { stdout } = await run('gcloud', [...args, '--format=json'], { env, timeout: GCLOUD_TIMEOUT_MS });
      return stdout;
    } catch (error) {
      const failure = error as { stderr?: string; message: string };
      throw new Error(`gcloud ${args.join(' ')} failed: ${failure.stderr ?? failure.message}`);
    }
  };
  return Object.assign(gcloud, { cleanup: () => rmSync(configDir, { recursive: true, force: true }) });
}

export const REGION = 'us-central1';
const IN_REGION = `--region=${REGION}`;

/** Names of the regional load balancer's parts. */
export const REGIONAL = {
  modernTls: 'reg-tls12',
  oldTls: 'reg-tls10',
  armor: 'reg-armor',
  /** Fronts the API: holds the estate's serverless NEG orders-neg-usc1. */
  apiService: 'reg-api-bs',
  /** Holds no serverless NEG. */
  otherService: 'reg-other-bs',
  apiMap: 'reg-api-map',
  otherMap: 'reg-other-map',
  httpsProxy: 'reg-https-proxy',
  httpProxy: 'reg-http-proxy',
  httpsRule: 'reg-https-fr',
  httpRule: 'reg-http-fr',
} as const;

/**
 * A regional external Application Load Balancer in front of the estate's API Gateway NEG, built with gcloud:
 * HTTPS (TLS 1.2 policy) and plain HTTP forwarding rules, each through its own regional proxy and URL map.
 */
export async function createRegionalLoadBalancer(gcloud: Gcloud): Promise<void> {
  const names = REGIONAL;
  const scheme = '--load-balancing-scheme=EXTERNAL_MANAGED';
  await Promise.all([
    gcloud([
      'compute',
      'ssl-policies',
      'create',
      names.modernTls,
      IN_REGION,
      '--profile=MODERN',
      '--min-tls-version=1.2',
    ]),
    gcloud([
      'compute',
      'ssl-policies',
      'create',
      names.oldTls,
      IN_REGION,
      '--profile=COMPATIBLE',
      '--min-tls-version=1.0',
    ]),
    gcloud(['compute', 'security-policies', 'create', names.armor, IN_REGION]),
    gcloud([
      'compute',
      'backend-services',
      'create',
      names.apiService,
      IN_REGION,
      scheme,
      '--protocol=HTTPS',
    ]),
    gcloud([
      'compute',
      'backend-services',
      'create',
      names.otherService,
      IN_REGION,
      scheme,
      '--protocol=HTTPS',
    ]),
  ]);
  await gcloud([
    'compute',
    'backend-services',
    'add-backend',
    names.apiService,
    IN_REGION,
    '--network-endpoint-group=orders-neg-usc1',
    `--network-endpoint-group-region=${REGION}`,
  ]);
  await Promise.all([
    gcloud([
      'compute',
      'url-maps',
      'create',
      names.apiMap,
      IN_REGION,
      `--default-service=${names.apiService}`,
    ]),
    gcloud([
      'compute',
      'url-maps',
      'create',
      names.otherMap,
      IN_REGION,
      `--default-service=${names.otherService}`,
    ]),
  ]);
  await Promise.all([
    gcloud([
      'compute',
      'target-https-proxies',
      'create',
      names.httpsProxy,
      IN_REGION,
      `--url-map=${names.apiMap}`,
      `--url-map-region=${REGION}`,
      '--ssl-certificates=reg-cert',
      `--ssl-certificates-region=${REGION}`,
      `--ssl-policy=${names.modernTls}`,
      `--ssl-policy-region=${REGION}`,
    ]),
    gcloud([
      'compute',
      'target-http-proxies',
      'create',
      names.httpProxy,
      IN_REGION,
      `--url-map=${names.otherMap}`,
      `--url-map-region=${REGION}`,
    ]),
  ]);
  const rule = (name: string, target: string, port: number) =>
    gcloud([
      'compute',
      'forwarding-rules',
      'create',
      name,
      IN_REGION,
      scheme,
      '--network-tier=STANDARD',
      '--network=default',
      `--ports=${port}`,
      target,
      `${target.split('=')[0]}-region=${REGION}`,
    ]);
  await Promise.all([
    rule(names.httpsRule, `--target-https-proxy=${names.httpsProxy}`, 443),
    rule(names.httpRule, `--target-http-proxy=${names.httpProxy}`, 80),
  ]);
}

/** The gcloud command that moves one regional kind to state `a` or `b`: what the tests alternate. */
export const REGIONAL_UPDATES = {
  regionBackendServices: (to: 'a' | 'b') => [
    'compute',
    'backend-services',
    'update',
    REGIONAL.apiService,
    IN_REGION,
    to === 'a' ? '--enable-logging' : '--no-enable-logging',
  ],
  regionUrlMaps: (to: 'a' | 'b') => [
    'compute',
    'url-maps',
    'set-default-service',
    REGIONAL.otherMap,
    IN_REGION,
    `--default-service=${to === 'a' ? REGIONAL.apiService : REGIONAL.otherService}`,
  ],
  regionTargetHttpProxies: (to: 'a' | 'b') => [
    'compute',
    'target-http-proxies',
    'update',
    REGIONAL.httpProxy,
    IN_REGION,
    `--url-map=${to === 'a' ? REGIONAL.apiMap : REGIONAL.otherMap}`,
    `--url-map-region=${REGION}`,
  ],
  regionTargetHttpsProxies: (to: 'a' | 'b') => [
    'compute',
    'target-https-proxies',
    'update',
    REGIONAL.httpsProxy,
    IN_REGION,
    `--ssl-policy=${to === 'a' ? REGIONAL.oldTls : REGIONAL.modernTls}`,
    `--ssl-policy-region=${REGION}`,
  ],
  forwardingRules: (to: 'a' | 'b') => [
    'compute',
    'forwarding-rules',
    'update',
    REGIONAL.httpsRule,
    IN_REGION,
    `--update-labels=env=${to === 'a' ? 'prod' : 'dev'}`,
  ],
  regionSslPolicies: (to: 'a' | 'b') => [
    'compute',
    'ssl-policies',
    'update',
    REGIONAL.modernTls,
    IN_REGION,
    `--min-tls-version=${to === 'a' ? '1.0' : '1.2'}`,
  ],
  regionSecurityPolicies: (to: 'a' | 'b') => [
    'compute',
    'security-policies',
    'update',
    REGIONAL.armor,
    IN_REGION,
    `--description=${to === 'a' ? 'blocks scanners' : 'allows all'}`,
  ],
} as const satisfies Record<string, (to: 'a' | 'b') => readonly string[]>;
