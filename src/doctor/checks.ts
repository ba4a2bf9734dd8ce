// The doctor's checklist lines, each judged from what was read (pure): the state that should hold, and a fix when not.

import type { AlertChannel } from '../engine/policy.js';
import type { Deployment } from './deployment.js';

export type CheckStatus = 'pass' | 'fail' | 'warn';

export interface CheckResult {
  /** `project acme-edge` or `deployment acme-sec`: the heading the line is printed under. */
  readonly scope: string;
  /** The project the line is about, when it is about one. */
  readonly project: string | null;
  /** Stable, for CI: `api.compute.googleapis.com`, `permissions`, `sink`, `sink.publisher`, `runs.sweep`, ... */
  readonly id: string;
  /** The good state, as a sentence: `Compute Engine API enabled`. */
  readonly title: string;
  readonly status: CheckStatus;
  readonly detail: string | null;
  /** What to do about a fail or a warning; null on pass. */
  readonly fix: string | null;
}

/** A call that could not be made: the line fails with what was answered and who may grant the read. */
export interface ReadFailure {
  readonly status: number | undefined;
  readonly message: string;
}

export const SERVICE_TITLES: Readonly<Record<string, string>> = {
  'compute.googleapis.com': 'Compute Engine API',
  'apigateway.googleapis.com': 'API Gateway API',
  'cloudresourcemanager.googleapis.com': 'Cloud Resource Manager API',
};

/** Roles that let a member publish on a topic when granted on the topic itself. */
const PUBLISHING_ROLES = new Set([
  'roles/pubsub.publisher',
  'roles/pubsub.editor',
  'roles/pubsub.admin',
  'roles/editor',
  'roles/owner',
]);

/** Roles that let a member read a secret's versions when granted on the secret itself. */
const SECRET_READING_ROLES = new Set([
  'roles/secretmanager.secretAccessor',
  'roles/secretmanager.admin',
  'roles/owner',
]);

/** How stale a project's last recorded sweep may be before the doctor warns (four of the default 6-hour ticks). */
export const STALE_SWEEP_MS = 24 * 60 * 60 * 1000;

const MISSING_SHOWN = 8;

export function projectScope(project: string): string {
  return `project ${project}`;
}

export function deploymentScope(deployment: Deployment): string {
  return `deployment ${deployment.project_id}`;
}

function line(
  scope: string,
  project: string | null,
  id: string,
  title: string,
  status: CheckStatus,
  detail: string | null = null,
  fix: string | null = null,
): CheckResult {
  return { scope, project, id, title, status, detail, fix };
}

function describeFailure(failure: ReadFailure): string {
  return `could not check: ${failure.status ?? 'no response'}: ${failure.message.split('\n', 1)[0]?.slice(0, 200)}`;
}

export function serviceCheck(
  project: string,
  service: string,
  state: 'ENABLED' | 'DISABLED' | ReadFailure,
): CheckResult {
  const title = `${SERVICE_TITLES[service] ?? service} enabled`;
  const id = `api.${service}`;
  const scope = projectScope(project);
  if (state === 'ENABLED') return line(scope, project, id, title, 'pass', service);
  if (state === 'DISABLED') {
    return line(
      scope,
      project,
      id,
      title,
      'fail',
      `${service} is disabled: every read of it fails, so this project's resources are not judged`,
      `gcloud services enable ${service} --project=${project}`,
    );
  }
  return line(
    scope,
    project,
    id,
    title,
    'fail',
    describeFailure(state),
    `grant the caller serviceusage.services.get on ${project} (roles/serviceusage.serviceUsageViewer), and set a quota project for user credentials: gcloud auth application-default set-quota-project PROJECT`,
  );
}

export function permissionsCheck(
  project: string,
  required: readonly string[],
  held: readonly string[] | ReadFailure,
  readerRole: string | undefined,
): CheckResult {
  const title = `caller holds the ${required.length} permissions the fetchers declare`;
  const scope = projectScope(project);
  if (!Array.isArray(held)) {
    return line(
      scope,
      project,
      'permissions',
      title,
      'fail',
      describeFailure(held as ReadFailure),
      `check that ${project} exists and the caller can see it (resourcemanager.projects.get)`,
    );
  }
  const holding = new Set(held);
  const missing = required.filter((permission) => !holding.has(permission));
  if (missing.length === 0)
    return line(
      scope,
      project,
      'permissions',
      title,
      'pass',
      `${required.length} of ${required.length} held`,
    );
  const shown = missing.slice(0, MISSING_SHOWN).join(', ');
  const more = missing.length > MISSING_SHOWN ? ` and ${missing.length - MISSING_SHOWN} more` : '';
  const role = readerRole ?? 'the Gatewarden reader role (terraform/generated/reader-permissions.json)';
  return line(
    scope,
    project,
    'permissions',
    title,
    'fail',
    `missing ${missing.length}: ${shown}${more}`,
    `grant ${role} on ${project}: gcloud projects add-iam-policy-binding ${project} --member=MEMBER --role=${readerRole ?? 'ROLE'}`,
  );
}

export function noProjectsCheck(
  parent: string,
  found: readonly string[] | ReadFailure,
): CheckResult | undefined {
  const scope = `scope ${parent}`;
  if (Array.isArray(found) && found.length > 0) return undefined;
  return line(
    scope,
    null,
    'scope.projects',
    `projects under ${parent} are visible`,
    'fail',
    Array.isArray(found)
      ? `the tree walk found no ACTIVE project beneath ${parent}`
      : describeFailure(found as ReadFailure),
    `grant the caller resourcemanager.folders.list and resourcemanager.projects.list on ${parent} (the organisation reader role holds them), or name projects with --project`,
  );
}

/** On a folder or organisation: the tree walk's list and get permissions (checked on each parent it reads). */
export function parentPermissionsCheck(
  parent: string,
  required: readonly string[],
  held: readonly string[] | ReadFailure,
  readerRole: string | undefined,
): CheckResult {
  const scope = `scope ${parent}`;
  const title = `caller holds the ${required.length} permissions the sweep's walk of ${parent} needs`;
  const grant = parent.startsWith('folders/')
    ? `gcloud resource-manager folders add-iam-policy-binding ${parent.slice('folders/'.length)}`
    : `gcloud organizations add-iam-policy-binding ${parent.slice('organizations/'.length)}`;
  if (!Array.isArray(held)) {
    return line(
      scope,
      null,
      'scope.permissions',
      title,
      'fail',
      describeFailure(held as ReadFailure),
      `check that ${parent} exists and the caller can see it`,
    );
  }
  const holding = new Set(held);
  const missing = required.filter((permission) => !holding.has(permission));
  if (missing.length === 0) {
    return line(
      scope,
      null,
      'scope.permissions',
      title,
      'pass',
      `${required.length} of ${required.length} held`,
    );
  }
  return line(
    scope,
    null,
    'scope.permissions',
    title,
    'fail',
    `missing ${missing.length}: ${missing.join(', ')}; the folders and projects beneath cannot be listed`,
    `${grant} --member=MEMBER --role=${readerRole ?? 'ROLE'} (the organisation reader role holds them)`,
  );
}

export interface SinkObservation {
  readonly destination: string;
  readonly writerIdentity: string;
  /** `disabled: true`: the sink routes nothing. */
  readonly disabled?: boolean;
  /** On a folder or organisation sink: without it, the projects beneath are not routed (only the node's own entries). */
  readonly includeChildren?: boolean;
}

export interface PolicyBinding {
  readonly role: string;
  readonly members: readonly string[];
}

/** The sink's line and, when it exists, its writer's publish line. `project` is the sink's project in project mode. */
export function sinkChecks(
  deployment: Deployment,
  sinkName: string,
  sink: SinkObservation | 'not-found' | ReadFailure,
  topicPolicy: readonly PolicyBinding[] | ReadFailure | undefined,
): CheckResult[] {
  const project = /^projects\/([^/]+)\//.exec(sinkName)?.[1] ?? null;
  const scope = project ? projectScope(project) : deploymentScope(deployment);
  const title = `audit sink ${sinkName} routes to ${deployment.audit_topic}`;
  const expected = `pubsub.googleapis.com/${deployment.audit_topic}`;
  if (sink === 'not-found') {
    return [
      line(
        scope,
        project,
        'sink',
        title,
        'fail',
        `${sinkName} does not exist`,
        'cd terraform && terraform apply (it creates the sink)',
      ),
    ];
  }
  if ('message' in sink) {
    return [
      line(
        scope,
        project,
        'sink',
        title,
        'fail',
        describeFailure(sink),
        `grant the caller logging.sinks.get on ${sinkName.split('/sinks/')[0]} (roles/logging.viewer)`,
      ),
    ];
  }
  const results: CheckResult[] = [];
  // What keeps the sink from routing audit entries to the topic, and the apply that puts it right; none: it routes.
  const broken: readonly [string, string] | undefined =
    sink.destination !== expected
      ? [`its destination is ${sink.destination}`, 'it sets the destination back']
      : sink.disabled === true
        ? [`${sinkName} is disabled: it routes no audit entry`, 'it enables the sink again']
        : project === null && sink.includeChildren !== true
          ? [
              `${sinkName} does not include children: no audit entry of a project beneath it is routed`,
              'it sets include_children',
            ]
          : undefined;
  results.push(
    broken
      ? line(
          scope,
          project,
          'sink',
          title,
          'fail',
          broken[0],
          `cd terraform && terraform apply (${broken[1]})`,
        )
      : line(scope, project, 'sink', title, 'pass', sink.writerIdentity),
  );
  const publisherTitle = `sink writer ${sink.writerIdentity} may publish on ${deployment.audit_topic}`;
  const grantFix = `gcloud pubsub topics add-iam-policy-binding ${deployment.audit_topic} --member=${sink.writerIdentity} --role=roles/pubsub.publisher`;
  if (topicPolicy === undefined) return results;
  if (!Array.isArray(topicPolicy) && (topicPolicy as ReadFailure).status === 404) {
    results.push(
      line(
        scope,
        project,
        'sink.publisher',
        publisherTitle,
        'fail',
        `${deployment.audit_topic} does not exist: every audit entry the sink routes is dropped`,
        'cd terraform && terraform apply (it creates the topic)',
      ),
    );
    return results;
  }
  if (!Array.isArray(topicPolicy)) {
    results.push(
      line(
        scope,
        project,
        'sink.publisher',
        publisherTitle,
        'fail',
        describeFailure(topicPolicy as ReadFailure),
        `grant the caller pubsub.topics.getIamPolicy on ${deployment.audit_topic}`,
      ),
    );
    return results;
  }
  const allowed = topicPolicy.some(
    (binding) => PUBLISHING_ROLES.has(binding.role) && binding.members.includes(sink.writerIdentity),
  );
  results.push(
    allowed
      ? line(scope, project, 'sink.publisher', publisherTitle, 'pass')
      : line(
          scope,
          project,
          'sink.publisher',
          publisherTitle,
          'fail',
          'the topic grants it no publishing role: every audit entry the sink routes is dropped',
          grantFix,
        ),
  );
  return results;
}

/** Project mode: a checked project with no sink of its own sends no audit entry. */
export function unwatchedProjectCheck(deployment: Deployment, project: string): CheckResult {
  return line(
    projectScope(project),
    project,
    'sink',
    `an audit sink routes ${project}'s changes to ${deployment.audit_topic}`,
    'fail',
    `${project} is not in watched_projects: it has no sink, so no change there reaches onAuditLog`,
    'add it to watched_projects in terraform/terraform.tfvars, then terraform apply',
  );
}

export interface SubscriptionObservation {
  readonly deadLetterTopic: string | null;
  readonly maxDeliveryAttempts: number | null;
}

export function subscriptionCheck(
  deployment: Deployment,
  name: string,
  subscription: SubscriptionObservation | 'not-found' | ReadFailure,
): CheckResult {
  const short = name.split('/').at(-1) ?? name;
  const scope = deploymentScope(deployment);
  const id = `subscription.${short}`;
  const title = `push subscription ${short} dead-letters what it cannot deliver`;
  if (subscription === 'not-found') {
    return line(
      scope,
      null,
      id,
      title,
      'fail',
      `${name} does not exist: its function receives nothing`,
      'cd terraform && terraform apply',
    );
  }
  if ('message' in subscription) {
    return line(
      scope,
      null,
      id,
      title,
      'fail',
      describeFailure(subscription),
      `grant the caller pubsub.subscriptions.get on ${name} (roles/pubsub.viewer)`,
    );
  }
  if (!subscription.deadLetterTopic) {
    return line(
      scope,
      null,
      id,
      title,
      'fail',
      'no dead-letter policy: a message failing past the retry window is dropped without trace',
      `gcloud pubsub subscriptions update ${name} --dead-letter-topic=DEAD_LETTER_TOPIC --max-delivery-attempts=10 (or terraform apply)`,
    );
  }
  return line(
    scope,
    null,
    id,
    title,
    'pass',
    `${subscription.deadLetterTopic} after ${subscription.maxDeliveryAttempts ?? '?'} attempts`,
  );
}

export interface SweepRunObservation {
  readonly status: 'complete' | 'incomplete' | 'failed';
  readonly startedAt: string;
  readonly resources: number;
  readonly errors: readonly string[];
  readonly incompleteScopes: readonly string[];
}

export function sweepRunCheck(
  deployment: Deployment,
  project: string,
  run: SweepRunObservation | null | ReadFailure,
  now: Date,
): CheckResult {
  const scope = projectScope(project);
  const title = "onSweep's last run of this project is recorded and complete";
  const sweepNow = `gcloud pubsub topics publish ${deployment.sweep_topic} --message='{"project":"${project}"}'`;
  if (run === null) {
    return line(
      scope,
      project,
      'runs.sweep',
      title,
      'fail',
      `no run of ${project} in Firestore runs/: it has never been swept`,
      `${sweepNow}, then read onSweep's logs if it still does not appear`,
    );
  }
  if ('message' in run) {
    return line(
      scope,
      project,
      'runs.sweep',
      title,
      'fail',
      describeFailure(run),
      `grant the caller datastore.entities.list on ${deployment.project_id} (roles/datastore.viewer)`,
    );
  }
  if (run.status === 'failed') {
    return line(
      scope,
      project,
      'runs.sweep',
      title,
      'fail',
      `failed at ${run.startedAt}: ${run.errors[0] ?? 'no error recorded'}`,
      `fix the error above, then ${sweepNow}`,
    );
  }
  if (run.status === 'incomplete') {
    const what = [...run.incompleteScopes, ...run.errors].slice(0, 3).join('; ');
    return line(
      scope,
      project,
      'runs.sweep',
      title,
      'warn',
      `incomplete at ${run.startedAt}: ${what || 'some scopes could not be read'}`,
      `the unread scopes are not judged; check the APIs and permissions above, then ${sweepNow}`,
    );
  }
  const age = now.getTime() - Date.parse(run.startedAt);
  if (age > STALE_SWEEP_MS) {
    return line(
      scope,
      project,
      'runs.sweep',
      title,
      'warn',
      `last complete run ${run.startedAt}, more than a day ago`,
      `check the scheduler job and onSweep's logs, or ${sweepNow}`,
    );
  }
  return line(scope, project, 'runs.sweep', title, 'pass', `${run.startedAt}: ${run.resources} resources`);
}

export function auditRunCheck(
  deployment: Deployment,
  lastProcessedAt: string | null | ReadFailure,
): CheckResult {
  const scope = deploymentScope(deployment);
  const title = 'onAuditLog has processed an audit entry';
  if (lastProcessedAt === null) {
    return line(
      scope,
      null,
      'runs.audit',
      title,
      'warn',
      'no audit entry processed yet (expected until the first load balancer or gateway change)',
      'make a change in a watched project (docs/deploy.md, "Verify with a real change") and read onAuditLog\'s logs',
    );
  }
  if (typeof lastProcessedAt !== 'string') {
    return line(
      scope,
      null,
      'runs.audit',
      title,
      'fail',
      describeFailure(lastProcessedAt),
      `grant the caller datastore.entities.list on ${deployment.project_id} (roles/datastore.viewer)`,
    );
  }
  return line(scope, null, 'runs.audit', title, 'pass', `last at ${lastProcessedAt}`);
}

/** A channel of the policy's `alerts.namedChannels` that a route sends to. */
export interface NamedChannel {
  readonly name: string;
  readonly channel: AlertChannel;
}

/** Judging accounts no binding with one of `roles` names: they cannot do what those roles allow. */
function lackingAccounts(
  deployment: Deployment,
  bindings: readonly PolicyBinding[],
  roles: ReadonlySet<string>,
): string[] {
  return deployment.judging_accounts.filter(
    (account) =>
      !bindings.some(
        (binding) => roles.has(binding.role) && binding.members.includes(`serviceAccount:${account}`),
      ),
  );
}

const NO_ACCOUNTS =
  'the deployment names no judging accounts, so who may use it is not checked: apply the current terraform/ (its deployment output gains judging_accounts)';

/** A named Slack / Chat channel: its secret exists, its version is enabled, and the judging accounts may read it. */
export function webhookChannelCheck(
  deployment: Deployment,
  name: string,
  names: { readonly secret: string; readonly version: string },
  policy: readonly PolicyBinding[] | undefined | ReadFailure,
  versionState: string | undefined | ReadFailure,
): CheckResult {
  const scope = deploymentScope(deployment);
  const id = `channel.${name}`;
  const title = `named channel ${name} has a webhook URL the judging functions may read`;
  const fail = (detail: string, fix: string) => line(scope, null, id, title, 'fail', detail, fix);
  const { secret, version } = names;
  const readGrant = `grant the caller secretmanager.secrets.getIamPolicy and secretmanager.versions.get on ${secret}`;
  if (policy === undefined) {
    return fail(
      `${secret} does not exist: alerts routed to ${name} are not sent`,
      `add ${name} to routed_webhook_channels and terraform apply (docs/deploy.md), or correct alerts.namedChannels.${name}.webhookSecret`,
    );
  }
  if (isReadFailure(policy)) return fail(describeFailure(policy), readGrant);
  if (versionState === undefined) {
    return fail(
      `${version} does not exist: every send to ${name} fails`,
      `printf '%s' "$WEBHOOK_URL" | gcloud secrets versions add ${secret} --data-file=-`,
    );
  }
  if (isReadFailure(versionState)) return fail(describeFailure(versionState), readGrant);
  if (versionState !== 'ENABLED') {
    return fail(
      `${version} is ${versionState}: every send to ${name} fails`,
      `printf '%s' "$WEBHOOK_URL" | gcloud secrets versions add ${secret} --data-file=-`,
    );
  }
  if (deployment.judging_accounts.length === 0) {
    return line(scope, null, id, title, 'warn', NO_ACCOUNTS, 'cd terraform && terraform apply');
  }
  const lacking = lackingAccounts(deployment, policy, SECRET_READING_ROLES);
  if (lacking.length > 0) {
    return fail(
      `${lacking.join(', ')} may not read ${secret}: sends to ${name} fail`,
      lacking
        .map(
          (account) =>
            `gcloud secrets add-iam-policy-binding ${secret} --member=serviceAccount:${account} --role=roles/secretmanager.secretAccessor`,
        )
        .join(' && '),
    );
  }
  return line(scope, null, id, title, 'pass', `${version} is ENABLED`);
}

/** A named Pub/Sub channel: its topic exists and the judging accounts may publish on it. */
export function topicChannelCheck(
  deployment: Deployment,
  name: string,
  topic: string,
  exists: boolean | ReadFailure,
  policy: readonly PolicyBinding[] | ReadFailure,
): CheckResult {
  const scope = deploymentScope(deployment);
  const id = `channel.${name}`;
  const title = `named channel ${name}'s topic exists and the judging functions may publish on it`;
  const fail = (detail: string, fix: string) => line(scope, null, id, title, 'fail', detail, fix);
  const readGrant = `grant the caller pubsub.topics.get and pubsub.topics.getIamPolicy on ${topic}`;
  if (isReadFailure(exists)) return fail(describeFailure(exists), readGrant);
  if (!exists) {
    return fail(
      `${topic} does not exist: alerts routed to ${name} are not sent`,
      `gcloud pubsub topics create ${topic}, or correct alerts.namedChannels.${name}.topic`,
    );
  }
  if (isReadFailure(policy)) return fail(describeFailure(policy), readGrant);
  if (deployment.judging_accounts.length === 0) {
    return line(scope, null, id, title, 'warn', NO_ACCOUNTS, 'cd terraform && terraform apply');
  }
  const lacking = lackingAccounts(deployment, policy, PUBLISHING_ROLES);
  if (lacking.length > 0) {
    return fail(
      `${lacking.join(', ')} may not publish on ${topic}: alerts routed to ${name} are not sent`,
      `add ${topic} to routed_topics and terraform apply, or: ${lacking
        .map(
          (account) =>
            `gcloud pubsub topics add-iam-policy-binding ${topic} --member=serviceAccount:${account} --role=roles/pubsub.publisher`,
        )
        .join(' && ')}`,
    );
  }
  return line(scope, null, id, title, 'pass', topic);
}

function isReadFailure(value: unknown): value is ReadFailure {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'message' in value;
}
