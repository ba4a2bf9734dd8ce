// The Terraform deployment's safety properties, checked on the parsed HCL: declared inputs, no public access,
// retries and dead-lettering on every event path, the runtime, and entry points that exist in functions/.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { getFunction } from '@google-cloud/functions-framework/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import '../../functions/index.js';
import {
  block,
  hasTerraform,
  listUnformattedFiles,
  loadAllModules,
  REPO_ROOT,
  ref,
  TERRAFORM_ROOT,
  type TerraformModule,
  walkBlocks,
} from './hcl.js';

/** Needs the terraform binary: when it is absent the name says so, rather than the tests vanishing silently. */
function describeWithTerraform(name: string, body: () => void): void {
  describe.skipIf(!hasTerraform)(`${name}${hasTerraform ? '' : ' (skipped: terraform not installed)'}`, body);
}

const PUBLIC_MEMBERS = /\b(allUsers|allAuthenticatedUsers)\b/i;

let modules: TerraformModule[];
let root: TerraformModule;
let eventFunction: TerraformModule;
let registrations: string;

beforeAll(async () => {
  modules = await loadAllModules();
  root = modules[0] as TerraformModule;
  eventFunction = moduleAt('terraform/modules/event-function');
  registrations = await readFile(join(REPO_ROOT, 'functions', 'index.ts'), 'utf8');
});

function moduleAt(directory: string): TerraformModule {
  const found = modules.find((module) => module.directory === directory);
  if (!found) throw new Error(`no Terraform module at ${directory}`);
  return found;
}

/** Every `google_cloudfunctions2_function` and where it is declared. */
function allFunctions() {
  return modules.flatMap((module) =>
    module.resources
      .filter((resource) => resource.type === 'google_cloudfunctions2_function')
      .map((resource) => ({ module, resource })),
  );
}

/** Entry points as deployed: literals on functions, and the entry_point given to each event-function call. */
function deployedEntryPoints(): { entryPoint: string; kind: 'event' | 'http' }[] {
  const direct = root.resources
    .filter((resource) => resource.type === 'google_cloudfunctions2_function')
    .map((resource) => ({
      entryPoint: String(block(resource.body, 'build_config')?.entry_point),
      kind: 'http' as const,
    }));
  const viaModule = root.moduleCalls
    .filter((call) => call.body.source === './modules/event-function')
    .map((call) => ({ entryPoint: String(call.body.entry_point), kind: 'event' as const }));
  return [...direct, ...viaModule];
}

describe('variables', () => {
  it('every module declares every variable it uses, with a description', () => {
    const problems: string[] = [];
    for (const module of modules) {
      const used = new Set(
        [...module.text.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)].map((match) => match[1] ?? ''),
      );
      for (const name of used) {
        if (!module.variables.has(name)) problems.push(`${module.directory}: var.${name} is not declared`);
      }
      for (const [name, body] of module.variables) {
        const description = body.description;
        if (typeof description !== 'string' || description.trim().length < 10) {
          problems.push(`${module.directory}: variable ${name} has no description`);
        }
        if (!used.has(name)) problems.push(`${module.directory}: variable ${name} is never used`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every module call passes only variables the module declares, and every one without a default', () => {
    const problems: string[] = [];
    for (const call of root.moduleCalls) {
      const target = moduleAt(`terraform/${String(call.body.source).replace(/^\.\//, '')}`);
      const passed = new Set(Object.keys(call.body).filter((key) => !['source', 'depends_on'].includes(key)));
      for (const name of passed) {
        if (!target.variables.has(name)) problems.push(`${call.address} passes undeclared ${name}`);
      }
      for (const [name, body] of target.variables) {
        if (!('default' in body) && !passed.has(name)) problems.push(`${call.address} misses ${name}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every output is described', () => {
    const undescribed = modules.flatMap((module) =>
      [...module.outputs].filter(([, body]) => typeof body.description !== 'string').map(([name]) => name),
    );
    expect(undescribed).toEqual([]);
  });

  it('the example tfvars sets only declared variables, in its commented-out suggestions too', async () => {
    const example = await readFile(join(TERRAFORM_ROOT, 'terraform.tfvars.example'), 'utf8');
    const names = [...example.matchAll(/^(?:#\s*)?([a-z_]+)\s*=/gm)].map((match) => match[1] ?? '');
    expect(names).toEqual(
      expect.arrayContaining(['routed_webhook_channels', 'routed_topics', 'scc_enabled']),
    );
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((name) => !root.variables.has(name))).toEqual([]);
  });
});

describe('access', () => {
  it('no IAM member anywhere is allUsers or allAuthenticatedUsers', () => {
    const grants = modules.flatMap((module) =>
      module.resources
        .filter((resource) => /_iam_(member|binding|policy)$/.test(resource.type))
        .map((resource) => ({ address: `${module.directory}:${resource.address}`, body: resource.body })),
    );
    expect(grants.length).toBeGreaterThan(10);
    const publicGrants = grants.filter(({ body }) => PUBLIC_MEMBERS.test(JSON.stringify(body)));
    expect(publicGrants.map(({ address }) => address)).toEqual([]);
  });

  it('grants are additive members, never authoritative bindings or policies that would wipe others', () => {
    const authoritative = modules.flatMap((module) =>
      module.resources
        .filter((resource) => /_iam_(binding|policy)$/.test(resource.type))
        .map((resource) => resource.address),
    );
    expect(authoritative).toEqual([]);
  });

  it('the only member taken from input is report_invokers, which refuses the public principals', () => {
    const fromInput = root.resources.filter((resource) => String(resource.body.member).includes('var.'));
    expect(fromInput.map((resource) => resource.address)).toEqual([]);
    const invoker = root.resources.find(
      (resource) => resource.address === 'google_cloud_run_service_iam_member.report_invoker',
    );
    expect(invoker?.body.for_each).toBe(ref('toset(var.report_invokers)'));
    const validation = block(root.variables.get('report_invokers'), 'validation');
    expect(String(validation?.condition)).toContain('"allusers", "allauthenticatedusers"');
  });

  it.each([
    ['google_cloud_run_service_iam_member.push_invoker', 'roles/run.invoker'],
    ['google_pubsub_subscription_iam_member.dead_letter_subscriber', 'roles/pubsub.subscriber'],
  ])('event-function grants %s (%s) on its own function or subscription only', (address, role) => {
    const grant = eventFunction.resources.find((resource) => resource.address === address);
    expect(grant?.body.role).toBe(role);
    expect(JSON.stringify(grant?.body)).toMatch(
      /google_(cloudfunctions2_function\.this|pubsub_subscription\.push)/,
    );
  });

  it('Security Command Center is off by default; when on, the event functions may write findings of the Gatewarden source only', () => {
    expect(root.variables.get('scc_enabled')?.default).toBe(false);
    const source = root.resources.find(
      (resource) => resource.address === 'google_scc_v2_organization_source.gatewarden',
    );
    expect(source?.body).toMatchObject({
      count: ref('var.scc_enabled ? 1 : 0'),
      organization: ref('var.organization_id'),
      display_name: 'Gatewarden',
    });
    // On the source, not the organization: findingsEditor there covers create, update, setState and setMute of
    // this source's findings (the SCC sink's calls) and nothing of other sources.
    const grants = root.resources.filter(
      (resource) => resource.body.role === 'roles/securitycenter.findingsEditor',
    );
    expect(grants.map((grant) => grant.address)).toEqual([
      'google_scc_v2_organization_source_iam_member.findings_editor',
    ]);
    expect(grants[0]?.body).toMatchObject({
      for_each: ref('var.scc_enabled ? local.judging_accounts : {}'),
      organization: ref('var.organization_id'),
      source: ref('google_scc_v2_organization_source.gatewarden[0].name'),
      member: `serviceAccount:${ref('each.value')}`,
    });
    expect(
      root.resources.filter(
        (resource) =>
          /organization_iam/.test(resource.type) && /securitycenter/.test(String(resource.body.role)),
      ),
    ).toEqual([]);
  });

  it('the report function runs with read-only Firestore access', () => {
    const roles = root.resources
      .filter((resource) => String(resource.body.member).includes('google_service_account.report.'))
      .map((resource) => resource.body.role);
    expect(roles).toEqual(['roles/datastore.viewer']);
  });
});

describe('event delivery', () => {
  it('every event_trigger, if any is ever added, retries', () => {
    const triggers = allFunctions().flatMap(({ module, resource }) =>
      [...walkBlocks(resource.body)]
        .filter(({ path }) => path === 'event_trigger')
        .map(({ body }) => ({
          address: `${module.directory}:${resource.address}`,
          retry: body.retry_policy,
        })),
    );
    expect(triggers.filter((trigger) => trigger.retry !== 'RETRY_POLICY_RETRY')).toEqual([]);
  });

  it('every Pub/Sub subscription except the dead-letter one retries with backoff into the dead-letter topic', () => {
    const subscriptions = modules.flatMap((module) =>
      module.resources
        .filter((resource) => resource.type === 'google_pubsub_subscription')
        .map((resource) => ({ address: `${module.directory}:${resource.address}`, body: resource.body })),
    );
    const sources = subscriptions.filter(
      ({ address }) => !address.endsWith('google_pubsub_subscription.dead_letter'),
    );
    expect(sources.length).toBeGreaterThan(0);
    for (const { address, body } of sources) {
      const deadLetter = block(body, 'dead_letter_policy');
      expect(deadLetter?.dead_letter_topic, address).toBe(ref('var.dead_letter_topic_id'));
      expect(deadLetter?.max_delivery_attempts, address).toBe(ref('var.max_delivery_attempts'));
      expect(block(body, 'retry_policy'), address).toEqual({
        minimum_backoff: '10s',
        maximum_backoff: '600s',
      });
      expect(block(body, 'expiration_policy'), address).toEqual({ ttl: '' });
    }
  });

  it('the push subscription authenticates and names its topic in the path (the framework builds the CloudEvent from it)', () => {
    const push = eventFunction.resources.find(
      (resource) => resource.address === 'google_pubsub_subscription.push',
    );
    const config = block(push?.body, 'push_config');
    expect(config?.push_endpoint).toBe(
      `${ref('google_cloudfunctions2_function.this.service_config[0].uri')}/${ref('var.topic_id')}`,
    );
    expect(block(config, 'oidc_token')?.service_account_email).toBe(ref('var.push_service_account_email'));
  });

  it.each(['on_audit_log', 'on_sweep'])(
    'module %s consumes its topic and dead-letters into the dead-letter topic',
    (name) => {
      const call = root.moduleCalls.find((candidate) => candidate.name === name);
      expect(call?.body.source).toBe('./modules/event-function');
      expect(call?.body.dead_letter_topic_id).toBe(ref('google_pubsub_topic.dead_letter.id'));
      expect(String(call?.body.topic_id)).toMatch(/^\$\{google_pubsub_topic\.(audit|sweep)\.id\}$/);
    },
  );

  it('the dead-letter topic has a subscription keeping its messages, and the Pub/Sub agent may publish to it', () => {
    const keep = root.resources.find(
      (resource) => resource.address === 'google_pubsub_subscription.dead_letter',
    );
    expect(keep?.body.topic).toBe(ref('google_pubsub_topic.dead_letter.id'));
    expect(keep?.body.message_retention_duration).toBe('604800s');
    const publisher = root.resources.find(
      (resource) => resource.address === 'google_pubsub_topic_iam_member.dead_letter_publisher',
    );
    expect(publisher?.body.member).toBe(`serviceAccount:${ref('local.pubsub_service_agent')}`);
  });

  it('the sink publishes to the audit topic consumed by onAuditLog, and the scheduler to the sweep topic', () => {
    const sink = root.moduleCalls.find((call) => call.name === 'audit_sink');
    expect(sink?.body.topic_id).toBe(ref('google_pubsub_topic.audit.id'));
    const onAuditLog = root.moduleCalls.find((call) => call.name === 'on_audit_log');
    expect(onAuditLog?.body.topic_id).toBe(ref('google_pubsub_topic.audit.id'));
    const scheduler = root.resources.find(
      (resource) => resource.address === 'google_cloud_scheduler_job.sweep',
    );
    expect(block(scheduler?.body, 'pubsub_target')?.topic_name).toBe(ref('google_pubsub_topic.sweep.id'));
  });

  it.each([['google_logging_organization_sink.aggregated'], ['google_logging_folder_sink.aggregated']])(
    '%s includes children',
    (address) => {
      const sink = moduleAt('terraform/modules/audit-sink').resources.find(
        (resource) => resource.address === address,
      );
      expect(sink?.body.include_children).toBe(true);
    },
  );
});

describe('functions', () => {
  it('every function runs on nodejs24', () => {
    const functions = allFunctions();
    expect(functions.length).toBe(2);
    for (const { resource } of functions) {
      expect(block(resource.body, 'build_config')?.runtime, resource.address).toBe('nodejs24');
    }
  });

  it('deploys onAuditLog, onSweep and report', () => {
    expect(
      deployedEntryPoints()
        .map((entry) => entry.entryPoint)
        .sort(),
    ).toEqual(['onAuditLog', 'onSweep', 'report']);
  });

  it.each(['onAuditLog', 'onSweep', 'report'])(
    '%s is registered with the Functions Framework by functions/index.ts',
    (name) => {
      expect(getFunction(name)).toBeTypeOf('function');
    },
  );

  it('event entry points are CloudEvent functions and the HTTP one an HTTP function', () => {
    for (const { entryPoint, kind } of deployedEntryPoints()) {
      const registration = kind === 'event' ? 'cloudEvent' : 'http';
      expect(registrations, entryPoint).toContain(`functions.${registration}('${entryPoint}'`);
    }
  });

  it('the source archive carries the built entry module that package.json names', async () => {
    const packageJson = JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      main: string;
    };
    expect(packageJson.main).toBe('dist/functions/index.js');
    const archive = root.data.find((data) => data.address === 'data.archive_file.source');
    const precondition = block(block(archive?.body, 'lifecycle'), 'precondition');
    expect(precondition?.condition).toBe(ref('contains(local.built_files, "dist/functions/index.js")'));
  });
});

describeWithTerraform('formatting', () => {
  it('terraform fmt -check -recursive terraform finds nothing to change', () => {
    expect(listUnformattedFiles(TERRAFORM_ROOT)).toEqual([]);
  });
});
