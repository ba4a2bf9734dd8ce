// Terraform for the policy's named webhook channels (alert routes): one secret per routed channel, readable by the
// judging functions only, never given a value by Terraform, its full name in an output to paste into the policy,
// and granted before any function that could send to it is deployed.

import { beforeAll, describe, expect, it } from 'vitest';
import { TOPIC_NAME } from '../../src/config/name-patterns.js';
import { type Block, block, loadModule, ref, TERRAFORM_ROOT, type TerraformModule } from './hcl.js';

let root: TerraformModule;

beforeAll(async () => {
  root = await loadModule(TERRAFORM_ROOT);
});

function resource(address: string): Block {
  const found = root.resources.find((candidate) => candidate.address === address);
  if (!found) throw new Error(`no ${address} in terraform/`);
  return found;
}

function dependsOn(body: Record<string, unknown> | undefined): string[] {
  const value = body?.depends_on;
  return Array.isArray(value) ? value.map((item) => String(item).replace(/^\$\{(.*)\}$/, '$1')) : [];
}

describe('routed webhook channels', () => {
  it('one secret per name in routed_webhook_channels, off by default, named PREFIX-channel-NAME', () => {
    const variable = root.variables.get('routed_webhook_channels');
    expect(variable?.default).toEqual([]);
    // The validation holds the policy's channel-name pattern, so a name Terraform accepts is one the policy accepts.
    expect(JSON.stringify(variable?.validation)).toContain('^[A-Za-z][A-Za-z0-9_-]{0,62}$');
    const secret = resource('google_secret_manager_secret.routed_channel');
    expect(secret.body.for_each).toBe(ref('var.routed_webhook_channels'));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as the configuration spells it
    expect(secret.body.secret_id).toBe('${var.name_prefix}-channel-${each.value}');
  });

  it('the judging accounts, and only they, may read each one', () => {
    const grant = resource('google_secret_manager_secret_iam_member.routed_channel_accessor');
    expect(grant.body.role).toBe('roles/secretmanager.secretAccessor');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Terraform's interpolation, as the configuration spells it
    expect(grant.body.member).toBe('serviceAccount:${local.judging_accounts[each.value.account]}');
    expect(grant.body.secret_id).toBe(
      ref('google_secret_manager_secret.routed_channel[each.value.channel].secret_id'),
    );
    expect(String(root.locals.routed_channel_accessors)).toContain('var.routed_webhook_channels');
    expect(String(root.locals.routed_channel_accessors)).toContain('local.judging_accounts');
  });

  it('Terraform never writes the URL: the secret gets no version here', () => {
    const versions = root.resources.filter((found) => found.type === 'google_secret_manager_secret_version');
    expect(versions.map((found) => found.address)).not.toContain(
      'google_secret_manager_secret_version.routed_channel',
    );
    expect(root.text).not.toMatch(/routed_channel[^\n]*secret_data/);
  });

  it('the output gives each full secret name, as the policy names it (projects/P/secrets/S)', () => {
    const output = root.outputs.get('routed_channel_secrets');
    expect(String(output?.value)).toContain('google_secret_manager_secret.routed_channel');
    expect(String(output?.value)).toContain('secret.id');
  });

  it('the grants take effect before the functions that send are deployed', () => {
    expect(dependsOn(resource('time_sleep.build_permissions').body)).toContain(
      'google_secret_manager_secret_iam_member.routed_channel_accessor',
    );
    const eventCalls = root.moduleCalls.filter((call) => call.body.source === './modules/event-function');
    expect(eventCalls.length).toBe(2);
    for (const call of eventCalls) {
      expect(dependsOn(call.body), call.address).toContain(
        'google_secret_manager_secret_iam_member.routed_channel_accessor',
      );
    }
  });
});

describe('routed Pub/Sub topics', () => {
  it('off by default, and validated with the policy topic-name pattern', () => {
    const variable = root.variables.get('routed_topics');
    expect(variable?.default).toEqual([]);
    // The policy loader's own pattern (TOPIC_NAME, with `/` unescaped): a topic Terraform accepts is one the policy
    // accepts.
    const pattern = TOPIC_NAME.source.replaceAll('\\/', '/');
    expect(String(block(variable, 'validation')?.condition)).toContain(`regex("${pattern}", topic)`);
  });

  it('the judging accounts, and only they, may publish on each topic, named in full', () => {
    const grant = resource('google_pubsub_topic_iam_member.routed_topic_publisher');
    expect(grant.body.for_each).toBe(ref('local.routed_topic_publishers'));
    expect(grant.body.role).toBe('roles/pubsub.publisher');
    expect(grant.body.member).toBe(`serviceAccount:${ref('local.judging_accounts[each.value.account]')}`);
    expect(grant.body.topic).toBe(ref('each.value.topic'));
    // No project: the provider reads it from the full name, so a topic in the team's project is granted there.
    expect(grant.body.project).toBeUndefined();
    expect(String(root.locals.routed_topic_publishers)).toContain('var.routed_topics');
    expect(String(root.locals.routed_topic_publishers)).toContain('local.judging_accounts');
  });

  it('the deployment output names the judging accounts, for gatewarden doctor --policy to check the grants', () => {
    const value = root.outputs.get('deployment')?.value as Record<string, unknown> | undefined;
    expect(value?.judging_accounts).toBe(ref('values(local.judging_accounts)'));
  });
});
