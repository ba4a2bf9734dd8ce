// What a first `terraform apply` on a fresh host project needs: every API enabled before it is used, IAM waiting for
// the IAM API, a build account of its own, no secret value in state, and a sweep scope that covers each mode.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT_KEYS } from '../../src/doctor/deployment.js';
import { hostProjectServicesOfFetchers, watchedProjectServices } from '../../src/doctor/services.js';
import {
  type Block,
  block,
  evaluateInModule,
  hasTerraform,
  loadAllModules,
  loadModule,
  ref,
  TERRAFORM_ROOT,
  type TerraformModule,
  walkBlocks,
} from './hcl.js';

/** Needs the terraform binary: when it is absent the name says so, rather than the tests vanishing silently. */
function describeWithTerraform(name: string, body: () => void): void {
  describe.skipIf(!hasTerraform)(`${name}${hasTerraform ? '' : ' (skipped: terraform not installed)'}`, body);
}

const APIS = 'google_project_service.required';

/**
 * The services each resource type calls when Terraform creates it (and, for functions, what the platform then
 * uses). A type missing here fails the test below, so a new resource type makes someone decide its APIs.
 */
const SERVICES_OF_TYPE: Readonly<Record<string, readonly string[]>> = {
  google_project_service: ['serviceusage.googleapis.com'],
  'data.google_project': ['cloudresourcemanager.googleapis.com'],
  google_project_iam_member: ['cloudresourcemanager.googleapis.com'],
  google_folder_iam_member: ['cloudresourcemanager.googleapis.com'],
  google_organization_iam_member: ['cloudresourcemanager.googleapis.com'],
  google_project_iam_custom_role: ['iam.googleapis.com'],
  google_organization_iam_custom_role: ['iam.googleapis.com'],
  google_service_account: ['iam.googleapis.com'],
  google_service_account_iam_member: ['iam.googleapis.com'],
  google_storage_bucket: ['storage.googleapis.com'],
  google_storage_bucket_object: ['storage.googleapis.com'],
  // A 2nd gen function is built by Cloud Build into an Artifact Registry image and runs as a Cloud Run service.
  google_cloudfunctions2_function: [
    'cloudfunctions.googleapis.com',
    'cloudbuild.googleapis.com',
    'artifactregistry.googleapis.com',
    'run.googleapis.com',
  ],
  google_cloud_run_service_iam_member: ['run.googleapis.com'],
  google_pubsub_topic: ['pubsub.googleapis.com'],
  google_pubsub_topic_iam_member: ['pubsub.googleapis.com'],
  google_pubsub_subscription: ['pubsub.googleapis.com'],
  google_pubsub_subscription_iam_member: ['pubsub.googleapis.com'],
  google_firestore_database: ['firestore.googleapis.com'],
  google_firestore_field: ['firestore.googleapis.com'],
  google_firestore_index: ['firestore.googleapis.com'],
  google_secret_manager_secret: ['secretmanager.googleapis.com'],
  google_secret_manager_secret_version: ['secretmanager.googleapis.com'],
  google_secret_manager_secret_iam_member: ['secretmanager.googleapis.com'],
  google_cloud_scheduler_job: ['cloudscheduler.googleapis.com'],
  google_logging_project_sink: ['logging.googleapis.com'],
  google_logging_folder_sink: ['logging.googleapis.com'],
  google_logging_organization_sink: ['logging.googleapis.com'],
  // Only with scc_enabled: their API is in local.scc_apis, enabled with the rest when the variable is on.
  google_scc_v2_organization_source: ['securitycenter.googleapis.com'],
  google_scc_v2_organization_source_iam_member: ['securitycenter.googleapis.com'],
  // Provider-local: no Google API.
  'data.archive_file': [],
  time_sleep: [],
  'ephemeral.random_password': [],
};

/** A function with an Eventarc trigger would need Eventarc; Gatewarden owns its push subscriptions instead. */
const EVENTARC = 'eventarc.googleapis.com';

/** Resource types that create identities, roles or grants. */
const IAM_TYPE =
  /^google_(service_account|[a-z_]+_iam_(member|binding|policy|custom_role))$|_iam_custom_role$/;

/** Types whose state holds a secret value whatever their arguments. */
const SECRET_BEARING_TYPES = new Set([
  'random_password',
  'random_string',
  'tls_private_key',
  'google_service_account_key',
  'google_sql_user',
  'google_apikeys_key',
]);

/** Arguments that carry a secret into state (their write-only `_wo` forms do not). */
const SECRET_ARGUMENTS = new Set([
  'secret_data',
  'password',
  'private_key',
  'client_secret',
  'api_key',
  'key_data',
]);

let modules: TerraformModule[];
let root: TerraformModule;

beforeAll(async () => {
  modules = await loadAllModules();
  root = modules[0] as TerraformModule;
});

function typeOf(block: Block): string {
  return block.address.startsWith('data.') || block.address.startsWith('ephemeral.')
    ? block.address.split('.').slice(0, 2).join('.')
    : block.type;
}

function everyBlock(): { module: TerraformModule; block: Block }[] {
  return modules.flatMap((module) =>
    [...module.resources, ...module.data, ...module.ephemeral].map((found) => ({ module, block: found })),
  );
}

/** Types created only with scc_enabled, whose APIs are enabled only then (local.scc_apis). */
const SCC_TYPES: ReadonlySet<string> = new Set([
  'google_scc_v2_organization_source',
  'google_scc_v2_organization_source_iam_member',
]);

function sccApis(): string[] {
  const list = root.locals.scc_apis;
  if (!Array.isArray(list)) throw new Error('terraform/main.tf has no local.scc_apis list');
  return list as string[];
}

function requiredApis(): string[] {
  const list = root.locals.required_apis;
  if (!Array.isArray(list)) throw new Error('terraform/main.tf has no local.required_apis list');
  return list as string[];
}

function dependsOn(body: Record<string, unknown> | undefined): string[] {
  const value = body?.depends_on;
  return Array.isArray(value) ? value.map((item) => String(item).replace(/^\$\{(.*)\}$/, '$1')) : [];
}

function rootResource(address: string): Block {
  const found = [...root.resources, ...root.data, ...root.ephemeral].find(
    (candidate) => candidate.address === address,
  );
  if (!found) throw new Error(`terraform/ has no ${address}`);
  return found;
}

describe('APIs', () => {
  it('every resource type used has its services declared in this test', () => {
    const unknown = [...new Set(everyBlock().map(({ block: found }) => typeOf(found)))].filter(
      (type) => !(type in SERVICES_OF_TYPE),
    );
    expect(unknown).toEqual([]);
  });

  it('the enabled list is exactly what the resources and the functions call in project_id', () => {
    const fromResources = everyBlock()
      .filter(({ block: found }) => !SCC_TYPES.has(typeOf(found)))
      .flatMap(({ block: found }) => SERVICES_OF_TYPE[typeOf(found)] ?? []);
    const fromTriggers = everyBlock().some(({ block: found }) =>
      [...walkBlocks(found.body)].some(({ path }) => path === 'event_trigger'),
    )
      ? [EVENTARC]
      : [];
    const expected = [
      ...new Set([...fromResources, ...fromTriggers, ...hostProjectServicesOfFetchers()]),
    ].sort();
    expect([...requiredApis()].sort()).toEqual(expected);
  });

  it('the Security Command Center API is enabled only with scc_enabled, and is what the SCC resources need', () => {
    const fromScc = everyBlock()
      .filter(({ block: found }) => SCC_TYPES.has(typeOf(found)))
      .flatMap(({ block: found }) => SERVICES_OF_TYPE[typeOf(found)] ?? []);
    expect(sccApis()).toEqual([...new Set(fromScc)].sort());
    // The functions write findings through it too; it is enabled whenever the source exists, never otherwise.
    expect(requiredApis()).not.toContain('securitycenter.googleapis.com');
    for (const { block: found } of everyBlock().filter(({ block: candidate }) =>
      SCC_TYPES.has(typeOf(candidate)),
    )) {
      expect(String(found.body.count ?? found.body.for_each)).toContain('var.scc_enabled');
    }
  });

  it('includes the two a fresh project lacks: Cloud Resource Manager and Service Usage', () => {
    expect(requiredApis()).toEqual(
      expect.arrayContaining(['cloudresourcemanager.googleapis.com', 'serviceusage.googleapis.com']),
    );
  });

  it('does not enable Eventarc (no function has an event_trigger)', () => {
    expect(requiredApis()).not.toContain(EVENTARC);
  });

  it('the services the fetchers call in watched projects are Compute Engine and API Gateway, which doctor checks', () => {
    expect(watchedProjectServices()).toEqual(['apigateway.googleapis.com', 'compute.googleapis.com']);
    // Not enabled by Terraform: enabling Compute Engine in a project creates its default network and account.
    expect(requiredApis().filter((api) => watchedProjectServices().includes(api))).toEqual([]);
  });

  it('enables them in project_id, left enabled on destroy, and only when enable_apis says so', () => {
    const services = rootResource(APIS).body;
    expect(services.for_each).toBe(
      ref(
        'var.enable_apis ? toset(concat(local.required_apis, var.scc_enabled ? local.scc_apis : [])) : toset([])',
      ),
    );
    expect(services.project).toBe(ref('var.project_id'));
    expect(services.disable_on_destroy).toBe(false);
  });

  it('data.google_project.host is read only after the APIs are enabled', () => {
    expect(dependsOn(rootResource('data.google_project.host').body)).toContain(APIS);
  });

  it('every resource that calls a Google API waits for the APIs, itself or through what it references', () => {
    const providerFree = new Set(['data.archive_file', 'time_sleep', 'ephemeral.random_password']);
    const own = [...root.resources, ...root.data, ...root.ephemeral];
    // Waiting is transitive: a secret version waits through the secret it names, a bucket object through its bucket.
    const waiting = new Set(
      own.filter((found) => dependsOn(found.body).includes(APIS)).map((found) => found.address),
    );
    for (let grew = true; grew; ) {
      grew = false;
      for (const found of own) {
        if (waiting.has(found.address)) continue;
        const text = JSON.stringify(found.body);
        if ([...waiting].some((address) => text.includes(`${address}.`) || text.includes(`${address}[`))) {
          waiting.add(found.address);
          grew = true;
        }
      }
    }
    const notWaiting = own
      .filter((found) => !providerFree.has(typeOf(found)) && typeOf(found) !== 'google_project_service')
      .filter((found) => !waiting.has(found.address))
      .map((found) => found.address);
    // Modules that create resources must wait in every call.
    const modulesWithResources = new Set(
      modules
        .filter((module) => module !== root && module.resources.length > 0)
        .map((module) => module.directory),
    );
    const callsNotWaiting = root.moduleCalls
      .filter((call) =>
        modulesWithResources.has(`terraform/${String(call.body.source).replace(/^\.\//, '')}`),
      )
      .filter((call) => !dependsOn(call.body).includes(APIS))
      .map((call) => call.address);
    expect([...notWaiting, ...callsNotWaiting]).toEqual([]);
  });

  it('every IAM resource (service accounts, custom roles, grants) depends on the APIs itself, or through its module call', () => {
    const iam = modules.flatMap((module) =>
      module.resources.filter((found) => IAM_TYPE.test(found.type)).map((found) => ({ module, found })),
    );
    expect(iam.length).toBeGreaterThan(15);
    const problems: string[] = [];
    for (const { module, found } of iam) {
      if (module === root) {
        if (!dependsOn(found.body).includes(APIS)) problems.push(found.address);
        continue;
      }
      const calls = root.moduleCalls.filter(
        (call) => `terraform/${String(call.body.source).replace(/^\.\//, '')}` === module.directory,
      );
      for (const call of calls) {
        if (!dependsOn(call.body).includes(APIS)) problems.push(`${call.address} -> ${found.address}`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('Firestore', () => {
  it('the functions get the database through an output that waits for its TTL fields and indexes', async () => {
    const firestore = await loadModule(join(TERRAFORM_ROOT, 'modules', 'firestore'));
    expect(dependsOn(firestore.outputs.get('database')).sort()).toEqual([
      'google_firestore_field.ttl',
      'google_firestore_field.unindexed',
      'google_firestore_index.composite',
    ]);
    const functions = [...root.moduleCalls, ...root.resources].filter((found) =>
      JSON.stringify(found.body).includes('module.firestore.database'),
    );
    expect(functions.length).toBeGreaterThan(0);
  });
});

describe('build service account', () => {
  it('a dedicated account holds roles/cloudbuild.builds.builder on project_id', () => {
    const account = rootResource('google_service_account.build');
    expect(account.body.account_id).toBe(`${ref('var.name_prefix')}-build`);
    const grant = rootResource('google_project_iam_member.build_builder');
    expect(grant.body.role).toBe('roles/cloudbuild.builds.builder');
    expect(grant.body.project).toBe(ref('var.project_id'));
    expect(grant.body.member).toBe(`serviceAccount:${ref('google_service_account.build.email')}`);
  });

  it('every function builds as it (build_config.service_account)', () => {
    const report = block(rootResource('google_cloudfunctions2_function.report').body, 'build_config');
    expect(report?.service_account).toBe(ref('google_service_account.build.id'));
    const eventFunction = modules.find((module) => module.directory === 'terraform/modules/event-function');
    const built = eventFunction?.resources.find((found) => found.type === 'google_cloudfunctions2_function');
    expect(block(built?.body, 'build_config')?.service_account).toBe(ref('var.build_service_account'));
    const eventCalls = root.moduleCalls.filter((call) => call.body.source === './modules/event-function');
    expect(eventCalls.length).toBe(2);
    for (const call of eventCalls) {
      expect(call.body.build_service_account, call.address).toBe(ref('google_service_account.build.id'));
    }
  });

  it('every function waits for the builder and secret accessor grants to propagate', () => {
    const sleep = rootResource('time_sleep.build_permissions');
    expect(sleep.body.create_duration).toBe('60s');
    expect(JSON.stringify(sleep.body)).toContain('google_project_iam_member.build_builder');
    // A deploy mounting a secret is refused until the runtime account's accessor grant has taken effect.
    expect(dependsOn(sleep.body)).toEqual(
      expect.arrayContaining([
        'google_secret_manager_secret_iam_member.webhook_accessor',
        'google_secret_manager_secret_iam_member.webhook_hmac_accessor',
      ]),
    );
    expect(dependsOn(rootResource('google_cloudfunctions2_function.report').body)).toContain(
      'time_sleep.build_permissions',
    );
    for (const call of root.moduleCalls.filter((found) => found.body.source === './modules/event-function')) {
      expect(dependsOn(call.body), call.address).toContain('time_sleep.build_permissions');
    }
  });
});

describe('no secret value in state', () => {
  it('no resource of a type that keeps a secret in state', () => {
    const found = modules.flatMap((module) =>
      module.resources
        .filter((resource) => SECRET_BEARING_TYPES.has(resource.type))
        .map((resource) => `${module.directory}:${resource.address}`),
    );
    expect(found).toEqual([]);
  });

  it('no argument that carries a secret into state, at any depth', () => {
    const found: string[] = [];
    for (const { module, block: resource } of everyBlock()) {
      if (resource.address.startsWith('ephemeral.')) continue;
      for (const { path, body } of walkBlocks(resource.body)) {
        for (const key of Object.keys(body)) {
          if (SECRET_ARGUMENTS.has(key)) {
            found.push(`${module.directory}:${resource.address}${path ? `.${path}` : ''}.${key}`);
          }
        }
      }
    }
    expect(found).toEqual([]);
  });

  it('every write-only argument takes an ephemeral value and has its version beside it', () => {
    const writeOnly: string[] = [];
    for (const { module, block: resource } of everyBlock()) {
      for (const { body } of walkBlocks(resource.body)) {
        for (const [key, value] of Object.entries(body)) {
          if (!key.endsWith('_wo')) continue;
          writeOnly.push(`${resource.address}.${key}`);
          expect(String(value), `${module.directory}:${resource.address}.${key}`).toMatch(/^\$\{ephemeral\./);
          expect(body, `${resource.address}.${key}_version`).toHaveProperty(`${key}_version`);
        }
      }
    }
    expect(writeOnly).toEqual(['google_secret_manager_secret_version.webhook_hmac.secret_data_wo']);
  });

  it('the signing key is drawn by an ephemeral random_password and written through secret_data_wo', () => {
    const key = rootResource('ephemeral.random_password.webhook_hmac');
    expect(key.body.length).toBeGreaterThanOrEqual(32);
    const version = rootResource('google_secret_manager_secret_version.webhook_hmac');
    expect(version.body.secret_data_wo).toBe(ref('ephemeral.random_password.webhook_hmac[0].result'));
    expect(version.body.secret_data_wo_version).toBe(ref('var.webhook_signing_key_version'));
  });

  it('the webhook URL secrets get no version from Terraform (the operator adds it)', () => {
    const versions = root.resources.filter((found) => found.type === 'google_secret_manager_secret_version');
    expect(versions.map((found) => found.address)).toEqual([
      'google_secret_manager_secret_version.webhook_hmac',
    ]);
  });

  it('no output or variable is sensitive (nothing secret passes through them)', () => {
    const sensitive = modules.flatMap((module) => [
      ...[...module.outputs].filter(([, body]) => body.sensitive === true).map(([name]) => `output.${name}`),
      ...[...module.variables].filter(([, body]) => body.sensitive === true).map(([name]) => `var.${name}`),
    ]);
    expect(sensitive).toEqual([]);
  });

  it('requires Terraform 1.11 (write-only arguments), google 7.x and random 3.7.1 (ephemeral random_password)', () => {
    expect(root.settings.required_version).toBe('>= 1.11');
    const providers = (
      root.settings.required_providers as Record<string, { source: string; version: string }>[]
    )[0];
    expect(providers?.google?.version).toBe('>= 7.0, < 8');
    expect(providers?.random?.version).toBe('>= 3.7.1');
    expect(providers?.time?.source).toBe('hashicorp/time');
  });
});

describe('sweep scope', () => {
  it('the scheduler sends the message the sweep-scope module builds, and the functions its projects', () => {
    const scheduler = rootResource('google_cloud_scheduler_job.sweep');
    expect(block(scheduler.body, 'pubsub_target')?.data).toBe(
      ref('base64encode(module.sweep_scope.scheduler_message)'),
    );
    const environment = root.moduleCalls.find((call) => call.name === 'function_environment');
    expect(environment?.body.sweep_projects).toBe(ref('module.sweep_scope.sweep_projects'));
    const sink = root.moduleCalls.find((call) => call.name === 'audit_sink');
    expect(sink?.body.watched_projects).toBe(ref('module.sweep_scope.sink_projects'));
  });

  it('the per-project reader grants follow reader_projects, with the organisation role outside project mode', () => {
    expect(String(root.locals.reader_bindings)).toContain('module.sweep_scope.reader_projects');
    const grant = rootResource('google_project_iam_member.reader');
    expect(String(grant.body.role)).toContain('google_organization_iam_custom_role.reader[0].id');
  });

  describeWithTerraform('evaluated by terraform console', () => {
    const SWEEP_SCOPE = join(TERRAFORM_ROOT, 'modules', 'sweep-scope');
    const scopeOf = (variables: Record<string, unknown>) =>
      evaluateInModule(
        SWEEP_SCOPE,
        '{ sweep = local.sweep_projects, message = local.scheduler_message, sinks = local.sink_projects, readers = local.reader_projects }',
        variables,
      ) as { sweep: string[]; message: string; sinks: string[]; readers: string[] };

    it.each([
      [
        'project mode, nothing named: project_id',
        { mode: 'project', project_id: 'acme-sec' },
        { sweep: ['acme-sec'], message: '{}', sinks: ['acme-sec'], readers: ['acme-sec'] },
      ],
      [
        'project mode, named projects (duplicates once)',
        { mode: 'project', project_id: 'acme-sec', watched_projects: ['acme-edge', 'acme-pay', 'acme-edge'] },
        {
          sweep: ['acme-edge', 'acme-pay'],
          message: '{}',
          sinks: ['acme-edge', 'acme-pay'],
          readers: ['acme-edge', 'acme-pay'],
        },
      ],
      [
        'folder mode, nothing named: the whole folder, not project_id',
        {
          mode: 'folder',
          project_id: 'acme-sec',
          folder_id: '345678901234',
          organization_id: '123456789012',
        },
        { sweep: [], message: '{"folder":"folders/345678901234"}', sinks: [], readers: [] },
      ],
      [
        'folder mode, named projects: those, each with the reader role (one may be outside the folder)',
        {
          mode: 'folder',
          project_id: 'acme-sec',
          folder_id: '345678901234',
          organization_id: '123456789012',
          watched_projects: ['acme-edge', 'acme-sec'],
        },
        { sweep: ['acme-edge', 'acme-sec'], message: '{}', sinks: [], readers: ['acme-edge', 'acme-sec'] },
      ],
      [
        'organization mode, nothing named: the whole organisation',
        { mode: 'organization', project_id: 'acme-sec', organization_id: '123456789012' },
        { sweep: [], message: '{"organization":"organizations/123456789012"}', sinks: [], readers: [] },
      ],
      [
        'organization mode, named projects: those, covered by the organisation grant',
        {
          mode: 'organization',
          project_id: 'acme-sec',
          organization_id: '123456789012',
          watched_projects: ['acme-edge'],
        },
        { sweep: ['acme-edge'], message: '{}', sinks: [], readers: [] },
      ],
    ])('%s', (_case, variables, expected) => {
      expect(scopeOf(variables)).toEqual(expected);
    });

    it.each([
      ['{"folder":"folders/345678901234"}', { kind: 'folder', parent: 'folders/345678901234' }],
      ['{"organization":"organizations/1"}', { kind: 'organization', parent: 'organizations/1' }],
      ['{}', { kind: 'configured' }],
    ])('onSweep reads the scheduler message %s as the scope meant', async (message, scope) => {
      const { parseSweepScope } = await import('../../src/app/sweep-scope.js');
      expect(parseSweepScope(message)).toEqual(scope);
    });
  });
});

describe('doctor', () => {
  it('the deployment output has exactly the keys `gatewarden doctor --deployment` reads', () => {
    const output = root.outputs.get('deployment');
    expect(Object.keys((output?.value ?? {}) as object).sort()).toEqual([...DEPLOYMENT_KEYS]);
  });

  it('the sink names and subscriptions it lists come from the modules that create them', () => {
    const value = root.outputs.get('deployment')?.value as Record<string, unknown>;
    expect(value.sinks).toBe(ref('module.audit_sink.sink_names'));
    expect(value.push_subscriptions).toEqual([
      ref('module.on_audit_log.subscription_id'),
      ref('module.on_sweep.subscription_id'),
    ]);
  });
});
