// Builds `terraform show -json` plans from a table of resource changes, with the shapes Terraform writes: planned
// values by module, resource_changes with after_unknown, the configuration's expressions, and the prior state.

import { parsePlan, type TerraformPlan } from '../../src/terraform-plan/plan-file.js';

type Json = Record<string, unknown>;

export interface PlannedChange {
  /** Full instance address: `module.edge["eu"].google_compute_backend_service.api[0]`. */
  readonly address: string;
  /** `['create']` unless given. */
  readonly actions?: readonly string[];
  readonly before?: Json | null;
  /** Planned values; ignored for a delete. */
  readonly after?: Json;
  readonly afterUnknown?: Json;
  readonly afterSensitive?: Json;
  /** The resource block's expressions in the configuration (by its address without instance keys). */
  readonly expressions?: Json;
  /**
   * The deposed key of an object a failed `create_before_destroy` replacement left behind (Terraform lists its delete
   * after the current object's change, at the same address).
   */
  readonly deposed?: string;
}

export interface PlanOptions {
  /** Constant `project` and `region` of the google provider block. */
  readonly provider?: { readonly project?: string; readonly region?: string };
  /** Data sources read at plan time, as they appear in prior_state. */
  readonly dataSources?: readonly { readonly address: string; readonly values: Json }[];
}

function partsOf(address: string): { module: string; type: string; name: string; index?: string | number } {
  const match =
    /^((?:module\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?\.)*)(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(.+)\])?$/.exec(
      address,
    );
  if (!match) throw new Error(`not an address: ${address}`);
  const key = match[4];
  return {
    module: (match[1] ?? '').replace(/\.$/, ''),
    type: match[2] as string,
    name: match[3] as string,
    ...(key === undefined ? {} : { index: /^\d+$/.test(key) ? Number(key) : (JSON.parse(key) as string) }),
  };
}

function valuesModule(root: Json, module: string): Json {
  if (module === '') return root;
  const steps = module.match(/module\.[A-Za-z0-9_-]+(?:\[[^\]]+\])?/g) ?? [];
  let current = root;
  let address = '';
  for (const step of steps) {
    address = address ? `${address}.${step}` : step;
    current.child_modules ??= [];
    const children = current.child_modules as Json[];
    let child = children.find((candidate) => candidate.address === address);
    if (!child) {
      child = { address, resources: [] };
      children.push(child);
    }
    current = child;
  }
  return current;
}

function configModule(root: Json, module: string): Json {
  let current = root;
  for (const call of module.match(/module\.([A-Za-z0-9_-]+)/g) ?? []) {
    const name = call.slice('module.'.length);
    current.module_calls ??= {};
    const calls = current.module_calls as Record<string, Json>;
    calls[name] ??= { source: `./modules/${name}`, module: { resources: [] } };
    current = (calls[name] as Json).module as Json;
  }
  return current;
}

export function buildPlan(changes: readonly PlannedChange[], options: PlanOptions = {}): TerraformPlan {
  const provider = options.provider ?? { project: 'acme-edge', region: 'us-central1' };
  const planned: Json = { resources: [] };
  const configuration: Json = { resources: [] };
  const resourceChanges: Json[] = [];
  const configured = new Set<string>();
  for (const change of changes) {
    const { module, type, name, index } = partsOf(change.address);
    const actions = change.actions ?? ['create'];
    const deleted =
      (actions.includes('delete') && !actions.includes('create')) || change.deposed !== undefined;
    const common = {
      address: change.address,
      mode: 'managed',
      type,
      name,
      ...(index === undefined ? {} : { index }),
      provider_name: 'registry.terraform.io/hashicorp/google',
    };
    if (!deleted) {
      (valuesModule(planned, module).resources as Json[]).push({
        ...common,
        schema_version: 0,
        values: change.after ?? {},
        sensitive_values: {},
      });
    }
    resourceChanges.push({
      ...common,
      ...(module ? { module_address: module } : {}),
      ...(change.deposed === undefined ? {} : { deposed: change.deposed }),
      change: {
        actions,
        before: change.before ?? null,
        after: deleted ? null : (change.after ?? {}),
        after_unknown: deleted ? {} : (change.afterUnknown ?? {}),
        before_sensitive: change.before ? {} : false,
        after_sensitive: deleted ? false : (change.afterSensitive ?? {}),
      },
    });
    const configAddress = `${module.replace(/\[[^\]]+\]/g, '')}${module ? '.' : ''}${type}.${name}`;
    if (!configured.has(configAddress)) {
      configured.add(configAddress);
      (configModule(configuration, module).resources as Json[]).push({
        address: `${type}.${name}`,
        mode: 'managed',
        type,
        name,
        provider_config_key: 'google',
        expressions: change.expressions ?? {},
        schema_version: 0,
      });
    }
  }
  const providerExpressions = Object.fromEntries(
    Object.entries(provider).map(([key, value]) => [key, { constant_value: value }]),
  );
  const priorResources = [
    ...changes
      .filter((change) => change.before && change.deposed === undefined)
      .map((change) => {
        const { type, name, index } = partsOf(change.address);
        return {
          address: change.address,
          mode: 'managed',
          type,
          name,
          ...(index === undefined ? {} : { index }),
          values: change.before,
        };
      }),
    ...(options.dataSources ?? []).map((source) => {
      const { type, name } = partsOf(source.address);
      return { address: source.address, mode: 'data', type, name, values: source.values };
    }),
  ];
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: planned },
    resource_changes: resourceChanges,
    ...(priorResources.length > 0
      ? {
          prior_state: {
            format_version: '1.0',
            terraform_version: '1.9.8',
            values: { root_module: { resources: priorResources } },
          },
        }
      : {}),
    configuration: {
      provider_config: {
        google: {
          name: 'google',
          full_name: 'registry.terraform.io/hashicorp/google',
          expressions: providerExpressions,
        },
      },
      root_module: configuration,
    },
  };
  return parsePlan(JSON.stringify(plan), 'plan.json');
}

const LINK = 'https://www.googleapis.com/compute/v1/projects';

/** Planned values of a serverless NEG for API Gateway (`resource` or `url_mask`), as the provider plans them. */
export function plannedNeg(
  name: string,
  region: string,
  target: { resource?: string; urlMask?: string },
  project = 'acme-edge',
): Json {
  return {
    app_engine: [],
    cloud_function: [],
    cloud_run: [],
    description: null,
    name,
    network: null,
    network_endpoint_type: 'SERVERLESS',
    project,
    psc_data: [],
    psc_target_service: null,
    region,
    serverless_deployment: [
      {
        platform: 'apigateway.googleapis.com',
        resource: target.resource ?? null,
        url_mask: target.urlMask ?? null,
        version: null,
      },
    ],
    subnetwork: null,
    timeouts: null,
  };
}

export function negLink(name: string, region: string, project = 'acme-edge'): string {
  return `${LINK}/${project}/regions/${region}/networkEndpointGroups/${name}`;
}

/** A planned backend block (the provider fills in UTILIZATION and a capacity scaler of 1). */
export function plannedBackend(group: string | null): Json {
  return {
    balancing_mode: 'UTILIZATION',
    capacity_scaler: 1,
    custom_metrics: [],
    description: '',
    group,
    max_connections: null,
    max_connections_per_endpoint: null,
    max_connections_per_instance: null,
    max_rate: null,
    max_rate_per_endpoint: null,
    max_rate_per_instance: null,
    max_utilization: null,
    preference: '',
  };
}

/** Planned values of a global external backend service with Cloud Armor and logging. */
export function plannedBackendService(name: string, backends: readonly Json[], overrides: Json = {}): Json {
  return {
    affinity_cookie_ttl_sec: null,
    backend: backends,
    cdn_policy: [],
    circuit_breakers: [],
    connection_draining_timeout_sec: 300,
    consistent_hash: [],
    description: null,
    enable_cdn: null,
    health_checks: null,
    iap: [],
    load_balancing_scheme: 'EXTERNAL_MANAGED',
    locality_lb_policy: null,
    log_config: [{ enable: true, sample_rate: 1 }],
    name,
    outlier_detection: [],
    port_name: 'http',
    project: 'acme-edge',
    protocol: 'HTTPS',
    security_policy: `${LINK}/acme-edge/global/securityPolicies/api-waf`,
    session_affinity: 'NONE',
    timeout_sec: 30,
    timeouts: null,
    ...overrides,
  };
}

export function plannedGateway(id: string, region: string, apiConfig: string | null): Json {
  return {
    api_config: apiConfig,
    default_hostname: `${id}-8k2j4h1q.uc.gateway.dev`,
    display_name: null,
    gateway_id: id,
    labels: null,
    project: 'acme-edge',
    region,
    timeouts: null,
  };
}

export function plannedApiConfig(api: string, id: string, openapi: string): Json {
  return {
    api,
    api_config_id: id,
    api_config_id_prefix: null,
    display_name: null,
    gateway_config: [],
    grpc_services: [],
    labels: null,
    managed_service_configs: [],
    openapi_documents: [
      { document: [{ contents: Buffer.from(openapi, 'utf8').toString('base64'), path: 'openapi.yaml' }] },
    ],
    project: 'acme-edge',
    timeouts: null,
  };
}

export const OPENAPI_WITH_KEY = `swagger: "2.0"
info: { title: orders, version: "1.0.0" }
security:
  - api_key: []
securityDefinitions:
  api_key: { type: apiKey, name: x-api-key, in: header }
paths:
  /orders:
    get:
      operationId: listOrders
      responses: { "200": { description: ok } }
`;

export const OPENAPI_OPEN = `swagger: "2.0"
info: { title: orders, version: "1.0.0" }
paths:
  /orders:
    get:
      operationId: listOrders
      responses: { "200": { description: ok } }
`;
