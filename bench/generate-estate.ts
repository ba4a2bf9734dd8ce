// Generates a large, deterministic estate (seeded) of real-shaped records for the judging benchmark.
// At scale 1: 10,000 backend services, 20,000 NEGs, 5,000 gateways on 300 shared API configs, and their
// URL maps, proxies and forwarding rules, with a realistic share of each misconfiguration RULES.md names.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emptyInventory, type Inventory } from '../src/domain/inventory.js';
import type {
  ApiConfig,
  Backend,
  BackendService,
  ForwardingRule,
  Gateway,
  NetworkEndpointGroup,
  SecurityPolicy,
  SslPolicy,
  TargetHttpProxy,
  TargetHttpsProxy,
  UrlMap,
} from '../src/domain/resources.js';

export interface EstateShape {
  /** 1 = 10,000 backend services; the estate grows by adding projects, each the same size. */
  readonly scale: number;
  readonly seed?: number;
  /**
   * The same records in one project, ONE_PROJECT (a hub project of that size, for the sweep-memory bench): each
   * block of what would have been a project keeps its shape, its names prefixed `bN-` so they do not collide.
   */
  readonly oneProject?: boolean;
}

/** The project every record is in when the estate is generated as one project. */
export const ONE_PROJECT = 'acme-bench-one';
const ONE_PROJECT_NUMBER = '800000000000';

/** Per project: 50 projects make scale 1. */
const PROJECTS_PER_SCALE = 50;
const APIS_PER_PROJECT = 2;
const CONFIGS_PER_API = 3;
const GATEWAY_GROUPS_PER_PROJECT = 25;
const REGIONS_PER_GROUP = 4;
const API_GATEWAY_SERVICES = 140;
const CLOUD_RUN_SERVICES = 40;
const VM_SERVICES = 20;

const REGIONS: readonly (readonly [string, string])[] = [
  ['us-central1', 'uc'],
  ['us-east1', 'ue'],
  ['us-west1', 'uw'],
  ['europe-west1', 'ew'],
  ['europe-west2', 'nw'],
  ['europe-west3', 'ey'],
  ['asia-northeast1', 'an'],
  ['asia-southeast1', 'as'],
];

/** mulberry32: small, fast, and the same sequence on every machine for one seed. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function isChance(random: Random, probability: number): boolean {
  return random() < probability;
}

function hashOf(random: Random, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

function timestamp(random: Random): string {
  const day = 1 + Math.floor(random() * 28);
  const month = 1 + Math.floor(random() * 5);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `2026-${pad(month)}-${pad(day)}T${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}:07.412-07:00`;
}

function numericId(random: Random): string {
  return String(1e18 + Math.floor(random() * 8e18)).slice(0, 19);
}

type AuthStyle = 'api-key' | 'open-operation' | 'no-security' | 'allow-all' | 'openapi3';

/** A realistic OpenAPI document: 12–36 operations over CRUD resources, auth declared per `style`. */
function openApiDocument(random: Random, api: string, version: number, style: AuthStyle): string {
  const resources = [
    'orders',
    'customers',
    'invoices',
    'shipments',
    'products',
    'refunds',
    'carts',
    'payments',
  ];
  const count = 4 + Math.floor(random() * 5);
  const chosen = resources.slice(0, count);
  const backend = `https://${api}-${hashOf(random, 10)}-uc.a.run.app`;
  if (style === 'openapi3') {
    const paths = chosen
      .map(
        (name) => `  /v${version}/${name}:
    get:
      operationId: list${name}
      x-google-backend: main
      responses:
        "200":
          description: A page of ${name}
    post:
      operationId: create${name}
      x-google-backend: main
      responses:
        "201":
          description: Created
  /v${version}/${name}/{id}:
    get:
      operationId: get${name}
      x-google-backend: main
      parameters:
        - in: path
          name: id
          required: true
          schema:
            type: string
      responses:
        "200":
          description: One of ${name}
`,
      )
      .join('');
    return `openapi: 3.0.4
info:
  title: ${api}
  version: ${version}.0.0
x-google-api-management:
  backends:
    main:
      address: ${backend}
      jwtAudience: ${backend}
security:
  - api_key: []
components:
  securitySchemes:
    api_key:
      type: apiKey
      name: x-api-key
      in: header
paths:
${paths}`;
  }
  const openIndex = Math.floor(random() * chosen.length);
  const paths = chosen
    .map(
      (name, index) => `  /v${version}/${name}:
    get:
      operationId: list${name}
      responses:
        "200":
          description: A page of ${name}
    post:
      operationId: create${name}
${style === 'open-operation' && index === openIndex ? '      security: []\n' : ''}      responses:
        "201":
          description: Created
  /v${version}/${name}/{id}:
    get:
      operationId: get${name}
      parameters:
        - in: path
          name: id
          type: string
          required: true
      responses:
        "200":
          description: One of ${name}
    delete:
      operationId: delete${name}
      security:
        - firebase: []
      parameters:
        - in: path
          name: id
          type: string
          required: true
      responses:
        "204":
          description: Deleted
`,
    )
    .join('');
  return `swagger: "2.0"
info:
  title: ${api}
  version: ${version}.0.0
schemes:
  - https
produces:
  - application/json
${style === 'allow-all' ? 'x-google-allow: all\n' : ''}x-google-backend:
  address: ${backend}
  deadline: 30.0
${style === 'no-security' ? '' : 'security:\n  - api_key: []\n'}securityDefinitions:
  api_key:
    type: apiKey
    name: key
    in: query
  firebase:
    type: oauth2
    flow: implicit
    authorizationUrl: ""
    x-google-issuer: https://securetoken.google.com/${api}
    x-google-jwks_uri: https://www.googleapis.com/service_accounts/v1/metadata/x509/securetoken@system.gserviceaccount.com
    x-google-audiences: ${api}
paths:
${paths}`;
}

function authStyleOf(random: Random): AuthStyle {
  const roll = random();
  if (roll < 0.7) return 'api-key';
  if (roll < 0.85) return 'open-operation';
  if (roll < 0.9) return 'no-security';
  if (roll < 0.95) return 'allow-all';
  return 'openapi3';
}

interface GatewayGroup {
  readonly api: string;
  readonly regions: readonly (readonly [string, string])[];
  readonly ids: readonly string[];
}

/** Builds the estate in memory, as an Inventory (what the estate loader or live reader would produce). */
export function generateEstate(shape: EstateShape): Inventory {
  const random = createRandom(shape.seed ?? 20260601);
  const inventory = emptyInventory() as { -readonly [K in keyof Inventory]: unknown[] };
  const projectIds: Record<string, string> = {};
  const projectCount = Math.round(PROJECTS_PER_SCALE * shape.scale);
  for (let index = 0; index < projectCount; index++) {
    const project = shape.oneProject ? ONE_PROJECT : `acme-bench-${String(index).padStart(4, '0')}`;
    const projectNumber = shape.oneProject ? ONE_PROJECT_NUMBER : String(800_000_000_000 + index);
    projectIds[projectNumber] = project;
    const prefix = shape.oneProject ? `b${index}-` : '';
    addProject(random, { project, projectNumber, prefix }, inventory as unknown as MutableInventory);
  }
  return { ...(inventory as unknown as Inventory), projectIds, incomplete: [] };
}

type MutableInventory = {
  backendService: BackendService[];
  networkEndpointGroup: NetworkEndpointGroup[];
  urlMap: UrlMap[];
  targetHttpProxy: TargetHttpProxy[];
  targetHttpsProxy: TargetHttpsProxy[];
  forwardingRule: ForwardingRule[];
  sslPolicy: SslPolicy[];
  securityPolicy: SecurityPolicy[];
  gateway: Gateway[];
  apiConfig: ApiConfig[];
};

/** Where a block of records goes: its project, and the prefix of its names (empty unless in one shared project). */
interface Block {
  readonly project: string;
  readonly projectNumber: string;
  readonly prefix: string;
}

function addProject(random: Random, block: Block, out: MutableInventory): void {
  const { project, projectNumber, prefix } = block;
  const v1 = `https://www.googleapis.com/compute/v1/projects/${project}`;
  const beta = `https://www.googleapis.com/compute/beta/projects/${project}`;

  const apis = Array.from(
    { length: APIS_PER_PROJECT },
    (_, k) => `${prefix}${['orders', 'payments', 'catalog'][k % 3]}-${k}`,
  );
  for (const api of apis) {
    for (let version = 1; version <= CONFIGS_PER_API; version++) {
      const text = openApiDocument(random, api, version, authStyleOf(random));
      out.apiConfig.push({
        createTime: '2026-04-28T09:12:40.118203551Z',
        displayName: `${api}-v${version}`,
        gatewayServiceAccount: `${api}-gateway@${project}.iam.gserviceaccount.com`,
        name: `projects/${project}/locations/global/apis/${api}/configs/${api}-v${version}`,
        openapiDocuments: [
          { document: { path: 'openapi.yaml', contents: Buffer.from(text, 'utf8').toString('base64') } },
        ],
        serviceConfigId: `${api}-v${version}-${hashOf(random, 13)}`,
        state: 'ACTIVE',
        updateTime: '2026-04-28T09:14:02.912345678Z',
      });
    }
  }

  const groups: GatewayGroup[] = [];
  for (let g = 0; g < GATEWAY_GROUPS_PER_PROJECT; g++) {
    const api = apis[g % apis.length] as string;
    const start = Math.floor(random() * REGIONS.length);
    const regions = Array.from(
      { length: REGIONS_PER_GROUP },
      (_, k) => REGIONS[(start + k * 2) % REGIONS.length] as readonly [string, string],
    );
    // One group in ten has a region left on the previous config: drift behind the services that use it.
    const driftedRegion = isChance(random, 0.1) ? Math.floor(random() * regions.length) : -1;
    const ids = regions.map(([region, code], k) => {
      const id = `${api}-gw${g}-${code}`;
      const streaming = isChance(random, 0.01);
      const config = k === driftedRegion ? CONFIGS_PER_API - 1 : CONFIGS_PER_API;
      out.gateway.push({
        apiConfig: `projects/${projectNumber}/locations/global/apis/${api}/configs/${api}-v${config}`,
        createTime: '2026-04-28T09:31:05.227406817Z',
        defaultHostname: `${id}-${hashOf(random, 8)}.${code}.gateway.dev`,
        displayName: id,
        effectiveStreamingMode: streaming
          ? 'EFFECTIVE_STREAMING_MODE_ENABLED'
          : 'EFFECTIVE_STREAMING_MODE_DISABLED',
        name: `projects/${project}/locations/${region}/gateways/${id}`,
        state: 'ACTIVE',
        streamingMode: streaming ? 'STREAMING_MODE_ENABLED' : 'STREAMING_MODE_UNSPECIFIED',
        updateTime: '2026-05-05T07:48:19.610932114Z',
      });
      return id;
    });
    groups.push({ api, regions, ids });
  }

  const armor = ['edge-waf', 'api-waf'].map((name) => `${v1}/global/securityPolicies/${prefix}${name}`);
  for (const link of armor) {
    const name = link.split('/').pop() as string;
    out.securityPolicy.push({
      kind: 'compute#securityPolicy',
      id: numericId(random),
      name,
      selfLink: link,
      type: 'CLOUD_ARMOR',
      fingerprint: 'zX9cV2bN5mQ=',
    });
  }
  const sslPolicies = [
    [`${prefix}modern-tls12`, 'TLS_1_2', 'MODERN'],
    [`${prefix}legacy-clients`, 'TLS_1_0', 'COMPATIBLE'],
  ] as const;
  for (const [name, minTlsVersion, profile] of sslPolicies) {
    out.sslPolicy.push({
      kind: 'compute#sslPolicy',
      id: numericId(random),
      creationTimestamp: timestamp(random),
      name,
      selfLink: `${v1}/global/sslPolicies/${name}`,
      minTlsVersion,
      profile,
      fingerprint: 'n3Vb8Qd1sXo=',
    });
  }

  const services: string[] = [];
  const addService = (name: string, backends: Backend[], serverless: boolean): void => {
    const service: Record<string, unknown> = {
      affinityCookieTtlSec: 0,
      backends,
      connectionDraining: { drainingTimeoutSec: serverless ? 0 : 300 },
      creationTimestamp: timestamp(random),
      description: '',
      enableCDN: false,
      fingerprint: `${hashOf(random, 11)}=`,
      id: numericId(random),
      kind: 'compute#backendService',
      loadBalancingScheme: isChance(random, 0.3) ? 'EXTERNAL' : 'EXTERNAL_MANAGED',
      name,
      port: 80,
      portName: 'http',
      protocol: serverless ? pick(random, ['HTTP', 'HTTPS']) : 'HTTP',
      selfLink: `${v1}/global/backendServices/${name}`,
      sessionAffinity: 'NONE',
      timeoutSec: 30,
    };
    if (isChance(random, 0.7)) service.securityPolicy = pick(random, armor);
    if (isChance(random, 0.75)) service.logConfig = { enable: true, sampleRate: 1 };
    if (!serverless || isChance(random, 0.03)) {
      service.healthChecks = [`${v1}/global/healthChecks/${name}-hc`];
    }
    if (serverless && isChance(random, 0.02)) service.protocol = 'HTTP2';
    if (serverless && isChance(random, 0.02)) service.sessionAffinity = 'GENERATED_COOKIE';
    if (serverless && isChance(random, 0.005)) service.loadBalancingScheme = 'INTERNAL_MANAGED';
    if (serverless && isChance(random, 0.01)) {
      service.enableCDN = true;
      service.cdnPolicy = { cacheMode: 'FORCE_CACHE_ALL', defaultTtl: 3600 };
    }
    out.backendService.push(service as BackendService);
    services.push(name);
  };
  const negBackend = (region: string, name: string): Backend => {
    const backend: Record<string, unknown> = {
      balancingMode: 'UTILIZATION',
      capacityScaler: 1,
      group: `${v1}/regions/${region}/networkEndpointGroups/${name}`,
    };
    if (isChance(random, 0.03)) {
      backend.balancingMode = 'RATE';
      backend.maxRatePerEndpoint = 100;
    }
    return backend as Backend;
  };

  for (let s = 0; s < API_GATEWAY_SERVICES; s++) {
    const group = groups[s % groups.length] as GatewayGroup;
    const name = `${group.api}-bs${s}`;
    const negCount = 2 + (s % 2);
    const backends: Backend[] = [];
    for (let k = 0; k < negCount; k++) {
      let [region, code] = group.regions[k] as readonly [string, string];
      let resource = group.ids[k] as string;
      const roll = random();
      if (roll < 0.02) resource = `projects/${project}/locations/${region}/gateways/${resource}`;
      else if (roll < 0.04) resource = group.ids[(k + 1) % group.ids.length] as string;
      else if (roll < 0.05) resource = `${resource}-old`;
      else if (roll < 0.07 && k > 0) [region, code] = group.regions[0] as readonly [string, string];
      const negName = `${name}-neg${k}-${code}`;
      const neg: Record<string, unknown> = {
        creationTimestamp: timestamp(random),
        id: numericId(random),
        kind: 'compute#networkEndpointGroup',
        name: negName,
        networkEndpointType: 'SERVERLESS',
        region: `${beta}/regions/${region}`,
        selfLink: `${beta}/regions/${region}/networkEndpointGroups/${negName}`,
        serverlessDeployment: { platform: 'apigateway.googleapis.com', resource },
        size: 0,
      };
      if (isChance(random, 0.01)) neg.defaultPort = 443;
      out.networkEndpointGroup.push(neg as NetworkEndpointGroup);
      backends.push(negBackend(region, negName));
    }
    if (isChance(random, 0.005)) {
      backends.push({
        balancingMode: 'UTILIZATION',
        capacityScaler: 1,
        group: `${v1}/zones/us-central1-a/instanceGroups/${name}-ig`,
        maxUtilization: 0.8,
      });
    }
    addService(name, backends, true);
  }

  for (let s = 0; s < CLOUD_RUN_SERVICES; s++) {
    const name = `${prefix}web-bs${s}`;
    const negCount = s % 4 === 0 ? 2 : 1;
    const backends: Backend[] = [];
    for (let k = 0; k < negCount; k++) {
      const [region, code] = REGIONS[(s + k * 3) % REGIONS.length] as readonly [string, string];
      const negName = `${name}-run-${code}`;
      out.networkEndpointGroup.push({
        cloudRun: { service: `${prefix}web-${s}` },
        creationTimestamp: timestamp(random),
        id: numericId(random),
        kind: 'compute#networkEndpointGroup',
        name: negName,
        networkEndpointType: 'SERVERLESS',
        region: `${beta}/regions/${region}`,
        selfLink: `${beta}/regions/${region}/networkEndpointGroups/${negName}`,
        size: 0,
      });
      backends.push(negBackend(region, negName));
    }
    addService(name, backends, true);
  }

  for (let s = 0; s < VM_SERVICES; s++) {
    const name = `${prefix}vm-bs${s}`;
    addService(
      name,
      [
        {
          balancingMode: 'UTILIZATION',
          capacityScaler: 1,
          group: `${v1}/zones/${pick(random, REGIONS)[0]}-b/instanceGroups/${name}-ig`,
          maxUtilization: 0.8,
        },
      ],
      false,
    );
  }

  const redirectMap = `${v1}/global/urlMaps/${prefix}http-to-https`;
  out.urlMap.push({
    kind: 'compute#urlMap',
    id: numericId(random),
    creationTimestamp: timestamp(random),
    name: `${prefix}http-to-https`,
    selfLink: redirectMap,
    defaultUrlRedirect: { httpsRedirect: true, redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT' },
    fingerprint: 'Wm8bQ3rJ6tA=',
  });
  for (let m = 0; m * 2 < services.length; m++) {
    const name = `${prefix}lb${m}`;
    const mapLink = `${v1}/global/urlMaps/${name}-map`;
    const primary = `${v1}/global/backendServices/${services[m * 2]}`;
    const secondary = services[m * 2 + 1];
    out.urlMap.push({
      kind: 'compute#urlMap',
      id: numericId(random),
      creationTimestamp: timestamp(random),
      name: `${name}-map`,
      selfLink: mapLink,
      defaultService: primary,
      hostRules: [{ hosts: [`${name}.${project}.example`], pathMatcher: 'main' }],
      pathMatchers: [
        {
          name: 'main',
          defaultService: primary,
          pathRules: secondary
            ? [{ paths: ['/v2/*'], service: `${v1}/global/backendServices/${secondary}` }]
            : [],
        },
      ],
      fingerprint: `${hashOf(random, 11)}=`,
    });
    const roll = random();
    const sslPolicy =
      roll < 0.6
        ? `${v1}/global/sslPolicies/${prefix}modern-tls12`
        : roll < 0.7
          ? `${v1}/global/sslPolicies/${prefix}legacy-clients`
          : undefined;
    const httpsProxy = `${v1}/global/targetHttpsProxies/${name}-https-proxy`;
    out.targetHttpsProxy.push({
      kind: 'compute#targetHttpsProxy',
      id: numericId(random),
      creationTimestamp: timestamp(random),
      name: `${name}-https-proxy`,
      selfLink: httpsProxy,
      urlMap: mapLink,
      sslCertificates: [`${v1}/global/sslCertificates/${name}-cert`],
      quicOverride: 'NONE',
      fingerprint: `${hashOf(random, 11)}=`,
      ...(sslPolicy ? { sslPolicy } : {}),
    });
    const ip = `34.${100 + (m % 100)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
    out.forwardingRule.push(forwardingRule(v1, `${name}-https-fr`, httpsProxy, ip, 443, random));
    if (isChance(random, 0.4)) {
      const httpProxy = `${v1}/global/targetHttpProxies/${name}-http-proxy`;
      out.targetHttpProxy.push({
        kind: 'compute#targetHttpProxy',
        id: numericId(random),
        creationTimestamp: timestamp(random),
        name: `${name}-http-proxy`,
        selfLink: httpProxy,
        urlMap: isChance(random, 0.75) ? redirectMap : mapLink,
        fingerprint: `${hashOf(random, 11)}=`,
      });
      out.forwardingRule.push(forwardingRule(v1, `${name}-http-fr`, httpProxy, ip, 80, random));
    }
  }
}

function forwardingRule(
  v1: string,
  name: string,
  target: string,
  ip: string,
  port: number,
  random: Random,
): ForwardingRule {
  return {
    IPAddress: ip,
    IPProtocol: 'TCP',
    creationTimestamp: timestamp(random),
    id: numericId(random),
    kind: 'compute#forwardingRule',
    labelFingerprint: '42WmSpB8rSM=',
    loadBalancingScheme: 'EXTERNAL_MANAGED',
    name,
    networkTier: 'PREMIUM',
    portRange: `${port}-${port}`,
    selfLink: `${v1}/global/forwardingRules/${name}`,
    target,
  };
}

const ESTATE_FILE_OF: Readonly<Record<keyof MutableInventory, string>> = {
  backendService: 'backend-services.json',
  networkEndpointGroup: 'network-endpoint-groups.json',
  urlMap: 'url-maps.json',
  targetHttpProxy: 'target-http-proxies.json',
  targetHttpsProxy: 'target-https-proxies.json',
  forwardingRule: 'forwarding-rules.json',
  sslPolicy: 'ssl-policies.json',
  securityPolicy: 'security-policies.json',
  gateway: 'gateways.json',
  apiConfig: 'api-configs.json',
};

/** Writes the estate as an estate directory (DESIGN.md §7), for timing `gatewarden scan --estate` end to end. */
export function writeEstate(inventory: Inventory, dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const [kind, file] of Object.entries(ESTATE_FILE_OF) as [keyof MutableInventory, string][]) {
    writeFileSync(join(dir, file), JSON.stringify(inventory[kind]));
  }
  const projects = Object.entries(inventory.projectIds ?? {}).map(([projectNumber, projectId]) => ({
    projectId,
    projectNumber,
    lifecycleState: 'ACTIVE',
    name: projectId,
  }));
  writeFileSync(join(dir, 'projects.json'), JSON.stringify(projects));
}

export function countRecords(inventory: Inventory): Record<string, number> {
  return Object.fromEntries(
    (Object.keys(ESTATE_FILE_OF) as (keyof MutableInventory)[]).map((kind) => [kind, inventory[kind].length]),
  );
}

function parseFlag(args: readonly string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  return index >= 0 ? args[index + 1] : undefined;
}

// `node dist/bench/generate-estate.js --scale 1 [--one-project] --out DIR` writes an estate directory.
if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const scale = Number(parseFlag(args, '--scale') ?? '1');
  const out = parseFlag(args, '--out');
  if (!out || !(scale > 0)) {
    process.stderr.write('usage: generate-estate --scale N [--one-project] --out DIR\n');
    process.exit(2);
  }
  const inventory = generateEstate({ scale, oneProject: args.includes('--one-project') });
  writeEstate(inventory, out);
  process.stdout.write(`${JSON.stringify(countRecords(inventory))}\n`);
}
