// backend.cdn-respects-auth: Cloud CDN does not force-cache responses of APIs that require credentials.

import { analyseGatewayConfig } from '../../domain/api-config-auth.js';
import type { ResourceNode } from '../../domain/graph.js';
import { cannotDecide, defineRule, describe, fail, notApplicable, pass, passLater } from '../define-rule.js';
import { HOLDS_NO_SERVERLESS_NEG } from './not-fronting.js';

/** Said from the service's record again: no closure per passing service. */
const DOES_NOT_FORCE_CACHE = passLater<'backendService'>((service) =>
  pass(`${describe(service)} does not force-cache responses.`, {
    enableCDN: service.data.enableCDN ?? false,
    cacheMode: service.data.cdnPolicy?.cacheMode ?? null,
  }),
);

export const backendCdnRespectsAuth = defineRule({
  id: 'backend.cdn-respects-auth',
  title: 'Cloud CDN does not force-cache authenticated API responses',
  severity: 'HIGH',
  source: 'gov',
  appliesTo: ['backendService'],
  rationale:
    'With `cacheMode: FORCE_CACHE_ALL`, Cloud CDN caches every successful response whatever its Cache-Control ' +
    'headers say. In front of an API that requires credentials, a response cached for one caller is then served ' +
    'to the next caller of the same URL, key or token or not: private data leaks.',
  remediation: {
    summary:
      'Use `cacheMode: USE_ORIGIN_HEADERS` (the API decides what is cacheable) or disable Cloud CDN on the backend service.',
    gcloud: 'gcloud compute backend-services update BACKEND_SERVICE --global --cache-mode=USE_ORIGIN_HEADERS',
    terraform:
      'resource "google_compute_backend_service" "api" {\n  # ...\n  enable_cdn = true\n  cdn_policy {\n' +
      '    cache_mode = "USE_ORIGIN_HEADERS"\n  }\n}',
  },
  references: [
    'https://cloud.google.com/api-gateway/docs/gateway-load-balancing',
    'https://cloud.google.com/compute/docs/reference/rest/v1/backendServices',
  ],
  evaluate(service, { graph }) {
    const negs = graph.serverlessNegsOf(service);
    if (negs.length === 0) return HOLDS_NO_SERVERLESS_NEG;
    const cacheMode = service.data.cdnPolicy?.cacheMode;
    if (service.data.enableCDN !== true || cacheMode !== 'FORCE_CACHE_ALL') return DOES_NOT_FORCE_CACHE;
    const gateways = negs
      .flatMap((neg) => graph.gatewaysReachedBy(neg))
      .filter((gateway, index, all) => all.indexOf(gateway) === index);
    if (gateways.length === 0) {
      return notApplicable(
        `${describe(service)} force-caches, but reaches no API Gateway whose auth can be read.`,
      );
    }
    const privateApis: { gateway: string; apiConfig: string | null; authenticated: string[] }[] = [];
    const unreadable: { gateway: string; apiConfig: string | null; reason: string }[] = [];
    let firstUnreadable: ResourceNode<'gateway'> | undefined;
    for (const gateway of gateways) {
      const { apiConfig, analysis } = analyseGatewayConfig(graph, gateway);
      // One unreadable config leaves the others to judge: a readable one requiring credentials fails alone.
      if (analysis.kind === 'unreadable') {
        unreadable.push({ gateway: gateway.fullName, apiConfig: apiConfig ?? null, reason: analysis.reason });
        firstUnreadable ??= gateway;
        continue;
      }
      // gRPC is carried over POST, which Cloud CDN never caches.
      if (analysis.kind !== 'openapi') continue;
      const authenticated = analysis.operations
        .filter((operation) => operation.authenticated)
        .map((operation) => `${operation.method} ${operation.path}`);
      if (authenticated.length > 0) {
        privateApis.push({ gateway: gateway.fullName, apiConfig: apiConfig ?? null, authenticated });
      }
    }
    const evidence = {
      enableCDN: true,
      cacheMode,
      gateways: privateApis,
      ...(unreadable.length > 0 ? { unreadable } : {}),
    };
    if (privateApis.length > 0) {
      return fail(
        `${describe(service)} force-caches responses of ${privateApis.length} gateway(s) whose API requires credentials.`,
        evidence,
      );
    }
    const [first] = unreadable;
    if (first && firstUnreadable) {
      return cannotDecide(
        `${describe(service)} force-caches responses of ${describe(firstUnreadable)}, whose API config cannot be read: ${first.reason}.`,
        first,
      );
    }
    return pass(
      `${describe(service)} force-caches, but no gateway behind it requires credentials.`,
      evidence,
    );
  },
});
