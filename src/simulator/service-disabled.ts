// The answer Google gives when a project calls an API it has not enabled: 403 PERMISSION_DENIED whose ErrorInfo
// reason is SERVICE_DISABLED (seen in public reports of real answers, e.g. google-gemini/gemini-cli#1343 and
// GoogleCloudPlatform/core-solution-services#7). Compute, served by the older front end, also lists the legacy
// `errors[]` entry with reason `accessNotConfigured`; API Gateway answers with `details` only.

import type { PlatformState } from './platform.js';

const TITLES: Readonly<Record<string, string>> = {
  'compute.googleapis.com': 'Compute Engine API',
  'apigateway.googleapis.com': 'API Gateway API',
};

/** The service a simulated route belongs to, and the project it names. */
export interface RoutedCall {
  readonly service: 'compute' | 'apigateway' | string;
  readonly segments: readonly string[];
}

/** The 403 body when the route's API is disabled in its project (PlatformState.disabledServices), else undefined. */
export function serviceDisabledAnswer(
  call: RoutedCall,
  platform: PlatformState,
  projectIdOf: (project: string) => string = (project) => project,
): { readonly status: 403; readonly body: unknown } | undefined {
  if (call.service !== 'compute' && call.service !== 'apigateway') return undefined;
  const [projects, rawProject] = call.segments;
  if (projects !== 'projects' || !rawProject) return undefined;
  const project = projectIdOf(rawProject);
  const service = `${call.service}.googleapis.com`;
  if (platform.isServiceEnabled(project, service)) return undefined;
  return { status: 403, body: serviceDisabledBody(service, project) };
}

export function serviceDisabledBody(service: string, project: string): unknown {
  const title = TITLES[service] ?? service;
  const activationUrl = `https://console.developers.google.com/apis/api/${service}/overview?project=${project}`;
  const message =
    `${title} has not been used in project ${project} before or it is disabled. Enable it by visiting ` +
    `${activationUrl} then retry. If you enabled this API recently, wait a few minutes for the action to ` +
    'propagate to our systems and retry.';
  return {
    error: {
      code: 403,
      message,
      ...(service === 'compute.googleapis.com'
        ? {
            errors: [
              { message, domain: 'usageLimits', reason: 'accessNotConfigured', extendedHelp: activationUrl },
            ],
          }
        : {}),
      status: 'PERMISSION_DENIED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: {
            service,
            consumer: `projects/${project}`,
            serviceTitle: title,
            containerInfo: project,
            activationUrl,
          },
        },
        { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
        {
          '@type': 'type.googleapis.com/google.rpc.Help',
          links: [{ description: `Google developers console API activation`, url: activationUrl }],
        },
      ],
    },
  };
}
