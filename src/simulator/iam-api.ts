// Cloud Resource Manager v3 `testIamPermissions` on a project, folder or organisation
// (POST /v3/{projects|folders|organizations}/X:testIamPermissions): which of the asked permissions the caller holds
// there; the simulated caller holds all but the denied ones.

import { badRequest } from './api-error.js';
import type { PlatformState } from './platform.js';
import type { HandlerResult } from './request-context.js';

const SUFFIX = ':testIamPermissions';
/** The API refuses more than 100 permissions in one request. */
const MAX_PERMISSIONS = 100;

/** `segments` after `v3`: `projects` | `folders` | `organizations`, `X:testIamPermissions`. */
export function handleTestIamPermissions(
  method: string,
  segments: readonly string[],
  body: unknown,
  platform: PlatformState,
): HandlerResult | undefined {
  const [collection, last] = segments;
  if (
    method !== 'POST' ||
    segments.length !== 2 ||
    !['projects', 'folders', 'organizations'].includes(collection ?? '') ||
    !last?.endsWith(SUFFIX)
  ) {
    return undefined;
  }
  const id = last.slice(0, -SUFFIX.length);
  const resource = collection === 'projects' ? id : `${collection}/${id}`;
  const asked = (body as { permissions?: unknown } | undefined)?.permissions;
  if (!Array.isArray(asked) || !asked.every((permission) => typeof permission === 'string')) {
    throw badRequest('permissions must be a list of permission names.');
  }
  if (asked.length > MAX_PERMISSIONS) {
    throw badRequest(`At most ${MAX_PERMISSIONS} permissions may be tested in one request.`);
  }
  const held = (asked as string[]).filter((permission) => platform.isPermissionHeld(resource, permission));
  // Like the real API, an empty answer omits the field.
  return { status: 200, body: held.length > 0 ? { permissions: held } : {} };
}
