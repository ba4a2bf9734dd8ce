// The Google API reads of `gatewarden doctor` through googleapis: Service Usage services.batchGet, Cloud Resource
// Manager v3 projects.testIamPermissions and the tree walk (folders.list, projects.list), Logging v2 sinks.get, Pub/Sub v1 topics.getIamPolicy,
// topics.get and subscriptions.get, Secret Manager v1 secrets.getIamPolicy and versions.get (metadata, never a value).
// Each call retries what is worth retrying; a final failure is thrown as { status, message }.

import type { AuthClient, GoogleAuth } from 'google-auth-library';
import { cloudresourcemanager_v3 } from 'googleapis/build/src/apis/cloudresourcemanager/v3.js';
import { logging_v2 } from 'googleapis/build/src/apis/logging/v2.js';
import { pubsub_v1 } from 'googleapis/build/src/apis/pubsub/v1.js';
import { secretmanager_v1 } from 'googleapis/build/src/apis/secretmanager/v1.js';
import { serviceusage_v1 } from 'googleapis/build/src/apis/serviceusage/v1.js';
import type { DoctorReadError, DoctorReaders } from '../../doctor/run-doctor.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import { type ApiFailure, toApiFailure } from './api-failure.js';
import { createResourceManagerReader } from './resource-tree.js';
import { callWithRetries, DEFAULT_RETRY_POLICY } from './retry-policy.js';

export interface DoctorReaderOptions {
  /** Send every call to this base URL (the local simulator) without credentials. */
  readonly endpoint?: string;
  readonly auth?: GoogleAuth | AuthClient;
  readonly clock?: Clock;
}

/** services.batchGet takes at most 30 names; testIamPermissions at most 100 permissions. */
const SERVICES_PER_BATCH = 30;
const PERMISSIONS_PER_TEST = 100;

export type GoogleApiDoctorReaders = Omit<DoctorReaders, 'lastSweepRun' | 'lastProcessedAuditEntry'>;

export async function createDoctorReaders(
  options: DoctorReaderOptions = {},
): Promise<GoogleApiDoctorReaders> {
  const auth = options.endpoint ? undefined : (options.auth ?? (await createDefaultAuth()));
  const clientOptions = {
    ...(options.endpoint ? { rootUrl: `${new URL(options.endpoint).origin}/` } : {}),
    ...(auth ? { auth } : {}),
    retry: false,
  };
  const serviceUsage = new serviceusage_v1.Serviceusage(clientOptions as serviceusage_v1.Options);
  const resourceManager = new cloudresourcemanager_v3.Cloudresourcemanager(
    clientOptions as cloudresourcemanager_v3.Options,
  );
  const logging = new logging_v2.Logging(clientOptions as logging_v2.Options);
  const pubsub = new pubsub_v1.Pubsub(clientOptions as pubsub_v1.Options);
  const secretManager = new secretmanager_v1.Secretmanager(clientOptions as secretmanager_v1.Options);
  const clock = options.clock ?? systemClock;
  const tree = await createResourceManagerReader({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(auth ? { auth } : {}),
    clock,
  });

  async function call<T>(what: string, request: () => Promise<{ data: T }>): Promise<T> {
    const outcome = await callWithRetries(request, toApiFailure, DEFAULT_RETRY_POLICY, clock);
    if (outcome.ok) return outcome.value.data;
    throw readError(what, outcome.failure);
  }

  /** undefined for 404: the thing does not exist. */
  async function get<T>(what: string, request: () => Promise<{ data: T }>): Promise<T | undefined> {
    try {
      return await call(what, request);
    } catch (error) {
      if ((error as DoctorReadError).status === 404) return undefined;
      throw error;
    }
  }

  return {
    async serviceStates(project, services) {
      const states = new Map<string, 'ENABLED' | 'DISABLED'>();
      for (let index = 0; index < services.length; index += SERVICES_PER_BATCH) {
        const names = services
          .slice(index, index + SERVICES_PER_BATCH)
          .map((service) => `projects/${project}/services/${service}`);
        const data = await call(`services.batchGet on ${project}`, () =>
          serviceUsage.services.batchGet({ parent: `projects/${project}`, names }),
        );
        for (const service of data.services ?? []) {
          // The answer names the project by number: the service is the last segment (or config.name).
          const name = service.config?.name ?? service.name?.split('/').at(-1);
          if (name) states.set(name, service.state === 'ENABLED' ? 'ENABLED' : 'DISABLED');
        }
      }
      return states;
    },

    async heldPermissions(project, permissions) {
      const held: string[] = [];
      for (let index = 0; index < permissions.length; index += PERMISSIONS_PER_TEST) {
        const chunk = permissions.slice(index, index + PERMISSIONS_PER_TEST);
        const data = await call(`projects.testIamPermissions on ${project}`, () =>
          resourceManager.projects.testIamPermissions({
            resource: `projects/${project}`,
            requestBody: { permissions: [...chunk] },
          }),
        );
        held.push(...(data.permissions ?? []));
      }
      return held;
    },

    async heldOnParent(parent, permissions) {
      const requestBody = { permissions: [...permissions].slice(0, PERMISSIONS_PER_TEST) };
      const data = await call(`testIamPermissions on ${parent}`, () =>
        parent.startsWith('folders/')
          ? resourceManager.folders.testIamPermissions({ resource: parent, requestBody })
          : resourceManager.organizations.testIamPermissions({ resource: parent, requestBody }),
      );
      return data.permissions ?? [];
    },

    async projectsUnder(parent) {
      try {
        // Every ACTIVE project beneath, at any depth, as the sweep walks it.
        return (await tree.readTree(parent)).projects.map((project) => project.projectId);
      } catch (error) {
        throw { status: undefined, message: (error as Error).message } satisfies DoctorReadError;
      }
    },

    async sink(name) {
      const data = await get(`sinks.get ${name}`, () => logging.sinks.get({ sinkName: name }));
      return data
        ? {
            destination: data.destination ?? '',
            writerIdentity: data.writerIdentity ?? '',
            disabled: data.disabled === true,
            includeChildren: data.includeChildren === true,
          }
        : undefined;
    },

    async topicPolicy(topic) {
      const data = await call(`topics.getIamPolicy ${topic}`, () =>
        pubsub.projects.topics.getIamPolicy({ resource: topic }),
      );
      return (data.bindings ?? []).map((binding) => ({
        role: binding.role ?? '',
        members: binding.members ?? [],
      }));
    },

    async topicExists(topic) {
      return (await get(`topics.get ${topic}`, () => pubsub.projects.topics.get({ topic }))) !== undefined;
    },

    async secretPolicy(secret) {
      const data = await get(`secrets.getIamPolicy ${secret}`, () =>
        secretManager.projects.secrets.getIamPolicy({ resource: secret }),
      );
      return data
        ? (data.bindings ?? []).map((binding) => ({
            role: binding.role ?? '',
            members: binding.members ?? [],
          }))
        : undefined;
    },

    async secretVersionState(version) {
      const data = await get(`versions.get ${version}`, () =>
        secretManager.projects.secrets.versions.get({ name: version }),
      );
      return data ? (data.state ?? 'STATE_UNSPECIFIED') : undefined;
    },

    async subscription(name) {
      const data = await get(`subscriptions.get ${name}`, () =>
        pubsub.projects.subscriptions.get({ subscription: name }),
      );
      return data
        ? {
            deadLetterTopic: data.deadLetterPolicy?.deadLetterTopic ?? null,
            maxDeliveryAttempts: data.deadLetterPolicy?.maxDeliveryAttempts ?? null,
          }
        : undefined;
    },
  };
}

function readError(what: string, failure: ApiFailure): DoctorReadError {
  // Without an answer the cause is the socket's code: first, as the line is cut short after the URL it names.
  const cause =
    failure.reason ?? (failure.status === undefined ? failure.code && `${failure.code}:` : undefined);
  const reason = cause ? ` ${cause}` : '';
  return { status: failure.status, message: `${what}:${reason} ${failure.message}`.trim() };
}

async function createDefaultAuth(): Promise<GoogleAuth> {
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
}
