// What kind of backend a NEG is: serverless or not, and which serverless platform it targets.

import type { NetworkEndpointGroup } from './resources.js';

export const API_GATEWAY_PLATFORM = 'apigateway.googleapis.com';

export type ServerlessPlatform =
  | 'apigateway.googleapis.com'
  | 'run.googleapis.com'
  | 'appengine.googleapis.com'
  | 'cloudfunctions.googleapis.com'
  | 'unknown';

export function isServerlessNeg(neg: NetworkEndpointGroup): boolean {
  return neg.networkEndpointType === 'SERVERLESS';
}

export function isApiGatewayNeg(neg: NetworkEndpointGroup): boolean {
  return isServerlessNeg(neg) && neg.serverlessDeployment?.platform === API_GATEWAY_PLATFORM;
}

/** The platform a serverless NEG targets; `unknown` when it names none we know (e.g. exported with v1). */
export function serverlessPlatformOf(neg: NetworkEndpointGroup): ServerlessPlatform {
  if (neg.cloudRun) return 'run.googleapis.com';
  if (neg.appEngine) return 'appengine.googleapis.com';
  if (neg.cloudFunction) return 'cloudfunctions.googleapis.com';
  const platform = neg.serverlessDeployment?.platform;
  switch (platform) {
    case 'apigateway.googleapis.com':
    case 'run.googleapis.com':
    case 'appengine.googleapis.com':
    case 'cloudfunctions.googleapis.com':
      return platform;
    default:
      return 'unknown';
  }
}

/** True when a serverless NEG names no target at all: the sign of an export made with the v1 API. */
export function hasNoServerlessTarget(neg: NetworkEndpointGroup): boolean {
  return (
    isServerlessNeg(neg) && !neg.cloudRun && !neg.appEngine && !neg.cloudFunction && !neg.serverlessDeployment
  );
}
