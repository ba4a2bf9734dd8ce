// Shared scenario for the gateway rule tables: a gateway fronted by a backend service through an API Gateway NEG.

import type { Inventory } from '../../../src/domain/inventory.js';
import type { ApiConfig, BackendService } from '../../../src/domain/resources.js';
import {
  apiConfig,
  apiGatewayNeg,
  backendService,
  fullName,
  gateway,
  maskNeg,
  negBackend,
} from '../../support/records.js';

export const GATEWAY = fullName('locations/us-central1/gateways/orders-gw');
export const SERVICE = fullName('global/backendServices/apigw-bs');

export const AUTHENTICATED_SPEC = `swagger: "2.0"
info: { title: orders, version: "1.0.0" }
security:
  - api_key: []
securityDefinitions:
  api_key: { type: apiKey, name: key, in: query }
paths:
  /orders:
    get: { operationId: listOrders, responses: { "200": { description: ok } } }
`;

export const OPEN_HEALTH_SPEC = `${AUTHENTICATED_SPEC}  /health:
    get: { operationId: health, security: [], responses: { "200": { description: ok } } }
`;

export const URL_MASK = '<gateway>.api.acme.example';

export const ALLOW_ALL_SPEC = `${AUTHENTICATED_SPEC}x-google-allow: all
`;

/**
 * A gateway in us-central1 serving `orders/configs/orders-v7`, fronted by global backend service apigw-bs through NEG
 * orders-neg-usc1, which names it by ID, or (`mask`) names no gateway and routes by URL mask.
 */
export function frontedGateway(
  options: {
    spec?: string;
    service?: Partial<BackendService>;
    config?: ApiConfig | null;
    mask?: boolean;
  } = {},
): Partial<Inventory> {
  const config =
    options.config === null
      ? []
      : [options.config ?? apiConfig('orders/configs/orders-v7', options.spec ?? AUTHENTICATED_SPEC)];
  return {
    gateway: [gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7')],
    apiConfig: config,
    networkEndpointGroup: [
      options.mask
        ? maskNeg('orders-neg-usc1', 'us-central1', URL_MASK)
        : apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
    ],
    backendService: [
      backendService('apigw-bs', {
        backends: [negBackend('orders-neg-usc1', 'us-central1')],
        ...options.service,
      }),
    ],
  };
}

export const NO_PROTECTIONS: Partial<BackendService> = { securityPolicy: undefined };
