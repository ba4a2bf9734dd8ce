// Finds the projects under a folder or organisation with Cloud Resource Manager v3 `projects.search` (googleapis).
// Needs `resourcemanager.projects.get` on the projects (search returns only what the caller may see), which the
// organisation-level Gatewarden role grants; without it a sweep of a folder simply finds fewer projects.

import type { AuthClient, GoogleAuth } from 'google-auth-library';
import { cloudresourcemanager_v3 } from 'googleapis/build/src/apis/cloudresourcemanager/v3.js';
import { type Clock, systemClock } from '../../ports/clock.js';
import type { ProjectFinder } from '../../ports/project-finder.js';
import { classifyFailure, toApiFailure } from './api-failure.js';
import { callWithRetries, DEFAULT_RETRY_POLICY } from './retry-policy.js';

export interface ProjectSearchOptions {
  /** Send the call to this base URL (the local simulator) without credentials. */
  readonly endpoint?: string;
  readonly auth?: GoogleAuth | AuthClient;
  readonly pageSize?: number;
  readonly clock?: Clock;
}

/** `projects.search` failed for good (after retries): the sweep of that scope cannot start. */
export class ProjectSearchError extends Error {
  override readonly name = 'ProjectSearchError';
  readonly badInput = false;
  constructor(
    message: string,
    /** Whether a later attempt could succeed (quota, outage). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

const DEFAULT_PAGE_SIZE = 500;

export async function createProjectSearch(options: ProjectSearchOptions = {}): Promise<ProjectFinder> {
  const auth = options.endpoint ? undefined : (options.auth ?? (await createDefaultAuth()));
  const client = new cloudresourcemanager_v3.Cloudresourcemanager({
    ...(options.endpoint ? { rootUrl: `${new URL(options.endpoint).origin}/` } : {}),
    ...(auth ? { auth } : {}),
    retry: false,
  } as cloudresourcemanager_v3.Options);
  const clock = options.clock ?? systemClock;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;

  return {
    async projectsUnder(parent: string): Promise<string[]> {
      const found: string[] = [];
      let pageToken: string | undefined;
      do {
        const outcome = await callWithRetries(
          () => client.projects.search({ query: `parent:${parent}`, pageSize, pageToken }),
          toApiFailure,
          DEFAULT_RETRY_POLICY,
          clock,
        );
        if (!outcome.ok) {
          const { status, reason, message } = outcome.failure;
          throw new ProjectSearchError(
            `projects.search for parent:${parent} failed: ${status ?? 'no response'}${reason ? ` ${reason}` : ''}: ${message}`,
            classifyFailure(outcome.failure) === 'retryable',
          );
        }
        const page = outcome.value.data;
        // Query terms are ORed by the API, so the state is filtered here: projects pending deletion are not swept.
        for (const project of page.projects ?? []) {
          if (project.state === 'ACTIVE' && project.projectId) found.push(project.projectId);
        }
        pageToken = page.nextPageToken || undefined;
      } while (pageToken);
      return [...new Set(found)].sort();
    },
  };
}

async function createDefaultAuth(): Promise<GoogleAuth> {
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform.read-only'] });
}
