// Routes the simulated control-plane APIs (Service Usage, testIamPermissions, Logging sinks, Pub/Sub admin reads)
// before the estate's Compute, API Gateway and Resource Manager routes, which share their version prefixes.

import { handleTestIamPermissions } from './iam-api.js';
import { handleLogging } from './logging-api.js';
import type { PlatformState } from './platform.js';
import { handlePubSubAdmin } from './pubsub-admin-api.js';
import type { HandlerResult } from './request-context.js';
import { handleServiceUsage } from './service-usage-api.js';

/** The answer for a control-plane request, or undefined when `path` is not one. */
export function handlePlatformRequest(
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
  platform: PlatformState,
): HandlerResult | undefined {
  let segments: string[];
  try {
    segments = path
      .split('/')
      .filter((part) => part.length > 0)
      .map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
  const [version, ...rest] = segments;
  switch (version) {
    case 'v1':
      return handleServiceUsage(method, rest, query, platform) ?? handlePubSubAdmin(method, rest, platform);
    case 'v2':
      return handleLogging(method, rest, platform);
    case 'v3':
      return handleTestIamPermissions(method, rest, body, platform);
    default:
      return undefined;
  }
}
