// Service Usage v1 `services.get` and `services.batchGet` (GET /v1/projects/P/services[:batchGet]): which APIs a
// project has enabled, as `gatewarden doctor` asks. Names come back with the project number, as the real API does.

import { badRequest } from './api-error.js';
import type { PlatformState } from './platform.js';
import type { HandlerResult } from './request-context.js';
import { numberOf as projectNumberOf } from './resource-manager-api.js';

/** A single request may ask for at most 30 services (the API's limit). */
const MAX_BATCH = 30;

/** `segments` after the version: `projects`, `P`, `services:batchGet` | `services`, `S`. */
export function handleServiceUsage(
  method: string,
  segments: readonly string[],
  query: URLSearchParams,
  platform: PlatformState,
): HandlerResult | undefined {
  if (method !== 'GET' || segments[0] !== 'projects' || segments[1] === undefined) return undefined;
  const project = segments[1];
  if (segments.length === 3 && segments[2] === 'services:batchGet') {
    const names = query.getAll('names');
    if (names.length === 0) throw badRequest('names must name at least one service.');
    if (names.length > MAX_BATCH)
      throw badRequest(`At most ${MAX_BATCH} services may be requested at a time.`);
    const services = names.map((name) => {
      const match = /^projects\/([^/]+)\/services\/([^/]+)$/.exec(name);
      if (!match?.[2] || (match[1] !== project && match[1] !== projectNumberOf(project))) {
        throw badRequest(`Invalid service name '${name}' for parent 'projects/${project}'.`);
      }
      return serviceOf(project, match[2], platform);
    });
    return { status: 200, body: { services } };
  }
  if (segments.length === 4 && segments[2] === 'services' && segments[3]) {
    return { status: 200, body: serviceOf(project, segments[3], platform) };
  }
  return undefined;
}

function serviceOf(project: string, service: string, platform: PlatformState): Record<string, unknown> {
  const number = projectNumberOf(project);
  return {
    name: `projects/${number}/services/${service}`,
    parent: `projects/${number}`,
    config: { name: service, title: service },
    state: platform.isServiceEnabled(project, service) ? 'ENABLED' : 'DISABLED',
  };
}
