// A small estate for simulator tests: global and regional services, API Gateway NEGs, gateways and configs.

import type { Inventory } from '../../src/domain/inventory.js';
import {
  apiConfig,
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  forwardingRule,
  gateway,
  httpsProxy,
  inventoryOf,
  negBackend,
  securityPolicy,
  urlMap,
  zonalNeg,
} from '../support/records.js';

export const OPENAPI = 'swagger: "2.0"\ninfo: { title: orders, version: "1" }\npaths: {}\n';

export function sampleEstate(): Inventory {
  return inventoryOf({
    backendService: [
      backendService('orders-bs', { backends: [negBackend('orders-neg-usc1', 'us-central1')] }),
      backendService('billing-bs'),
      backendService('catalog-bs'),
      backendService('run-bs', {}, { region: 'us-central1' }),
      backendService('eu-bs', {}, { region: 'europe-west2' }),
    ],
    networkEndpointGroup: [
      apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
      cloudRunNeg('run-neg', 'us-central1', 'orders-run'),
      zonalNeg('vm-neg', 'us-central1-a'),
    ],
    urlMap: [urlMap('orders-map', 'orders-bs')],
    targetHttpsProxy: [httpsProxy('orders-proxy', 'orders-map')],
    forwardingRule: [forwardingRule('orders-fr', 'global/targetHttpsProxies/orders-proxy')],
    securityPolicy: [securityPolicy('api-waf'), securityPolicy('strict-waf')],
    gateway: [
      gateway('orders-gw', 'us-central1', 'orders/configs/orders-v7'),
      gateway('orders-gw-eu', 'europe-west2', 'orders/configs/orders-v7'),
      gateway('billing-gw', 'us-central1', 'billing/configs/billing-v1'),
    ],
    apiConfig: [
      apiConfig('orders/configs/orders-v7', OPENAPI),
      apiConfig('billing/configs/billing-v1', OPENAPI),
    ],
  });
}
