// `gatewarden doctor`'s use case: reads what a project and a deployment need through injected readers and returns
// the checklist (every read that fails becomes a failing line, never an exception).

import {
  auditRunCheck,
  type CheckResult,
  type NamedChannel,
  noProjectsCheck,
  type PolicyBinding,
  parentPermissionsCheck,
  permissionsCheck,
  type ReadFailure,
  type SinkObservation,
  type SubscriptionObservation,
  type SweepRunObservation,
  serviceCheck,
  sinkChecks,
  subscriptionCheck,
  sweepRunCheck,
  topicChannelCheck,
  unwatchedProjectCheck,
  webhookChannelCheck,
} from './checks.js';
import type { Deployment } from './deployment.js';

/** Thrown by the readers for a call that was answered with an error (or not answered). */
export interface DoctorReadError {
  readonly status: number | undefined;
  readonly message: string;
}

/** Ports: one reader per Google API the doctor asks. `undefined` from a getter means 404. */
export interface DoctorReaders {
  /** Service Usage batchGet: each service's state in the project. */
  serviceStates(
    project: string,
    services: readonly string[],
  ): Promise<ReadonlyMap<string, 'ENABLED' | 'DISABLED'>>;
  /** Cloud Resource Manager testIamPermissions: the subset of `permissions` the caller holds on the project. */
  heldPermissions(project: string, permissions: readonly string[]): Promise<string[]>;
  /** The same on a folder or organisation (`folders/N`, `organizations/N`). */
  heldOnParent(parent: string, permissions: readonly string[]): Promise<string[]>;
  /** Every ACTIVE project beneath `folders/F` or `organizations/O`, at any depth (the sweep's tree walk). */
  projectsUnder(parent: string): Promise<string[]>;
  sink(name: string): Promise<SinkObservation | undefined>;
  topicPolicy(topic: string): Promise<PolicyBinding[]>;
  subscription(name: string): Promise<SubscriptionObservation | undefined>;
  topicExists(topic: string): Promise<boolean>;
  /** The IAM bindings on a secret (`projects/P/secrets/S`). */
  secretPolicy(secret: string): Promise<PolicyBinding[] | undefined>;
  /** A secret version's state (`ENABLED`, `DISABLED`, `DESTROYED`), read from its metadata, never its value. */
  secretVersionState(version: string): Promise<string | undefined>;
  lastSweepRun(project: string): Promise<SweepRunObservation | null>;
  lastProcessedAuditEntry(): Promise<string | null>;
}

export interface DoctorRequest {
  readonly projects: readonly string[];
  /** `folders/F` or `organizations/O`: its projects are checked too. */
  readonly parent?: string;
  readonly deployment?: Deployment;
  /** The policy's named channels its routes send to (checked with a deployment, for its judging accounts). */
  readonly namedChannels?: readonly NamedChannel[];
  /** The reader role's permissions that act on a project (tested on each project). */
  readonly projectPermissions: readonly string[];
  /** Its permissions that act on a folder or organisation: the tree walk's (tested on the parent). */
  readonly parentPermissions: readonly string[];
  /** The APIs each watched project must have enabled. */
  readonly requiredServices: readonly string[];
  readonly now: Date;
}

export interface DoctorReport {
  readonly projects: readonly string[];
  readonly checks: readonly CheckResult[];
  readonly summary: { readonly pass: number; readonly fail: number; readonly warn: number };
}

/** Projects a deployment covers when none are named: its swept projects (project mode's watched ones). */
export function projectsOfDeployment(deployment: Deployment): string[] {
  return [...deployment.sweep_projects];
}

/** Projects checked at once: each costs three reads, so this stays well under every per-minute read quota. */
const PROJECTS_IN_FLIGHT = 8;

export async function runDoctor(request: DoctorRequest, readers: DoctorReaders): Promise<DoctorReport> {
  const checks: CheckResult[] = [];
  const projects = [...request.projects];
  if (request.parent) {
    const parent = request.parent;
    const [held, found] = await Promise.all([
      attempt(() => readers.heldOnParent(parent, request.parentPermissions)),
      attempt(() => readers.projectsUnder(parent)),
    ]);
    checks.push(
      parentPermissionsCheck(parent, request.parentPermissions, held, request.deployment?.reader_role),
    );
    const problem = noProjectsCheck(parent, found);
    if (problem) checks.push(problem);
    if (Array.isArray(found)) projects.push(...found);
  }
  const unique = [...new Set(projects)];
  const { deployment } = request;

  // Projects are checked a few at a time (an organisation may hold hundreds); their lines keep the order named.
  const perProject = await mapBounded(unique, PROJECTS_IN_FLIGHT, (project) =>
    checkProject(project, request, readers),
  );
  checks.push(...perProject.flat());
  if (deployment) checks.push(...(await checkDeployment(deployment, unique, readers)));
  if (deployment) {
    for (const named of request.namedChannels ?? []) {
      checks.push(await checkNamedChannel(deployment, named, readers));
    }
  }

  const summary = { pass: 0, fail: 0, warn: 0 };
  for (const check of checks) summary[check.status] += 1;
  return { projects: unique, checks, summary };
}

async function checkProject(
  project: string,
  request: DoctorRequest,
  readers: DoctorReaders,
): Promise<CheckResult[]> {
  const { deployment } = request;
  const [states, held, lastRun] = await Promise.all([
    attempt(() => readers.serviceStates(project, request.requiredServices)),
    attempt(() => readers.heldPermissions(project, request.projectPermissions)),
    deployment ? attempt(() => readers.lastSweepRun(project)) : Promise.resolve(undefined),
  ]);
  const results: CheckResult[] = request.requiredServices.map((service) =>
    serviceCheck(project, service, isFailure(states) ? states : (states.get(service) ?? 'DISABLED')),
  );
  results.push(
    permissionsCheck(project, request.projectPermissions, held, readerRoleFor(deployment, project)),
  );
  if (deployment && lastRun !== undefined)
    results.push(sweepRunCheck(deployment, project, lastRun, request.now));
  return results;
}

async function checkDeployment(
  deployment: Deployment,
  projects: readonly string[],
  readers: DoctorReaders,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  // Project mode's sinks are printed under the project they watch, aggregated sinks under the deployment.
  const topicPolicy = await attempt(() => readers.topicPolicy(deployment.audit_topic));
  for (const name of deployment.sinks) {
    const sink = await attempt(() => readers.sink(name));
    const observed = sink === undefined ? 'not-found' : sink;
    results.push(
      ...sinkChecks(
        deployment,
        name,
        observed,
        isFailure(observed) || observed === 'not-found' ? undefined : topicPolicy,
      ),
    );
  }
  // A project checked in project mode without a sink of its own gets no event: say so under the project.
  if (deployment.mode === 'project') {
    const watched = new Set(deployment.sinks.map((name) => /^projects\/([^/]+)\//.exec(name)?.[1]));
    for (const project of projects.filter((candidate) => !watched.has(candidate))) {
      results.push(unwatchedProjectCheck(deployment, project));
    }
  }
  for (const name of deployment.push_subscriptions) {
    const subscription = await attempt(() => readers.subscription(name));
    results.push(
      subscriptionCheck(deployment, name, subscription === undefined ? 'not-found' : subscription),
    );
  }
  results.push(auditRunCheck(deployment, await attempt(() => readers.lastProcessedAuditEntry())));
  return results;
}

async function checkNamedChannel(
  deployment: Deployment,
  named: NamedChannel,
  readers: DoctorReaders,
): Promise<CheckResult> {
  const { channel } = named;
  if (channel.type === 'pubsub') {
    const [exists, policy] = await Promise.all([
      attempt(() => readers.topicExists(channel.topic)),
      attempt(() => readers.topicPolicy(channel.topic)),
    ]);
    return topicChannelCheck(deployment, named.name, channel.topic, exists, policy);
  }
  const secret = channel.webhookSecret.replace(/\/versions\/[^/]+$/, '');
  const version = channel.webhookSecret.includes('/versions/')
    ? channel.webhookSecret
    : `${secret}/versions/latest`;
  const [policy, state] = await Promise.all([
    attempt(() => readers.secretPolicy(secret)),
    attempt(() => readers.secretVersionState(version)),
  ]);
  return webhookChannelCheck(deployment, named.name, { secret, version }, policy, state);
}

function readerRoleFor(deployment: Deployment | undefined, project: string): string | undefined {
  if (!deployment?.reader_role) return undefined;
  // Project mode defines the role in each watched project: projects/P/roles/R.
  return deployment.reader_role.replace(/^projects\/[^/]+\//, `projects/${project}/`);
}

function isFailure(value: unknown): value is ReadFailure {
  return (
    typeof value === 'object' &&
    value !== null &&
    'message' in value &&
    'status' in value &&
    !(value instanceof Map)
  );
}

async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++)
      results[index] = await work(items[index] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function attempt<T>(read: () => Promise<T>): Promise<T | ReadFailure> {
  try {
    return await read();
  } catch (error) {
    const record = (error ?? {}) as Partial<DoctorReadError>;
    return {
      status: typeof record.status === 'number' ? record.status : undefined,
      message: typeof record.message === 'string' ? record.message : String(error),
    };
  }
}
