// Decides, without any I/O, which requests the probe sends to each fronted gateway's direct URL.

import { analyseGatewayConfig } from '../domain/api-config-auth.js';
import type { ResourceGraph } from '../domain/graph.js';
import { isSafeMethod, SAFE_METHODS, type SafeMethod } from './send-request.js';

/** What a request is meant to show: an open operation answering, or an authenticated one refusing. */
export type ProbeExpectation = 'open' | 'auth-required';

export interface PlannedRequest {
  /** `GET /orders/{id}`, as the API config declares it. */
  readonly operation: string;
  readonly method: SafeMethod;
  /** The path actually sent, with path parameters replaced by a harmless placeholder. */
  readonly path: string;
  readonly expectation: ProbeExpectation;
}

export interface GatewayProbePlan {
  readonly gateway: string;
  /** `defaultHostname`, when the gateway has one. */
  readonly host: string | undefined;
  readonly requests: readonly PlannedRequest[];
  /** Why nothing is sent, when `requests` is empty. */
  readonly reason?: string;
}

export const PATH_PLACEHOLDER = 'gatewarden-probe';

/** One plan per gateway that a load balancer fronts (the others are not judged by the rule). */
export function planGatewayProbes(graph: ResourceGraph, maxOpenPerGateway: number): GatewayProbePlan[] {
  const plans: GatewayProbePlan[] = [];
  for (const gateway of graph.nodes('gateway')) {
    if (graph.frontingServicesOf(gateway).length === 0) continue;
    const host = typeof gateway.data.defaultHostname === 'string' ? gateway.data.defaultHostname : undefined;
    const base = { gateway: gateway.fullName, host };
    if (!host) {
      plans.push({ ...base, requests: [], reason: 'the gateway has no defaultHostname' });
      continue;
    }
    const { analysis } = analyseGatewayConfig(graph, gateway);
    if (analysis.kind !== 'openapi') {
      const why = analysis.kind === 'grpc' ? 'its API config is gRPC' : analysis.reason;
      plans.push({ ...base, requests: [], reason: `no operations to probe: ${why}` });
      continue;
    }
    const probeable = analysis.operations
      .filter((operation) => isSafeMethod(operation.method) && isProbeablePath(operation.path))
      .sort(
        (a, b) => SAFE_METHODS.indexOf(a.method as SafeMethod) - SAFE_METHODS.indexOf(b.method as SafeMethod),
      );
    const planned = (
      operation: (typeof probeable)[number],
      expectation: ProbeExpectation,
    ): PlannedRequest => ({
      operation: `${operation.method} ${operation.path}`,
      method: operation.method as SafeMethod,
      path: concretePath(operation.path),
      expectation,
    });
    const open = probeable.filter((operation) => !operation.authenticated).slice(0, maxOpenPerGateway);
    const guarded = probeable.find((operation) => operation.authenticated);
    const requests = [
      ...open.map((operation) => planned(operation, 'open')),
      ...(guarded ? [planned(guarded, 'auth-required')] : []),
    ];
    plans.push(
      requests.length > 0
        ? { ...base, requests }
        : { ...base, requests, reason: 'the API config has no GET, HEAD or OPTIONS operation to probe' },
    );
  }
  return plans;
}

/** Paths that would not stay on the gateway's own path space (`..` segments, no leading `/`) are not probed. */
function isProbeablePath(path: string): boolean {
  return path.startsWith('/') && !path.split('/').some((segment) => segment === '..' || segment === '.');
}

/** `/orders/{id}` -> `/orders/gatewarden-probe`; every other unsafe character percent-encoded. */
export function concretePath(template: string): string {
  return template
    .split('/')
    .map((segment) =>
      segment
        // A lone surrogate (possible in a JSON spec) would make encodeURIComponent throw.
        .toWellFormed()
        .replace(/\{[^}]*\}/g, PATH_PLACEHOLDER)
        .replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@]/g, (character) => encodeURIComponent(character)),
    )
    .join('/');
}
