// Shared scenario for the frontend rule tables: an external Application Load Balancer in front of API Gateway.

import type { Inventory } from '../../../src/domain/inventory.js';
import type { TargetHttpsProxy, UrlMap } from '../../../src/domain/resources.js';
import {
  apiGatewayNeg,
  backendService,
  computeLink,
  forwardingRule,
  fullName,
  gateway,
  httpProxy,
  httpsProxy,
  maskNeg,
  negBackend,
  urlMap,
} from '../../support/records.js';

export const HTTPS_RULE = fullName('global/forwardingRules/api-https-fr');
export const HTTP_RULE = fullName('global/forwardingRules/api-http-fr');

/**
 * The API's backend, with its NEG (naming the gateway, or with `mask` routing by URL mask) and gateway, and an HTTPS
 * forwarding rule at 34.120.10.20.
 */
export function apiLoadBalancer(
  options: { proxy?: Partial<TargetHttpsProxy>; fronting?: boolean; mask?: boolean } = {},
): Partial<Inventory> {
  const fronting = options.fronting ?? true;
  const neg = options.mask
    ? maskNeg('orders-neg-usc1', 'us-central1', '<gateway>.api.acme.example')
    : apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw');
  return {
    gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    networkEndpointGroup: fronting ? [neg] : [],
    backendService: [
      backendService('apigw-bs', {
        backends: fronting ? [negBackend('orders-neg-usc1', 'us-central1')] : [],
      }),
    ],
    urlMap: [urlMap('api-map', 'apigw-bs')],
    targetHttpsProxy: [httpsProxy('api-proxy', 'api-map', options.proxy)],
    forwardingRule: [forwardingRule('api-https-fr', 'global/targetHttpsProxies/api-proxy')],
  };
}

export const REDIRECT_MAP: UrlMap = urlMap('http-redirect', 'unused', {
  defaultService: undefined,
  defaultUrlRedirect: {
    httpsRedirect: true,
    redirectResponseCode: 'MOVED_PERMANENTLY_DEFAULT',
    stripQuery: false,
  },
});

/** Adds the HTTP half of the load balancer on the same address, with the given URL map. */
export function withHttpFrontend(
  records: Partial<Inventory>,
  map: UrlMap,
  address = '34.120.10.20',
): Partial<Inventory> {
  const name = map.name ?? 'api-map';
  return {
    ...records,
    urlMap: [...(records.urlMap ?? []).filter((existing) => existing.name !== name), map],
    targetHttpProxy: [httpProxy('api-http', name)],
    forwardingRule: [
      ...(records.forwardingRule ?? []),
      forwardingRule('api-http-fr', 'global/targetHttpProxies/api-http', { IPAddress: address }),
    ],
  };
}

export const SSL_POLICY_LINK = computeLink('global/sslPolicies/api-tls');
