// The direct URL of a gateway: `https://{defaultHostname}`, which answers whatever sits in front of it.

import type { Gateway } from './resources.js';

/** `https://{defaultHostname}`, or null when the gateway has no hostname (yet). */
export function directUrlOf(gateway: Gateway): string | null {
  return typeof gateway.defaultHostname === 'string' && gateway.defaultHostname !== ''
    ? `https://${gateway.defaultHostname}`
    : null;
}
