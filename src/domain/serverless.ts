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

/**
 * An API Gateway NEG that names its gateways by URL mask: `resource` empty and `urlMask` set. When `resource` is set
 * it alone decides whatever the mask says (RULES.md), so a NEG with both is not a mask NEG.
 */
export function isMaskNeg(neg: NetworkEndpointGroup): boolean {
  const deployment = neg.serverlessDeployment;
  return isApiGatewayNeg(neg) && !hasText(deployment?.resource) && hasText(deployment?.urlMask);
}

function hasText(value: string | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
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
