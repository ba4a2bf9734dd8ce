// The Terraform inputs derived from the code stay derived: sink filter, reader role, Firestore indexes, environment.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderGeneratedFiles } from '../../scripts/gen-terraform.js';
import {
  FIRESTORE_COMPOSITE_INDEXES,
  FIRESTORE_UNINDEXED_FIELDS,
} from '../../src/adapters/firestore/client.js';
import {
  hierarchyPermissions,
  projectLevelPermissions,
} from '../../src/adapters/googleapis/permission-levels.js';
import { REQUIRED_PERMISSIONS } from '../../src/adapters/googleapis/permissions.js';
import { ENVIRONMENT_VARIABLES, readEnvironment } from '../../src/config/environment.js';
import {
  API_GATEWAY_SERVICES,
  COMPUTE_METHOD_FAMILIES,
  matchHandledMethod,
  renderHandledMethodsFile,
} from '../../src/events/handled-methods.js';
import {
  type Block,
  block,
  evaluateInModule,
  hasTerraform,
  loadModule,
  REPO_ROOT,
  ref,
  TERRAFORM_ROOT,
  type TerraformModule,
} from './hcl.js';

/** Needs the terraform binary: when it is absent the name says so, rather than the tests vanishing silently. */
function describeWithTerraform(name: string, body: () => void): void {
  describe.skipIf(!hasTerraform)(`${name}${hasTerraform ? '' : ' (skipped: terraform not installed)'}`, body);
}

const SINK_FILTER_MODULE = join(TERRAFORM_ROOT, 'modules', 'sink-filter');
const ENVIRONMENT_MODULE = join(TERRAFORM_ROOT, 'modules', 'function-environment');

let root: TerraformModule;
let sinkFilter: TerraformModule;
let environmentModule: TerraformModule;
let eventFunction: TerraformModule;

beforeAll(async () => {
  [root, sinkFilter, environmentModule, eventFunction] = await Promise.all([
    loadModule(TERRAFORM_ROOT),
    loadModule(SINK_FILTER_MODULE),
    loadModule(ENVIRONMENT_MODULE),
    loadModule(join(TERRAFORM_ROOT, 'modules', 'event-function')),
  ]);
});

function moduleCall(name: string): Block {
  const call = root.moduleCalls.find((candidate) => candidate.name === name);
  if (!call) throw new Error(`terraform/ has no module "${name}"`);
  return call;
}

function resource(module: TerraformModule, address: string): Block {
  const found = module.resources.find((candidate) => candidate.address === address);
  if (!found) throw new Error(`${module.directory} has no ${address}`);
  return found;
}

describe('generated files', () => {
  const expected = renderGeneratedFiles({
    permissions: REQUIRED_PERMISSIONS,
    projectPermissions: projectLevelPermissions(REQUIRED_PERMISSIONS),
    compositeIndexes: FIRESTORE_COMPOSITE_INDEXES,
    unindexedFields: FIRESTORE_UNINDEXED_FIELDS,
    handledMethodsFile: renderHandledMethodsFile(),
  });

  it.each(Object.keys(expected))('%s is up to date (npm run gen:terraform rewrites it)', async (path) => {
    const committed = await readFile(join(REPO_ROOT, path), 'utf8');
    expect(committed).toBe(expected[path]);
  });

  it('the reader permissions are exactly the permissions the fetchers declare', async () => {
    const file = JSON.parse(
      await readFile(join(TERRAFORM_ROOT, 'generated', 'reader-permissions.json'), 'utf8'),
    ) as { permissions: string[] };
    expect(new Set(file.permissions)).toEqual(new Set(REQUIRED_PERMISSIONS));
    expect(file.permissions).toHaveLength(new Set(file.permissions).size);
  });
});

describe('reader role', () => {
  it('reads its permissions from the generated file', () => {
    expect(root.locals.reader_permissions).toBe(
      ref(`jsondecode(file("\${path.module}/generated/reader-permissions.json")).permissions`),
    );
  });

  it('the organisation role holds every generated permission', () => {
    expect(resource(root, 'google_organization_iam_custom_role.reader').body.permissions).toBe(
      ref(`local.reader_permissions`),
    );
  });

  it('the project role holds the project-level ones: IAM refuses folder and organisation permissions in it', async () => {
    expect(root.locals.reader_project_permissions).toBe(
      ref(`jsondecode(file("\${path.module}/generated/reader-permissions.json")).projectPermissions`),
    );
    expect(resource(root, 'google_project_iam_custom_role.reader').body.permissions).toBe(
      ref(`local.reader_project_permissions`),
    );
    const file = JSON.parse(
      await readFile(join(TERRAFORM_ROOT, 'generated', 'reader-permissions.json'), 'utf8'),
    ) as { permissions: string[]; projectPermissions: string[] };
    const hierarchy = hierarchyPermissions(file.permissions);
    expect(hierarchy).toEqual(
      expect.arrayContaining(['resourcemanager.folders.list', 'resourcemanager.projects.list']),
    );
    expect(file.projectPermissions.filter((permission) => hierarchy.includes(permission))).toEqual([]);
    expect([...file.projectPermissions, ...hierarchy].sort()).toEqual(file.permissions);
    // The project's own read stays: the event path reads a project's parent.
    expect(file.projectPermissions).toContain('resourcemanager.projects.get');
  });

  it('no predefined role grants the estate reads (the custom role is the only reader)', () => {
    const roles = root.resources.flatMap((candidate) =>
      typeof candidate.body.role === 'string' ? [candidate.body.role] : [],
    );
    expect(
      roles.filter((role) => /compute\.|apigateway\.|viewer$/.test(role) && role.startsWith('roles/')),
    ).toEqual(['roles/datastore.viewer']);
  });
});

describe('Firestore indexes', () => {
  it('the module reads the generated indexes file', () => {
    expect(moduleCall('firestore').body.indexes_file).toBe(
      `${ref('path.module')}/generated/firestore-indexes.json`,
    );
  });

  it.each([
    ['events', 'expiresAt'],
    ['outbox', 'sentAt'],
  ])('TTL on %s.%s', async (collection, field) => {
    const firestore = await loadModule(join(TERRAFORM_ROOT, 'modules', 'firestore'));
    const ttl = firestore.locals.ttl_fields as Record<string, { collection: string; field: string }>;
    expect(Object.values(ttl)).toContainEqual({ collection, field });
    expect(block(resource(firestore, 'google_firestore_field.ttl').body, 'ttl_config')).toEqual({});
  });
});

describe('sink filter', () => {
  it('is built from src/events/handled-methods.json, the list the event parser reads', () => {
    expect(sinkFilter.locals.handled).toBe(ref(`jsondecode(file(var.handled_methods_file))`));
    expect(moduleCall('sink_filter').body.handled_methods_file).toBe(
      `${ref('local.repo_root')}/src/events/handled-methods.json`,
    );
    expect(moduleCall('audit_sink').body.filter).toBe(ref(`module.sink_filter.filter`));
  });

  describeWithTerraform('evaluated by terraform console', () => {
    let filter: string;
    beforeAll(() => {
      filter = evaluateInModule(SINK_FILTER_MODULE, 'local.filter', {
        handled_methods_file: join(REPO_ROOT, 'src/events/handled-methods.json'),
      }) as string;
    });

    it('names exactly the handled method families, each under its service', () => {
      expect(methodFamiliesOf(filter, 'compute.googleapis.com')).toEqual(COMPUTE_METHOD_FAMILIES);
      expect(methodFamiliesOf(filter, 'apigateway.googleapis.com')).toEqual(API_GATEWAY_SERVICES);
    });

    it("keeps Admin Activity entries only, a Compute operation's last entry, and every API Gateway entry", () => {
      expect(filter.startsWith('logName:"cloudaudit.googleapis.com%2Factivity"\nAND (')).toBe(true);
      expect(
        filter.endsWith(
          '\nAND (operation.last=true OR NOT operation.id:* OR protoPayload.serviceName="apigateway.googleapis.com")',
        ),
      ).toBe(true);
    });

    // The filter's `:` is a case-insensitive substring match; it must route what the parser handles, and
    // near-misses must stay out (or they would be billed, routed and then ignored).
    it.each([
      ['v1.compute.backendServices.patch', 'compute.googleapis.com'],
      ['beta.compute.regionNetworkEndpointGroups.insert', 'compute.googleapis.com'],
      ['v1.compute.globalNetworkEndpointGroups.attachNetworkEndpoints', 'compute.googleapis.com'],
      ['v1.compute.targetHttpsProxies.setSslCertificates', 'compute.googleapis.com'],
      ['v1.compute.targetHttpProxies.setUrlMap', 'compute.googleapis.com'],
      ['v1.compute.globalForwardingRules.delete', 'compute.googleapis.com'],
      ['v1.compute.securityPolicies.addRule', 'compute.googleapis.com'],
      ['v1.compute.sslPolicies.patch', 'compute.googleapis.com'],
      ['google.cloud.apigateway.v1.ApiGatewayService.UpdateGateway', 'apigateway.googleapis.com'],
      ['google.cloud.apigateway.v1beta.ApiGatewayService.CreateApiConfig', 'apigateway.googleapis.com'],
      ['v1.compute.instances.insert', 'compute.googleapis.com'],
      ['v1.compute.backendBuckets.patch', 'compute.googleapis.com'],
      ['v1.compute.regionSslCertificates.insert', 'compute.googleapis.com'],
      ['google.cloud.apigateway.v2.ApiGatewayService.UpdateGateway', 'apigateway.googleapis.com'],
      ['google.iam.admin.v1.CreateRole', 'iam.googleapis.com'],
    ])('%s is routed exactly when the parser handles it', (methodName, serviceName) => {
      expect(isRoutedBy(filter, serviceName, methodName)).toBe(matchHandledMethod(methodName) !== undefined);
    });

    // Every judged kind is event-driven: the regional load-balancer families are routed and handled, like the
    // global ones (they once reached Gatewarden only at the next sweep).
    it.each([
      'v1.compute.forwardingRules.insert',
      'v1.compute.forwardingRules.setTarget',
      'v1.compute.regionUrlMaps.patch',
      'beta.compute.regionUrlMaps.update',
      'v1.compute.regionTargetHttpProxies.setUrlMap',
      'v1.compute.regionTargetHttpsProxies.patch',
      'v1.compute.regionTargetHttpsProxies.setSslCertificates',
      'v1.compute.regionSslPolicies.patch',
      'v1.compute.regionSecurityPolicies.addRule',
      'v1.compute.regionSecurityPolicies.delete',
    ])('the regional change %s is routed and handled', (methodName) => {
      expect(matchHandledMethod(methodName)).toBeDefined();
      expect(isRoutedBy(filter, 'compute.googleapis.com', methodName)).toBe(true);
    });
  });
});

describe('function environment', () => {
  const accepted = new Set<string>(ENVIRONMENT_VARIABLES);

  it('every variable name written in the Terraform is one the configuration loader accepts', async () => {
    const modules = [root, environmentModule, eventFunction];
    const names = modules.flatMap((module) => [
      ...module.text.matchAll(/\b(GOOGLE_CLOUD_PROJECT|GATEWARDEN_[A-Z0-9_]+)\b/g),
    ]);
    expect(names.length).toBeGreaterThan(5);
    expect(names.map((match) => match[1]).filter((name) => !accepted.has(name ?? ''))).toEqual([]);
  });

  it('every function gets its environment from the function-environment module', () => {
    for (const name of ['on_audit_log', 'on_sweep']) {
      expect(moduleCall(name).body.environment_variables).toBe(
        ref(`module.function_environment.event_function`),
      );
    }
    const report = resource(root, 'google_cloudfunctions2_function.report');
    const serviceConfig = block(report.body, 'service_config');
    expect(serviceConfig?.environment_variables).toBe(ref(`module.function_environment.report_function`));
    expect(serviceConfig?.secret_environment_variables).toBeUndefined();
  });

  it('the HMAC key is the one secret environment variable, and an accepted name', () => {
    const keys = [...String(root.locals.secret_environment).matchAll(/\{\s*([A-Z_]+)\s*=/g)].map((m) => m[1]);
    expect(keys).toEqual(['GATEWARDEN_WEBHOOK_HMAC_SECRET']);
    expect(accepted.has('GATEWARDEN_WEBHOOK_HMAC_SECRET')).toBe(true);
  });

  describeWithTerraform('evaluated by terraform console and read by the real loader', () => {
    const everyOption = {
      project_id: 'acme-sec',
      firestore_database: 'gatewarden',
      alert_topic_id: 'projects/acme-sec/topics/gatewarden-alerts',
      webhook_secret_ids: {
        slack: 'projects/acme-sec/secrets/gatewarden-slack-webhook',
        'google-chat': 'projects/acme-sec/secrets/gatewarden-chat-webhook',
      },
      min_alert_severity: 'HIGH',
      digest_window_ms: 5000,
      max_event_age: '12h',
      api_rate_limit: 15,
      max_delivery_attempts: 8,
      policy: 'rules:\n  neg.gateway-exists:\n    enabled: true\n',
      sweep_projects: ['acme-edge', 'acme-payments'],
      scope: 'organizations/301122334455',
      scc_source: 'organizations/301122334455/sources/8800112233',
      report_url: 'https://gatewarden-report-abc123-uc.a.run.app',
    };

    it.each([
      ['every option set', everyOption, 'event_function'],
      ['only the project', { project_id: 'acme-sec' }, 'event_function'],
      ['the report function', everyOption, 'report_function'],
    ])('%s: names accepted and values valid', (_case, variables, output) => {
      const environment = evaluateInModule(
        ENVIRONMENT_MODULE,
        `local.${output === 'event_function' ? 'event' : 'common'}`,
        variables,
      ) as Record<string, string>;
      expect(Object.keys(environment).filter((name) => !accepted.has(name))).toEqual([]);
      // The HMAC key arrives as a secret environment variable; the loader checks it with the rest.
      const hmac = output === 'event_function' ? { GATEWARDEN_WEBHOOK_HMAC_SECRET: 'k'.repeat(48) } : {};
      expect(() => readEnvironment({ ...environment, ...hmac })).not.toThrow();
    });

    it('every option set reaches every accepted setting except emulators, the API endpoint and plain URLs', () => {
      const environment = evaluateInModule(ENVIRONMENT_MODULE, 'local.event', everyOption) as Record<
        string,
        string
      >;
      const notFromTerraform = new Set([
        'FIRESTORE_EMULATOR_HOST',
        'PUBSUB_EMULATOR_HOST',
        'GATEWARDEN_API_ENDPOINT',
        // Webhook URLs come from Secret Manager (the *_SECRET variables), never as plain values.
        'GATEWARDEN_SLACK_WEBHOOK_URL',
        'GATEWARDEN_CHAT_WEBHOOK_URL',
        // A secret environment variable (service_config.secret_environment_variables).
        'GATEWARDEN_WEBHOOK_HMAC_SECRET',
      ]);
      expect(Object.keys(environment).sort()).toEqual(
        ENVIRONMENT_VARIABLES.filter((name) => !notFromTerraform.has(name)).sort(),
      );
      const loaded = readEnvironment(environment);
      expect(loaded.slackWebhook).toEqual({
        from: 'secret',
        secretVersion: 'projects/acme-sec/secrets/gatewarden-slack-webhook/versions/latest',
      });
      expect(loaded.sweepProjects).toEqual(['acme-edge', 'acme-payments']);
      expect(loaded.policy?.from).toBe('inline');
    });

    // The functions read these on their first invocation, after a clean deploy: a value only the loader refused
    // would fail every event until its deliveries ran out. Terraform must refuse exactly what the loader refuses.
    it.each([
      ['max_event_age', '24h'],
      ['max_event_age', '1.5h'],
      ['max_event_age', ' 90 m '],
      ['max_event_age', '500ms'],
      ['max_event_age', '0.5ms'],
      ['max_event_age', '7d'],
      ['max_event_age', 'off'],
      ['max_event_age', 'OFF'],
      ['max_event_age', '1 day'],
      ['max_event_age', '24'],
      ['max_event_age', '24H'],
      ['max_event_age', '0h'],
      ['max_event_age', '0.4ms'],
      ['max_event_age', '-1h'],
      ['api_rate_limit', 20],
      ['api_rate_limit', 0.5],
      ['api_rate_limit', 100_000],
      ['api_rate_limit', 0],
      ['api_rate_limit', -5],
      ['api_rate_limit', 100_001],
    ])('%s = %j: Terraform refuses it at plan exactly when the loader would', (variable, value) => {
      const loaderAccepts = (() => {
        const name = variable === 'max_event_age' ? 'GATEWARDEN_MAX_EVENT_AGE' : 'GATEWARDEN_API_RATE_LIMIT';
        try {
          readEnvironment({ GOOGLE_CLOUD_PROJECT: 'acme-sec', [name]: String(value) });
          return true;
        } catch {
          return false;
        }
      })();
      let terraformAccepts: boolean;
      try {
        const environment = evaluateInModule(ENVIRONMENT_MODULE, 'local.event', {
          project_id: 'acme-sec',
          [variable]: value,
        }) as Record<string, string>;
        terraformAccepts = true;
        expect(() => readEnvironment(environment)).not.toThrow();
      } catch (error) {
        if (!/Invalid value for variable/.test(String(error))) throw error;
        terraformAccepts = false;
      }
      expect(terraformAccepts).toBe(loaderAccepts);
    });
  });
});

/** The method families a service's clause of the filter names, in order. */
function methodFamiliesOf(filter: string, serviceName: string): string[] {
  const clause = serviceClause(filter, serviceName);
  return [...clause.matchAll(/protoPayload\.methodName:"([^"]+)\."/g)].map((match) => match[1] ?? '');
}

function serviceClause(filter: string, serviceName: string): string {
  const line = filter
    .split('\n')
    .find((candidate) => candidate.includes(`protoPayload.serviceName="${serviceName}"`));
  return line ?? '';
}

/** How Cloud Logging's `:` operator treats the entry: a case-insensitive substring match of any clause. */
function isRoutedBy(filter: string, serviceName: string, methodName: string): boolean {
  const clause = serviceClause(filter, serviceName);
  const needles = [...clause.matchAll(/protoPayload\.methodName:"([^"]+)"/g)].map((match) =>
    (match[1] ?? '').toLowerCase(),
  );
  return needles.some((needle) => methodName.toLowerCase().includes(needle));
}
